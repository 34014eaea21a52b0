"""Reads of the commitments module, each starting from the scoped queryset of permissions.py (the public page
is the one exception: it shows a village's commitments to anyone, without personal data)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.access.policy import scope_q
from cunshe.commitments.models import (
    Commitment,
    Finding,
    InspectedVillage,
    Inspection,
    Kind,
    ProgressUpdate,
    Status,
)
from cunshe.commitments.permissions import commitment_policy, finding_policy, inspection_policy, summary_policy
from cunshe.commitments.services import rules_of
from cunshe.records.kept import Kept, kept
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows

COUNTED = ("total", "planned", "in_progress", "done", "overdue", "dropped", "showcase")


def late_unmarked() -> Q:
    """Open, not yet marked overdue, and past the deadline today: what the daily check marks when it runs. Reads add
    these to the overdue ones so that a number is right on the day it is read, whether or not the job ran."""
    return Q(status__in=[Status.PLANNED, Status.IN_PROGRESS], deadline__lt=timezone.localdate())


def commitments_visible(
    user: Any, *, under: str = "", kind: str = "", status: str = "", query: str = "", category: str = ""
) -> QuerySet[Commitment]:
    qs = commitment_policy.visible_to(user).select_related("region", "term_change")
    if under:
        qs = qs.filter(region__startswith=under)
    if kind:
        qs = qs.filter(kind=kind)
    if status == Status.OVERDUE:
        qs = qs.filter(Q(status=Status.OVERDUE) | late_unmarked())
    elif status:
        qs = qs.filter(status=status).exclude(late_unmarked())
    if category:
        qs = qs.filter(category=category)
    if query:
        qs = qs.filter(Q(title__contains=query) | Q(ledger_no__startswith=query) | Q(content__contains=query))
    return qs.order_by("region_id", "kind", "ledger_no")


def commitment_detail_queryset(user: Any) -> QuerySet[Commitment]:
    return (
        commitment_policy.visible_to(user)
        .select_related("region", "term_change")
        .prefetch_related(Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-written_on", "-id")))
    )


def public_commitments(village_code: str) -> QuerySet[Commitment]:
    """What the village publicly committed to (dropped ones too, with their reason: the promise was public)."""
    return (
        Commitment.objects.filter(region_id=village_code)
        .prefetch_related(Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-written_on", "-id")))
        .order_by("kind", "ledger_no")
    )


@dataclass
class RollupRow:
    code: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)  # by status name, plus total and showcase
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def done_share(self) -> float:
        counted = self.counts.get("total", 0) - self.counts.get("dropped", 0)
        return self.counts.get("done", 0) / counted if counted else 0.0

    @property
    def done_percent(self) -> int:
        return round(self.done_share * 100)


@dataclass
class Rollup:
    region: Region
    kind: str
    year: int
    years: list[int]  # the years with commitments under the region, for choosing one
    categories: list[str]
    rows: list[RollupRow]
    total: RollupRow
    drill: bool  # rows link one level further down


def summary_years(user: Any, region: Region) -> list[int]:
    return sorted(
        summary_policy.visible_to(user)
        .filter(region__startswith=region.code)
        .values_list("year", flat=True)
        .order_by()
        .distinct()
    )


def pick_year(years: list[int], asked: Any = None) -> int:
    """The year asked for, else this year when it has commitments, else the latest that has (or this year)."""
    this_year = timezone.localdate().year
    try:
        wanted = int(asked)
    except (TypeError, ValueError):
        wanted = 0
    if 2000 <= wanted <= 2100:
        return wanted
    return this_year if this_year in years or not years else years[-1]


def rollup(user: Any, region: Region, *, kind: str = Kind.FIRST, year: Any = None) -> Rollup:
    return rollup_kept(user, region, kind=kind, year=year).value


def rollup_kept(user: Any, region: Region, *, kind: str = Kind.FIRST, year: Any = None) -> Kept[Rollup]:
    """`_rollup`, kept while the county's record book stands still, with the key of its rendered tables
    (records.kept, issue 15)."""
    return Kept(
        f"commitments.rollup:{region.code}:{kind}:{year!r}",
        user,
        lambda: _rollup(user, region, kind=kind, year=year),
        region_code=region.code,
    )


def _rollup(user: Any, region: Region, *, kind: str = Kind.FIRST, year: Any = None) -> Rollup:
    """The county table of seed 001 for any region and one year: per child region, counts by category and status,
    share done, overdue; read from the per-village summaries with one grouped query (plus the names of the children
    and the years there are). Overdue counts what is past its deadline today, whether or not the daily check ran."""
    years = summary_years(user, region)
    year = pick_year(years, year)
    length = CHILD_LENGTH.get(len(region.code), 12)
    grouped = (
        summary_policy.visible_to(user)
        .filter(region__startswith=region.code, kind=kind, year=year)
        .annotate(child=Substr("region_id", 1, length))
        .values("child", "category")
        .annotate(**{f"sum_{name}": Sum(name) for name in COUNTED})
        .order_by("child", "category")
    )
    rows: dict[str, RollupRow] = {}
    total = RollupRow(code=region.code, name="合计")
    seen_categories: list[str] = []
    for item in cast(Iterable[dict[str, Any]], grouped):
        row = rows.setdefault(item["child"], RollupRow(code=item["child"], name=item["child"]))
        for target in (row, total):
            for name in COUNTED:
                target.counts[name] = target.counts.get(name, 0) + (item[f"sum_{name}"] or 0)
            target.by_category[item["category"]] = target.by_category.get(item["category"], 0) + (
                item["sum_total"] or 0
            )
        if item["category"] not in seen_categories:
            seen_categories.append(item["category"])
    # Every child region the user may see is a row, a town with nothing recorded yet as a row of zeros (as on
    # the other roll-ups), not missing.
    names = rollup_rows(user, region.code)
    for code in names.keys() - rows.keys():
        rows[code] = RollupRow(code=code, name=code, counts={name: 0 for name in COUNTED})
    names.update(dict(Region.objects.filter(code__in=list(rows.keys() - names.keys())).values_list("code", "name")))
    for code, row in rows.items():
        row.name = names.get(code, code)
    categories = list(rules_of(region.code).categories) if len(region.code) >= 6 else []
    categories += [c for c in seen_categories if c not in categories]
    # What the daily check has not marked yet: open and past the deadline today (one grouped query).
    late = (
        commitment_policy.visible_to(user)
        .filter(region__startswith=region.code, kind=kind, year=year)
        .filter(late_unmarked())
        .annotate(child=Substr("region_id", 1, length))
        .values("child", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in cast(Iterable[dict[str, Any]], late):
        found = rows.get(item["child"])
        for target in (found, total) if found is not None else (total,):
            target.counts[item["status"]] = target.counts.get(item["status"], 0) - item["n"]
            target.counts["overdue"] = target.counts.get("overdue", 0) + item["n"]
    return Rollup(
        region=region,
        kind=kind,
        year=year,
        years=years,
        categories=categories,
        rows=sorted(rows.values(), key=lambda r: r.code),
        total=total,
        drill=len(region.code) < 12,
    )


@dataclass
class VillageCount:
    code: str
    name: str
    count: int


def villages_outside_count(user: Any, region: Region, *, year: int) -> tuple[int, int, list[VillageCount]]:
    """`_villages_outside_count`, kept while the county's record book stands still (records.kept, issue 15)."""
    return kept(
        f"commitments.outside:{region.code}:{year}",
        user,
        lambda: _villages_outside_count(user, region, year=year),
        region_code=region.code,
    )


