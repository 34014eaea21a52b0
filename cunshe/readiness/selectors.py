"""Reads of readiness: the town and county table (risk levels, work-plan progress, overdue tasks) summed from the
per-village Readiness rows by code prefix, a village's history and timeline, and the rehearsal (沙盘推演)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.people.models import Gender, Person
from cunshe.readiness.models import (
    Intent,
    Intention,
    PlanItem,
    ReadinessAssessment,
    Risk,
    Task,
    TaskStatus,
    TemplateTask,
)
from cunshe.readiness.permissions import (
    assessment_policy,
    intent_policy,
    plan_item_policy,
    readiness_policy,
    task_policy,
    template_policy,
)
from cunshe.records.kept import Kept
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows
from cunshe.teams.models import Post, TeamMember
from cunshe.teams.selectors import current_members
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change


@dataclass
class ReadinessRow:
    code: str
    name: str = ""
    red: int = 0
    yellow: int = 0
    green: int = 0
    tasks: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    intents: int = 0

    @property
    def assessed(self) -> int:
        return self.red + self.yellow + self.green


@dataclass
class ReadinessTable:
    under: str
    term_change: TermChange | None
    rows: list[ReadinessRow]
    total: ReadinessRow


def readiness_table(user: Any, under: str) -> ReadinessTable:
    return readiness_kept(user, under).value


def readiness_kept(user: Any, under: str) -> Kept[ReadinessTable]:
    """`_readiness_table`, kept while the county's record book stands still, with the key of its rendered tables
    (records.kept, issue 15): every change to what it sums (assessments, work plans, tasks, intents) goes through a
    service that records it, and "overdue" follows the clock's minute."""
    return Kept(f"readiness.table:{under}", user, lambda: _readiness_table(user, under), region_code=under)


