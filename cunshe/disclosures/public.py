"""The village's public page shows what it has published (党务村务财务公开), newest first, with the board photos."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.disclosures import selectors
from cunshe.regions.models import Level

PUBLIC_LIMIT = 30


def public_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE:
        return ""
    items = list(selectors.public_disclosures(region.code)[:PUBLIC_LIMIT])
    if not items:
        return ""
    return render_to_string("disclosures/_public_section.html", {"items": items, "region": region})


def register_sections() -> None:
    from cunshe.web.public import register_public_section

    register_public_section("disclosures", public_section)
