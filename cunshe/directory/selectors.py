"""Reads of the public directory: the staff list through the policy; the public list of published entries only."""

from __future__ import annotations

from collections.abc import Iterator
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


def public_ledger(region: Region) -> Iterator[Entry]:
    """Published entries of the region and of every unit under it, by unit code and the unit's order (one query at
    any size, read in chunks: a county holds some 900)."""
    return (
        Entry.objects.filter(region__startswith=region.code, published=True)
        .select_related("region__parent")
        .order_by("region_id", "sort", "id")
        .iterator(chunk_size=2000)
    )
