"""Reads of the liaison-cadre module from the policies' scoped querysets; the counts from the roll-up rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.liaison.models import Assignment, LiaisonTalk, Matter, Rating, RatingKind, ServiceDay
from cunshe.liaison.permissions import (
    assignment_policy,
    matter_policy,
    rating_policy,
    serviceday_policy,
    talk_policy,
    tally_policy,
)
from cunshe.liaison.services import months_between
from cunshe.regions.models import Region

COUNTS = ("cadres", "villages", "service_days", "households", "talks", "matters", "matters_resolved")
COUNT_LABELS = {
    "cadres": "在岗联系干部（名）",
    "villages": "覆盖村(社区)（个）",
    "service_days": "集中服务日（次）",
    "households": "走访户数（户）",
    "talks": "谈心谈话（人次）",
    "matters": "协调事项（件）",
    "matters_resolved": "已解决事项（件）",
}


def _child_width(region: Region) -> int:
    return min(len(region.code) + 3, 12)  # the next level's code: county 6 → town 9 → village 12


@dataclass
class CountRow:
    code: str
    name: str
    values: dict[str, int] = field(default_factory=dict)

    def cells(self) -> list[int]:
        return [self.values.get(k, 0) for k in COUNTS]


def counts(user: Any, region: Region) -> tuple[list[CountRow], CountRow]:
    """One row per town (for a county) or village (for a town) and the total: one grouped query over the roll-up
    rows and one for the names, whatever the number of villages."""
    grouped = (
        tally_policy.visible_to(user)
        .filter(village__startswith=region.code)
        .annotate(child=Substr("village_id", 1, _child_width(region)))
        .values("child")
        .annotate(
            # named apart from the columns: an annotation called "cadres" would shadow the column in the filter
            n_cadres=Sum("cadres"),
            n_villages=Count("id", filter=Q(cadres__gt=0)),
            n_service_days=Sum("service_days"),
            n_households=Sum("households"),
            n_talks=Sum("talks"),
            n_matters=Sum("matters"),
            n_matters_resolved=Sum("matters_resolved"),
        )
        .order_by("child")
    )
    rows = [CountRow(g["child"], "", {k: cast(dict[str, Any], g)[f"n_{k}"] or 0 for k in COUNTS}) for g in grouped]
    names = dict(Region.objects.filter(code__in=[r.code for r in rows]).values_list("code", "name"))
    for r in rows:
        r.name = names.get(r.code, r.code)
    total = CountRow(region.code, "合计", {k: sum(r.values[k] for r in rows) for k in COUNTS})
    return rows, total


def assignments_visible(user: Any, under: str = "", *, current_only: bool = False) -> QuerySet[Assignment]:
    qs = assignment_policy.visible_to(user).select_related("village")
    if under:
        qs = qs.filter(village__startswith=under)
    if current_only:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("village_id", "-started_on", "id")


@dataclass
class ServiceRow:
    assignment: Assignment
    cells: list[tuple[date, str]]  # (month, "✓" held / "缺" gap / "" not owed)

    @property
    def gaps(self) -> int:
        return sum(1 for _, mark in self.cells if mark == "缺")


def month_columns(today: date, months: int = 6) -> list[date]:
    first = date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)
    return list(months_between(first, today))


def service_assignments(user: Any, region: Region, columns: list[date]) -> QuerySet[Assignment]:
    """The assignments under the region that ran in any of the table's months."""
    return assignments_visible(user, region.code).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=columns[0]))


def service_rows(user: Any, assignments: list[Assignment], columns: list[date], today: date) -> list[ServiceRow]:
    """Each assignment's months: a month the assignment ran through without a service day is a gap (缺); the
    current month is owed only once it has passed. One query for the service days of the whole page."""
    held = set(
        serviceday_policy.visible_to(user)
        .filter(assignment__in=assignments, month__gte=columns[0])
        .values_list("assignment_id", "month")
    )
    this_month = date(today.year, today.month, 1)
    rows = []
    for a in assignments:
        start_month = date(a.started_on.year, a.started_on.month, 1)
        cells = []
        for m in columns:
            owed = start_month <= m < this_month and (a.ended_on is None or m <= a.ended_on)
            cells.append((m, "✓" if (a.pk, m) in held else ("缺" if owed else "")))
        rows.append(ServiceRow(a, cells))
    return rows


def service_days_of(user: Any, assignment: Assignment) -> QuerySet[ServiceDay]:
    return serviceday_policy.visible_to(user).filter(assignment=assignment).order_by("-month")


def talks_of(user: Any, assignment: Assignment) -> QuerySet[LiaisonTalk]:
    return talk_policy.visible_to(user).filter(assignment=assignment).order_by("-held_on", "-id")


def matters_of(user: Any, assignment: Assignment) -> QuerySet[Matter]:
    return (
        matter_policy.visible_to(user)
        .filter(assignment=assignment)
        .select_related("issue")
        .order_by("-raised_on", "-id")
    )


@dataclass
class RatingRow:
    code: str
    name: str
    # per kind: (rated villages, mean as a share of the scale: 0 = lowest, 1 = highest) — exact Fractions, shown
    # as a percentage, because a county may rate on different scales across years
    means: dict[str, tuple[int, Fraction | None]] = field(default_factory=dict)

    def cells(self) -> list[tuple[int, str]]:
        out = []
        for kind in RatingKind.values:
            n, mean = self.means.get(kind, (0, None))
            out.append((n, "" if mean is None else f"{float(mean * 100):.1f}"))
        return out


def rating_rollup(user: Any, region: Region, year: int, round: int) -> tuple[list[RatingRow], RatingRow]:
    """Per town (or village) and kind, the mean rating of the round as a share of each row's own scale; one query
    over the ratings (one row per village and kind) and one for the names."""
    rows_in = (
        rating_policy.visible_to(user)
        .filter(village__startswith=region.code, year=year, round=round)
        .values_list("village_id", "kind", "score", "scale_low", "scale_high")
    )
    width = _child_width(region)
    acc: dict[str, dict[str, list[Fraction]]] = {}
    for village, kind, score, low, high in rows_in:
        share = Fraction(score - low, high - low) if high > low else Fraction(1)
        acc.setdefault(village[:width], {}).setdefault(kind, []).append(share)
        acc.setdefault("", {}).setdefault(kind, []).append(share)

    def row(code: str, name: str, by_kind: dict[str, list[Fraction]]) -> RatingRow:
        return RatingRow(code, name, {k: (len(v), sum(v, Fraction(0)) / len(v)) for k, v in by_kind.items()})

    total = row(region.code, "合计", acc.pop("", {}))
    names = dict(Region.objects.filter(code__in=acc).values_list("code", "name"))
    return [row(c, names.get(c, c), acc[c]) for c in sorted(acc)], total


def ratings_of_village(user: Any, code: str) -> QuerySet[Rating]:
    return rating_policy.visible_to(user).filter(village_id=code).order_by("-year", "-round", "kind")
