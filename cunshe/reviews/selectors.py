"""Reads of the joint review, always from the scoped querysets of permissions.py."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum

from cunshe.accounts.models import Department, RoleAssignment
from cunshe.deadlines.calendar import working_day_length
from cunshe.reviews.defaults import PAPER_BASELINE_DAYS
from cunshe.reviews.models import (
    Answer,
    BatchStatus,
    Candidate,
    DepartmentReview,
    Outcome,
    ReviewBatch,
    ReviewRound,
    Verdict,
)
from cunshe.reviews.permissions import batch_policy, department_review_policy, reviewer_policy, round_policy


def rounds_visible(user: Any) -> QuerySet[ReviewRound]:
    return round_policy.visible_to(user).select_related("county", "term_change")


def batches_of_round(user: Any, review_round: ReviewRound) -> QuerySet[ReviewBatch]:
    return batch_policy.visible_to(user).filter(round=review_round).select_related("town")


def candidates_of_batch(batch: ReviewBatch) -> QuerySet[Candidate]:
    return batch.candidates.select_related("village").order_by("position")


def department_reviews_of_batch(user: Any, batch: ReviewBatch) -> QuerySet[DepartmentReview]:
    return (
        department_review_policy.visible_to(user)
        .filter(batch=batch)
        .select_related("department", "signed_by")
        .order_by("department__name")
    )


def desk_of(user: Any) -> QuerySet[DepartmentReview]:
    """A reviewer's own department's parts of released batches, open ones first, nearest deadline first."""
    return (
        reviewer_policy.visible_to(user)
        .select_related("batch", "batch__town", "batch__round", "department")
        .order_by("-status", "batch__due_at", "pk")
    )


def answers_of_department(review: DepartmentReview) -> dict[int, Answer]:
    """Only this department's answers: the confidentiality rule in one query."""
    return {a.candidate_id: a for a in Answer.objects.filter(department_review=review).select_related("rule")}


def answers_of_candidate(candidate: Candidate) -> QuerySet[Answer]:
    """All departments' answers, for those who may see reasons (the view checks view_reasons first)."""
    return (
        Answer.objects.filter(candidate=candidate)
        .select_related("department_review__department", "rule", "answered_by")
        .order_by("department_review__department__name")
    )


@dataclass
class RoundTotals:
    batches: int = 0
    released: int = 0
    completed: int = 0
    candidates: int = 0
    cleared: int = 0
    excluded: int = 0
    doubtful: int = 0
    departments_signed: int = 0
    departments_total: int = 0

    @property
    def pending(self) -> int:
        return self.candidates - self.cleared - self.excluded - self.doubtful


def round_totals(batches: QuerySet[ReviewBatch]) -> RoundTotals:
    """Sums of the batches' roll-ups (one query, whatever the number of candidates)."""
    sums = batches.aggregate(
        n=Count("pk"),
        candidates=Sum("candidate_count"),
        cleared=Sum("cleared_count"),
        excluded=Sum("excluded_count"),
        doubtful=Sum("doubtful_count"),
        signed=Sum("signed_count"),
        departments=Sum("department_count"),
    )
    statuses = dict(batches.values_list("status").annotate(n=Count("pk")).order_by())
    return RoundTotals(
        batches=sums["n"] or 0,
        released=statuses.get(BatchStatus.RELEASED, 0),
        completed=statuses.get(BatchStatus.COMPLETED, 0),
        candidates=sums["candidates"] or 0,
        cleared=sums["cleared"] or 0,
        excluded=sums["excluded"] or 0,
        doubtful=sums["doubtful"] or 0,
        departments_signed=sums["signed"] or 0,
        departments_total=sums["departments"] or 0,
    )


