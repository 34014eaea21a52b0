"""Raising, assigning, moving and closing issues, and flagging difficult villages; the village's tally row changes
in the same transaction as the issue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.transitions import check_move, move
from cunshe.issueboard.hooks import issue_changed
from cunshe.issueboard.models import TRANSITIONS, Issue, IssueTally, Source, Status
from cunshe.issueboard.overdue import village_overdue_refresh
from cunshe.issueboard.permissions import issue_policy, tally_policy
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change

# A problem found in a visit is due a month after the visit unless its owner is given another deadline.
VISIT_ISSUE_DAYS = 30


def _term_change(village_code: str) -> TermChange:
    term_change = current_term_change(village_code)
    if term_change is None:
        raise DomainError("本县(市、区)尚未启动换届，请先由县委组织部启动换届。")
    return term_change


def _tally(term_change: TermChange, region_code: str) -> IssueTally:
    tally, _ = IssueTally.objects.get_or_create(term_change=term_change, region_id=region_code)
    return tally


def _count(term_change: TermChange, region_code: str, **deltas: int) -> None:
    tally = _tally(term_change, region_code)
    IssueTally.objects.filter(pk=tally.pk).update(**{k: F(k) + v for k, v in deltas.items()})


def _validate(title: str, owner: str, due_on: date | None, opened_on: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写问题。"]
    elif len(title.strip()) > 200:
        errors["title"] = ["问题不超过 200 字，详情请写在具体情况中。"]
    if not owner.strip():
        errors["owner"] = ["请填写责任人。"]
    if due_on is None:
        errors["due_on"] = ["请填写办结时限。"]
    elif due_on < opened_on:
        errors["due_on"] = ["办结时限不能早于换届启动日期。"]
    return errors


def _save_new(*, actor: Actor, issue: Issue) -> Issue:
    issue.save()
    _count(issue.term_change, issue.region_id, open=1)
    village_overdue_refresh(issue.term_change_id, issue.region_id)
    issue_changed(issue)
    record(
        actor=actor,
        region_code=issue.region_id,
        event="issueboard.raised",
        summary=f"问题清单新增（{issue.get_source_display()}）：{issue.title}",
        obj=issue,
        after={
            "问题": issue.title,
            "来源": issue.get_source_display(),
            "责任人": issue.owner,
            "办结时限": issue.due_on,
        },
    )
    return issue


@transaction.atomic
def issue_raise(
    *, actor: Actor, village_code: str, title: str, owner: str, due_on: date | None, detail: str = ""
) -> Issue:
    issue_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    if not Region.objects.filter(code=village_code, level=Level.VILLAGE).exists():
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    term_change = _term_change(village_code)
    errors = _validate(title, owner, due_on, term_change.opened_on)
    if errors:
        raise DomainError("问题信息有误，未保存。", errors)
    assert due_on is not None
    issue = Issue(
        term_change=term_change,
        region_id=village_code,
        title=title.strip(),
        detail=detail.strip(),
        source=Source.CADRE,
        owner=owner.strip(),
        due_on=due_on,
    )
    return _save_new(actor=actor, issue=issue)


def issue_raise_from_visit(*, actor: Actor, visit: Any, title: str) -> Issue:
    """Called by the visit service inside its transaction, after it has checked the actor on the visit's village."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue_raise_from_visit() runs inside the visit's transaction")
    person = visit.target.person
    issue = Issue(
        term_change=visit.target.term_change,
        region_id=visit.region_id,
        title=title.strip(),
        detail=f"{visit.visited_on:%Y-%m-%d} {visit.get_mode_display()}{person.name}时反映。",
        source=Source.VISIT,
        visit=visit,
        owner=visit.visitors,
        due_on=visit.visited_on + timedelta(days=VISIT_ISSUE_DAYS),
    )
    return _save_new(actor=actor, issue=issue)


