"""Every write of the joint review: rounds, batches (by Excel, from the registry, or later from the candidate pool),
the release to all departments at once, answers, the head's signature, reopenings and the county's decisions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cunshe.access.roles import Role
from cunshe.accounts.models import Department, RoleAssignment, User
from cunshe.accounts.permissions import department_policy
from cunshe.accounts.services import department_create
from cunshe.core.actors import SYSTEM, Actor, is_system, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, IllegalTransition
from cunshe.core.transitions import check_move
from cunshe.deadlines.calendar import add_working_days, deadline_text, working_time_between
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.selectors import rules_in_force
from cunshe.negativelist.models import NegativeEntry, Source, State
from cunshe.negativelist.services import entry_add, entry_settle
from cunshe.notifications.models import Kind as NotificationKind
from cunshe.notifications.services import holders, notify
from cunshe.people import id_numbers
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.reviews.defaults import DEFAULT_DEADLINE_DAYS, DEFAULT_DEPARTMENTS
from cunshe.reviews.models import (
    BATCH_TRANSITIONS,
    DEPARTMENT_REVIEW_TRANSITIONS,
    Answer,
    BatchStatus,
    Candidate,
    CandidateView,
    DepartmentHead,
    DepartmentReview,
    DepartmentReviewStatus,
    Outcome,
    ReviewBatch,
    ReviewRound,
    Verdict,
)
from cunshe.reviews.permissions import (
    batch_policy,
    candidate_policy,
    department_head_policy,
    department_review_policy,
    reviewer_policy,
    round_policy,
)
from cunshe.termchanges.selectors import current_term_change

MAX_BATCH = 2000


def _move_batch(batch: ReviewBatch, to_status: str) -> None:
    check_move(BATCH_TRANSITIONS, batch.status, to_status, BatchStatus, what="批次")
    batch.status = to_status


def _move_department_review(review: DepartmentReview, to_status: str) -> None:
    check_move(
        DEPARTMENT_REVIEW_TRANSITIONS,
        review.status,
        to_status,
        DepartmentReviewStatus,
        what=f"{review.department.name}的审查",
    )
    review.status = to_status


# Departments and their heads ---------------------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def departments_install_defaults(*, actor: Actor, county_code: str) -> int:
    """Give a county seed 004's fifteen reviewing departments; those it has are kept. Returns how many were added."""
    # Checked first: a county that already has them all must not answer an outsider "0 added" either.
    department_policy.check_in_region(actor, "change", county_code, missing="未找到该县。")
    have = set(Department.objects.filter(county_id=county_code).values_list("name", flat=True))
    for name in DEFAULT_DEPARTMENTS:
        if name not in have:
            department_create(actor=actor, county_code=county_code, name=name)
    return len([n for n in DEFAULT_DEPARTMENTS if n not in have])


@transaction.atomic
def department_head_set(
    *, actor: Actor, department: Department, user: User, expected_version: int | None = None
) -> DepartmentHead:
    """Name the department's responsible head, who signs its conclusions: one of its reviewer accounts. The head is
    part of the department's settings, so the page sends the department's version (a system call, None, takes the
    current one)."""
    department_head_policy.check_in_region(actor, "manage", department.county_id, missing="未找到该单位。")
    if not RoleAssignment.objects.filter(user=user, role=Role.REVIEWER, department=department, is_active=True).exists():
        raise DomainError(
            f"{user.display_name}不是{department.name}的审查员，不能担任负责人。",
            {"user": ["须为本单位的审查员账号。"]},
        )
    bump_version(department, expected_version=department.version if expected_version is None else expected_version)
    head = DepartmentHead.objects.filter(department=department).first()
    before = head.user.display_name if head else ""
    if head is None:
        head = DepartmentHead.objects.create(department=department, county_id=department.county_id, user=user)
    else:
        head.user = user
        head.save(update_fields=["user"])
    record(
        actor=actor,
        region_code=department.county_id,
        event="reviews.head_set",
        summary=f"{department.name}联审负责人：{user.display_name}",
        obj=head,
        before={"负责人": before} if before else None,
        after={"负责人": user.display_name},
    )
    return head


