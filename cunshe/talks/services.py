"""Every write of the talks module: a talk (with the issues it raised from cunshe/issueboard), its follow-ups and
their completion. Each service checks the access rule, validates everything first, keeps the month tally and
records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.core.transitions import check_move
from cunshe.issueboard.models import Issue
from cunshe.issueboard.permissions import issue_policy
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.talks.models import TRANSITIONS, FollowUp, MonthTally, Status, Talk
from cunshe.talks.permissions import followup_policy, talk_policy
from cunshe.teams.models import Post, TeamMember


def current_secretary(village_code: str) -> str:
    """The name of the village's party secretary in office (the person a talk is with by default)."""
    member = (
        TeamMember.objects.filter(region_id=village_code, post=Post.SECRETARY, ended_on__isnull=True)
        .select_related("person")
        .first()
    )
    return member.person.name if member else ""


def _follow_errors(task: str, owner: str, due_on: date | None, held_on: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not task or len(task) > 300:
        errors["task"] = ["请填写整改事项（不超过 300 字）。"]
    if not owner or len(owner) > 50:
        errors["owner"] = ["请填写责任人（不超过 50 字）。"]
    if due_on is None or due_on < held_on:
        errors["due_on"] = [f"完成时限不能早于谈心日期（{held_on:%Y-%m-%d}）。"]
    return errors


@transaction.atomic
def talk_record(
    *,
    actor: Actor,
    village_code: str,
    held_on: date,
    place: str,
    talker: str,
    points: str,
    secretary: str = "",
    issue_ids: Iterable[int] = (),
    follow_ups: Iterable[dict[str, object]] = (),
) -> Talk:
    """Record a talk held with the village's secretary, the issues it took up (issues of that village) and what
    was agreed to be done (task, owner, deadline)."""
    talk_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("点评谈心的对象是村(社区)党组织书记。", {"village": ["须为村(社区)。"]})
    place, talker, points = clean_text(place), clean_text(talker), clean_text(points)
    secretary = clean_text(secretary) or current_secretary(village_code)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = ["谈心日期不能晚于今天。"]
    if not place or len(place) > 100:
        errors["place"] = ["请填写地点（不超过 100 字）。"]
    if not talker or len(talker) > 50:
        errors["talker"] = ["请填写谈心人（不超过 50 字）。"]
    if not secretary or len(secretary) > 50:
        errors["secretary"] = ["请填写谈心对象（该村尚无在任党组织书记记录）。"]
    if not points or len(points) > 5000:
        errors["points"] = ["请填写点评内容（不超过 5000 字）。"]
    ids = {int(i) for i in issue_ids}
    scope = Issue.objects.all() if actor is SYSTEM else issue_policy.visible_to(actor)
    issues = list(scope.filter(pk__in=ids, region_id=village_code))
    if len(issues) != len(ids):
        errors["issue_ids"] = ["所选问题须是本村(社区)问题清单中的问题。"]
    tasks: list[tuple[str, str, date]] = []
    for n, f in enumerate(follow_ups, start=1):
        task, owner = clean_text(str(f.get("task") or "")), clean_text(str(f.get("owner") or ""))
        due = f.get("due_on")
        due_on = due if isinstance(due, date) else None
        for field, texts in _follow_errors(task, owner, due_on, held_on).items():
            errors.setdefault(f"follow_ups.{n}.{field}", []).extend(texts)
        if due_on is not None:
            tasks.append((task, owner, due_on))
    if errors:
        raise DomainError("谈心记录有误，未保存。", errors)
    talk = Talk.objects.create(
        village=village,
        town_id=village_code[:9],
        held_on=held_on,
        place=place,
        talker=talker,
        secretary=secretary,
        points=points,
        written_by=user_of(actor),
    )
    talk.issues.set(issues)
    FollowUp.objects.bulk_create(
        FollowUp(talk=talk, village_id=village_code, task=t, owner=o, due_on=d) for t, o, d in tasks
    )
    month = held_on.replace(day=1)
    row, _ = MonthTally.objects.get_or_create(town_id=village_code[:9], month=month)
    MonthTally.objects.filter(pk=row.pk).update(talks=F("talks") + 1)
    record(
        actor=actor,
        region_code=village_code,
        event="talks.held",
        summary=f"{talker}与{village.name}党组织书记{secretary}点评谈心（{held_on:%Y-%m-%d}）",
        obj=talk,
        after={
            "谈心日期": held_on,
            "地点": place,
            "谈心对象": secretary,
            "点评内容": points,
            "反映的问题": "；".join(i.title for i in issues),
            "整改事项": "；".join(f"{t}（{o}，{d:%Y-%m-%d}前）" for t, o, d in tasks),
        },
    )
    return talk


@transaction.atomic
def followup_add(*, actor: Actor, talk: Talk, task: str, owner: str, due_on: date) -> FollowUp:
    talk_policy.check(actor, "change", talk)
    task, owner = clean_text(task), clean_text(owner)
    if errors := _follow_errors(task, owner, due_on, talk.held_on):
        raise DomainError("整改事项有误，未保存。", errors)
    f = FollowUp.objects.create(talk=talk, village_id=talk.village_id, task=task, owner=owner, due_on=due_on)
    record(
        actor=actor,
        region_code=talk.village_id,
        event="talks.followup_added",
        summary=f"点评谈心（{talk.held_on:%Y-%m-%d}）整改事项：{task}",
        obj=f,
        after={"整改事项": task, "责任人": owner, "完成时限": due_on},
    )
    return f


@transaction.atomic
def followup_done(
    *, actor: Actor, follow_up: FollowUp, result: str, done_on: date, expected_version: int | None
) -> FollowUp:
    followup_policy.check(actor, "change", follow_up)
    result = clean_text(result)
    errors: dict[str, list[str]] = {}
    if not result or len(result) > 300:
        errors["result"] = ["请填写落实情况（不超过 300 字）。"]
    held_on = follow_up.talk.held_on
    if not held_on <= done_on <= timezone.localdate():
        errors["done_on"] = [f"落实日期须在谈心日期（{held_on:%Y-%m-%d}）与今天之间。"]
    if errors:
        raise DomainError("落实情况有误，未保存。", errors)
    check_move(TRANSITIONS, follow_up.status, Status.DONE, Status, what="整改事项")
    f = FollowUp.objects.get(pk=follow_up.pk)
    bump_version(f, expected_version=expected_version)
    check_move(TRANSITIONS, f.status, Status.DONE, Status, what="整改事项")
    f.status, f.result, f.done_on = Status.DONE, result, done_on
    f.save(update_fields=["status", "result", "done_on", "version"])
    late = "（逾期）" if done_on > f.due_on else ""
    record(
        actor=actor,
        region_code=f.village_id,
        event="talks.followup_done",
        summary=f"整改事项已落实{late}：{f.task}",
        obj=f,
        before={"状态": Status.OPEN.label},
        after={"状态": Status.DONE.label, "落实情况": result, "落实日期": done_on},
    )
    return f
