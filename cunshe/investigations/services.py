"""Every write of the investigation teams and the six-item clearing: teams, members, the villages they cover
(opening each village's checklist from the set in force), work logs of talks and households, and the items moving
through their transition table; a problem an item finds is raised on the issue board through its service, and an
item is cleared only when its board issues are closed. The village's tally row changes in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.core.actors import Actor, user_of
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text, text_field
from cunshe.core.transitions import move
from cunshe.investigations.models import (
    TRANSITIONS,
    ClearingItem,
    ClearingTally,
    Coverage,
    InvestigationTeam,
    ItemIssue,
    ItemStatus,
    MemberRole,
    TeamMember,
    WorkLog,
    clearing_set_on,
)
from cunshe.investigations.permissions import item_policy, team_policy
from cunshe.issueboard.models import OPEN_STATUSES, Issue
from cunshe.issueboard.services import issue_raise
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change

# A day's log beyond this is a typing error (a whole team talks to some dozens of people a day, not thousands).
MOST_PER_DAY = 1000


def _term_change(code: str) -> TermChange:
    term_change = current_term_change(code)
    if term_change is None:
        raise DomainError("本县(市、区)尚未启动换届，请先由县委组织部启动换届。")
    return term_change


def _not_future(errors: dict[str, list[str]], field: str, day: date | None, label: str) -> None:
    if day is None:
        errors[field] = [f"请填写{label}。"]
    elif day > timezone.localdate():
        errors[field] = [f"{label}不能晚于今天。"]


def _tally(term_change_id: int, region_code: str, **deltas: int) -> None:
    tally, _ = ClearingTally.objects.get_or_create(term_change_id=term_change_id, region_id=region_code)
    if deltas:
        ClearingTally.objects.filter(pk=tally.pk).update(**{k: F(k) + v for k, v in deltas.items()})


@transaction.atomic
def team_create(*, actor: Actor, town_code: str, name: str, formed_on: date | None) -> InvestigationTeam:
    """组建调研组 (联系领导+驻村组) for a town's term change."""
    team_policy.check_in_region(actor, "change", town_code, missing="未找到该乡镇(街道)。")
    town = Region.objects.filter(code=town_code, level=Level.TOWN).first()
    if town is None:
        raise DomainError("请选择乡镇(街道)。", {"town": ["须为乡镇(街道)。"]})
    term_change = _term_change(town_code)
    errors: dict[str, list[str]] = {}
    name = text_field(errors, "name", name, "调研组名称", 60, required=True)
    _not_future(errors, "formed_on", formed_on, "组建日期")
    if formed_on is not None and formed_on < term_change.opened_on:
        errors["formed_on"] = ["组建日期不能早于换届启动日期。"]
    if name and InvestigationTeam.objects.filter(term_change=term_change, region=town, name=name).exists():
        errors["name"] = ["本乡镇(街道)已有同名调研组。"]
    if errors:
        raise DomainError("调研组信息有误，未保存。", errors)
    assert formed_on is not None
    team = InvestigationTeam.objects.create(term_change=term_change, region=town, name=name, formed_on=formed_on)
    record(
        actor=actor,
        region_code=town.code,
        event="investigations.team_created",
        summary=f"{town.name}组建调研组：{name}",
        obj=team,
        after={"调研组": name, "组建日期": formed_on},
    )
    return team


@transaction.atomic
def member_add(
    *,
    actor: Actor,
    team: InvestigationTeam,
    name: str,
    role: str,
    joined_on: date | None,
    post: str = "",
    phone: str = "",
) -> TeamMember:
    team_policy.check(actor, "change", team)
    errors: dict[str, list[str]] = {}
    name = text_field(errors, "name", name, "姓名", 30, required=True)
    post = text_field(errors, "post", post, "职务", 60, required=False)
    phone = text_field(errors, "phone", phone, "联系电话", 20, required=False)
    if role not in MemberRole.values:
        errors["role"] = ["请选择组内角色（联系领导或驻村干部）。"]
    _not_future(errors, "joined_on", joined_on, "加入日期")
    if joined_on is not None and joined_on < team.formed_on:
        errors["joined_on"] = ["加入日期不能早于调研组组建日期。"]
    if name and team.members.filter(name=name).exists():
        errors["name"] = ["此人已在组中。"]
    if errors:
        raise DomainError("成员信息有误，未保存。", errors)
    assert joined_on is not None
    member = TeamMember.objects.create(team=team, name=name, post=post, role=role, phone=phone, joined_on=joined_on)
    record(
        actor=actor,
        region_code=team.region_id,
        event="investigations.member_added",
        summary=f"{team.name}：{member.get_role_display()}{name}入组",
        obj=team,
        after={"姓名": name, "职务": post, "组内角色": member.get_role_display(), "加入日期": joined_on},
    )
    return member


