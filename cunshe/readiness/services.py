"""Readiness assessments, the village plan, the election work plan and the intent survey. Each write keeps the
village's Readiness row in step, in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import Versioned, bump_version
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from cunshe.core.transitions import check_move
from cunshe.readiness.models import (
    TASK_TRANSITIONS,
    Intent,
    Intention,
    PlanItem,
    Readiness,
    ReadinessAssessment,
    Risk,
    Stability,
    Task,
    TaskStatus,
    TemplateTask,
)
from cunshe.readiness.overdue import village_overdue_refresh
from cunshe.readiness.permissions import (
    assessment_policy,
    intent_policy,
    plan_item_policy,
    task_policy,
    template_policy,
)
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region
from cunshe.teams.models import Post, TeamMember
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change

# The election work plan of seed 004 (瑞安 "一表一图一本两率", 洞头 and 龙港), in days after the term change opened;
# a county that sets its own template replaces it.
DEFAULT_TEMPLATE: list[tuple[str, int]] = [
    ("建好“一村一策”档案", 10),
    ("入户宣传“一肩挑”政策", 20),
    ("党员组织关系排查", 30),
    ("走访全覆盖、问题清单销号", 45),
    ("两票一度测评", 55),
    ("选情评估、沙盘推演", 60),
    ("候选人资格联审", 75),
    ("选民登记、公布选民名单", 80),
    ("村(社区)党组织换届选举", 90),
    ("村(居)民委员会换届选举", 105),
    ("新老班子工作交接", 115),
]


def _term_change(code: str) -> TermChange:
    term_change = current_term_change(code)
    if term_change is None:
        raise DomainError("本县(市、区)尚未启动换届，请先由县委组织部启动换届。")
    return term_change


def _check_village(actor: Actor, policy: Any, village_code: str) -> None:
    policy.check_in_region(
        actor,
        "change",
        village_code,
        message="您的角色无权修改该村(社区)的选情资料。",
        missing="未找到该村(社区)。",
    )
    if not Region.objects.filter(code=village_code, level=Level.VILLAGE).exists():
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})


def _row(term_change: TermChange, village_code: str) -> Readiness:
    row, _ = Readiness.objects.get_or_create(term_change=term_change, region_id=village_code)
    return row


@transaction.atomic
def assessment_file(
    *,
    actor: Actor,
    village_code: str,
    assessed_on: date,
    stability: str,
    risk: str,
    petitions: int = 0,
    conflicts: str = "",
    candidates: str = "",
    note: str = "",
) -> ReadinessAssessment:
    _check_village(actor, assessment_policy, village_code)
    term_change = _term_change(village_code)
    errors: dict[str, list[str]] = {}
    if stability not in Stability.values:
        errors["stability"] = ["请选择班子稳定情况。"]
    if risk not in Risk.values:
        errors["risk"] = ["请选择风险等级。"]
    if petitions < 0:
        errors["petitions"] = ["信访件数不能为负数。"]
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = ["评估日期不能晚于今天。"]
    elif assessed_on < term_change.opened_on:
        errors["assessed_on"] = ["评估日期不能早于换届启动日期。"]
    if risk == Risk.RED and not note.strip():
        errors["note"] = ["评为红色须写明研判意见。"]
    if errors:
        raise DomainError("选情评估有误，未保存。", errors)
    assessment = ReadinessAssessment.objects.create(
        term_change=term_change,
        region_id=village_code,
        assessed_on=assessed_on,
        stability=stability,
        conflicts=conflicts.strip(),
        petitions=petitions,
        candidates=candidates.strip(),
        risk=risk,
        note=note.strip(),
        assessed_by=user_of(actor),
    )
    row = _row(term_change, village_code)
    before = {"风险等级": row.get_risk_display() if row.risk else "未评估"}
    # A late filing of an older assessment goes into the history without replacing the newer one.
    if row.assessed_on is None or assessed_on >= row.assessed_on:
        Readiness.objects.filter(pk=row.pk).update(risk=risk, assessed_on=assessed_on)
    record(
        actor=actor,
        region_code=village_code,
        event="readiness.assessed",
        summary=f"选情评估（{assessed_on:%Y-%m-%d}）：{assessment.get_risk_display()}",
        obj=assessment,
        before=before,
        after={
            "风险等级": assessment.get_risk_display(),
            "班子稳定": assessment.get_stability_display(),
            "信访件数": petitions,
            "矛盾纠纷": assessment.conflicts,
            "研判意见": assessment.note,
        },
    )
    return assessment


def _plan_item_checked(
    term_change: TermChange, problem: str, measure: str, owner: str, due_on: date | None
) -> dict[str, Any]:
    """The fields of a village plan item as they will be saved, or one DomainError naming every wrong field."""
    errors: dict[str, list[str]] = {}
    if not problem.strip():
        errors["problem"] = ["请填写问题。"]
    elif len(problem.strip()) > 200:
        errors["problem"] = ["问题不能超过 200 个字。"]
    if not measure.strip():
        errors["measure"] = ["请填写对策措施。"]
    if not owner.strip():
        errors["owner"] = ["请填写责任人。"]
    elif len(owner.strip()) > 50:
        errors["owner"] = ["责任人不能超过 50 个字。"]
    if due_on is None or due_on < term_change.opened_on:
        errors["due_on"] = ["请填写不早于换届启动日期的完成时限。"]
    if errors:
        raise DomainError("一村一策有误，未保存。", errors)
    return {"problem": problem.strip(), "measure": measure.strip(), "owner": owner.strip(), "due_on": due_on}


def _unchanged(obj: Versioned, expected_version: int | None) -> None:
    """A save that changes nothing writes nothing (no new version, no record-book entry), but it still tells the
    user when what they saw is stale."""
    if expected_version != obj.version:
        raise ConcurrentEdit()


def _plan_item_snapshot(item: PlanItem) -> dict[str, Any]:
    return {"问题": item.problem, "对策措施": item.measure, "责任人": item.owner, "完成时限": item.due_on}


@transaction.atomic
def plan_item_add(
    *, actor: Actor, village_code: str, problem: str, measure: str, owner: str, due_on: date | None
) -> PlanItem:
    _check_village(actor, plan_item_policy, village_code)
    term_change = _term_change(village_code)
    fields = _plan_item_checked(term_change, problem, measure, owner, due_on)
    item = PlanItem.objects.create(term_change=term_change, region_id=village_code, **fields)
    record(
        actor=actor,
        region_code=village_code,
        event="readiness.plan_item_added",
        summary=f"一村一策：{item.problem}",
        obj=item,
        after=_plan_item_snapshot(item),
    )
    return item


@transaction.atomic
def plan_item_update(
    *,
    actor: Actor,
    item: PlanItem,
    expected_version: int | None,
    problem: str,
    measure: str,
    owner: str,
    due_on: date | None,
) -> PlanItem:
    """Correct an open item of the village plan (a typo, a later deadline, another owner); a done one is history."""
    plan_item_policy.check(actor, "change", item)
    if item.done_on is not None:
        raise DomainError(f"“{item.problem}”已于 {item.done_on:%Y-%m-%d} 完成，已完成的事项作为历史保留，不能再修改。")
    fields = _plan_item_checked(item.term_change, problem, measure, owner, due_on)
    before = _plan_item_snapshot(item)
    if all(getattr(item, key) == value for key, value in fields.items()):
        _unchanged(item, expected_version)
        return item
    bump_version(item, expected_version=expected_version)
    for key, value in fields.items():
        setattr(item, key, value)
    item.save(update_fields=list(fields))
    after = _plan_item_snapshot(item)
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=item.region_id,
        event="readiness.plan_item_updated",
        summary=f"修改一村一策：{item.problem}",
        obj=item,
        before=before,
        after=after,
    )
    return item


@transaction.atomic
def plan_item_done(*, actor: Actor, item: PlanItem, done_on: date | None, expected_version: int | None) -> PlanItem:
    plan_item_policy.check(actor, "change", item)
    if item.done_on is not None:
        raise DomainError(f"“{item.problem}”已于 {item.done_on:%Y-%m-%d} 完成。")
    if done_on is None or done_on > timezone.localdate():
        raise DomainError("请填写不晚于今天的完成日期。", {"done_on": ["请填写不晚于今天的完成日期。"]})
    bump_version(item, expected_version=expected_version)
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    record(
        actor=actor,
        region_code=item.region_id,
        event="readiness.plan_item_done",
        summary=f"一村一策“{item.problem}”已完成",
        obj=item,
        before={"完成日期": None},
        after={"完成日期": done_on},
    )
    return item


def _template_task_checked(title: str, offset_days: int) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写工作事项。"]
    elif len(title.strip()) > 100:
        errors["title"] = ["工作事项不能超过 100 个字。"]
    if not 0 <= offset_days <= 365:
        errors["offset_days"] = ["须在启动后 0 到 365 天之间。"]
    if errors:
        raise DomainError("作战图模板事项有误，未保存。", errors)
    return {"title": title.strip(), "offset_days": offset_days}


def _template_snapshot(task: TemplateTask) -> dict[str, Any]:
    return {"序号": task.position, "工作事项": task.title, "启动后天数": task.offset_days}


def _template_state(task: TemplateTask) -> str:
    return "在用" if task.retired_on is None else f"已停用（{task.retired_on:%Y-%m-%d}）"


def _template_locked(task: TemplateTask) -> list[TemplateTask]:
    """Every task of the template (in use or not) in order, locked: moves renumber them and the last task in use
    must not be taken out by two people at once."""
    return list(
        TemplateTask.objects.select_for_update().filter(term_change_id=task.term_change_id).order_by("position")
    )


@transaction.atomic
def template_task_add(*, actor: Actor, county_code: str, title: str, offset_days: int) -> TemplateTask:
    template_policy.check_in_region(actor, "change", county_code, missing="未找到该县。")
    term_change = _term_change(county_code)
    fields = _template_task_checked(title, offset_days)
    existing = TemplateTask.objects.filter(term_change=term_change)
    task = TemplateTask.objects.create(
        term_change=term_change,
        county_id=term_change.county_id,
        position=(max((t.position for t in existing), default=0)) + 1,
        **fields,
    )
    record(
        actor=actor,
        region_code=term_change.county_id,
        event="readiness.template_task_added",
        summary=f"选务作战图模板增加：{task.title}（启动后第 {offset_days} 天）",
        obj=task,
        after={"工作事项": task.title, "启动后天数": offset_days},
    )
    return task


@transaction.atomic
def template_task_update(
    *,
    actor: Actor,
    task: TemplateTask,
    expected_version: int | None,
    title: str,
    offset_days: int,
    position: int | None = None,
) -> TemplateTask:
    """Correct a task of the county's template, and move it to another place when `position` names one (the tasks
    between shift by one). Work plans already made keep their tasks; plans made from now on follow the template."""
    template_policy.check(actor, "change", task)
    fields = _template_task_checked(title, offset_days)
    tasks = _template_locked(task)
    if position is not None and not 1 <= position <= len(tasks):
        raise DomainError("作战图模板事项有误，未保存。", {"position": [f"序号须在 1 到 {len(tasks)} 之间。"]})
    moving = position is not None and position != task.position
    if not moving and all(getattr(task, key) == value for key, value in fields.items()):
        _unchanged(task, expected_version)
        return task
    before = _template_snapshot(task)
    bump_version(task, expected_version=expected_version)
    if moving:
        assert position is not None
        _template_move(task, tasks, position)
    for key, value in fields.items():
        setattr(task, key, value)
    task.save(update_fields=[*fields, "position"])
    after = _template_snapshot(task)
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=task.county_id,
        event="readiness.template_task_updated",
        summary=f"修改选务作战图模板事项：{task.title}",
        obj=task,
        before=before,
        after=after,
    )
    return task


def _template_move(task: TemplateTask, tasks: list[TemplateTask], to: int) -> None:
    order = [t for t in tasks if t.pk != task.pk]
    order.insert(to - 1, task)
    shifted = [(n, t) for n, t in enumerate(order, start=1) if t.pk != task.pk and t.position != n]
    # The positions are unique: park the task at 0, then shift the others starting next to the place it left, so
    # no two rows ever share a position. A shifted task is a changed task: an edit of it begun before is stale.
    TemplateTask.objects.filter(pk=task.pk).update(position=0)
    for n, other in sorted(shifted, key=lambda s: s[0], reverse=to < task.position):
        TemplateTask.objects.filter(pk=other.pk).update(position=n, version=F("version") + 1)
    task.position = to


@transaction.atomic
def template_task_set_active(
    *, actor: Actor, task: TemplateTask, expected_version: int | None, active: bool
) -> TemplateTask:
    """Take a task out of the county's template (停用, dated today) or put it back (启用). The row stays; work plans
    already made from the template keep their tasks, only plans made from now on leave it out."""
    template_policy.check(actor, "change", task)
    if task.is_active == active:
        raise IllegalTransition(
            f"“{task.title}”{'已在用' if active else '已停用'}，无需再{'启用' if active else '停用'}。"
        )
    in_use = [t for t in _template_locked(task) if t.retired_on is None and t.pk != task.pk]
    if not active and not in_use:
        raise DomainError("模板至少须保留一项在用的事项；如要整体替换，请先增加新事项，再停用旧事项。")
    before = _template_state(task)
    bump_version(task, expected_version=expected_version)
    task.retired_on = None if active else timezone.localdate()
    task.save(update_fields=["retired_on"])
    record(
        actor=actor,
        region_code=task.county_id,
        event="readiness.template_task_restored" if active else "readiness.template_task_retired",
        summary=f"选务作战图模板{'启用' if active else '停用'}：{task.title}",
        obj=task,
        before={"状态": before},
        after={"状态": _template_state(task)},
    )
    return task


def template_of(term_change: TermChange) -> list[tuple[str, int]]:
    """The tasks in use, in order, that a work plan is made from; the default while the county has set none."""
    rows = TemplateTask.objects.filter(term_change=term_change, retired_on__isnull=True).order_by("position")
    return [(t.title, t.offset_days) for t in rows] or DEFAULT_TEMPLATE


@transaction.atomic
def work_plan_make(*, actor: Actor, village_code: str, owner: str) -> list[Task]:
    """Make the village's election work plan from the county's template (or the default one)."""
    _check_village(actor, task_policy, village_code)
    term_change = _term_change(village_code)
    if not owner.strip():
        raise DomainError("请填写责任人。", {"owner": ["请填写责任人（如驻村干部）。"]})
    if Task.objects.filter(term_change=term_change, region_id=village_code).exists():
        raise DomainError("该村(社区)已有选务作战图。")
    tasks = Task.objects.bulk_create(
        Task(
            term_change=term_change,
            region_id=village_code,
            position=n,
            title=title,
            owner=owner.strip(),
            due_on=term_change.opened_on + timedelta(days=days),
        )
        for n, (title, days) in enumerate(template_of(term_change), start=1)
    )
    row = _row(term_change, village_code)
    Readiness.objects.filter(pk=row.pk).update(tasks=F("tasks") + len(tasks))
    village_overdue_refresh(term_change.pk, village_code)
    record(
        actor=actor,
        region_code=village_code,
        event="readiness.work_plan_made",
        summary=f"制定选务作战图：{len(tasks)} 项，责任人 {owner.strip()}",
        after={"事项": [f"{t.due_on:%Y-%m-%d} {t.title}" for t in tasks]},
    )
    return tasks


@transaction.atomic
def task_move(
    *, actor: Actor, task: Task, to_status: str, expected_version: int | None, done_on: date | None = None
) -> Task:
    task_policy.check(actor, "change", task)
    check_move(TASK_TRANSITIONS, task.status, to_status, TaskStatus, what="事项")
    if to_status == TaskStatus.DONE:
        if done_on is None:
            raise DomainError("请填写完成日期。", {"done_on": ["请填写完成日期。"]})
        if done_on > timezone.localdate():
            raise DomainError("完成日期不能晚于今天。", {"done_on": ["完成日期不能晚于今天。"]})
    before = task.get_status_display()
    was_done = task.status == TaskStatus.DONE
    bump_version(task, expected_version=expected_version)
    task.status = to_status
    task.done_on = done_on if to_status == TaskStatus.DONE else None
    task.save(update_fields=["status", "done_on"])
    delta = int(to_status == TaskStatus.DONE) - int(was_done)
    if delta:
        row = _row(task.term_change, task.region_id)
        Readiness.objects.filter(pk=row.pk).update(tasks_done=F("tasks_done") + delta)
    village_overdue_refresh(task.term_change_id, task.region_id)
    record(
        actor=actor,
        region_code=task.region_id,
        event="readiness.task_moved",
        summary=f"选务作战图“{task.title}”：{before} → {task.get_status_display()}",
        obj=task,
        before={"状态": before},
        after={"状态": task.get_status_display(), "完成日期": task.done_on},
    )
    return task


def _intent_errors(
    member: TeamMember, intention: str, desired_post: str, surveyed_on: date | None
) -> dict[str, list[str]]:
    """The rules of one intention, the same for an entry on the page or through the API and for each row of the
    intent sheet; each message names its field, so it reads whole in a message line and in a sheet's row."""
    errors: dict[str, list[str]] = {}
    if member.ended_on is not None:
        errors["member"] = [f"{member.person.name} 已离任，无需排摸。"]
    if intention not in Intention.values:
        errors["intention"] = ["请选择换届意愿。"]
    if intention == Intention.RUN_FOR and desired_post not in Post.values:
        errors["desired_post"] = ["意向职务：选择“愿意竞选其他职务”时必填。"]
    if intention != Intention.RUN_FOR and desired_post:
        errors["desired_post"] = ["意向职务：只有“愿意竞选其他职务”需要填写。"]
    if surveyed_on is None:
        errors["surveyed_on"] = ["排摸日期：必填。"]
    elif surveyed_on > timezone.localdate():
        errors["surveyed_on"] = ["排摸日期：不能晚于今天。"]
    return errors


