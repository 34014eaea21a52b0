from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.assessments.models import AssessmentWeights, MemberResult, Poll, TrustAssessment
from cunshe.assessments.permissions import assessment_policy, summary_policy
from cunshe.assessments.rates import Rates, village_rates
from cunshe.records.kept import Kept
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import CHILD_LENGTH
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change

DEFAULT_WEIGHTS = AssessmentWeights(
    party_weight=3,
    representative_weight=5,
    satisfaction_weight=2,
    flag_below=Decimal("70"),
    flag_distrust_over=Decimal("33.33"),
    effective_from=date(2000, 1, 1),
)


def weights_in_force(region_code: str, on: date) -> AssessmentWeights:
    """The county's setting in force on a date, or seed 004's 3:5:2 when the county has set none."""
    found = (
        AssessmentWeights.objects.filter(county_id=region_code[:6], effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    return found or DEFAULT_WEIGHTS


def weights_history(county_code: str) -> QuerySet[AssessmentWeights]:
    return AssessmentWeights.objects.filter(county_id=county_code[:6]).order_by("-effective_from")


def assessment_of(user: Any, village_code: str, term_change: TermChange | None) -> TrustAssessment | None:
    if term_change is None:
        return None
    return (
        assessment_policy.visible_to(user)
        .filter(region_id=village_code, term_change=term_change)
        .select_related("region")
        .first()
    )


def polls_of(assessment: TrustAssessment) -> list[Poll]:
    return list(assessment.polls.prefetch_related("tallies__member__person").order_by("kind"))


def results_of(assessment: TrustAssessment) -> QuerySet[MemberResult]:
    return (
        MemberResult.objects.filter(assessment=assessment)
        .select_related("member__person")
        .order_by("-combined", "member__post")
    )


@dataclass
class RollupRow:
    region: Region
    villages: int
    assessed: int
    members: int
    flagged: int
    average: Decimal | None
    score_total: Decimal = Decimal(0)

    @property
    def complete(self) -> bool:
        return self.villages > 0 and self.assessed >= self.villages

    @property
    def done_rate(self) -> Decimal | None:
        if not self.villages:
            return None
        return (Decimal(self.assessed) * 100 / self.villages).quantize(Decimal("0.1"))


def rollup(user: Any, region: Region, term_change: TermChange | None) -> list[RollupRow]:
    return rollup_kept(user, region, term_change).value


def rollup_kept(user: Any, region: Region, term_change: TermChange | None) -> Kept[list[RollupRow]]:
    """`_rollup`, kept while the county's record book stands still, with the key of its rendered table (records.kept,
    issue 15)."""
    return Kept(
        f"assessments.rollup:{region.code}:{term_change.pk if term_change else None}",
        user,
        lambda: _rollup(user, region, term_change),
        region_code=region.code,
    )


def overview_kept(user: Any, region: Region) -> Kept[tuple[TermChange | None, list[RollupRow]]]:
    """The county's current term change and `_rollup` for it, kept as one value with the key of the rendered page
    (records.kept, issue 15): a term change opened or closed is recorded in the county's chain as well."""

    def build() -> tuple[TermChange | None, list[RollupRow]]:
        term_change = current_term_change(region.code)
        return term_change, _rollup(user, region, term_change)

    return Kept(f"assessments.overview:{region.code}", user, build, region_code=region.code)


def _rollup(user: Any, region: Region, term_change: TermChange | None) -> list[RollupRow]:
    """One row per child region (towns of a county, villages of a town), summed from the villages' summary rows
    by code prefix: a constant number of queries however many villages there are."""
    child_length = CHILD_LENGTH.get(len(region.code), 12)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    village_counts = dict(
        Region.objects.filter(level=Level.VILLAGE, code__startswith=region.code)
        .annotate(prefix=Substr("code", 1, child_length))
        .values("prefix")
        .annotate(n=Count("code"))
        .values_list("prefix", "n")
    )
    sums: dict[str, dict[str, Any]] = {}
    if term_change is not None:
        sums = {
            row["prefix"]: dict(row)
            for row in summary_policy.visible_to(user)
            .filter(term_change=term_change, region__startswith=region.code)
            .annotate(prefix=Substr("region_id", 1, child_length))
            .values("prefix")
            .annotate(a=Sum("assessed"), m=Sum("members"), f=Sum("flagged"), s=Sum("score_total"))
        }
    rows = []
    for child in children:
        got = sums.get(child.code, {})
        members = got.get("m") or 0
        average = (Decimal(got["s"]) / members).quantize(Decimal("0.01")) if members else None
        rows.append(
            RollupRow(
                region=child,
                villages=village_counts.get(child.code, 0),
                assessed=got.get("a") or 0,
                members=members,
                flagged=got.get("f") or 0,
                average=average,
                score_total=Decimal(got.get("s") or 0),
            )
        )
    return rows


def rollup_total(region: Region, rows: list[RollupRow]) -> RollupRow:
    """The 合计 row: sums, and the average over all members assessed (not the mean of the rows' averages)."""
    members = sum(r.members for r in rows)
    score_total = sum((r.score_total for r in rows), Decimal(0))
    return RollupRow(
        region=region,
        villages=sum(r.villages for r in rows),
        assessed=sum(r.assessed for r in rows),
        members=members,
        flagged=sum(r.flagged for r in rows),
        average=(score_total / members).quantize(Decimal("0.01")) if members else None,
        score_total=score_total,
    )


def prospects_of(village_code: str) -> list[tuple[Any, str]]:
    """The prospective candidates of a village: its current team members and the people in its candidate pool."""
    from cunshe.reserves.selectors import candidates_of
    from cunshe.teams.selectors import current_members

    found: dict[int, tuple[Any, list[str]]] = {}
    for member in current_members(village_code).order_by("committee", "post"):
        found.setdefault(member.person_id, (member.person, []))[1].append(f"现任{member.get_post_display()}")
    for entry in candidates_of(village_code):
        found.setdefault(entry.person_id, (entry.person, []))[1].append(f"人选库（{entry.get_origin_display()}）")
    return [(person, "、".join(roles)) for person, roles in found.values()]


def rates_today(village_code: str, term_change: TermChange | None) -> list[Rates]:
    """The village's prospective candidates with their rates as of today (the page, its Excel and the API)."""
    return village_rates(village_code, term_change, prospects_of(village_code), on=timezone.localdate())
