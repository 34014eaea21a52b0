"""The path of a reserve cadre: into the pool, 三度测评 by a panel, one evaluation meeting, one public notice, a
two-month trial post with a mentor, and the outcome; those who pass enter the candidate pool in the same step."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.errors import DomainError
from cunshe.core.transitions import check_move, move
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.reserves.models import (
    TRANSITIONS,
    TRIAL_MONTHS,
    CandidateEntry,
    Evaluation,
    Origin,
    ReserveCadre,
    Source,
    Stage,
)
from cunshe.reserves.permissions import candidate_policy, reserve_policy
from cunshe.termchanges.selectors import current_term_change


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (a trial from 12-31 ends on 02-28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _what(reserve: ReserveCadre) -> str:
    return f"{reserve.person.name}的培养阶段"


def _check_move(reserve: ReserveCadre, to_stage: str) -> None:
    """Checked before the form's errors are raised, so a reserve in another stage is told that first."""
    check_move(TRANSITIONS, reserve.stage, to_stage, Stage, what=_what(reserve))


def _move(reserve: ReserveCadre, to_stage: str, expected_version: int | None) -> str:
    return move(
        reserve,
        to_stage,
        table=TRANSITIONS,
        labels=Stage,
        what=_what(reserve),
        expected_version=expected_version,
        field="stage",
    )


def _in_village(person: Person, village_code: str, errors: dict[str, list[str]]) -> None:
    if person.region_id != village_code:
        errors["person"] = ["须为本村(社区)人员。"]


def _add_errors(
    *, term_change: Any, person: Person, village_code: str, source: str, added_on: date, note: str
) -> dict[str, list[str]]:
    """What keeps a person out of the village's reserve list, apart from already being on it (the caller checks)."""
    errors: dict[str, list[str]] = {}
    if term_change is None:
        errors["person"] = ["本县尚未启动换届。"]
    _in_village(person, village_code, errors)
    if source not in Source.values:
        errors["source"] = ["请选择来源。"]
    if added_on > timezone.localdate():
        errors["added_on"] = ["入库日期不能晚于今天。"]
    if len(note.strip()) > 200:
        errors["note"] = ["简要情况不超过 200 字。"]
    return errors


@transaction.atomic
def reserve_add(
    *, actor: Actor, village_code: str, person: Person, source: str, added_on: date, note: str = ""
) -> ReserveCadre:
    reserve_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    term_change = current_term_change(village_code)
    errors = _add_errors(
        term_change=term_change, person=person, village_code=village_code, source=source, added_on=added_on, note=note
    )
    if term_change and ReserveCadre.objects.filter(term_change=term_change, person=person).exists():
        errors["person"] = [f"{person.name} 已在本届后备干部库中。"]
    if errors:
        raise DomainError("后备干部信息有误，未保存。", errors)
    assert term_change is not None
    reserve = ReserveCadre.objects.create(
        region_id=village_code,
        term_change=term_change,
        person=person,
        source=source,
        added_on=added_on,
        note=note.strip(),
    )
    record(
        actor=actor,
        region_code=village_code,
        event="reserves.added",
        summary=f"{person.name} 列入后备干部库（{reserve.get_source_display()}）",
        obj=reserve,
        after={"人员": person.name, "来源": reserve.get_source_display(), "入库日期": added_on},
    )
    return reserve


@transaction.atomic
def evaluation_add(
    *,
    actor: Actor,
    reserve: ReserveCadre,
    evaluator: str,
    loyalty: int,
    satisfaction: int,
    competence: int,
    comment: str = "",
) -> Evaluation:
    reserve_policy.check(actor, "change", reserve)
    if reserve.stage != Stage.POOLED:
        raise DomainError("测评会已召开，不能再录入三度测评。")
    errors: dict[str, list[str]] = {}
    if not evaluator.strip():
        errors["evaluator"] = ["请填写测评人。"]
    for field, value in (("loyalty", loyalty), ("satisfaction", satisfaction), ("competence", competence)):
        if not 0 <= value <= 100:
            errors[field] = ["分数须在 0 到 100 之间。"]
    if errors:
        raise DomainError("三度测评有误，未保存。", errors)
    evaluation = Evaluation.objects.create(
        reserve=reserve,
        evaluator=evaluator.strip(),
        loyalty=loyalty,
        satisfaction=satisfaction,
        competence=competence,
        comment=comment.strip(),
    )
    record(
        actor=actor,
        region_code=reserve.region_id,
        event="reserves.evaluated",
        summary=f"{evaluator.strip()} 对 {reserve.person.name} 进行三度测评",
        obj=reserve,
        after={"忠诚度": loyalty, "满意度": satisfaction, "胜任度": competence},
    )
    return evaluation