@transaction.atomic
def intent_record(
    *,
    actor: Actor,
    member: TeamMember,
    intention: str,
    surveyed_on: date,
    desired_post: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Intent:
    """Record or revise a current cadre's intention; a revision names the version it started from."""
    _check_village(actor, intent_policy, member.region_id)
    term_change = _term_change(member.region_id)
    errors = _intent_errors(member, intention, desired_post, surveyed_on)
    if errors:
        raise DomainError("换届意愿有误，未保存。", errors)
    intent = Intent.objects.filter(term_change=term_change, member=member).first()
    values = {"intention": intention, "desired_post": desired_post, "note": note.strip(), "surveyed_on": surveyed_on}
    if intent is None:
        intent = Intent.objects.create(term_change=term_change, region_id=member.region_id, member=member, **values)
        row = _row(term_change, member.region_id)
        Readiness.objects.filter(pk=row.pk).update(intents=F("intents") + 1)
        before: dict[str, Any] = {}
    else:
        before = {"换届意愿": intent.get_intention_display(), "意向职务": intent.desired_post_label}
        bump_version(intent, expected_version=expected_version)
        for key, value in values.items():
            setattr(intent, key, value)
        intent.save(update_fields=list(values))
    post = Post(desired_post).label if desired_post else ""
    record(
        actor=actor,
        region_code=member.region_id,
        event="readiness.intent_recorded",
        summary=f"换届意愿排摸：{member.person.name}（{member.get_post_display()}）{intent.get_intention_display()}{post}",
        obj=intent,
        before=before,
        after={"换届意愿": intent.get_intention_display(), "意向职务": post, "说明": intent.note},
    )
    return intent
