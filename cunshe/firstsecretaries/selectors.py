"""Reads of the first-secretary module, from the policies' scoped querysets; the statistics from the roll-up rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.core.errors import DomainError
from cunshe.firstsecretaries.models import LogEntry, Posting, Report, Tally
from cunshe.firstsecretaries.permissions import log_policy, posting_policy, report_policy, tally_policy
from cunshe.firstsecretaries.statistics import statistics
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Region


def postings_visible(user: Any, under: str = "") -> QuerySet[Posting]:
    qs = (
        posting_policy.visible_to(user)
        .select_related("village", "person")
        .prefetch_related(Prefetch("tallies", queryset=Tally.objects.order_by("kind")))
    )
    if under:
        qs = qs.filter(village__startswith=under)
    return qs.order_by("village_id", "-started_on", "id")


def log_of(user: Any, posting: Posting) -> QuerySet[LogEntry]:
    return log_policy.visible_to(user).filter(posting=posting).order_by("-written_on", "-id")


def reports_of(user: Any, posting: Posting) -> QuerySet[Report]:
    return report_policy.visible_to(user).filter(posting=posting).order_by("period_start", "kind")


def figures_of(posting: Posting) -> list[tuple[str, str, Decimal]]:
    """(label, unit, value) of each registered statistic for one posting (its prefetched tallies)."""
    by_kind = {t.kind: t.value for t in posting.tallies.all()}
    return [(s.label, s.unit, by_kind.get(s.kind, Decimal(0))) for s in statistics()]


@dataclass
class RollupRow:
    code: str
    name: str
    values: dict[str, Decimal] = field(default_factory=dict)
    postings: int = 0

    def cells(self) -> list[Decimal]:
        return [self.values.get(s.kind, Decimal(0)) for s in statistics()]


def rollup(user: Any, region: Region) -> tuple[list[RollupRow], RollupRow]:
    """One row per town (for a county) or village (for a town) with the sum of its secretaries' figures, and the
    total: two grouped queries over the roll-up rows, whatever the number of villages."""
    width = min(len(region.code) + 3, 12)  # the next level's code: county 6 → town 9 → village 12
    scoped = tally_policy.visible_to(user).filter(village__startswith=region.code)
    grouped = scoped.annotate(child=Substr("village_id", 1, width)).values("child", "kind").annotate(total=Sum("value"))
    counts = (
        posting_policy.visible_to(user)
        .filter(village__startswith=region.code, ended_on__isnull=True)
        .annotate(child=Substr("village_id", 1, width))
        .values("child")
        .annotate(n=Count("id"))
    )
    children: dict[str, RollupRow] = {}
    for g in grouped:
        row = children.setdefault(g["child"], RollupRow(g["child"], ""))
        row.values[g["kind"]] = g["total"] or Decimal(0)
    for c in counts:
        children.setdefault(c["child"], RollupRow(c["child"], "")).postings = c["n"]
    names = dict(Region.objects.filter(code__in=children).values_list("code", "name"))
    rows = sorted(children.values(), key=lambda r: r.code)
    for r in rows:
        r.name = names.get(r.code, r.code)
    total = RollupRow(region.code, "合计", postings=sum(r.postings for r in rows))
    for s in statistics():
        total.values[s.kind] = sum((r.values.get(s.kind, Decimal(0)) for r in rows), Decimal(0))
    return rows, total


def person_chosen(user: Any, person_id: int | None, key: str = "person") -> Person | None:
    """The registry row an organiser typed the number of for a posting, among those they see; one they do not see
    is "not found" on the field (the service then checks it is the posting's village and name)."""
    if person_id is None:
        return None
    found = person_policy.visible_to(user).filter(pk=person_id).first()
    if found is None:
        raise DomainError("人员登记有误，未保存。", {key: ["未找到该登记编号的人员。"]})
    return found
