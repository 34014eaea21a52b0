"""Reads of the public directory: the staff list through the policy; the public list of published entries only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cunshe.directory.models import Entry
from cunshe.directory.permissions import entry_policy
from cunshe.regions.models import Region


def _region_and_children(code: str) -> Q:
    # the unit itself and the units one level below (a county and its towns; a town and its villages)
    return Q(region_id=code) | Q(region__parent_id=code)


def entries_for_staff(user: Any, region: Region) -> QuerySet[Entry]:
    return (
        entry_policy.visible_to(user)
        .filter(_region_and_children(region.code))
        .select_related("region")
        .order_by("region_id", "sort", "id")
    )


def public_groups(region: Region) -> list[tuple[Region, list[Entry]]]:
    """Published entries of the region and of the regions one level below, grouped by region (two queries)."""
    rows = list(
        Entry.objects.filter(_region_and_children(region.code), published=True)
        .select_related("region")
        .order_by("region_id", "sort", "id")
    )
    groups: dict[str, tuple[Region, list[Entry]]] = {}
    for e in rows:
        groups.setdefault(e.region_id, (e.region, []))[1].append(e)
    return [groups[k] for k in sorted(groups)]
