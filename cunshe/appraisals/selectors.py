"""Reads of 双评三考, from the policies' scoped querysets, and the town and county roll-up of the results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from cunshe.appraisals.models import (
    Appraisal,
    ExamRule,
    Inquiry,
    Paper,
    Problem,
    ProblemKind,
    Question,
    exam_rule_on,
)
from cunshe.appraisals.permissions import (
    appraisal_policy,
    inquiry_policy,
    inspection_policy,
    paper_policy,
    problem_policy,
    question_policy,
    tally_policy,
)
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows


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


# --- the town and county roll-up ---------------------------------------------------------------------------------


def exact(share: Fraction | None) -> str | None:
    """An exact share as the API gives it: always numerator/denominator ("67/100", "1/1")."""
    return None if share is None else f"{share.numerator}/{share.denominator}"


def percent_of(part: int, whole: int) -> str:
    """A share as people read it, the counts it is made of beside it: "67.0%（67/100）" ("—" when nothing counted)."""
    return f"{float(Fraction(part, whole) * 100):.1f}%（{part}/{whole}）" if whole else "—"


@dataclass
class RollupRow:
    """One town of a county, or one village of a town (or the total): the people appraised, the residents' ratings,
    the law papers sat and the special inspections' reports, with the problems found by kind. Shares are exact."""

    code: str
    name: str
    appraised: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    papers: int = 0
    score_shares: Fraction = Fraction(0)  # Σ score/total over the papers sat
    passed: int = 0
    reports: int = 0
    problems: dict[int, int] = field(default_factory=dict)  # kind id → problems found
    kind_counts: list[int] = field(default_factory=list)  # the problems in the order of the table's kinds

    @property
    def ratings(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def satisfaction(self) -> Fraction | None:
        """满意率 as on each appraisal, (满意 + 基本满意) / all ratings, over the pooled slips."""
        return Fraction(self.satisfied + self.basic, self.ratings) if self.ratings else None

    @property
    def average_score(self) -> Fraction | None:
        """The papers' mean on a 100-point scale (papers of different sizes weigh the same)."""
        return self.score_shares * 100 / self.papers if self.papers else None

    @property
    def pass_rate(self) -> Fraction | None:
        return Fraction(self.passed, self.papers) if self.papers else None

    @property
    def satisfaction_text(self) -> str:
        return percent_of(self.satisfied + self.basic, self.ratings)

    @property
    def pass_rate_text(self) -> str:
        return percent_of(self.passed, self.papers)

    @property
    def average_text(self) -> str:
        average = self.average_score
        return "—" if average is None else f"{float(average):.1f}"

    @property
    def problems_found(self) -> int:
        return sum(self.problems.values())

    def counts(self) -> dict[str, Any]:
        """The row's names and counts, what the API and the Excel give alike (each adds its shares its own way)."""
        return {
            "code": self.code,
            "name": self.name,
            "appraised": self.appraised,
            "satisfied": self.satisfied,
            "basic": self.basic,
            "unsatisfied": self.unsatisfied,
            "ratings": self.ratings,
            "papers": self.papers,
            "passed": self.passed,
            "reports": self.reports,
            "problems": self.problems_found,
        }

    def add(self, other: RollupRow) -> None:
        for name in ("appraised", "satisfied", "basic", "unsatisfied", "papers", "score_shares", "passed", "reports"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, n in other.problems.items():
            self.problems[kind] = self.problems.get(kind, 0) + n


@dataclass
class Rollup:
    region: Region
    rows: list[RollupRow]
    total: RollupRow
    kinds: list[ProblemKind]  # the columns: kinds in force today and any other a problem was filed under
    rule: ExamRule | None  # the pass mark in force today, for the page's note

    @property
    def drill(self) -> bool:
        return len(self.region.code) < 9

    @property
    def pass_mark(self) -> str:
        return "" if self.rule is None else f"{float(self.rule.pass_mark * 100):g}%"


def rollup(user: Any, region: Region) -> Rollup:
    """A row per town of a county or per village of a town, every one the user may see (zeros where nothing was
    done yet): one grouped query each over the appraisals, the papers sat, the reports and the problems (a county's
    appraisals are a few hundred rows, 139 reports in 004), one for the kinds, one for the rows' names."""
    width = CHILD_LENGTH.get(len(region.code), 12)
    rows = {code: RollupRow(code, name) for code, name in rollup_rows(user, region.code).items()}

    def grouped(qs: QuerySet[Any], *by: str, **sums: Any) -> Iterable[dict[str, Any]]:
        return cast(
            Iterable[dict[str, Any]],
            qs.filter(region__startswith=region.code)
            .annotate(child=Substr("region_id", 1, width))
            .values("child", *by)
            .annotate(**sums)
            .order_by(),
        )

    for g in grouped(
        appraisal_policy.visible_to(user), n=Count("id"), s=Sum("satisfied"), b=Sum("basic"), u=Sum("unsatisfied")
    ):
        if row := rows.get(g["child"]):
            row.appraised, row.satisfied, row.basic, row.unsatisfied = g["n"], g["s"], g["b"], g["u"]
    papers = paper_policy.visible_to(user).filter(submitted_at__isnull=False)
    for g in grouped(papers, "total", n=Count("id"), score=Sum("score"), passed=Count("id", filter=Q(passed=True))):
        if (row := rows.get(g["child"])) and g["total"]:
            row.papers += g["n"]
            row.score_shares += Fraction(g["score"], g["total"])
            row.passed += g["passed"]
    for g in grouped(inspection_policy.visible_to(user), n=Count("id")):
        if row := rows.get(g["child"]):
            row.reports = g["n"]
    for g in grouped(problem_policy.visible_to(user), "kind_id", n=Count("id")):
        if row := rows.get(g["child"]):
            row.problems[g["kind_id"]] = g["n"]
    total = RollupRow(region.code, f"{region.name}合计")
    for row in rows.values():
        total.add(row)
    today = timezone.localdate()
    kinds = list(
        ProblemKind.objects.filter(
            Q(pk__in=ProblemKind.objects.in_force(today).values("pk")) | Q(pk__in=list(total.problems))
        ).order_by("position", "code", "effective_from")
    )
    for row in [*rows.values(), total]:
        row.kind_counts = [row.problems.get(k.pk, 0) for k in kinds]
    return Rollup(region, list(rows.values()), total, kinds, exam_rule_on(region.code, today))
