"""Reads of the annual lists, from the policies' scoped querysets; the town and county tables group the roll-up
rows (Tally) in the database, a constant number of queries whatever the county's size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.annuallists.models import AnnualList, ItemEntry, ListItem, RoundVisit, Status, VisitRound
from cunshe.annuallists.permissions import list_policy, round_policy, tally_policy
from cunshe.regions.models import Region
from cunshe.regions.selectors import rollup_rows


def default_year() -> int:
    """Lists are drafted at the turn of the year for the next one (the demo's teams in December 2026 for 2027)."""
    today = timezone.localdate()
    return today.year + 1 if today.month == 12 else today.year


def lists_of(user: Any, village: Region) -> QuerySet[AnnualList]:
    return list_policy.visible_to(user).filter(region=village).order_by("-year")


def round_of(user: Any, village: Region) -> VisitRound | None:
    return round_policy.visible_to(user).filter(region=village).order_by("-opened_on").first()


def round_visits(visit_round: VisitRound) -> QuerySet[RoundVisit]:
    return RoundVisit.objects.filter(round=visit_round).order_by("-visited_on", "-id")


def items_of(annual_list: AnnualList) -> list[ListItem]:
    return list(
        ListItem.objects.filter(annual_list=annual_list).prefetch_related("answers", "entries").order_by("due_on", "id")
    )


def entries_of(item: ListItem) -> QuerySet[ItemEntry]:
    return ItemEntry.objects.filter(item=item).order_by("written_on", "id")


def public_list(village_code: str) -> AnnualList | None:
    """The village's latest list committed publicly (nothing before the theme party day)."""
    return (
        AnnualList.objects.filter(region_id=village_code, status=Status.PUBLIC)
        .prefetch_related("items", "goals")
        .order_by("-year")
        .first()
    )


@dataclass
class ListRow:
    code: str
    name: str
    villages: int = 0  # with a list this year
    approved: int = 0  # approved by the town (public ones included)
    public: int = 0  # publicly committed
    items: int = 0
    done: int = 0


FIELDS = ("villages", "approved", "public", "items", "done")


def rollup(user: Any, region: Region, year: int) -> tuple[list[ListRow], ListRow]:
    """Per village of a town, or per town of a county, from the roll-up rows."""
    width = 12 if len(region.code) == 9 else 9
    rows = {code: ListRow(code, name) for code, name in rollup_rows(user, region.code).items()}
    grouped = (
        tally_policy.visible_to(user)
        .filter(region__startswith=region.code, year=year)
        .annotate(unit=Substr("region_id", 1, width))
        .values("unit")
        .annotate(
            villages=Count("id"),
            approved=Count("id", filter=Q(status__in=(Status.APPROVED, Status.PUBLIC))),
            public=Count("id", filter=Q(status=Status.PUBLIC)),
            items_sum=Sum("items", filter=Q(status=Status.PUBLIC)),
            done_sum=Sum("done", filter=Q(status=Status.PUBLIC)),
        )
        .order_by()
    )
    for g in grouped:
        if g["unit"] in rows:
            row = rows[g["unit"]]
            row.villages, row.approved, row.public = g["villages"], g["approved"], g["public"]
            row.items, row.done = g["items_sum"] or 0, g["done_sum"] or 0
    total = ListRow(region.code, f"{region.name}合计")
    for row in rows.values():
        for f in FIELDS:
            setattr(total, f, getattr(total, f) + getattr(row, f))
    return list(rows.values()), total