def _hours(minutes: list[int]) -> tuple[float | None, float | None]:
    """Median and 90th percentile in working hours."""
    if not minutes:
        return None, None
    ordered = sorted(minutes)
    median = statistics.median(ordered)
    # Nearest-rank percentile: the value at or below which 90% of the turnarounds lie.
    p90 = ordered[max(0, -(-9 * len(ordered) // 10) - 1)]
    return round(median / 60, 1), round(p90 / 60, 1)


@dataclass
class DepartmentProgress:
    name: str
    batches: int = 0
    signed: int = 0
    answered: int = 0
    candidates: int = 0
    minutes: list[int] = field(default_factory=list)

    @property
    def median_hours(self) -> float | None:
        return _hours(self.minutes)[0]

    @property
    def p90_hours(self) -> float | None:
        return _hours(self.minutes)[1]


@dataclass
class RoundMetrics:
    departments: list[DepartmentProgress]
    batch_median_hours: float | None
    batch_p90_hours: float | None
    paper_min_hours: float
    paper_max_hours: float


def round_metrics(reviews: QuerySet[DepartmentReview], batches: QuerySet[ReviewBatch]) -> RoundMetrics:
    """Progress and turnaround per department over a round, and per batch, in working hours."""
    by_department: dict[str, DepartmentProgress] = {}
    rows = reviews.values_list(
        "department__name", "status", "answered_count", "batch__candidate_count", "turnaround_minutes"
    ).order_by("department__name")
    for name, status, answered, candidates, minutes in rows:
        progress = by_department.setdefault(name, DepartmentProgress(name=name))
        progress.batches += 1
        progress.answered += answered
        progress.candidates += candidates
        if status == "signed":
            progress.signed += 1
            if minutes is not None:
                progress.minutes.append(minutes)
    batch_minutes = [m for m in batches.values_list("turnaround_minutes", flat=True) if m is not None]
    median, p90 = _hours(batch_minutes)
    day_hours = working_day_length().total_seconds() / 3600
    return RoundMetrics(
        departments=list(by_department.values()),
        batch_median_hours=median,
        batch_p90_hours=p90,
        paper_min_hours=PAPER_BASELINE_DAYS[0] * day_hours,
        paper_max_hours=PAPER_BASELINE_DAYS[1] * day_hours,
    )


def round_reviews(user: Any, review_round: ReviewRound) -> QuerySet[DepartmentReview]:
    return department_review_policy.visible_to(user).filter(batch__round=review_round)


def excluded_by_rule(candidates: QuerySet[Candidate]) -> list[tuple[str, str, int]]:
    """(rule code, title, number of people excluded under it) over the given candidates' 不通过 answers."""
    rows = (
        Answer.objects.filter(candidate__in=candidates, verdict=Verdict.EXCLUDED)
        .values_list("rule__code", "rule__title")
        .annotate(n=Count("candidate", distinct=True))
        .order_by("rule__code")
    )
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for code, title, n in rows:
        counted[(code, title)] += n
    return sorted(((c, t, n) for (c, t), n in counted.items()), key=lambda r: (len(r[0]), r[0]))


def round_outcomes(review_round: ReviewRound) -> QuerySet[Candidate]:
    """Final outcomes of a round, for the candidate pool and the negative list to read (services checked access)."""
    return Candidate.objects.filter(round=review_round).exclude(result=Outcome.PENDING)


# The candidate pool shows each person's latest review outcome (cunshe.reserves reads it).
def latest_outcomes(person_ids: Iterable[int]) -> dict[int, str]:
    """The most recent final outcome of each person's joint review (the county's decision on a 存疑 included)."""
    rows: QuerySet[Candidate] = (
        Candidate.objects.filter(person_id__in=list(person_ids)).exclude(result=Outcome.PENDING).order_by("pk")
    )
    outcomes: dict[int, str] = {}
    for person_id, result, decision in rows.values_list("person_id", "result", "decision"):
        outcomes[person_id] = Outcome(decision or result).label
    return outcomes


def departments_of_county(county: str) -> list[tuple[Department, list[RoleAssignment]]]:
    """A county's reviewing departments with their head and their active reviewer accounts (the organizer's page and
    the API), in two queries."""
    rows = Department.objects.filter(county_id=county).select_related("review_head__user").order_by("name")
    reviewers: dict[int, list[RoleAssignment]] = {}
    for a in RoleAssignment.objects.filter(department__county_id=county, is_active=True).select_related("user"):
        assert a.department_id is not None
        reviewers.setdefault(a.department_id, []).append(a)
    return [(d, reviewers.get(d.pk, [])) for d in rows]