# Rounds ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def round_open(*, actor: Actor, county_code: str, opened_on: date, title: str = "") -> ReviewRound:
    county = Region.objects.filter(code=county_code).first()
    if county is None or county.level != Level.COUNTY:
        raise DomainError("联审轮次须由县级区划发起。", {"county": ["须为县(市、区)。"]})
    round_policy.check_in_region(actor, "manage", county_code, missing="未找到该县。")
    term_change = current_term_change(county_code)
    title = title.strip() or (
        f"{term_change.title}候选人资格联审" if term_change else f"{county.name}{opened_on.year}年资格联审"
    )
    review_round = ReviewRound.objects.create(
        county=county, term_change=term_change, title=title[:100], opened_on=opened_on
    )
    record(
        actor=actor,
        region_code=county.code,
        event="reviews.round_opened",
        summary=f"启动{review_round.title}",
        obj=review_round,
        after={"名称": review_round.title, "启动日期": opened_on, "所属换届": term_change.title if term_change else ""},
    )
    return review_round


# Submission --------------------------------------------------------------------------------------------------------


@dataclass
class CandidateRow:
    line: int  # the Excel line, or the position in a list
    name: str
    id_number: str
    village: str
    post: str = ""
    person: Person | None = None


def _check_rows(review_round: ReviewRound, town_code: str, rows: list[CandidateRow]) -> dict[str, list[str]]:
    """Row-level problems, keyed "第N行": ID numbers by GB 11643, villages of the town, duplicates within the batch,
    and people already checked in this round (nobody is checked twice)."""
    errors: dict[str, list[str]] = defaultdict(list)
    villages = set(
        Region.objects.filter(code__startswith=town_code, level=Level.VILLAGE).values_list("code", flat=True)
    )
    seen: dict[str, int] = {}
    for row in rows:
        key = f"第{row.line}行"
        if not row.name.strip():
            errors[key].append("姓名：必填")
        if row.village not in villages:
            errors[key].append(f"村(社区)代码：{row.village or '（空）'} 不是本乡镇(街道)的村(社区)")
        try:
            row.id_number = id_numbers.parse(row.id_number).value
        except id_numbers.InvalidIdNumber as exc:
            errors[key].append(f"身份证号码：{exc}")
            continue
        if row.id_number in seen:
            errors[key].append(f"身份证号码：与第{seen[row.id_number]}行重复")
        else:
            seen[row.id_number] = row.line
    already = dict(
        Candidate.objects.filter(round=review_round, id_number__in=list(seen)).values_list("id_number", "batch__title")
    )
    for number, line in seen.items():
        if number in already:
            errors[f"第{line}行"].append(f"身份证号码：本轮已在“{already[number]}”中联审，同一人一轮只审一次")
    return dict(errors)


