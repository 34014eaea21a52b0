"""Reads of the talks module, from the policies' scoped querysets; counts from the month roll-up rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from cunshe.issueboard.models import Issue
from cunshe.regions.models import Region
from cunshe.talks.models import FollowUp, Talk
from cunshe.talks.permissions import talk_policy, tally_policy


def talks_under(user: Any, code: str, month: date | None = None) -> QuerySet[Talk]:
    qs = talk_policy.visible_to(user).filter(village__startswith=code)
    if month is not None:
        end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        qs = qs.filter(held_on__gte=month, held_on__lt=end)
    return (
        qs.select_related("village")
        .prefetch_related(
            Prefetch("issues", queryset=Issue.objects.order_by("id")),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "id")),
        )
        .order_by("-held_on", "-id")
    )


@dataclass
class TownMonths:
    code: str
    name: str
    counts: dict[date, int] = field(default_factory=dict)

    def cells(self, months: list[date]) -> list[int]:
        return [self.counts.get(m, 0) for m in months]


def month_counts(user: Any, region: Region) -> tuple[list[date], list[TownMonths], list[int]]:
    """Talks per town and month under the region, from the tally rows (two queries at any size)."""
    rows = list(tally_policy.visible_to(user).filter(town__startswith=region.code[:9]).order_by("town_id", "month"))
    months = sorted({r.month for r in rows})
    towns: dict[str, TownMonths] = {}
    for r in rows:
        towns.setdefault(r.town_id, TownMonths(r.town_id, "")).counts[r.month] = r.talks
    names = dict(Region.objects.filter(code__in=towns).values_list("code", "name"))
    for t in towns.values():
        t.name = names.get(t.code, t.code)
    table = sorted(towns.values(), key=lambda t: t.code)
    totals = [sum(t.counts.get(m, 0) for t in table) for m in months]
    return months, table, totals
