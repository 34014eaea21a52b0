"""Reads of the survey module: forms, a village's run, and the roll-ups — counts per question and choice and the
satisfaction scores, for any region, summed from the per-village rows (Run, Tally) by code prefix.

Scoring (满意度得分, exact): an answer of s points on a 1..N scale is worth s/N × 100 (on 1-5: 20, 40, 60, 80, 100 —
很不满意 … 非常满意); a village's, person's, town's or county's score is the mean over every scale answer given there
(each answer weighs the same, so a large village weighs more than a small one), kept as a Fraction and shown rounded
half up to one decimal. Last year's score is computed the same way from last year's survey for the same region or
person; the change is this year's minus last year's."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.people.models import Person
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows
from cunshe.surveys.models import Holder, Kind, Question, Run, Survey, TextAnswer, Token
from cunshe.surveys.permissions import holder_policy, run_policy, survey_policy, tally_policy, text_policy


def shown(value: Fraction | None, places: int = 1) -> str:
    """A score or a share for reading: half up, as officials round (91.45 → 91.5), "—" when nothing was answered."""
    if value is None:
        return "—"
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def surveys_visible(user: Any) -> QuerySet[Survey]:
    return survey_policy.visible_to(user).select_related("region").order_by("-year", "-created_at", "-id")


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices").order_by("position"))


def runs_of(user: Any, survey: Survey, under: str) -> QuerySet[Run]:
    return (
        run_policy.visible_to(user)
        .filter(survey=survey, village_id__startswith=under)
        .select_related("village", "subject")
        .order_by("village_id")
    )


def texts_of(user: Any, run: Run) -> QuerySet[TextAnswer]:
    return text_policy.visible_to(user).filter(run=run).select_related("question", "issue").order_by("id")


@dataclass
class Counted:
    """One region's row: forms counted and, per choice, how often it was chosen."""

    code: str
    name: str
    papers: int = 0
    responses: int = 0
    by_choice: dict[int, int] = field(default_factory=dict)
    points: Fraction = Fraction(0)  # Σ count × score, for the satisfaction score
    scored: int = 0  # scale answers

    @property
    def forms(self) -> int:
        return self.papers + self.responses

    @property
    def score(self) -> Fraction | None:
        return self.points / self.scored if self.scored else None

    def add_choice(self, choice_id: int, n: int, worth: Fraction | None) -> None:
        self.by_choice[choice_id] = self.by_choice.get(choice_id, 0) + n
        if worth is not None:
            self.points += worth * n
            self.scored += n


def worth_of(questions: list[Question]) -> dict[int, Fraction | None]:
    """Choice id → what one answer of it is worth on the 100-point scale (None for choices that are not points)."""
    worth: dict[int, Fraction | None] = {}
    for q in questions:
        for c in q.choices.all():
            worth[c.pk] = (
                Fraction(c.score * 100, q.scale_max) if q.kind == Kind.SCALE and c.score and q.scale_max else None
            )
    return worth


@dataclass
class Results:
    survey: Survey
    under: str
    questions: list[Question]
    rows: list[Counted]
    total: Counted

    def share(self, row: Counted, choice_id: int) -> Fraction | None:
        return Fraction(100 * row.by_choice.get(choice_id, 0), row.forms) if row.forms else None


def _counted(
    user: Any, survey: Survey, under: str, worth: dict[int, Fraction | None]
) -> tuple[dict[str, Counted], Counted]:
    length = CHILD_LENGTH.get(len(under), 12)
    rows: dict[str, Counted] = {}
    total = Counted(code=under, name="合计")
    forms = (
        run_policy.visible_to(user)
        .filter(survey=survey, village_id__startswith=under)
        .annotate(child=Substr("village_id", 1, length))
        .values("child")
        .annotate(papers=Sum("papers"), responses=Sum("responses"))
        .order_by("child")
    )
    for f in forms:
        row = rows.setdefault(f["child"], Counted(code=f["child"], name=""))
        row.papers, row.responses = f["papers"] or 0, f["responses"] or 0
        total.papers += row.papers
        total.responses += row.responses
    tallies = (
        tally_policy.visible_to(user)
        .filter(survey=survey, village_id__startswith=under)
        .annotate(child=Substr("village_id", 1, length))
        .values("child", "choice_id")
        .annotate(paper=Sum("paper"), single=Sum("single"))
        .order_by("child")
    )
    for t in tallies:
        n = (t["paper"] or 0) + (t["single"] or 0)
        rows.setdefault(t["child"], Counted(code=t["child"], name="")).add_choice(
            t["choice_id"], n, worth.get(t["choice_id"])
        )
        total.add_choice(t["choice_id"], n, worth.get(t["choice_id"]))
    return rows, total


