"""Reads of 双评三考, from the policies' scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cunshe.appraisals.models import Appraisal, Inquiry, Paper, Problem, ProblemKind, Question
from cunshe.appraisals.permissions import (
    appraisal_policy,
    inquiry_policy,
    paper_policy,
    problem_policy,
    question_policy,
    tally_policy,
)
from cunshe.regions.models import Level, Region


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


def banks_visible(user: Any, kept: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The banks the user reads (those holding a question they see) and those they keep (`kept`, empty ones too):
    code and name, for the bank page's download links. One query."""
    held = Region.objects.filter(code__in=question_policy.visible_to(user).values("region_id"))
    return sorted({*held.values_list("code", "name"), *kept})


def bank_of(user: Any, code: str) -> tuple[Region, QuerySet[Question]]:
    """One county's or town's bank, under the bank page's rule (a town reads its county's bank too); any other code
    is no bank (404)."""
    region = Region.objects.filter(code=code, level__in=(Level.COUNTY, Level.TOWN)).first()
    if region is None or not question_policy.can_in_region(user, "view", region.code):
        raise Http404("未找到该题库。")
    return region, question_policy.visible_to(user).filter(region=region).order_by("id")


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
