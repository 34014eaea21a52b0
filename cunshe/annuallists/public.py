"""The public side: the village's publicly committed annual list and five-year plan on its public page (the
responsible post, never a private number), with a link to the printable bulletin-board copy."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.annuallists.selectors import public_list
from cunshe.regions.models import Level


def public_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE:
        return ""
    annual_list = public_list(region.code)
    if annual_list is None:
        return ""
    return render_to_string(
        "annuallists/public_section.html",
        {
            "region": region,
            "list": annual_list,
            "items": sorted(annual_list.items.all(), key=lambda i: (i.due_on, i.pk)),
            "goals": annual_list.goals.all(),
        },
        request=request,
    )