def _open_checklist(term_change: TermChange, village_code: str) -> int:
    """The six items of the set in force on the term change's opening day; an existing checklist stays as it is."""
    if ClearingItem.objects.filter(term_change=term_change, region_id=village_code).exists():
        return 0
    items = clearing_set_on(term_change.opened_on)
    ClearingItem.objects.bulk_create(
        ClearingItem(term_change=term_change, region_id=village_code, code=code, name=name, position=n)
        for n, (code, name) in enumerate(items, start=1)
    )
    _tally(term_change.pk, village_code, items=len(items))
    return len(items)


@transaction.atomic
def coverage_add(*, actor: Actor, team: InvestigationTeam, village_code: str, from_on: date | None) -> Coverage:
    """The team takes a village from a day on; the village's 六清 checklist opens with it."""
    team_policy.check(actor, "change", team)
    errors: dict[str, list[str]] = {}
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE, parent_id=team.region_id).first()
    if village is None:
        errors["village"] = ["须为本乡镇(街道)的村(社区)。"]
    _not_future(errors, "from_on", from_on, "包村起始日期")
    if from_on is not None and from_on < team.formed_on:
        errors["from_on"] = ["包村起始日期不能早于调研组组建日期。"]
    held = Coverage.objects.filter(region_id=village_code, to_on__isnull=True).select_related("team").first()
    if held is not None:
        errors["village"] = [f"该村(社区)已由{held.team.name}包村，请先结束其包村。"]
    if errors:
        raise DomainError("包村信息有误，未保存。", errors)
    assert village is not None and from_on is not None
    coverage = Coverage.objects.create(team=team, region=village, from_on=from_on)
    opened = _open_checklist(team.term_change, village.code)
    record(
        actor=actor,
        region_code=village.code,
        event="investigations.coverage_added",
        summary=f"{team.name}自 {from_on:%Y-%m-%d} 起包村{village.name}" + ("，建立六清清单" if opened else ""),
        obj=coverage,
        after={"调研组": team.name, "包村起始日期": from_on},
    )
    return coverage


@transaction.atomic
def coverage_end(*, actor: Actor, coverage: Coverage, to_on: date | None) -> Coverage:
    team_policy.check(actor, "change", coverage.team)
    errors: dict[str, list[str]] = {}
    if coverage.to_on is not None:
        errors["to_on"] = ["该包村已结束。"]
    _not_future(errors, "to_on", to_on, "包村结束日期")
    if to_on is not None and to_on < coverage.from_on:
        errors["to_on"] = ["结束日期不能早于起始日期。"]
    if errors:
        raise DomainError("包村结束信息有误，未保存。", errors)
    coverage.to_on = to_on
    coverage.save(update_fields=["to_on"])
    record(
        actor=actor,
        region_code=coverage.region_id,
        event="investigations.coverage_ended",
        summary=f"{coverage.team.name}于 {to_on:%Y-%m-%d} 结束包村",
        obj=coverage,
        after={"包村结束日期": to_on},
    )
    return coverage


def _covering(team: InvestigationTeam, village_code: str, day: date) -> bool:
    return Coverage.objects.filter(team=team, region_id=village_code, from_on__lte=day).exclude(to_on__lt=day).exists()


@transaction.atomic
def log_add(
    *,
    actor: Actor,
    team: InvestigationTeam,
    village_code: str,
    worked_on: date | None,
    talks: int,
    households: int,
    note: str = "",
) -> WorkLog:
    """One day's talks (人次) and households visited (户) by the team in a village it covered that day."""
    team_policy.check(actor, "change", team)
    errors: dict[str, list[str]] = {}
    _not_future(errors, "worked_on", worked_on, "日期")
    if worked_on is not None and not _covering(team, village_code, worked_on):
        errors["village"] = ["该日调研组未包此村(社区)。"]
    if not (0 <= talks <= MOST_PER_DAY):
        errors["talks"] = [f"谈话人次须在 0 至 {MOST_PER_DAY} 之间。"]
    if not (0 <= households <= MOST_PER_DAY):
        errors["households"] = [f"走访户数须在 0 至 {MOST_PER_DAY} 之间。"]
    if talks == 0 and households == 0 and "talks" not in errors:
        errors["talks"] = ["谈话人次和走访户数不能都为 0。"]
    note = text_field(errors, "note", note, "情况摘要", 300, required=False)
    if errors:
        raise DomainError("走访登记有误，未保存。", errors)
    assert worked_on is not None
    log = WorkLog.objects.create(
        team=team, region_id=village_code, worked_on=worked_on, talks=talks, households=households, note=note
    )
    _tally(team.term_change_id, village_code, talks=talks, households=households)
    record(
        actor=actor,
        region_code=village_code,
        event="investigations.log_added",
        summary=f"{team.name} {worked_on:%Y-%m-%d}：谈话 {talks} 人次，走访 {households} 户",
        obj=log,
        after={"谈话人次": talks, "走访户数": households, "情况摘要": note},
    )
    return log