@transaction.atomic
def meeting_record(
    *, actor: Actor, reserve: ReserveCadre, held_on: date, place: str, expected_version: int | None
) -> ReserveCadre:
    """The one evaluation meeting closes the panel's scoring."""
    reserve_policy.check(actor, "change", reserve)
    errors: dict[str, list[str]] = {}
    if not reserve.evaluations.exists():
        errors["evaluations"] = ["请先录入测评小组的三度测评。"]
    if held_on > timezone.localdate():
        errors["held_on"] = ["测评会日期不能晚于今天。"]
    if held_on < reserve.added_on:
        errors["held_on"] = ["测评会日期不能早于入库日期。"]
    if not place.strip():
        errors["place"] = ["请填写测评会地点。"]
    _check_move(reserve, Stage.EVALUATED)
    if errors:
        raise DomainError("测评会信息有误，未保存。", errors)
    before = _move(reserve, Stage.EVALUATED, expected_version)
    reserve.meeting_on, reserve.meeting_place = held_on, place.strip()
    reserve.save(update_fields=["stage", "meeting_on", "meeting_place"])
    record(
        actor=actor,
        region_code=reserve.region_id,
        event="reserves.meeting",
        summary=f"召开 {reserve.person.name} 三度测评会",
        obj=reserve,
        before={"阶段": before},
        after={"阶段": reserve.get_stage_display(), "测评会日期": held_on, "地点": reserve.meeting_place},
    )
    return reserve


@transaction.atomic
def notice_record(
    *,
    actor: Actor,
    reserve: ReserveCadre,
    starts_on: date,
    ends_on: date,
    feedback: str = "",
    expected_version: int | None,
) -> ReserveCadre:
    reserve_policy.check(actor, "change", reserve)
    errors: dict[str, list[str]] = {}
    if reserve.meeting_on and starts_on < reserve.meeting_on:
        errors["starts_on"] = ["公示不能早于测评会。"]
    if ends_on < starts_on + timedelta(days=4):
        errors["ends_on"] = ["公示期不少于 5 天。"]
    _check_move(reserve, Stage.NOTICED)
    if errors:
        raise DomainError("公示信息有误，未保存。", errors)
    before = _move(reserve, Stage.NOTICED, expected_version)
    reserve.notice_from, reserve.notice_until, reserve.notice_feedback = starts_on, ends_on, feedback.strip()
    reserve.save(update_fields=["stage", "notice_from", "notice_until", "notice_feedback"])
    record(
        actor=actor,
        region_code=reserve.region_id,
        event="reserves.noticed",
        summary=f"{reserve.person.name} 公示 {starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}",
        obj=reserve,
        before={"阶段": before},
        after={
            "阶段": reserve.get_stage_display(),
            "公示开始": starts_on,
            "公示结束": ends_on,
            "反映情况": reserve.notice_feedback or "无",
        },
    )
    return reserve


@transaction.atomic
def trial_start(
    *,
    actor: Actor,
    reserve: ReserveCadre,
    post: str,
    mentor: Person | None,
    starts_on: date,
    expected_version: int | None,
) -> ReserveCadre:
    reserve_policy.check(actor, "change", reserve)
    errors: dict[str, list[str]] = {}
    if not post.strip():
        errors["post"] = ["请填写试岗岗位。"]
    if mentor is None:
        errors["mentor"] = ["请指定帮带导师。"]
    elif mentor.pk == reserve.person_id:
        errors["mentor"] = ["导师不能是本人。"]
    elif mentor.region_id[:9] != reserve.region_id[:9]:
        errors["mentor"] = ["导师须为本乡镇(街道)人员。"]
    if reserve.notice_until and starts_on <= reserve.notice_until:
        errors["starts_on"] = [f"公示期至 {reserve.notice_until:%Y-%m-%d}，公示期满后方可试岗。"]
    _check_move(reserve, Stage.ON_TRIAL)
    if errors:
        raise DomainError("试岗信息有误，未保存。", errors)
    before = _move(reserve, Stage.ON_TRIAL, expected_version)
    reserve.trial_post, reserve.mentor = post.strip(), mentor
    reserve.trial_from, reserve.trial_until = starts_on, add_months(starts_on, TRIAL_MONTHS)
    reserve.save(update_fields=["stage", "trial_post", "mentor", "trial_from", "trial_until"])
    record(
        actor=actor,
        region_code=reserve.region_id,
        event="reserves.trial_started",
        summary=f"{reserve.person.name} 试岗{reserve.trial_post}，导师 {mentor.name if mentor else ''}",
        obj=reserve,
        before={"阶段": before},
        after={
            "阶段": reserve.get_stage_display(),
            "岗位": reserve.trial_post,
            "导师": mentor.name if mentor else "",
            "试岗期": f"{starts_on}—{reserve.trial_until}",
        },
    )
    return reserve


