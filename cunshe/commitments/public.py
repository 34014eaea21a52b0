"""The public side of the module: a section on the region's public page that links to the village's commitments."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.commitments.models import Commitment
from cunshe.regions.models import Level


def public_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE or not Commitment.objects.filter(region_id=region.code).exists():
        return ""
    return render_to_string("commitments/public_section.html", {"region": region}, request=request)