def _readiness_table(user: Any, under: str) -> ReadinessTable:
    """Sums of the villages' Readiness rows by child region; overdue tasks counted against today, not as the daily
    job last stored them."""
    term_change = current_term_change(under) if len(under) >= 6 else None
    total = ReadinessRow(code=under, name="合计")
    if term_change is None:
        return ReadinessTable(under=under, term_change=None, rows=[], total=total)
    length = CHILD_LENGTH.get(len(under), 12)
    sums = (
        readiness_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under)
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(
            red=Count("id", filter=Q(risk=Risk.RED)),
            yellow=Count("id", filter=Q(risk=Risk.YELLOW)),
            green=Count("id", filter=Q(risk=Risk.GREEN)),
            tasks=Sum("tasks"),
            tasks_done=Sum("tasks_done"),
            intents=Sum("intents"),
        )
        .order_by("child")
    )
    late = dict(
        task_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under, due_on__lt=timezone.localdate())
        .exclude(status=TaskStatus.DONE)
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("child", "n")
    )
    rows = {
        s["child"]: ReadinessRow(
            code=s["child"],
            red=s["red"],
            yellow=s["yellow"],
            green=s["green"],
            tasks=s["tasks"] or 0,
            tasks_done=s["tasks_done"] or 0,
            tasks_overdue=late.get(s["child"], 0),
            intents=s["intents"] or 0,
        )
        for s in sums
    }
    names = rollup_rows(user, under)
    for code in names.keys() - rows.keys():
        rows[code] = ReadinessRow(code=code)
    for row in rows.values():
        row.name = names.get(row.code, row.code)
        for key in ("red", "yellow", "green", "tasks", "tasks_done", "tasks_overdue", "intents"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return ReadinessTable(
        under=under, term_change=term_change, rows=sorted(rows.values(), key=lambda r: r.code), total=total
    )


def assessments_of(user: Any, village_code: str) -> QuerySet[ReadinessAssessment]:
    return assessment_policy.visible_to(user).filter(region_id=village_code).order_by("-assessed_on", "-id")


def plan_items_of(user: Any, village_code: str) -> QuerySet[PlanItem]:
    return plan_item_policy.visible_to(user).filter(region_id=village_code).order_by("due_on", "id")


def tasks_of(user: Any, village_code: str) -> QuerySet[Task]:
    return task_policy.visible_to(user).filter(region_id=village_code).order_by("due_on", "position")


def template_tasks_of(user: Any, term_change: TermChange) -> QuerySet[TemplateTask]:
    """Every task the county has put in its template, in use or taken out, for those who set it."""
    return template_policy.visible_to(user, "change").filter(term_change=term_change).order_by("position")


def intents_of(user: Any, village_code: str) -> QuerySet[Intent]:
    return intent_policy.visible_to(user).filter(region_id=village_code).select_related("member__person")


@dataclass
class Candidate:
    name: str
    gender: str
    post: str  # label of the post they are expected to stand for
    source: str  # 意愿排摸 / 走访
    person: Person  # for the negative-list flag beside the name


@dataclass
class Rehearsal:
    seats: list[tuple[str, int]]  # post label, number of seats
    candidates: list[Candidate]
    unsurveyed: list[TeamMember]
    leaving: list[Intent]
    undecided: list[Intent]
    gaps: list[str] = field(default_factory=list)


# Posts a village must fill at the election whatever its current team looks like.
KEY_POSTS = (Post.SECRETARY, Post.DIRECTOR)


def rehearsal(user: Any, village_code: str) -> Rehearsal:
    """沙盘推演: the seats as held now, who is likely to stand for what, and what is missing."""
    members = list(current_members(village_code).order_by("committee", "post"))
    term_change = current_term_change(village_code)
    intents = {i.member_id: i for i in intents_of(user, village_code)} if term_change else {}
    seat_count = Counter(m.post for m in members)
    for post in KEY_POSTS:
        seat_count.setdefault(post, 1)
    candidates: list[Candidate] = []
    for m in members:
        intent = intents.get(m.pk)
        if intent is None:
            continue
        if intent.intention == Intention.STAY:
            candidates.append(Candidate(m.person.name, m.person.gender, m.get_post_display(), "意愿排摸", m.person))
        elif intent.intention == Intention.RUN_FOR:
            wanted = Post(intent.desired_post).label
            candidates.append(Candidate(m.person.name, m.person.gender, wanted, "意愿排摸", m.person))
    if term_change is not None:
        from cunshe.visits.selectors import intended_candidates

        named = {c.name for c in candidates}
        for visit in intended_candidates(village_code, term_change):
            person = visit.target.person
            if person.name not in named:
                named.add(person.name)
                candidates.append(
                    Candidate(person.name, person.gender, visit.intended_post or "未明确", "走访", person)
                )
    result = Rehearsal(
        seats=[(Post(p).label, n) for p, n in sorted(seat_count.items(), key=lambda kv: Post.values.index(kv[0]))],
        candidates=candidates,
        unsurveyed=[m for m in members if m.pk not in intents],
        leaving=[i for i in intents.values() if i.intention == Intention.LEAVE],
        undecided=[i for i in intents.values() if i.intention == Intention.UNDECIDED],
    )
    if not any(c.gender == Gender.FEMALE for c in candidates):
        result.gaps.append("没有女性人选（村(居)委会成员中应有妇女成员）。")
    for post in KEY_POSTS:
        if not any(c.post == Post(post).label for c in candidates):
            result.gaps.append(f"{Post(post).label}暂无人选。")
    seats = sum(seat_count.values())
    if len(candidates) < seats:
        result.gaps.append(f"人选 {len(candidates)} 人，少于职数 {seats} 个。")
    if result.unsurveyed:
        result.gaps.append(f"{len(result.unsurveyed)} 名现任干部尚未排摸换届意愿。")
    if result.undecided:
        result.gaps.append(f"{len(result.undecided)} 名现任干部意愿未定。")
    return result


def overdue_tasks_for(user: Any, *, today: date) -> QuerySet[Task]:
    return (
        task_policy.visible_to(user, "change")
        .filter(due_on__lt=today)
        .exclude(status=TaskStatus.DONE)
        .select_related("region")
        .order_by("due_on")
    )
