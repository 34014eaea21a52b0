"""The account-freeze flag on the village's page (signed-in) and on its public page: it stays until the handover
completes, so villagers and officials can see the accounts are frozen."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.handovers.permissions import handover_policy
from cunshe.handovers.selectors import frozen_handovers
from cunshe.regions.models import Level


def village_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE or not handover_policy.can_in_region(request.user, "view", region.code):
        return ""
    return render_to_string(
        "handovers/_village_section.html",
        {
            "region": region,
            "frozen": list(frozen_handovers(region.code)),
            "public": False,
            "can_open": handover_policy.can_in_region(request.user, "change", region.code),
        },
        request=request,
    )


def public_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE:
        return ""
    frozen = list(frozen_handovers(region.code))
    if not frozen:
        return ""
    return render_to_string("handovers/_village_section.html", {"region": region, "frozen": frozen, "public": True})


def register_sections() -> None:
    from cunshe.regions.sections import register_region_section
    from cunshe.web.public import register_public_section

    register_region_section("handovers", village_section)
    register_public_section("handovers", public_section)