@transaction.atomic
def issue_assign(*, actor: Actor, issue: Issue, owner: str, due_on: date | None, expected_version: int | None) -> Issue:
    issue_policy.check(actor, "change", issue)
    if issue.status == Status.CLOSED:
        raise DomainError("该问题已销号，不能再修改。")
    errors = _validate(issue.title, owner, due_on, issue.term_change.opened_on)
    if errors:
        raise DomainError("问题信息有误，未保存。", errors)
    assert due_on is not None
    before = {"责任人": issue.owner, "办结时限": issue.due_on}
    bump_version(issue, expected_version=expected_version)
    issue.owner, issue.due_on = owner.strip(), due_on
    issue.save(update_fields=["owner", "due_on"])
    village_overdue_refresh(issue.term_change_id, issue.region_id)
    after = {"责任人": issue.owner, "办结时限": issue.due_on}
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=issue.region_id,
        event="issueboard.assigned",
        summary=f"问题“{issue.title}”：责任人 {issue.owner}，{issue.due_on:%Y-%m-%d} 前办结",
        obj=issue,
        before=before,
        after=after,
    )
    return issue


@transaction.atomic
def issue_move(
    *,
    actor: Actor,
    issue: Issue,
    to_status: str,
    expected_version: int | None,
    resolution: str = "",
    closed_on: date | None = None,
) -> Issue:
    issue_policy.check(actor, "change", issue)
    check_move(TRANSITIONS, issue.status, to_status, Status, what="问题")
    errors: dict[str, list[str]] = {}
    if to_status == Status.CLOSED:
        if not resolution.strip():
            errors["resolution"] = ["销号须填写化解情况。"]
        if closed_on is None:
            errors["closed_on"] = ["请填写销号日期。"]
        elif closed_on > timezone.localdate():
            errors["closed_on"] = ["销号日期不能晚于今天。"]
    if errors:
        raise DomainError("销号信息不全，未保存。", errors)
    before = move(issue, to_status, table=TRANSITIONS, labels=Status, what="问题", expected_version=expected_version)
    if to_status == Status.CLOSED:
        issue.resolution, issue.closed_on = resolution.strip(), closed_on
        _count(issue.term_change, issue.region_id, open=-1, closed=1)
    issue.save(update_fields=["status", "resolution", "closed_on"])
    village_overdue_refresh(issue.term_change_id, issue.region_id)
    issue_changed(issue)
    after: dict[str, Any] = {"状态": issue.get_status_display()}
    if to_status == Status.CLOSED:
        after |= {"化解情况": issue.resolution, "销号日期": issue.closed_on}
    record(
        actor=actor,
        region_code=issue.region_id,
        event="issueboard.closed" if to_status == Status.CLOSED else "issueboard.moved",
        summary=f"问题“{issue.title}”：{before} → {issue.get_status_display()}",
        obj=issue,
        before={"状态": before},
        after=after,
    )
    return issue


@transaction.atomic
def village_flag(
    *, actor: Actor, village_code: str, is_difficult: bool, reason: str, expected_version: int | None = None
) -> IssueTally:
    """Mark or unmark a difficult village (重点难点村); the reason is required when marking."""
    tally_policy.check_in_region(
        actor,
        "change",
        village_code,
        message="只有乡镇(街道)和县委组织部可以认定重点难点村。",
        missing="未找到该村(社区)。",
    )
    if not Region.objects.filter(code=village_code, level=Level.VILLAGE).exists():
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    term_change = _term_change(village_code)
    if is_difficult and not reason.strip():
        raise DomainError("请说明难点（如矛盾面大、信访频发、历史遗留问题多）。", {"difficulty": ["请填写难点说明。"]})
    tally = _tally(term_change, village_code)
    before = {"重点难点村": tally.is_difficult, "难点说明": tally.difficulty}
    bump_version(tally, expected_version=tally.version if expected_version is None else expected_version)
    tally.is_difficult, tally.difficulty = is_difficult, reason.strip() if is_difficult else ""
    tally.save(update_fields=["is_difficult", "difficulty"])
    record(
        actor=actor,
        region_code=village_code,
        event="issueboard.flagged",
        summary="认定为重点难点村" if is_difficult else "取消重点难点村认定",
        obj=tally,
        before=before,
        after={"重点难点村": tally.is_difficult, "难点说明": tally.difficulty},
    )
    return tally
