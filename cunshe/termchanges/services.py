"""Opening a term change with its key dates, moving it through its stages, and keeping its milestones."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.transitions import check_move
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region
from cunshe.termchanges.models import TRANSITIONS, Milestone, Status, TermChange
from cunshe.termchanges.permissions import milestone_policy, term_change_policy

# The usual sequence and spacing of a term change (seed 004 and RULES.md); every date can be changed after opening.
DEFAULT_MILESTONES: list[tuple[str, int]] = [
    ("调研摸底：走访全覆盖、问题清单", 45),
    ("两票一度测评、选情评估", 60),
    ("候选人资格联审", 75),
    ("村(社区)党组织换届选举", 90),
    ("村(居)民委员会换届选举", 105),
    ("新老班子工作交接（选举后 10 日内）", 115),
]


@transaction.atomic
def term_change_open(
    *,
    actor: Actor,
    county_code: str,
    year: int,
    opened_on: date,
    title: str = "",
    milestones: list[tuple[str, date]] | None = None,
) -> TermChange:
    county = Region.objects.filter(code=county_code).first()
    if county is None or county.level != Level.COUNTY:
        raise DomainError("换届须由县级区划发起。", {"county": ["须为县(市、区)。"]})
    term_change_policy.check_in_region(actor, "change", county_code, missing="未找到该县。")
    errors: dict[str, list[str]] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = ["换届年份不合理。"]
    plan = milestones or [(name, opened_on + timedelta(days=days)) for name, days in DEFAULT_MILESTONES]
    if any(not name.strip() for name, _ in plan):
        errors["milestones"] = ["节点名称不能为空。"]
    if any(due < opened_on for _, due in plan):
        errors["milestones"] = ["节点日期不能早于启动日期。"]
    if errors:
        raise DomainError("换届信息有误，未保存。", errors)
    term_change = TermChange(
        county=county, year=year, title=title.strip() or f"{county.name}{year}年村(社区)“两委”换届", opened_on=opened_on
    )
    try:
        with transaction.atomic():
            term_change.save()
    except IntegrityError as exc:
        raise DomainError(f"{county.name}已有 {year} 年的换届。", {"year": ["该年度已有换届。"]}) from exc
    Milestone.objects.bulk_create(
        Milestone(term_change=term_change, position=n, title=name.strip(), due_on=due)
        for n, (name, due) in enumerate(plan, start=1)
    )
    record(
        actor=actor,
        region_code=county.code,
        event="termchanges.opened",
        summary=f"启动{term_change.title}",
        obj=term_change,
        after={"名称": term_change.title, "启动日期": opened_on, "节点": [f"{n} {d}" for n, d in plan]},
    )
    return term_change


@transaction.atomic
def term_change_advance(
    *, actor: Actor, term_change: TermChange, to_status: str, expected_version: int | None
) -> TermChange:
    term_change_policy.check(actor, "change", term_change)
    check_move(TRANSITIONS, term_change.status, to_status, Status, what="换届")
    before = term_change.get_status_display()
    bump_version(term_change, expected_version=expected_version)
    term_change.status = to_status
    term_change.save(update_fields=["status"])
    record(
        actor=actor,
        region_code=term_change.county_id,
        event="termchanges.advanced",
        summary=f"{term_change.title}：{before} → {term_change.get_status_display()}",
        obj=term_change,
        before={"状态": before},
        after={"状态": term_change.get_status_display()},
    )
    return term_change


@transaction.atomic
def milestone_update(
    *, actor: Actor, milestone: Milestone, due_on: date, done_on: date | None, expected_version: int | None
) -> Milestone:
    milestone_policy.check(actor, "change", milestone)
    errors: dict[str, list[str]] = {}
    if due_on < milestone.term_change.opened_on:
        errors["due_on"] = ["截止日期不能早于换届启动日期。"]
    if done_on and done_on > timezone.localdate():
        errors["done_on"] = ["完成日期不能晚于今天。"]
    if errors:
        raise DomainError("节点信息有误，未保存。", errors)
    before: dict[str, Any] = {"截止日期": milestone.due_on, "完成日期": milestone.done_on}
    bump_version(milestone, expected_version=expected_version)
    milestone.due_on, milestone.done_on = due_on, done_on
    milestone.save(update_fields=["due_on", "done_on"])
    after: dict[str, Any] = {"截止日期": milestone.due_on, "完成日期": milestone.done_on}
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=milestone.term_change.county_id,
        event="termchanges.milestone_updated",
        summary=f"换届节点“{milestone.title}”：截止 {due_on:%Y-%m-%d}{'，已完成' if done_on else ''}",
        obj=milestone,
        before=before,
        after=after,
    )
    return milestone