def results(user: Any, survey: Survey, under: str) -> Results:
    """Counts per question and choice under `under`, one row per region one level down (every visible one, zeros
    included) and the total: two grouped queries over the roll-up rows, whatever the number of villages."""
    questions = questions_of(survey)
    rows, total = _counted(user, survey, under, worth_of(questions))
    names = rollup_rows(user, under)
    for code in names.keys() - rows.keys():
        rows[code] = Counted(code=code, name="")
    for row in rows.values():
        row.name = names.get(row.code, row.code)
    return Results(
        survey=survey, under=under, questions=questions, rows=sorted(rows.values(), key=lambda r: r.code), total=total
    )


@dataclass
class ScoreRow:
    code: str
    name: str
    score: Fraction | None
    answers: int
    last_year: Fraction | None = None

    @property
    def change(self) -> Fraction | None:
        return None if self.score is None or self.last_year is None else self.score - self.last_year

    @property
    def texts(self) -> tuple[str, str, str]:
        """Score, last year's and the change, for reading."""
        return shown(self.score), shown(self.last_year), shown(self.change)


@dataclass
class Scores:
    survey: Survey
    under: str
    rows: list[ScoreRow]
    total: ScoreRow
    people: list[ScoreRow]


def _by_person(user: Any, survey: Survey, under: str, worth: dict[int, Fraction | None]) -> dict[int, Counted]:
    """Pooled over the villages where each person was the one scored (a police officer serves several)."""
    subjects = dict(
        run_policy.visible_to(user)
        .filter(survey=survey, village_id__startswith=under, subject__isnull=False)
        .values_list("village_id", "subject_id")
    )
    people: dict[int, Counted] = {}
    tallies = (
        tally_policy.visible_to(user)
        .filter(survey=survey, village_id__in=subjects)
        .values("village_id", "choice_id")
        .annotate(paper=Sum("paper"), single=Sum("single"))
    )
    for t in tallies:
        person = subjects[t["village_id"]]
        row = people.setdefault(person, Counted(code=str(person), name=""))
        row.add_choice(t["choice_id"], (t["paper"] or 0) + (t["single"] or 0), worth.get(t["choice_id"]))
    return people


def scores(user: Any, survey: Survey, under: str) -> Scores:
    """The satisfaction scores under `under` per region one level down and per person scored, beside last year's."""
    now = results(user, survey, under)
    last_rows: dict[str, Counted] = {}
    last_total: Counted | None = None
    last_people: dict[int, Counted] = {}
    if survey.previous_id is not None:
        previous = Survey.objects.get(pk=survey.previous_id)
        last_worth = worth_of(questions_of(previous))
        last_rows, last_total = _counted(user, previous, under, last_worth)
        last_people = _by_person(user, previous, under, last_worth)
    rows = [
        ScoreRow(r.code, r.name, r.score, r.scored, last_rows[r.code].score if r.code in last_rows else None)
        for r in now.rows
    ]
    total = ScoreRow(under, "合计", now.total.score, now.total.scored, last_total.score if last_total else None)
    people_now = _by_person(user, survey, under, worth_of(now.questions))
    names = dict(Person.objects.filter(pk__in=[*people_now, *last_people]).values_list("pk", "name"))
    people = [
        ScoreRow(
            str(pid),
            names.get(pid, ""),
            c.score,
            c.scored,
            last_people[pid].score if pid in last_people else None,
        )
        for pid, c in sorted(people_now.items(), key=lambda kv: names.get(kv[0], ""))
    ]
    return Scores(survey=survey, under=under, rows=rows, total=total, people=people)


def holders_under(user: Any, under: str, *, current_only: bool = True) -> QuerySet[Holder]:
    qs = holder_policy.visible_to(user).filter(village_id__startswith=under).select_related("village", "person")
    if current_only:
        qs = qs.filter(until__isnull=True)
    return qs.order_by("village_id", "post", "-since", "pk")


MAX_BATCH = 32767  # the batch number's column (a small integer): anything larger names no batch


def unused_batches(run: Run) -> list[tuple[int, int]]:
    """The run's batches of QR links that still have unused ones, oldest first: (batch, unused links). Slips are
    printed a batch at a time (a batch is at most MAX_TOKENS), so no link is ever left off a printout."""
    rows = (
        Token.objects.filter(run=run, used_at__isnull=True)
        .values("batch")
        .annotate(unused=Count("id"))
        .order_by("batch")
        .values_list("batch", "unused")
    )
    return [(batch, unused) for batch, unused in rows]


def unused_tokens(run: Run, batch: int | None) -> tuple[int | None, list[Token]]:
    """One batch's unused links for its slips: the batch asked for, else the newest that has any (the one just
    issued, which the page says to print)."""
    if batch is None:
        batch = (
            Token.objects.filter(run=run, used_at__isnull=True)
            .order_by("-batch")
            .values_list("batch", flat=True)
            .first()
        )
    if batch is None:
        return None, []
    return batch, list(Token.objects.filter(run=run, batch=batch, used_at__isnull=True).order_by("id"))
