"""Reads of the care list, from the policies' scoped querysets; the roll-up groups the month rows in the database
(a constant number of queries whatever the county's size)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.carelist.models import CareMonth, CareVisit, Household
from cunshe.carelist.permissions import household_policy, month_policy, visit_policy
from cunshe.regions.models import Region
from cunshe.regions.selectors import rollup_rows


@dataclass
class HouseholdLine:
    household: Household
    this_month: CareMonth | None
    overdue: int  # past months not done


def village_list(user: Any, village: Region, today: date | None = None) -> list[HouseholdLine]:
    """The village's listed households with this month's row and the number of past months missed."""
    month = (today or timezone.localdate()).replace(day=1)
    households = list(
        household_policy.visible_to(user).filter(region=village, removed_on__isnull=True).order_by("name", "id")
    )
    rows = month_policy.visible_to(user).filter(household__in=households, month__lte=month)
    current: dict[int, CareMonth] = {}
    missed: dict[int, int] = {}
    for m in rows:
        if m.month == month:
            current[m.household_id] = m
        elif m.done_on is None:
            missed[m.household_id] = missed.get(m.household_id, 0) + 1
    return [HouseholdLine(h, current.get(h.pk), missed.get(h.pk, 0)) for h in households]


def removed_of(user: Any, village: Region) -> QuerySet[Household]:
    found = household_policy.visible_to(user).filter(region=village, removed_on__isnull=False)
    return found.order_by("-removed_on", "-pk")  # pk last: a page neither skips nor repeats a household


def months_of(user: Any, household: Household) -> QuerySet[CareMonth]:
    return month_policy.visible_to(user).filter(household=household).prefetch_related("visits").order_by("-month")


def visits_under(user: Any, code: str) -> QuerySet[CareVisit]:
    return (
        visit_policy.visible_to(user)
        .filter(region__startswith=code)
        .select_related("household", "region")
        .order_by("region_id", "household__name", "visited_on", "id")
    )


@dataclass
class CareRow:
    code: str
    name: str
    households: int = 0
    due: int = 0  # this month's rows
    done: int = 0  # this month's rows done
    overdue: int = 0  # past months not done
    solved: int = 0  # problems solved (N), all months


def rollup(user: Any, region: Region, today: date | None = None) -> tuple[list[CareRow], CareRow]:
    """Per village of a town, or per town of a county: households listed, this month's 3+N done of due, months
    missed (overdue) and problems solved."""
    month = (today or timezone.localdate()).replace(day=1)
    width = 12 if len(region.code) == 9 else 9
    rows = {code: CareRow(code, name) for code, name in rollup_rows(user, region.code).items()}
    households = (
        household_policy.visible_to(user)
        .filter(region__startswith=region.code, removed_on__isnull=True)
        .annotate(unit=Substr("region_id", 1, width))
        .values("unit")
        .annotate(n=Count("id"))
        .order_by()
    )
    for h in households:
        if h["unit"] in rows:
            rows[h["unit"]].households = h["n"]
    months = (
        month_policy.visible_to(user)
        .filter(region__startswith=region.code, month__lte=month)
        .annotate(unit=Substr("region_id", 1, width))
        .values("unit")
        .annotate(
            due=Count("id", filter=Q(month=month)),
            done=Count("id", filter=Q(month=month, done_on__isnull=False)),
            overdue=Count("id", filter=Q(month__lt=month, done_on__isnull=True)),
            solved=Sum("solved"),
        )
        .order_by()
    )
    for m in months:
        if m["unit"] in rows:
            row = rows[m["unit"]]
            row.due, row.done, row.overdue, row.solved = m["due"], m["done"], m["overdue"], m["solved"] or 0
    total = CareRow(region.code, f"{region.name}合计")
    for row in rows.values():
        for f in ("households", "due", "done", "overdue", "solved"):
            setattr(total, f, getattr(total, f) + getattr(row, f))
    return list(rows.values()), total
