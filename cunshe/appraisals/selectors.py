"""Reads of 双评三考, from the policies' scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cunshe.appraisals.models import Appraisal, Inquiry, Paper, Problem, ProblemKind, Question
from cunshe.appraisals.permissions import (
    appraisal_policy,
    inquiry_policy,
    paper_policy,
    problem_policy,
    question_policy,
    tally_policy,
)


def appraisals_visible(user: Any) -> QuerySet[Appraisal]:
    return (
        appraisal_policy.visible_to(user)
        .select_related("person", "region", "inspection")
        .prefetch_related("papers", "problems", "inquiries")
        .order_by("region_id", "id")
    )


def inquiries_of(user: Any, appraisal: Appraisal) -> list[Inquiry]:
    return list(inquiry_policy.visible_to(user).filter(appraisal=appraisal).order_by("held_on", "id"))


def papers_of(user: Any, appraisal: Appraisal) -> list[Paper]:
    return list(paper_policy.visible_to(user).filter(appraisal=appraisal).select_related("rule").order_by("id"))


def problems_of(user: Any, appraisal: Appraisal) -> list[Problem]:
    return list(problem_policy.visible_to(user).filter(appraisal=appraisal).select_related("kind").order_by("id"))


def questions_visible(user: Any) -> QuerySet[Question]:
    return question_policy.visible_to(user).select_related("region").order_by("region_id", "id")


@dataclass
class KindCount:
    region: str
    region_name: str
    kind: str
    count: int


def problem_counts(user: Any) -> list[KindCount]:
    """The roll-up rows (town and county) the user may read, with every kind shown (zero where none found)."""
    rows = tally_policy.visible_to(user).select_related("region", "kind").order_by("region_id", "kind__position")
    return [KindCount(r.region_id, r.region.name, r.kind.name, r.count) for r in rows]


def kinds_in_force(day: Any) -> list[ProblemKind]:
    return list(ProblemKind.objects.in_force(day).order_by("position", "code"))
