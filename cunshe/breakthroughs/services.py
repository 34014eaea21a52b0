"""Every write of the breakthrough projects: the county's task list, a village's proposal (its current secretary,
one project per secretary and term change, with milestones), the town's approval, milestones reached, progress
reports with photos, the result and the town's rating. Each service checks the access rule, validates first and
records; the approval tells the first-year programme (firstyear.facts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cunshe.breakthroughs.models import TRANSITIONS, Milestone, Project, Rating, Report, Status, Task
from cunshe.breakthroughs.permissions import project_policy, task_policy
from cunshe.core.actors import Actor, user_of
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.core.transitions import check_move, move
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.models import Post, TeamMember
from cunshe.termchanges.models import TermChange

PHOTO_TYPES = {"jpg", "jpeg", "png", "webp", "heic"}
PHOTO_MAX_BYTES = 10 * 2**20
MAX_MILESTONES = 12


def _check_move(project: Project, target: str) -> None:
    """Checked before the form: its dates are read against the ones the current status set."""
    check_move(TRANSITIONS, project.status, target, Status, what="突破项目")


def _move(project: Project, target: str, expected_version: int | None) -> str:
    return move(project, target, table=TRANSITIONS, labels=Status, what="突破项目", expected_version=expected_version)


@transaction.atomic
def task_add(*, actor: Actor, county_code: str, title: str, description: str = "") -> Task:
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("须为县(市、区)。", {"county": ["须为县(市、区)。"]})
    task_policy.check_in_region(actor, "change", county.code)
    title, description = clean_text(title), clean_text(description)
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 80:
        errors["title"] = ["请填写任务（不超过 80 字）。"]
    elif Task.objects.filter(county=county, title=title).exists():
        errors["title"] = ["任务清单中已有该任务。"]
    if len(description) > 300:
        errors["description"] = ["说明不超过 300 字。"]
    if errors:
        raise DomainError("任务有误，未保存。", errors)
    task = Task.objects.create(county=county, title=title, description=description)
    record(
        actor=actor,
        region_code=county.code,
        event="breakthroughs.task_added",
        summary=f"{county.name}突破项目任务清单增加：{title}",
        obj=task,
        after={"任务": title, "说明": description},
    )
    return task


def current_secretary(village_code: str) -> TeamMember | None:
    return (
        TeamMember.objects.filter(region_id=village_code, post=Post.SECRETARY, ended_on__isnull=True)
        .select_related("person")
        .order_by("-started_on")
        .first()
    )


def _milestone_errors(milestones: Sequence[tuple[str, date]], since: date) -> list[str]:
    if not milestones:
        return ["请至少列出一个节点（做什么、何时完成）。"]
    if len(milestones) > MAX_MILESTONES:
        return [f"节点不超过 {MAX_MILESTONES} 个。"]
    problems = []
    for n, (title, due_on) in enumerate(milestones, start=1):
        if not clean_text(title) or len(clean_text(title)) > 100:
            problems.append(f"第 {n} 个节点：请填写内容（不超过 100 字）。")
        if due_on < since:
            problems.append(f"第 {n} 个节点：计划完成日期不能早于申报日期。")
    return problems


@transaction.atomic
def project_propose(
    *,
    actor: Actor,
    village_code: str,
    task: Task,
    title: str,
    goal: str,
    milestones: Sequence[tuple[str, date]],
    proposed_on: date,
) -> Project:
    """The village's secretary takes on one task of the county's list: the project is the current secretary's, one
    per secretary and term change, and goes to the town for approval."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    project_policy.check_in_region(actor, "change", village.code)
    title, goal = clean_text(title), clean_text(goal)
    errors: dict[str, list[str]] = {}
    if task.county_id != village.code[:6] or not task.is_active:
        errors["task"] = ["请从本县任务清单中选择。"]
    if not title or len(title) > 100:
        errors["title"] = ["请填写项目名称（不超过 100 字）。"]
    if not goal or len(goal) > 2000:
        errors["goal"] = ["请填写目标（不超过 2000 字）。"]
    if proposed_on > timezone.localdate():
        errors["proposed_on"] = ["申报日期不能晚于今天。"]
    if problems := _milestone_errors(milestones, proposed_on):
        errors["milestones"] = problems
    secretary = current_secretary(village.code)
    term_change = TermChange.objects.filter(county_id=village.code[:6]).order_by("-year").first()
    if secretary is None or term_change is None:
        raise DomainError("该村(社区)尚无党组织书记，不能申报书记突破项目。")
    if secretary.started_on > proposed_on:
        errors["proposed_on"] = [f"申报日期不能早于书记任职（{secretary.started_on:%Y-%m-%d}）。"]
    if errors:
        raise DomainError("突破项目有误，未保存。", errors)
    if Project.objects.filter(term_change=term_change, region=village).exists():
        raise DomainError("本届本村(社区)已有书记突破项目（每位书记一项）。")
    project = Project.objects.create(
        region=village,
        term_change=term_change,
        secretary=secretary.person,
        task=task,
        title=title,
        goal=goal,
        proposed_on=proposed_on,
    )
    Milestone.objects.bulk_create(
        Milestone(project=project, region=village, position=n, title=clean_text(t), due_on=d)
        for n, (t, d) in enumerate(milestones, start=1)
    )
    record(
        actor=actor,
        region_code=village.code,
        event="breakthroughs.proposed",
        summary=f"{village.name}书记突破项目申报：{title}（{secretary.person.name}，{task.title}）",
        obj=project,
        after={
            "项目名称": title,
            "任务": task.title,
            "书记": secretary.person.name,
            "目标": goal,
            "节点": [f"{clean_text(t)}（{d:%Y-%m-%d}）" for t, d in milestones],
        },
    )
    return project


