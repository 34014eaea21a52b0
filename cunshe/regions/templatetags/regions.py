"""`{% under_select under %}`: the region filter of a list page as a choice of the user's own regions and the ones
directly below them (a county's towns, a town's villages), instead of a 12-digit code to type."""

from __future__ import annotations

from typing import Any

from django import template

from cunshe.regions.models import Region
from cunshe.regions.selectors import user_root_regions

register = template.Library()

# A province-wide role would list thousands of towns; it keeps its own regions and types a code for the rest.
MOST_CHILDREN = 300


@register.inclusion_tag("regions/_under_select.html", takes_context=True)
def under_select(context: template.Context, under: str = "") -> dict[str, Any]:
    request = context.get("request")
    regions = user_root_regions(request.user) if request else []
    homes = [r.code for r in regions]
    children = list(Region.objects.filter(parent_id__in=homes).order_by("code")[: MOST_CHILDREN + 1])
    if len(children) <= MOST_CHILDREN:
        regions += children
    regions.sort(key=lambda r: r.code)
    if under and under not in {r.code for r in regions} and under.startswith(tuple(homes)):
        regions += list(Region.objects.filter(code=under))  # a village typed or linked to, kept as chosen
    options = [(r.code, r.name, r.code not in homes) for r in regions]
    return {"under": under, "options": options, "choosable": len(options) > 1}