def _villages_outside_count(user: Any, region: Region, *, year: int) -> tuple[int, int, list[VillageCount]]:
    """Villages under the region whose count of 开门一件事 in the year (not dropped) lies outside the county's range.
    A village's count is its latest team's of that year: in an election year the outgoing and the new team each
    keep their own 3-5 (counted per term, not added together)."""
    rules = rules_of(region.code)
    counts: dict[str, int] = {}
    per_term = (
        summary_policy.visible_to(user)
        .filter(region__startswith=region.code, kind=Kind.FIRST, year=year)
        .values("region_id", "term_change__year")
        .annotate(n=Sum("total") - Sum("dropped"))
        .order_by("region_id", F("term_change__year").asc(nulls_first=True))
        .values_list("region_id", "n")
    )
    for code, n in per_term:
        counts[code] = n  # ordered by term: the latest term's count stays
    # The user's villages are chosen in the query (the policy's scope on the region code), read as tuples: asking
    # the policy village by village, with a model per village, was 40% of a county's roll-up page.
    scope = scope_q(user, summary_policy.capability("view"), "code")
    if scope is None:
        return rules.min_per_village, rules.max_per_village, []
    villages = Region.objects.filter(scope, code__startswith=region.code, level=Level.VILLAGE)
    if len(region.code) == 12:
        villages = Region.objects.filter(scope, code=region.code, level=Level.VILLAGE)
    outside = [
        VillageCount(code=code, name=name, count=count)
        for code, name in villages.order_by("code").values_list("code", "name")
        if not rules.min_per_village <= (count := counts.get(code, 0) or 0) <= rules.max_per_village
    ]
    return rules.min_per_village, rules.max_per_village, outside


@dataclass
class RollupPage:
    """What the county roll-up page shows: the table and the villages outside the county's range in its year."""

    table: Rollup
    low: int
    high: int
    outside: list[VillageCount]


def rollup_page_kept(user: Any, region: Region, *, kind: str = Kind.FIRST, year: Any = None) -> Kept[RollupPage]:
    """The roll-up and its villages outside the range, kept as one value (records.kept, issue 15): the page asked
    the change number for each of the two."""

    def build() -> RollupPage:
        table = _rollup(user, region, kind=kind, year=year)
        return RollupPage(table, *_villages_outside_count(user, region, year=table.year))

    return Kept(f"commitments.rollup-page:{region.code}:{kind}:{year!r}", user, build, region_code=region.code)


def cases_visible(user: Any, *, under: str = "") -> QuerySet[Commitment]:
    return commitments_visible(user, under=under).filter(is_showcase=True).order_by("-completed_on", "ledger_no")


def inspections_visible(user: Any) -> QuerySet[Inspection]:
    return inspection_policy.visible_to(user).select_related("county").annotate(village_count=Count("villages"))


@dataclass
class InspectionReport:
    villages: int
    findings: int
    rectified: int
    overdue: int


def inspection_villages(user: Any, inspection: Inspection) -> list[InspectedVillage]:
    """The drawn villages, each with the findings the user may see."""
    findings = finding_policy.visible_to(user).order_by("id")
    return list(inspection.villages.select_related("region").prefetch_related(Prefetch("findings", queryset=findings)))


def inspection_report(villages: list[InspectedVillage], today: Any) -> InspectionReport:
    findings: list[Finding] = [f for v in villages for f in v.findings.all()]
    return InspectionReport(
        villages=len(villages),
        findings=len(findings),
        rectified=sum(1 for f in findings if f.is_rectified),
        overdue=sum(1 for f in findings if not f.is_rectified and f.rectify_by < today),
    )


STATUS_BADGE = {
    Status.PLANNED: "",
    Status.IN_PROGRESS: "warn",
    Status.DONE: "ok",
    Status.OVERDUE: "bad",
    Status.DROPPED: "",
}