@transaction.atomic
def trial_conclude(
    *,
    actor: Actor,
    reserve: ReserveCadre,
    passed: bool,
    concluded_on: date,
    note: str,
    expected_version: int | None,
) -> ReserveCadre:
    """A pass puts the person into the candidate pool in the same transaction."""
    reserve_policy.check(actor, "change", reserve)
    errors: dict[str, list[str]] = {}
    if reserve.trial_until and concluded_on < reserve.trial_until:
        errors["concluded_on"] = [f"试岗须满 {TRIAL_MONTHS} 个月（至 {reserve.trial_until:%Y-%m-%d}）。"]
    if concluded_on > timezone.localdate():
        errors["concluded_on"] = ["考察日期不能晚于今天。"]
    if not note.strip():
        errors["note"] = ["请填写考察意见。"]
    _check_move(reserve, Stage.PASSED if passed else Stage.FAILED)
    if errors:
        raise DomainError("试岗考察信息有误，未保存。", errors)
    before = _move(reserve, Stage.PASSED if passed else Stage.FAILED, expected_version)
    reserve.outcome_on, reserve.outcome_note = concluded_on, note.strip()
    reserve.save(update_fields=["stage", "outcome_on", "outcome_note"])
    record(
        actor=actor,
        region_code=reserve.region_id,
        event="reserves.trial_concluded",
        summary=f"{reserve.person.name} 试岗{'合格，进入人选库' if passed else '不合格'}",
        obj=reserve,
        before={"阶段": before},
        after={"阶段": reserve.get_stage_display(), "考察日期": concluded_on},
    )
    if passed:
        _pool_add(actor, reserve.region_id, reserve.person, Origin.RESERVE, concluded_on, "试岗合格", reserve)
    return reserve


@transaction.atomic
def reserve_withdraw(*, actor: Actor, reserve: ReserveCadre, reason: str, expected_version: int | None) -> ReserveCadre:
    reserve_policy.check(actor, "change", reserve)
    if not reason.strip():
        raise DomainError("请填写退出原因。", {"reason": ["请填写退出原因。"]})
    before = _move(reserve, Stage.WITHDRAWN, expected_version)
    reserve.outcome_note = reason.strip()
    reserve.save(update_fields=["stage", "outcome_note"])
    record(
        actor=actor,
        region_code=reserve.region_id,
        event="reserves.withdrawn",
        summary=f"{reserve.person.name} 退出后备干部库（{reserve.outcome_note}）",
        obj=reserve,
        before={"阶段": before},
        after={"阶段": reserve.get_stage_display()},
    )
    return reserve


def _pool_add(
    actor: Actor,
    village_code: str,
    person: Person,
    origin: str,
    added_on: date,
    note: str,
    reserve: ReserveCadre | None = None,
) -> CandidateEntry:
    term_change = current_term_change(village_code)
    if term_change is None:
        raise DomainError("本县尚未启动换届。")
    try:
        with transaction.atomic():
            entry = CandidateEntry.objects.create(
                region_id=village_code,
                term_change=term_change,
                person=person,
                origin=origin,
                reserve=reserve,
                added_on=added_on,
                note=note.strip(),
            )
    except IntegrityError as exc:
        raise DomainError(f"{person.name} 已在本届人选库中。", {"person": ["已在人选库中。"]}) from exc
    record(
        actor=actor,
        region_code=village_code,
        event="reserves.candidate_added",
        summary=f"{person.name} 进入人选库（{entry.get_origin_display()}）",
        obj=entry,
        after={"人员": person.name, "来源": entry.get_origin_display(), "入选日期": added_on},
    )
    return entry


@transaction.atomic
def candidate_add(
    *, actor: Actor, village_code: str, person: Person, origin: str, added_on: date, note: str = ""
) -> CandidateEntry:
    """People who enter the pool other than through a trial post: incumbents standing again, recommendations."""
    candidate_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    errors: dict[str, Any] = {}
    _in_village(person, village_code, errors)
    if origin not in (Origin.INCUMBENT, Origin.RECOMMENDED):
        errors["origin"] = ["后备干部须经试岗合格后进入人选库。"]
    if added_on > timezone.localdate():
        errors["added_on"] = ["入选日期不能晚于今天。"]
    if errors:
        raise DomainError("人选信息有误，未保存。", errors)
    return _pool_add(actor, village_code, person, origin, added_on, note)
