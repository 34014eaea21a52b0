"""Reads of the region tree. Subtrees are prefix matches on the code, one indexed query each."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from cunshe.records.kept import kept
from cunshe.regions.models import LEVEL_OF_LENGTH, Kind, Level, Region
from cunshe.regions.permissions import region_policy

# Code length one level down: province 2 › city 4 › county 6 › town 9 › village 12 (a village rolls up to itself).
CHILD_LENGTH = {2: 4, 4: 6, 6: 9, 9: 12, 12: 12}


def region_kept(code: str) -> Region | None:
    """The region of a code, kept per process while the chains it is written to stand still (records.kept: a
    re-import that renames it records in them): a roll-up page looked its region up on every request (issue 15)."""
    return kept(f"regions.region:{code}", None, lambda: Region.objects.filter(code=code).first(), region_code=code)


def rollup_rows(user: Any, under: str) -> dict[str, str]:
    """Code → name of the rows of a roll-up table under `under`: every region one level down that the user may
    see, so a town or village with nothing recorded yet shows as a row of zeros instead of missing."""
    visible = regions_visible(user)
    regions = visible.filter(code=under) if len(under) == 12 else visible.filter(parent_id=under)
    return dict(regions.order_by("code").values_list("code", "name"))


def region_ancestors(region: Region) -> list[Region]:
    return list(Region.objects.filter(code__in=region.ancestor_codes()).order_by("level"))


def crumb_ancestors(region: Region, user: Any, policy: Any) -> list[Region]:
    """The county and town above a region page's region that the user may view under the module's policy (its
    crumbs), top first."""
    found = Region.objects.filter(code__in=region.ancestor_codes(), level__gte=Level.COUNTY).order_by("code")
    return [a for a in found if policy.can_in_region(user, "view", a.code)]


def region_children(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=region.code).order_by("code")


def region_subtree(code: str, *, level: int | None = None) -> QuerySet[Region]:
    qs = Region.objects.filter(code__startswith=code)
    return qs if level is None else qs.filter(level=level)


def regions_visible(user: Any) -> QuerySet[Region]:
    return region_policy.visible_to(user, "view")


def user_root_regions(user: Any) -> list[Region]:
    """The regions the user's assignments name (the tops of what they may see), without nested duplicates."""
    from cunshe.access.policy import region_prefixes

    return list(Region.objects.filter(code__in=region_prefixes(user, "regions.view")).order_by("code"))


def regions_search(user: Any, query: str, *, under: str = "", limit: int = 50) -> QuerySet[Region]:
    query = query.strip()
    qs = regions_visible(user)
    if under:
        qs = qs.filter(code__startswith=under)
    if query.isdigit():
        qs = qs.filter(code__startswith=query)
    elif query:
        qs = qs.filter(Q(name__contains=query))
    else:
        return qs.none()
    return qs.filter(level__gte=Level.COUNTY).order_by("level", "code")[:limit]


def region_counts(codes: list[str]) -> dict[str, dict[str, int]]:
    """How many towns, villages and communities lie under each of these regions: one query for all of them (the
    home page asked once per role assignment), grouped by town, then added up per region."""
    counts = {code: {"towns": 0, "villages": 0, "communities": 0} for code in codes}
    if not codes:
        return counts
    under = reduce(or_, (Q(code__startswith=code) for code in codes))
    rows = (
        Region.objects.filter(under, level__gte=Level.TOWN)
        .annotate(town=Substr("code", 1, 9))
        .values("town", "level", "kind")
        .annotate(n=Count("code"))
    )
    for row in rows:
        column = (
            "towns" if row["level"] == Level.TOWN else "communities" if row["kind"] == Kind.COMMUNITY else "villages"
        )
        for code in codes:
            # below the region: a town counts only what lies under it, not itself
            if row["town"].startswith(code) and row["level"] > LEVEL_OF_LENGTH[len(code)]:
                counts[code][column] += row["n"]
    return counts
