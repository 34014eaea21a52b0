"""The village's public page shows its 四议两公开 decisions once their resolution is disclosed, with the steps they
went through (dates and votes, never the names of those absent) and the result when disclosed."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.decisions import selectors
from cunshe.regions.models import Level


def public_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE:
        return ""
    decisions = list(selectors.public_decisions(region.code).prefetch_related("meetings"))
    if not decisions:
        return ""
    return render_to_string("decisions/_public_section.html", {"decisions": decisions})


def register_sections() -> None:
    from cunshe.web.public import register_public_section

    register_public_section("decisions", public_section)