@transaction.atomic
def batch_submit(
    *, actor: Actor, review_round: ReviewRound, town_code: str, rows: list[CandidateRow], title: str = ""
) -> ReviewBatch:
    """Submit a town's candidates for the round. All rows are checked first; one bad row saves nothing."""
    town = Region.objects.filter(code=town_code, level=Level.TOWN).first()
    if town is None or not town_code.startswith(review_round.county_id):
        raise DomainError("报送单位须为本县的乡镇(街道)。", {"town": ["须为本县的乡镇(街道)。"]})
    round_policy.check(actor, "view", review_round)
    batch_policy.check_in_region(actor, "submit", town_code, missing="未找到该乡镇(街道)。")
    if not rows:
        raise DomainError("批次中没有人选。", {"rows": ["请至少报送一名人选。"]})
    if len(rows) > MAX_BATCH:
        raise DomainError(f"一个批次最多 {MAX_BATCH} 人。", {"rows": [f"本批 {len(rows)} 人。"]})
    errors = _check_rows(review_round, town_code, rows)
    if errors:
        raise DomainError(f"有 {len(errors)} 行需要修改，本批未报送。", errors)
    now = timezone.now()
    count = ReviewBatch.objects.filter(round=review_round, town=town).count()
    batch = ReviewBatch.objects.create(
        round=review_round,
        town=town,
        title=title.strip()[:100] or f"{town.name}第{count + 1}批",
        submitted_by=user_of(actor),
        submitted_at=now,
        candidate_count=len(rows),
    )
    Candidate.objects.bulk_create(
        Candidate(
            batch=batch,
            round=review_round,
            person=row.person,
            village_id=row.village,
            name=row.name.strip(),
            id_number=row.id_number,
            post=row.post.strip()[:50],
            position=n,
        )
        for n, row in enumerate(rows, start=1)
    )
    record(
        actor=actor,
        region_code=town.code,
        event="reviews.batch_submitted",
        summary=f"{town.name}报送联审人选 {len(rows)} 人（{batch.title}）",
        obj=batch,
        after={
            "批次": batch.title,
            "人数": len(rows),
            "人选": [f"{r.name} {id_numbers.mask(r.id_number)}" for r in rows],
        },
    )
    return batch


def batch_submit_people(
    *, actor: Actor, review_round: ReviewRound, town_code: str, people: Iterable[Person], post: str = ""
) -> ReviewBatch:
    """Submit people of the registry. The candidate pool calls this with the Persons it proposes."""
    rows = [
        CandidateRow(line=n, name=p.name, id_number=p.id_number, village=p.region_id, post=post, person=p)
        for n, p in enumerate(people, start=1)
    ]
    from cunshe.people.permissions import person_policy

    for row in rows:
        assert row.person is not None
        person_policy.check(actor, "view", row.person)
    return batch_submit(actor=actor, review_round=review_round, town_code=town_code, rows=rows)


# Release -----------------------------------------------------------------------------------------------------------


def _deadline_days(value: Decimal | float | str) -> Decimal:
    try:
        days = Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError("审查时限须为数字。", {"deadline_days": ["请填写工作日数，可为半天，如 2.5。"]}) from exc
    if days <= 0 or days > 30 or (days * 2) != int(days * 2):
        raise DomainError("审查时限须为 0.5 至 30 个工作日，以半天计。", {"deadline_days": ["如 2.5、3。"]})
    return days


@transaction.atomic
def batch_release(
    *,
    actor: Actor,
    batch: ReviewBatch,
    expected_version: int | None,
    deadline_days: Decimal | float | str = DEFAULT_DEADLINE_DAYS,
    now: datetime | None = None,
) -> ReviewBatch:
    """Release a batch to all the county's active departments at once, due after `deadline_days` working days."""
    batch_policy.check(actor, "manage", batch)
    days = _deadline_days(deadline_days)
    departments = list(Department.objects.filter(county_id=batch.round.county_id, is_active=True).order_by("name"))
    if not departments:
        raise DomainError("本县尚未设置联审单位。", {"departments": ["请先设置联审单位。"]})
    # The table lets a completed batch go back to 审查中 (a department's sign-off reopened), but releasing is only
    # the first move: releasing again would open a second review per department (a 500 on the unique constraint).
    if batch.status != BatchStatus.SUBMITTED:
        raise IllegalTransition(f"本批已发布（{batch.get_status_display()}），不能再次发布。")
    _move_batch(batch, BatchStatus.RELEASED)
    bump_version(batch, expected_version=expected_version)
    released_at = now or timezone.now()
    batch.released_at = released_at
    batch.deadline_days = days
    batch.due_at = add_working_days(released_at, days)
    batch.department_count = len(departments)
    batch.save(update_fields=["status", "released_at", "deadline_days", "due_at", "department_count"])
    DepartmentReview.objects.bulk_create(DepartmentReview(batch=batch, department=d) for d in departments)
    due = timezone.localtime(batch.due_at)
    record(
        actor=actor,
        region_code=batch.round.county_id,
        event="reviews.batch_released",
        summary=f"{batch.title}发布至 {len(departments)} 家联审单位，{days} 个工作日内（{due:%Y-%m-%d %H:%M} 前）反馈",
        obj=batch,
        before={"状态": BatchStatus.SUBMITTED.label},
        after={"状态": BatchStatus.RELEASED.label, "截止时间": due, "联审单位": [d.name for d in departments]},
    )
    # Each department's reviewers hear of their batch after commit (the title names no candidate).
    for review in DepartmentReview.objects.filter(batch=batch):
        notify(
            recipients=holders("reviews.answer", batch.round.county_id, department_id=review.department_id),
            kind=NotificationKind.BATCH_RELEASED,
            title=f"联审批次已发布：{batch.title}，{deadline_text(batch.due_at)} 前反馈",
            key=f"batch:{batch.pk}:{review.department_id}",
            county_code=batch.round.county_id,
            url=reverse("reviews:desk_batch", kwargs={"pk": review.pk}),
        )
    return batch