def _move(actor: Actor, item: ClearingItem, to: str, expected_version: int | None, **after: Any) -> ClearingItem:
    before = move(item, to, table=TRANSITIONS, labels=ItemStatus, what="六清事项", expected_version=expected_version)
    item.recorded_by = user_of(actor)
    item.save(update_fields=["status", "started_on", "cleared_on", "evidence", "cleared_by", "recorded_by"])
    if to == ItemStatus.CLEARED:
        _tally(item.term_change_id, item.region_id, cleared=1)
    record(
        actor=actor,
        region_code=item.region_id,
        event="investigations.item_moved",
        summary=f"{item.name}：{before} → {item.get_status_display()}",
        obj=item,
        before={"状态": before},
        after={"状态": item.get_status_display(), **after},
    )
    return item


@transaction.atomic
def item_start(
    *, actor: Actor, item: ClearingItem, started_on: date | None, expected_version: int | None
) -> ClearingItem:
    item_policy.check(actor, "change", item)
    errors: dict[str, list[str]] = {}
    _not_future(errors, "started_on", started_on, "开始日期")
    if errors:
        raise DomainError("开始信息有误，未保存。", errors)
    item.started_on = started_on
    return _move(actor, item, ItemStatus.IN_PROGRESS, expected_version, 开始日期=started_on)


@transaction.atomic
def item_find(
    *,
    actor: Actor,
    item: ClearingItem,
    title: str,
    owner: str,
    due_on: date | None,
    detail: str = "",
    found_on: date | None = None,
) -> Issue:
    """A problem the item found: raised on the issue board (its service checks the board's own access rule) and
    linked to the item, which starts if it had not."""
    item_policy.check(actor, "change", item)
    if item.status == ItemStatus.CLEARED:
        raise DomainError("该事项已清结，新发现的问题请直接登记到问题清单。")
    errors: dict[str, list[str]] = {}
    if item.status == ItemStatus.NOT_STARTED:
        _not_future(errors, "found_on", found_on, "发现日期")
    if errors:
        raise DomainError("发现问题登记有误，未保存。", errors)
    issue = issue_raise(
        actor=actor,
        village_code=item.region_id,
        title=f"【{item.name}】{clean_text(title)}",
        owner=owner,
        due_on=due_on,
        detail=detail,
    )
    ItemIssue.objects.create(item=item, issue=issue)
    if item.status == ItemStatus.NOT_STARTED:
        item.started_on = found_on
        _move(actor, item, ItemStatus.IN_PROGRESS, item.version, 开始日期=found_on)
    record(
        actor=actor,
        region_code=item.region_id,
        event="investigations.issue_found",
        summary=f"{item.name}发现问题，列入问题清单：{issue.title}",
        obj=item,
        after={"问题": issue.title, "责任人": issue.owner, "办结时限": issue.due_on},
    )
    return issue


@transaction.atomic
def item_clear(
    *,
    actor: Actor,
    item: ClearingItem,
    cleared_on: date | None,
    evidence: str,
    cleared_by: str,
    expected_version: int | None,
) -> ClearingItem:
    """清结: the evidence and who cleared it; refused while any issue the item raised is still open (问题清零)."""
    item_policy.check(actor, "change", item)
    errors: dict[str, list[str]] = {}
    evidence = text_field(errors, "evidence", evidence, "清理情况及佐证", 2000, required=True)
    cleared_by = text_field(errors, "cleared_by", cleared_by, "清理责任人", 60, required=True)
    _not_future(errors, "cleared_on", cleared_on, "清结日期")
    if cleared_on is not None and item.started_on is not None and cleared_on < item.started_on:
        errors["cleared_on"] = ["清结日期不能早于开始日期。"]
    still_open = list(
        Issue.objects.filter(clearing_link__item=item, status__in=OPEN_STATUSES).values_list("title", flat=True)
    )
    if still_open:
        errors["issues"] = [f"尚有 {len(still_open)} 个问题未销号：{'；'.join(still_open[:5])}。"]
    if errors:
        raise DomainError("该事项尚不能清结。" if still_open else "清结信息有误，未保存。", errors)
    item.cleared_on, item.evidence, item.cleared_by = cleared_on, evidence, cleared_by
    return _move(
        actor, item, ItemStatus.CLEARED, expected_version, 清结日期=cleared_on, 清理责任人=cleared_by, 佐证=evidence
    )