def _load(project: Project) -> Project:
    return Project.objects.select_related("region", "task", "secretary").get(pk=project.pk)


def _facts(project: Project) -> None:
    from cunshe.firstyear.services import facts_changed

    facts_changed(project.region_id)


@transaction.atomic
def project_approve(*, actor: Actor, project: Project, approved_on: date, expected_version: int | None) -> Project:
    """The town's party committee approves the project (审定): the secretary's work on it starts."""
    project_policy.check(actor, "rate", project, message="突破项目由乡镇(街道)党(工)委审定。")
    project = _load(project)
    _check_move(project, Status.APPROVED)
    if approved_on > timezone.localdate() or approved_on < project.proposed_on:
        raise DomainError(
            "审定日期有误。", {"approved_on": [f"审定日期应在申报日期（{project.proposed_on:%Y-%m-%d}）至今天之间。"]}
        )
    before = _move(project, Status.APPROVED, expected_version)
    project.approved_on = approved_on
    project.save(update_fields=["status", "approved_on"])
    record(
        actor=actor,
        region_code=project.region_id,
        event="breakthroughs.approved",
        summary=f"{project.region.name}书记突破项目审定：{project.title}（{approved_on:%Y-%m-%d}）",
        obj=project,
        before={"状态": before},
        after={"状态": project.get_status_display(), "审定日期": approved_on},
    )
    _facts(project)
    return project


@transaction.atomic
def milestone_done(*, actor: Actor, milestone: Milestone, done_on: date) -> Milestone:
    project = _load(milestone.project)
    project_policy.check(actor, "change", project)
    if project.status != Status.APPROVED:
        raise DomainError("项目审定后、完成前登记节点。")
    if milestone.done_on is not None:
        raise DomainError(f"该节点已于 {milestone.done_on:%Y-%m-%d} 完成。")
    assert project.approved_on is not None
    if done_on > timezone.localdate() or done_on < project.approved_on:
        raise DomainError(
            "完成日期有误。", {"done_on": [f"完成日期应在审定日期（{project.approved_on:%Y-%m-%d}）至今天之间。"]}
        )
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    late = " 逾期" if done_on > milestone.due_on else ""
    record(
        actor=actor,
        region_code=project.region_id,
        event="breakthroughs.milestone_done",
        summary=f"{project.region.name}突破项目节点完成：{milestone.title}（{done_on:%Y-%m-%d}{late}）",
        obj=project,
        after={"节点": milestone.title, "计划完成": milestone.due_on, "实际完成": done_on},
    )
    return milestone


def _photo_errors(photo: UploadedFile | None) -> list[str]:
    if photo is None:
        return []
    if (photo.name or "").rsplit(".", 1)[-1].lower() not in PHOTO_TYPES:
        return ["照片应为 jpg、png、webp 或 heic 文件。"]
    if (photo.size or 0) > PHOTO_MAX_BYTES:
        return ["照片不超过 10 MB。"]
    return []