# Answers -----------------------------------------------------------------------------------------------------------


def _open_review(actor: Actor, review: DepartmentReview) -> None:
    reviewer_policy.check(actor, "answer", review)
    if review.status != DepartmentReviewStatus.OPEN:
        raise IllegalTransition(f"{review.department.name}已签署本批结论，修改须由县委组织部重新打开。")


@transaction.atomic
def answer_give(
    *,
    actor: Actor,
    review: DepartmentReview,
    candidate: Candidate,
    verdict: str,
    rule: ExclusionRule | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Answer:
    """A department's answer on one candidate: 通过, 不通过 (a rule and a written reason), or 存疑 (a reason)."""
    _open_review(actor, review)
    if candidate.batch_id != review.batch_id:
        raise Http404("未找到该人选。")
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = ["请选择通过、不通过或存疑。"]
    if verdict == Verdict.EXCLUDED:
        if rule is None:
            errors["rule"] = ["不通过须注明依据的排除规则。"]
        elif not rules_in_force(review.batch.round.county_id, review.batch.round.opened_on).filter(pk=rule.pk).exists():
            errors["rule"] = ["该规则不是本县现行的排除规则。"]
    if verdict in (Verdict.EXCLUDED, Verdict.DOUBTFUL) and not reason:
        errors["reason"] = ["不通过或存疑须写明理由。"]
    if errors:
        raise DomainError("审查意见不完整，未保存。", errors)
    kept_rule = rule if verdict == Verdict.EXCLUDED else None
    kept_reason = reason if verdict != Verdict.CLEAR else ""
    answer = Answer.objects.filter(department_review=review, candidate=candidate).first()
    at = now or timezone.now()
    before: dict[str, Any] = {}
    if answer is None:
        answer = Answer.objects.create(
            department_review=review,
            candidate=candidate,
            verdict=verdict,
            rule=kept_rule,
            reason=kept_reason,
            answered_by=user_of(actor),
            answered_at=at,
        )
        DepartmentReview.objects.filter(pk=review.pk).update(answered_count=F("answered_count") + 1)
        review.answered_count += 1
    else:
        bump_version(answer, expected_version=expected_version)
        before = {"意见": answer.get_verdict_display(), "规则": answer.rule.code if answer.rule else ""}
        answer.verdict, answer.rule, answer.reason = verdict, kept_rule, kept_reason
        answer.answered_by, answer.answered_at = user_of(actor), at
        answer.save(update_fields=["verdict", "rule", "reason", "answered_by", "answered_at"])
    record(
        actor=actor,
        region_code=review.batch.round.county_id,
        event="reviews.answered",
        summary=f"{review.department.name}审查{candidate.name}：{answer.get_verdict_display()}",
        obj=answer,
        before=before or None,
        after={"意见": answer.get_verdict_display(), "规则": kept_rule.code if kept_rule else ""},
    )
    return answer


@transaction.atomic
def answers_clear_rest(*, actor: Actor, review: DepartmentReview, now: datetime | None = None) -> int:
    """ "All clear except those marked": every candidate this department has not answered yet gets 通过."""
    _open_review(actor, review)
    answered = Answer.objects.filter(department_review=review).values_list("candidate_id", flat=True)
    rest = list(Candidate.objects.filter(batch_id=review.batch_id).exclude(pk__in=answered).order_by("position"))
    if not rest:
        return 0
    at = now or timezone.now()
    Answer.objects.bulk_create(
        Answer(department_review=review, candidate=c, verdict=Verdict.CLEAR, answered_by=user_of(actor), answered_at=at)
        for c in rest
    )
    DepartmentReview.objects.filter(pk=review.pk).update(answered_count=F("answered_count") + len(rest))
    review.answered_count += len(rest)
    record(
        actor=actor,
        region_code=review.batch.round.county_id,
        event="reviews.cleared_rest",
        summary=f"{review.department.name}：{review.batch.title}其余 {len(rest)} 人通过",
        obj=review,
        after={"通过": len(rest)},
    )
    return len(rest)


# Sign-off, results, reopening ----------------------------------------------------------------------------------------


def _is_head(actor: Actor, department: Department) -> bool:
    if is_system(actor):
        return True
    return DepartmentHead.objects.filter(department=department, user=user_of(actor)).exists()


@transaction.atomic
def department_review_sign(
    *,
    actor: Actor,
    review: DepartmentReview,
    conclusion: str,
    expected_version: int | None,
    now: datetime | None = None,
) -> DepartmentReview:
    """The department head signs the department's written conclusion; the last signature gives the results."""
    reviewer_policy.check(actor, "answer", review)
    if not _is_head(actor, review.department):
        raise DomainError(f"书面结论须由{review.department.name}负责人签署。", {"conclusion": ["您不是本单位负责人。"]})
    errors: dict[str, list[str]] = {}
    unanswered = review.batch.candidate_count - Answer.objects.filter(department_review=review).count()
    if unanswered:
        errors["answers"] = [f"还有 {unanswered} 人未审查。"]
    if not conclusion.strip():
        errors["conclusion"] = ["请填写本单位的书面结论。"]
    if errors:
        raise DomainError("尚不能签署。", errors)
    _move_department_review(review, DepartmentReviewStatus.SIGNED)
    bump_version(review, expected_version=expected_version)
    batch = ReviewBatch.objects.select_for_update().get(pk=review.batch_id)
    at = now or timezone.now()
    assert batch.released_at is not None
    review.conclusion, review.signed_by, review.signed_at = conclusion.strip(), user_of(actor), at
    review.turnaround_minutes = int(working_time_between(batch.released_at, at).total_seconds() // 60)
    review.save(update_fields=["status", "conclusion", "signed_by", "signed_at", "turnaround_minutes"])
    batch.signed_count += 1
    batch.save(update_fields=["signed_count"])
    record(
        actor=actor,
        region_code=batch.round.county_id,
        event="reviews.signed",
        summary=f"{review.department.name}签署{batch.title}书面结论",
        obj=review,
        after={"结论": review.conclusion, "用时(工作小时)": round(review.turnaround_minutes / 60, 1)},
    )
    if batch.signed_count == batch.department_count:
        _complete(actor, batch, at)
    review.batch = batch
    return review


def _complete(actor: Actor, batch: ReviewBatch, at: datetime) -> None:
    """Every department has signed: any 不通过 excludes, else any 存疑 goes to the county, else 通过."""
    verdicts: dict[int, set[str]] = defaultdict(set)
    for candidate_id, verdict in Answer.objects.filter(candidate__batch=batch).values_list("candidate_id", "verdict"):
        verdicts[candidate_id].add(verdict)
    by_result: dict[str, list[int]] = defaultdict(list)
    for candidate_id in batch.candidates.values_list("pk", flat=True):
        found = verdicts[candidate_id]
        if Verdict.EXCLUDED in found:
            by_result[Outcome.EXCLUDED].append(candidate_id)
        elif Verdict.DOUBTFUL in found:
            by_result[Outcome.DOUBTFUL].append(candidate_id)
        else:
            by_result[Outcome.CLEARED].append(candidate_id)
    for result, ids in by_result.items():
        Candidate.objects.filter(pk__in=ids).update(
            result=result, decision="", decision_reason="", decided_by=None, decided_at=None
        )
    exclusions_to_negative_list(
        Candidate.objects.filter(pk__in=by_result[Outcome.EXCLUDED]).select_related("person"),
        on=timezone.localdate(at),
    )
    _move_batch(batch, BatchStatus.COMPLETED)
    # The batch is done when its last signature is: signatures may be entered after the fact (paper sign-off).
    signed = [t for t in batch.departments.values_list("signed_at", flat=True) if t is not None]
    at = max([at, *signed])
    batch.completed_at = at
    assert batch.released_at is not None
    batch.turnaround_minutes = int(working_time_between(batch.released_at, at).total_seconds() // 60)
    batch.cleared_count = len(by_result[Outcome.CLEARED])
    batch.excluded_count = len(by_result[Outcome.EXCLUDED])
    batch.doubtful_count = len(by_result[Outcome.DOUBTFUL])
    batch.save(
        update_fields=[
            "status",
            "completed_at",
            "turnaround_minutes",
            "cleared_count",
            "excluded_count",
            "doubtful_count",
        ]
    )
    record(
        actor=actor,
        region_code=batch.round.county_id,
        event="reviews.batch_completed",
        summary=(
            f"{batch.title}联审完成：通过 {batch.cleared_count} 人，不通过 {batch.excluded_count} 人，"
            f"存疑待研判 {batch.doubtful_count} 人"
        ),
        obj=batch,
        after={"通过": batch.cleared_count, "不通过": batch.excluded_count, "存疑": batch.doubtful_count},
    )


@transaction.atomic
def department_review_reopen(
    *, actor: Actor, review: DepartmentReview, reason: str, expected_version: int | None
) -> DepartmentReview:
    """After sign-off an answer changes only through this: the county reopens the department's part, on record.
    The batch's results go back to pending until the department signs again."""
    department_review_policy.check(actor, "manage", review)
    if not reason.strip():
        raise DomainError("请写明重新打开的原因。", {"reason": ["请写明原因。"]})
    _move_department_review(review, DepartmentReviewStatus.OPEN)
    bump_version(review, expected_version=expected_version)
    review.reopen_count += 1
    review.save(update_fields=["status", "reopen_count"])
    batch = ReviewBatch.objects.select_for_update().get(pk=review.batch_id)
    batch.signed_count -= 1
    fields = ["signed_count"]
    if batch.status == BatchStatus.COMPLETED:
        _move_batch(batch, BatchStatus.RELEASED)
        batch.candidates.update(
            result=Outcome.PENDING, decision="", decision_reason="", decided_by=None, decided_at=None
        )
        batch.completed_at, batch.turnaround_minutes = None, None
        batch.cleared_count = batch.excluded_count = batch.doubtful_count = 0
        fields += ["status", "completed_at", "turnaround_minutes", "cleared_count", "excluded_count", "doubtful_count"]
    batch.save(update_fields=fields)
    record(
        actor=actor,
        region_code=batch.round.county_id,
        event="reviews.reopened",
        summary=f"重新打开{review.department.name}对{batch.title}的审查：{reason.strip()}",
        obj=review,
        before={"状态": DepartmentReviewStatus.SIGNED.label},
        after={"状态": DepartmentReviewStatus.OPEN.label, "原因": reason.strip()},
    )
    review.batch = batch
    return review


@transaction.atomic
def candidate_decide(
    *, actor: Actor, candidate: Candidate, decision: str, reason: str, expected_version: int | None
) -> Candidate:
    """The county organizer decides a 存疑 candidate: 通过 or 不通过, with a written reason."""
    candidate_policy.check(actor, "manage", candidate)
    if candidate.result != Outcome.DOUBTFUL:
        raise IllegalTransition("只有联审结论为“存疑”的人选需要县级研判。")
    errors: dict[str, list[str]] = {}
    if decision not in (Outcome.CLEARED, Outcome.EXCLUDED):
        errors["decision"] = ["请选择通过或不通过。"]
    if not reason.strip():
        errors["reason"] = ["请写明研判理由。"]
    if errors:
        raise DomainError("研判信息不完整，未保存。", errors)
    previous = candidate.decision
    bump_version(candidate, expected_version=expected_version)
    candidate.decision, candidate.decision_reason = decision, reason.strip()
    candidate.decided_by, candidate.decided_at = user_of(actor), timezone.now()
    candidate.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    # Keep the batch roll-up in step: a first decision moves one person out of 存疑.
    if previous != decision:
        moved_from = f"{previous}_count" if previous else "doubtful_count"
        ReviewBatch.objects.filter(pk=candidate.batch_id).update(
            **{moved_from: F(moved_from) - 1, f"{decision}_count": F(f"{decision}_count") + 1}
        )
    record(
        actor=actor,
        region_code=candidate.round.county_id,
        event="reviews.decided",
        summary=f"县级研判{candidate.name}（存疑）：{Outcome(decision).label}",
        obj=candidate,
        before={"研判": Outcome(previous).label} if previous else None,
        after={"研判": Outcome(decision).label},
    )
    return candidate


def candidate_view_log(*, viewer: User, candidate: Candidate, channel: str, department_id: int | None = None) -> None:
    """Every view of a candidate's detail leaves a row (web page, API or printout)."""
    CandidateView.objects.create(candidate=candidate, user=viewer, department_id=department_id, channel=channel)


# Where a joint review's results go (issue 4 item 4): an exclusion is adverse information on the negative list.
def exclusions_to_negative_list(candidates: Iterable[Candidate], on: date) -> int:
    """Put each excluded candidate on the negative list with the departments' rule and reason, as verified by
    their signed conclusions. The system writes it (the reviewers hold no negative-list rights), once per rule;
    a candidate entered only by ID number is matched to the registry, and left out when not registered there."""
    added = 0
    for candidate in candidates:
        person = candidate.person or Person.objects.filter(id_number=candidate.id_number).first()
        if person is None:
            continue
        if current_term_change(person.region_id) is None:
            continue  # the negative list belongs to a term change; a round outside one has nowhere to write
        answers = Answer.objects.filter(candidate=candidate, verdict=Verdict.EXCLUDED).select_related(
            "rule", "department_review__department"
        )
        for answer in answers:
            department = answer.department_review.department
            already = NegativeEntry.objects.filter(
                person=person, rule=answer.rule, source=Source.DEPARTMENT, source_detail__startswith="联审"
            ).exists()
            if already or answer.rule is None:
                continue
            entry = entry_add(
                actor=SYSTEM,
                person=person,
                rule=answer.rule,
                source=Source.DEPARTMENT,
                source_detail=f"联审：{department.name}",
                found_on=on,
                details=answer.reason,
            )
            entry_settle(
                actor=SYSTEM,
                entry=entry,
                to_state=State.CONFIRMED,
                conclusion=f"{department.name}联审不通过（书面结论已签署）",
                expected_version=entry.version,
            )
            added += 1
    return added
