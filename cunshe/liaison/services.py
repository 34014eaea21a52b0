"""Every write of the liaison-cadre module: assignments (made, ended, reassigned; imported from Excel), the monthly
service day, talks, matters (kept on the issue board through its services) and the three 察 ratings. Each service
checks the access rule, validates everything first, saves, refreshes the village's roll-up row and records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.months import month_start
from cunshe.core.text import clean_text, text_field
from cunshe.issueboard.models import Status as IssueStatus
from cunshe.issueboard.services import issue_move, issue_raise
from cunshe.liaison.models import (
    Assignment,
    CadreLevel,
    LiaisonTalk,
    Matter,
    Rating,
    RatingKind,
    ServiceDay,
    TalkGroup,
    Tally,
)
from cunshe.liaison.permissions import assignment_policy, matter_policy, rating_policy, serviceday_policy, talk_policy
from cunshe.liaison.rules import scale_on
from cunshe.records.services import record
from cunshe.regions.models import Level, Region

# A matter taken up by a liaison cadre is due a month after it is raised unless another deadline is given.
MATTER_DAYS = 30


def refresh_tally(village_code: str) -> Tally:
    """Recount the village's roll-up row from its records: a handful of counting queries, whatever the size."""
    today = timezone.localdate()
    current = Assignment.objects.filter(village_id=village_code, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    days = ServiceDay.objects.filter(village_id=village_code).aggregate(n=Count("id"), h=Sum("households"))
    matters = Matter.objects.filter(village_id=village_code).aggregate(
        n=Count("id"), done=Count("id", filter=Q(issue__status=IssueStatus.CLOSED))
    )
    tally, _ = Tally.objects.update_or_create(
        village_id=village_code,
        defaults={
            "cadres": current.count(),
            "service_days": days["n"],
            "households": days["h"] or 0,
            "talks": LiaisonTalk.objects.filter(village_id=village_code).count(),
            "matters": matters["n"],
            "matters_resolved": matters["done"],
        },
    )
    return tally


def matters_recount(village_code: str) -> None:
    """Called by the issue board (cunshe.issueboard.hooks, registered in LiaisonConfig.ready) whenever an item is
    raised, moved or closed: a matter closed on the board's own pages changes this village's count at once."""
    if Matter.objects.filter(village_id=village_code).exists():
        refresh_tally(village_code)


@transaction.atomic
def tallies_refresh_all() -> int:
    """The daily job (and the demo): assignments start and end by date, matters close on the board."""
    codes = set(Assignment.objects.values_list("village_id", flat=True).distinct())
    for code in sorted(codes):
        refresh_tally(code)
    return len(codes)


def _assignment_errors(
    village_code: str, name: str, unit: str, level: str, started_on: date | None, ended_on: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not Region.objects.filter(code=village_code, level=Level.VILLAGE).exists():
        errors["village"] = ["须为村(社区)。"]
    text_field(errors, "name", name, "干部姓名", 50, required=True)
    text_field(errors, "unit", unit, "所在单位及职务", 100, required=True)
    if level not in CadreLevel.values:
        errors["level"] = ["请选择干部类别（县直部门干部或乡镇(街道)干部）。"]
    if started_on is None:
        errors["started_on"] = ["请填写联系起始日期。"]
    elif started_on > timezone.localdate():
        errors["started_on"] = ["联系起始日期不能晚于今天。"]
    elif ended_on is not None and ended_on < started_on:
        errors["ended_on"] = ["结束日期不能早于起始日期。"]
    if not errors and Assignment.objects.filter(village_id=village_code, name=name, ended_on__isnull=True).exists():
        errors["name"] = ["该干部已在联系本村(社区)。"]
    return errors


def _account(account_id: int | None) -> Any:
    if account_id is None:
        return None
    account = get_user_model().objects.filter(pk=account_id, is_active=True).first()
    if account is None:
        raise DomainError("联系信息有误，未保存。", {"account": ["未找到该账号。"]})
    return account


def _create(
    *,
    actor: Actor,
    village_code: str,
    name: str,
    unit: str,
    level: str,
    started_on: date,
    account: Any = None,
    ended_on: date | None = None,
) -> Assignment:
    a = Assignment.objects.create(
        village_id=village_code,
        name=name,
        unit=unit,
        level=level,
        started_on=started_on,
        ended_on=ended_on,
        account=account,
    )
    refresh_tally(village_code)
    record(
        actor=actor,
        region_code=village_code,
        event="liaison.assigned",
        summary=f"{name}（{unit}）联系本村(社区)，自 {started_on:%Y-%m-%d} 起",
        obj=a,
        after={
            "干部姓名": name,
            "所在单位及职务": unit,
            "干部类别": a.get_level_display(),
            "联系起始日期": started_on,
            "联系结束日期": ended_on,
        },
    )
    return a


@transaction.atomic
def assignment_create(
    *,
    actor: Actor,
    village_code: str,
    name: str,
    unit: str,
    level: str,
    started_on: date,
    account_id: int | None = None,
) -> Assignment:
    assignment_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    name, unit = clean_text(name), clean_text(unit)
    errors = _assignment_errors(village_code, name, unit, level, started_on, None)
    if errors:
        raise DomainError("联系信息有误，未保存。", errors)
    return _create(
        actor=actor,
        village_code=village_code,
        name=name,
        unit=unit,
        level=level,
        started_on=started_on,
        account=_account(account_id),
    )


def _end(*, actor: Actor, assignment: Assignment, ended_on: date, reason: str, expected_version: int | None) -> None:
    a = Assignment.objects.select_for_update().get(pk=assignment.pk)
    bump_version(a, expected_version=expected_version)
    a.ended_on, a.end_reason = ended_on, reason
    a.save(update_fields=["ended_on", "end_reason"])
    assignment.ended_on, assignment.end_reason, assignment.version = ended_on, reason, a.version
    refresh_tally(a.village_id)
    record(
        actor=actor,
        region_code=a.village_id,
        event="liaison.ended",
        summary=f"{a.name}结束联系本村(社区)（{ended_on:%Y-%m-%d}）：{reason}",
        obj=a,
        after={"联系结束日期": ended_on, "结束原因": reason},
    )


def _end_errors(assignment: Assignment, ended_on: date | None, reason: str) -> dict[str, list[str]]:
    if assignment.ended_on is not None:
        raise DomainError("该联系已结束。")
    errors: dict[str, list[str]] = {}
    if ended_on is None or not assignment.started_on <= ended_on <= timezone.localdate():
        errors["ended_on"] = [f"结束日期须在起始日期（{assignment.started_on:%Y-%m-%d}）与今天之间。"]
    text_field(errors, "reason", reason, "结束原因", 200, required=True)
    return errors


@transaction.atomic
def assignment_end(
    *, actor: Actor, assignment: Assignment, ended_on: date, reason: str, expected_version: int | None
) -> Assignment:
    assignment_policy.check(actor, "change", assignment)
    reason = clean_text(reason)
    if errors := _end_errors(assignment, ended_on, reason):
        raise DomainError("结束信息有误，未保存。", errors)
    _end(actor=actor, assignment=assignment, ended_on=ended_on, reason=reason, expected_version=expected_version)
    return assignment


@transaction.atomic
def assignment_reassign(
    *,
    actor: Actor,
    assignment: Assignment,
    village_code: str,
    moved_on: date,
    expected_version: int | None,
    unit: str = "",
) -> Assignment:
    """The cadre moves to another village: this assignment ends the day before and a new one opens on the day
    (the unit may change with the move). Both stay on record."""
    assignment_policy.check(actor, "change", assignment)
    assignment_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    unit = clean_text(unit) or assignment.unit
    if village_code == assignment.village_id:
        raise DomainError("调整联系村(社区)有误，未保存。", {"village": ["须为另一个村(社区)。"]})
    errors = _end_errors(assignment, moved_on, "调整联系村(社区)")
    errors |= _assignment_errors(village_code, assignment.name, unit, assignment.level, moved_on, None)
    if moved_on <= assignment.started_on:
        errors["moved_on"] = ["调整日期须晚于原联系起始日期。"]
    errors.pop("ended_on", None)
    if errors:
        raise DomainError("调整联系村(社区)有误，未保存。", errors)
    target = Region.objects.get(code=village_code)
    _end(
        actor=actor,
        assignment=assignment,
        ended_on=date.fromordinal(moved_on.toordinal() - 1),
        reason=f"调整联系{target.name}",
        expected_version=expected_version,
    )
    return _create(
        actor=actor,
        village_code=village_code,
        name=assignment.name,
        unit=unit,
        level=assignment.level,
        started_on=moved_on,
        account=assignment.account,
    )


def _active_on(assignment: Assignment, day: date) -> bool:
    return assignment.started_on <= day and (assignment.ended_on is None or day <= assignment.ended_on)


@transaction.atomic
def serviceday_record(*, actor: Actor, assignment: Assignment, held_on: date, work: str, households: int) -> ServiceDay:
    """The month's service day (每月集中一天): one per assignment and month, on a day the assignment runs."""
    serviceday_policy.check_in_region(actor, "change", assignment.village_id)
    work = clean_text(work)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate() or not _active_on(assignment, held_on):
        errors["held_on"] = ["服务日期须在联系期间内，且不晚于今天。"]
    elif ServiceDay.objects.filter(assignment=assignment, month=month_start(held_on)).exists():
        errors["held_on"] = [f"{held_on:%Y年%m月}的集中服务日已登记。"]
    text_field(errors, "work", work, "服务内容", 1000, required=True)
    if households is None or households < 0 or households > 10000:
        errors["households"] = ["走访户数须为 0 至 10000 的整数。"]
    if errors:
        raise DomainError("集中服务日有误，未保存。", errors)
    day = ServiceDay.objects.create(
        assignment=assignment,
        village_id=assignment.village_id,
        month=month_start(held_on),
        held_on=held_on,
        work=work,
        households=households,
    )
    refresh_tally(assignment.village_id)
    record(
        actor=actor,
        region_code=assignment.village_id,
        event="liaison.service_day",
        summary=f"{assignment.name}集中服务日（{held_on:%Y-%m-%d}，走访 {households} 户）",
        obj=day,
        after={"服务日期": held_on, "服务内容": work, "走访户数": households},
    )
    return day


@transaction.atomic
def talk_add(
    *, actor: Actor, assignment: Assignment, held_on: date, group: str, talked_with: str, topic: str
) -> LiaisonTalk:
    talk_policy.check_in_region(actor, "change", assignment.village_id)
    talked_with, topic = clean_text(talked_with), clean_text(topic)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate() or not _active_on(assignment, held_on):
        errors["held_on"] = ["谈话日期须在联系期间内，且不晚于今天。"]
    if group not in TalkGroup.values:
        errors["group"] = ["请选择访班子、访党员或访群众。"]
    text_field(errors, "talked_with", talked_with, "谈话对象", 100, required=True)
    text_field(errors, "topic", topic, "谈话内容", 1000, required=True)
    if errors:
        raise DomainError("谈心谈话有误，未保存。", errors)
    talk = LiaisonTalk.objects.create(
        assignment=assignment,
        village_id=assignment.village_id,
        held_on=held_on,
        group=group,
        talked_with=talked_with,
        topic=topic,
    )
    refresh_tally(assignment.village_id)
    record(
        actor=actor,
        region_code=assignment.village_id,
        event="liaison.talk",
        summary=f"{assignment.name}谈心谈话（{talk.get_group_display()}：{talked_with}，{held_on:%Y-%m-%d}）",
        obj=talk,
        after={"谈话日期": held_on, "三访类别": talk.get_group_display(), "谈话对象": talked_with, "谈话内容": topic},
    )
    return talk


@transaction.atomic
def matter_raise(
    *,
    actor: Actor,
    assignment: Assignment,
    raised_on: date,
    title: str,
    detail: str = "",
    owner: str = "",
    due_on: date | None = None,
) -> Matter:
    """A matter the cadre takes up becomes an item of the village's issue board (its owner the cadre unless
    another is named), so it is followed and closed where the village's other problems are."""
    matter_policy.check_in_region(actor, "change", assignment.village_id)
    if raised_on > timezone.localdate() or not _active_on(assignment, raised_on):
        raise DomainError("协调事项有误，未保存。", {"raised_on": ["提出日期须在联系期间内，且不晚于今天。"]})
    issue = issue_raise(
        actor=actor,
        village_code=assignment.village_id,
        title=clean_text(title),
        owner=clean_text(owner) or assignment.name,
        due_on=due_on or date.fromordinal(raised_on.toordinal() + MATTER_DAYS),
        detail=f"驻村(包村)干部{assignment.name}（{assignment.unit}）{raised_on:%Y-%m-%d}提出。{clean_text(detail)}",
    )
    matter = Matter.objects.create(
        assignment=assignment, village_id=assignment.village_id, issue=issue, raised_on=raised_on
    )
    refresh_tally(assignment.village_id)
    record(
        actor=actor,
        region_code=assignment.village_id,
        event="liaison.matter_raised",
        summary=f"{assignment.name}提出协调事项：{issue.title}",
        obj=matter,
        after={"事项": issue.title, "提出日期": raised_on},
    )
    return matter


@transaction.atomic
def matter_resolve(
    *, actor: Actor, matter: Matter, resolution: str, resolved_on: date, expected_version: int | None
) -> Matter:
    """Resolved = closed on the issue board (its transition table and its checks), counted here."""
    matter_policy.check(actor, "change", matter)
    issue_move(
        actor=actor,
        issue=matter.issue,
        to_status=IssueStatus.CLOSED,
        expected_version=expected_version,
        resolution=clean_text(resolution),
        closed_on=resolved_on,
    )
    refresh_tally(matter.village_id)
    return matter


@transaction.atomic
def rating_record(
    *,
    actor: Actor,
    village_code: str,
    year: int,
    round: int,
    kind: str,
    score: int,
    rated_on: date,
    rated_by: str,
    note: str = "",
) -> Rating:
    """One 察 rating of a village for a round, on the scale in force on the day; once per village, round and kind
    (a rating is a judgement on record: a wrong one is answered by the next round, not overwritten)."""
    rating_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    rated_by, note = clean_text(rated_by), clean_text(note)
    errors: dict[str, list[str]] = {}
    if not Region.objects.filter(code=village_code, level=Level.VILLAGE).exists():
        errors["village"] = ["须为村(社区)。"]
    if kind not in RatingKind.values:
        errors["kind"] = ["请选择班子战斗力、干部满意度或村社融合度。"]
    if not 2000 <= year <= 2100 or not 1 <= round <= 12:
        errors["round"] = ["年度或轮次有误（轮次 1 至 12）。"]
    if rated_on > timezone.localdate():
        errors["rated_on"] = ["评定日期不能晚于今天。"]
    scale = scale_on(rated_on)
    if not scale.low <= score <= scale.high:
        errors["score"] = [f"评定须在 {scale.low} 至 {scale.high} 之间（{scale.rule}）。"]
    text_field(errors, "rated_by", rated_by, "评定人", 50, required=True)
    if len(note) > 500:
        errors["note"] = ["说明不超过 500 字。"]
    if not errors and Rating.objects.filter(village_id=village_code, year=year, round=round, kind=kind).exists():
        errors["kind"] = ["本轮该项已评定。"]
    if errors:
        raise DomainError("三察评定有误，未保存。", errors)
    rating = Rating.objects.create(
        village_id=village_code,
        year=year,
        round=round,
        kind=kind,
        score=score,
        scale_low=scale.low,
        scale_high=scale.high,
        scale_rule=scale.rule,
        rated_on=rated_on,
        rated_by=rated_by,
        note=note,
    )
    record(
        actor=actor,
        region_code=village_code,
        event="liaison.rated",
        summary=f"{year}年第{round}轮{rating.get_kind_display()}：{score}（{scale.low}-{scale.high}）",
        obj=rating,
        after={"察看项目": rating.get_kind_display(), "评定": score, "评定规则": scale.rule, "评定人": rated_by},
    )
    return rating


def months_between(first: date, last: date) -> Iterable[date]:
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        yield date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