@transaction.atomic
def report_add(
    *, actor: Actor, project: Project, reported_on: date, text: str, photo: UploadedFile | None = None
) -> Report:
    project = _load(project)
    project_policy.check(actor, "change", project)
    if project.status != Status.APPROVED:
        raise DomainError("项目审定后、完成前报告进展。")
    text = clean_text(text)
    errors: dict[str, list[str]] = {}
    assert project.approved_on is not None
    if reported_on > timezone.localdate() or reported_on < project.approved_on:
        errors["reported_on"] = [f"日期应在审定日期（{project.approved_on:%Y-%m-%d}）至今天之间。"]
    if not text or len(text) > 2000:
        errors["text"] = ["请填写进展（不超过 2000 字）。"]
    if problems := _photo_errors(photo):
        errors["photo"] = problems
    if errors:
        raise DomainError("进展有误，未保存。", errors)
    report = Report(project=project, region_id=project.region_id, reported_on=reported_on, text=text)
    report.written_by = user_of(actor)
    if photo is not None:
        report.photo.save(photo.name or "photo.jpg", photo, save=False)
    report.save()
    record(
        actor=actor,
        region_code=project.region_id,
        event="breakthroughs.reported",
        summary=f"{project.region.name}突破项目进展：{project.title}（{reported_on:%Y-%m-%d}）",
        obj=project,
        after={"日期": reported_on, "进展": text, **({"照片": photo.name} if photo else {})},
    )
    return report


@transaction.atomic
def project_finish(
    *, actor: Actor, project: Project, finished_on: date, result: str, expected_version: int | None
) -> Project:
    """The village reports the result; every milestone must have been reached first."""
    project_policy.check(actor, "change", project)
    project = _load(project)
    _check_move(project, Status.FINISHED)
    result = clean_text(result)
    errors: dict[str, list[str]] = {}
    assert project.approved_on is not None
    if finished_on > timezone.localdate() or finished_on < project.approved_on:
        errors["finished_on"] = [f"完成日期应在审定日期（{project.approved_on:%Y-%m-%d}）至今天之间。"]
    if not result or len(result) > 2000:
        errors["result"] = ["请填写成效（不超过 2000 字）。"]
    open_ones = [m.title for m in project.milestones.filter(done_on__isnull=True)]
    if open_ones:
        errors["milestones"] = [f"尚有节点未完成：{'、'.join(open_ones)}。"]
    if errors:
        raise DomainError("完成情况有误，未保存。", errors)
    before = _move(project, Status.FINISHED, expected_version)
    project.finished_on, project.result = finished_on, result
    project.save(update_fields=["status", "finished_on", "result"])
    record(
        actor=actor,
        region_code=project.region_id,
        event="breakthroughs.finished",
        summary=f"{project.region.name}书记突破项目完成：{project.title}（{finished_on:%Y-%m-%d}）",
        obj=project,
        before={"状态": before},
        after={"状态": project.get_status_display(), "完成日期": finished_on, "成效": result},
    )
    return project


@transaction.atomic
def project_rate(
    *, actor: Actor, project: Project, rating: str, note: str, rated_on: date, expected_version: int | None
) -> Project:
    """The town rates the finished project (优秀、良好、一般、较差) with its opinion."""
    project_policy.check(actor, "rate", project, message="突破项目由乡镇(街道)党(工)委评价。")
    project = _load(project)
    _check_move(project, Status.RATED)
    note = clean_text(note)
    errors: dict[str, list[str]] = {}
    if rating not in Rating.values:
        errors["rating"] = ["请选择评价等次。"]
    if not note or len(note) > 300:
        errors["note"] = ["请填写评价意见（不超过 300 字）。"]
    assert project.finished_on is not None
    if rated_on > timezone.localdate() or rated_on < project.finished_on:
        errors["rated_on"] = [f"评价日期应在完成日期（{project.finished_on:%Y-%m-%d}）至今天之间。"]
    if errors:
        raise DomainError("评价有误，未保存。", errors)
    before = _move(project, Status.RATED, expected_version)
    project.rating, project.rating_note, project.rated_on = rating, note, rated_on
    project.rated_by = user_of(actor)
    project.save(update_fields=["status", "rating", "rating_note", "rated_on", "rated_by"])
    record(
        actor=actor,
        region_code=project.region_id,
        event="breakthroughs.rated",
        summary=f"{project.region.name}书记突破项目评价：{project.title} {project.get_rating_display()}",
        obj=project,
        before={"状态": before},
        after={"状态": project.get_status_display(), "评价等次": project.get_rating_display(), "评价意见": note},
    )
    return project
