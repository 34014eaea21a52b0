"""Leader handovers above the village (seed 003, 汶上): a leader leaving a post in a town or a county unit hands over
the 一单一表 (work-items list and economic-items table) within the county's leader deadline, under a joint
supervising group of the organization department, the discipline commission, finance and audit; the finance bureau
is told to freeze the unit's accounts when the handover starts and to lift the freeze at completion; the handover
and the leaver's conduct are filed to their 执行力档案; the successor's follow-up questions (询问追问) are leftover
items with due dates and answers.

What the issue leaves open and was chosen here:
- The town's party committee (town officers) runs a town's handovers, the county organization department a county
  unit's (and may step in at a town, as with villages); the region of the handover is the town or the county.
- A finance or audit member may hold no role that sees handovers: they sign in the system when they can (their own
  account, named in the group), otherwise the working group records their paper signature, as for the leaver.
- The freeze notice is a separate act (someone sends it); completion is refused until it is sent. The lifting
  notice is sent by the completion itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from cunshe.access.policy import grants_of, holds
from cunshe.access.roles import Role
from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.transitions import check_move
from cunshe.deadlines.calendar import add_calendar_days, deadline_text
from cunshe.handovers.models import (
    GROUP_PARTIES,
    LEFTOVER_TRANSITIONS,
    PARTY_LABELS,
    ConductRecord,
    FreezeNotice,
    GroupMember,
    GroupParty,
    Handover,
    HandoverItem,
    ItemStatus,
    Kind,
    Leftover,
    LeftoverStatus,
    NoticeKind,
    Status,
    Template,
)
from cunshe.handovers.permissions import conduct_policy, handover_policy, leftover_policy
from cunshe.handovers.services import (
    LEADER_ITEMS,
    _day_start,
    _is_supervisor_over,
    _leftover_create,
    _locked,
    _touch,
    settings_for,
    template_create,
)
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.records.services import record
from cunshe.regions.models import Level, Region

# 离任工作事项交接单 and 离任经济事项交接表: the 15 key items of seed 003, as dated editions; a handover takes the
# edition in force on its start day, so a later edition never rewrites what an earlier handover went through.
_SHEETS = {"工作事项清单": "离任工作事项交接单", "经济事项清单": "离任经济事项交接表"}
UNIT_ITEMS: list[tuple[str, str, str, str]] = [(_SHEETS[s], t, k, e) for s, t, k, e in LEADER_ITEMS]
UNIT_EDITIONS: list[tuple[date, str, list[tuple[str, str, str, str]]]] = [
    (date(2024, 1, 1), "领导干部离任“一单一表”（2024年版）", UNIT_ITEMS),
]
UNIT_LEVELS = (Level.TOWN, Level.COUNTY)
FINANCE_DEPARTMENT = "财政局"  # whom the freeze notice goes to unless the county names its own bureau
GROUP_RULES: dict[str, str] = {
    GroupParty.ORGANIZATION: "组织部门成员须为本县县委组织部账号。",
    GroupParty.DISCIPLINE: "纪委监委成员须为负责该单位的纪检监督账号。",
    GroupParty.FINANCE: "请选择财政部门成员。",
    GroupParty.AUDIT: "请选择审计部门成员。",
}


def edition_on(day: date) -> tuple[date, str, list[tuple[str, str, str, str]]]:
    """The 一单一表 edition in force on `day` (the first one for earlier days: there was no other)."""
    in_force = [e for e in UNIT_EDITIONS if e[0] <= day]
    return in_force[-1] if in_force else UNIT_EDITIONS[0]


def unit_template(*, actor: Actor, county_code: str, on: date) -> Template:
    """The county's copy of the edition in force on `on`, made on first use."""
    _since, name, items = edition_on(on)
    found = Template.objects.filter(county_id=county_code[:6], name=name).first()
    return found or template_create(actor=actor, county_code=county_code[:6], kind=Kind.UNIT, name=name, items=items)


def _member_fits(party: str, user: User, region_code: str) -> bool:
    if party == GroupParty.ORGANIZATION:
        return any(g.role == Role.COUNTY_ORGANIZER and g.region_code == region_code[:6] for g in grants_of(user))
    if party == GroupParty.DISCIPLINE:
        return _is_supervisor_over(user, region_code)
    return user.is_active


@transaction.atomic
def unit_handover_open(
    *,
    actor: Actor,
    region_code: str,
    unit_name: str,
    post: str,
    outgoing: Person,
    incoming: Person,
    working_group: User,
    group: Sequence[tuple[str, User, str]],
    starts_on: date,
    meeting_at: datetime,
    meeting_place: str,
    days: int | None = None,
    working_group_members: str = "",
) -> Handover:
    """Opens a unit leader's handover. `group` is the supervising group: (party, account, department) per member."""
    handover_policy.check_in_region(actor, "change", region_code, missing="未找到该单位所在区域。")
    for person in (outgoing, incoming):
        if not person_policy.can(actor, "view", person):
            raise Http404("未找到该人员。")
    region = Region.objects.filter(code=region_code, level__in=UNIT_LEVELS).first()
    if region is None:
        raise DomainError("领导干部离任交接须在乡镇(街道)或县(市、区)办理。", {"region": ["须为乡镇(街道)或县。"]})
    errors: dict[str, list[str]] = {}
    if not unit_name.strip():
        errors["unit_name"] = ["请填写离任单位（如“黛溪街道党工委”“县财政局”）。"]
    if not post.strip():
        errors["post"] = ["请填写离任岗位。"]
    if outgoing.pk == incoming.pk:
        errors["incoming"] = ["接任人不能是离任人本人。"]
    for field, person in (("outgoing", outgoing), ("incoming", incoming)):
        if not person.region_id.startswith(region_code):
            errors.setdefault(field, []).append(f"{person.name} 不是{region.name}登记人员。")
    if not holds(working_group, "handovers.change", region_code):
        scope = "乡镇(街道)党(工)委" if region.level == Level.TOWN else "县委组织部"
        errors["working_group"] = [f"{region.name}的离任交接由{scope}组织，请选择其干部。"]
    members = {party: (user, department.strip()) for party, user, department in group}
    for party in GROUP_PARTIES:
        if party not in members:
            errors[party] = [f"监交组须有{PARTY_LABELS[party].removeprefix('监交组')}成员。"]
            continue
        user, department = members[party]
        if not _member_fits(party, user, region_code):
            errors[party] = [GROUP_RULES[party]]
        elif not department:
            errors[party] = ["请填写成员所在部门。"]
    if len(group) != len(members) or any(p not in GROUP_PARTIES for p in members):
        errors["group"] = ["监交组每个部门一名成员。"]
    elif len({u.pk for u, _d in members.values()}) < len(members):
        errors["group"] = ["监交组成员须为四个不同的人。"]
    if not meeting_place.strip():
        errors["meeting_place"] = ["请填写交接会地点。"]
    allowed = settings_for(region_code).leader_days
    days = allowed if days is None else days
    if not 1 <= days <= allowed:
        errors["days"] = [f"离任交接期限最长 {allowed} 天，不能放宽。"]
    due = add_calendar_days(_day_start(starts_on), days)
    if timezone.localtime(meeting_at).date() < starts_on or meeting_at >= due:
        errors["meeting_at"] = ["交接会须安排在交接期限内。"]
    if errors:
        raise DomainError("交接信息有误，未保存。", errors)
    # the county's copy of the edition is the system's default, made on first use and recorded as 系统
    template = unit_template(actor=SYSTEM, county_code=region_code, on=starts_on)
    handover = Handover.objects.create(
        region=region,
        kind=Kind.UNIT,
        unit_name=unit_name.strip(),
        post=post.strip(),
        template=template,
        outgoing=outgoing,
        incoming=incoming,
        working_group=working_group,
        working_group_members=working_group_members.strip(),
        supervisor=members[GroupParty.DISCIPLINE][0],
        starts_on=starts_on,
        due_at=due,
        meeting_at=meeting_at,
        meeting_place=meeting_place.strip(),
        accounts_frozen=False,  # frozen when the finance bureau has the notice, not before
    )
    HandoverItem.objects.bulk_create(
        HandoverItem(
            handover=handover, position=t.position, section=t.section, title=t.title, item_kind=t.item_kind,
            expected=t.expected,
        )
        for t in template.items.all()
    )  # fmt: skip
    GroupMember.objects.bulk_create(
        GroupMember(handover=handover, party=party, user=members[party][0], department=members[party][1])
        for party in GROUP_PARTIES
    )
    record(
        actor=actor,
        region_code=region_code,
        event="handovers.unit_opened",
        summary=f"{handover.unit_label}{handover.post}离任交接：{outgoing.name} → {incoming.name}，"
        f"期限 {deadline_text(due)}",
        obj=handover,
        after={
            "单位": handover.unit_label,
            "岗位": handover.post,
            "离任人": outgoing.name,
            "接任人": incoming.name,
            "组织者": working_group.display_name,
            "监交组": [f"{members[p][1]} {members[p][0].display_name}" for p in GROUP_PARTIES],
            "交接清单": template.name,
            "交接期限": deadline_text(due),
            "交接会": f"{timezone.localtime(meeting_at):%Y-%m-%d %H:%M} {handover.meeting_place}",
        },
    )
    return handover


def send_notice(*, actor: Actor, handover: Handover, kind: str, addressed_to: str = "") -> FreezeNotice:
    """Records a notice to finance (callers hold the handover's row lock and have checked the rule)."""
    if kind == NoticeKind.LIFT:
        freeze = handover.freeze_notices.filter(kind=NoticeKind.FREEZE).first()
        addressed_to = addressed_to or (freeze.addressed_to if freeze else FINANCE_DEPARTMENT)
    notice = FreezeNotice.objects.create(
        handover=handover,
        kind=kind,
        addressed_to=addressed_to or FINANCE_DEPARTMENT,
        sent_at=timezone.now(),
        sent_by=user_of(actor),
    )
    frozen = kind == NoticeKind.FREEZE
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.freeze_sent" if frozen else "handovers.freeze_lifted",
        summary=f"已向{notice.addressed_to}发送{notice.get_kind_display()}：{handover.unit_label}"
        f"{'账户冻结至交接完成' if frozen else '交接完成，账户解冻'}",
        obj=notice,
        before={"账户冻结": "否" if frozen else "是"},
        after={
            "通知": notice.get_kind_display(),
            "送达单位": notice.addressed_to,
            "账户冻结": "是" if frozen else "否",
        },
    )
    return notice


@transaction.atomic
def freeze_notice_send(*, actor: Actor, handover: Handover, addressed_to: str = FINANCE_DEPARTMENT) -> FreezeNotice:
    """The freeze notice to finance, once, while the handover is open."""
    handover_policy.check(actor, "change", handover)
    handover = _locked(handover)
    if handover.kind != Kind.UNIT:
        raise DomainError("村(社区)交接的账户冻结随交接开始自动生效，无须另发通知。")
    if not addressed_to.strip():
        raise DomainError("请填写送达单位。", {"addressed_to": ["请填写送达单位（财政部门）。"]})
    if handover.freeze_notices.filter(kind=NoticeKind.FREEZE).exists():
        raise DomainError("账户冻结通知已发送。")
    notice = send_notice(actor=actor, handover=handover, kind=NoticeKind.FREEZE, addressed_to=addressed_to.strip())
    Handover.objects.filter(pk=handover.pk).update(accounts_frozen=True)
    return notice


@transaction.atomic
def inquiry_add(*, actor: Actor, handover: Handover, question: str, due_on: date) -> Leftover:
    """询问追问: the successor's question about a leftover matter, to be answered by the leaver (or the unit) by
    `due_on`. While the handover is open it changes what is signed, so the sign-offs are voided; after completion
    the questioning goes on (接后) without touching the signed letter."""
    handover_policy.check(actor, "change", handover)
    fresh = Handover.objects.select_for_update().get(pk=handover.pk)
    errors: dict[str, list[str]] = {}
    if not question.strip():
        errors["question"] = ["请填写询问的问题。"]
    if due_on < timezone.localdate():
        errors["due_on"] = ["答复期限不能早于今天。"]
    if errors:
        raise DomainError("询问追问有误，未保存。", errors)
    leftover = _leftover_create(
        actor=actor,
        handover=fresh,
        title=f"询问追问：{question.strip()}",
        owner=fresh.outgoing.name,
        due_on=due_on,
        supervisor=fresh.supervisor,
    )
    Leftover.objects.filter(pk=leftover.pk).update(is_inquiry=True)
    leftover.is_inquiry = True
    if fresh.status == Status.OPEN:
        _touch(actor, fresh, "接任人提出询问追问")
    return leftover


@transaction.atomic
def inquiry_answer(*, actor: Actor, leftover: Leftover, answer: str, expected_version: int | None) -> Leftover:
    """The answer to a question: recorded with its day, and the question is settled (办结)."""
    leftover_policy.check(actor, "change", leftover)
    if not leftover.is_inquiry:
        raise DomainError("这不是询问追问事项。")
    if not answer.strip():
        raise DomainError("请填写答复。", {"answer": ["请填写答复。"]})
    check_move(LEFTOVER_TRANSITIONS, leftover.status, LeftoverStatus.CLOSED, LeftoverStatus, what="询问追问")
    bump_version(leftover, expected_version=expected_version)
    today = timezone.localdate()
    leftover.answer, leftover.answered_on = answer.strip(), today
    leftover.status, leftover.closed_on = LeftoverStatus.CLOSED, today
    leftover.save(update_fields=["answer", "answered_on", "status", "closed_on"])
    from cunshe.handovers.services import _count

    _count(leftover.region_id, leftovers_open=-1)
    late = today > leftover.due_on
    record(
        actor=actor,
        region_code=leftover.region_id,
        event="handovers.inquiry_answered",
        summary=f"{leftover.title}：已答复{'（逾期）' if late else ''}",
        obj=leftover,
        before={"状态": LeftoverStatus.OPEN.label},
        after={"答复": leftover.answer, "答复日期": today, "状态": LeftoverStatus.CLOSED.label},
    )
    return leftover


def handover_summary(handover: Handover) -> str:
    """What the 执行力档案 keeps of the handover, in words a later reviewer reads without opening it."""
    items = list(handover.items.all())
    by_status = {s: [i for i in items if i.status == s] for s in ItemStatus.values}
    leftovers = list(handover.leftovers.all())
    inquiries = [lo for lo in leftovers if lo.is_inquiry]
    others = [lo for lo in leftovers if not lo.is_inquiry]
    lines = [
        f"{handover.starts_on:%Y年%m月%d日}起离任交接{handover.unit_label}{handover.post}，接任人{handover.incoming.name}；"
        f"{'交接于' + format(timezone.localtime(handover.completed_at), '%Y年%m月%d日') + '完成' if handover.completed_at else '交接未完成'}。",
        f"一单一表 {len(items)} 项：已交接 {len(by_status[ItemStatus.HANDED])} 项，"
        f"有差异 {len(by_status[ItemStatus.DISCREPANCY])} 项，应交未交 {len(by_status[ItemStatus.NOT_HANDED])} 项。",
    ]
    lines += [
        f"{i.title}（{i.get_status_display()}）：{i.discrepancy}"
        for i in by_status[ItemStatus.DISCREPANCY] + by_status[ItemStatus.NOT_HANDED]
    ]
    lines.append(
        f"遗留事项 {len(others)} 项（未办结 {sum(lo.status == LeftoverStatus.OPEN for lo in others)} 项）；"
        f"询问追问 {len(inquiries)} 项（已答复 {sum(bool(lo.answered_on) for lo in inquiries)} 项）。"
    )
    return "\n".join(lines)


@transaction.atomic
def conduct_file(*, actor: Actor, handover: Handover, conduct: str) -> ConductRecord:
    """Files the completed handover and the leaver's conduct (现实表现) to their 执行力档案, once."""
    conduct_policy.check_in_region(actor, "change", handover.region_id)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.kind == Kind.COMMITTEE:
        raise DomainError("执行力档案记录领导干部的离任交接；换届交接不归档到个人。")
    if handover.status != Status.COMPLETED:
        raise DomainError("交接完成后才能归档执行力档案。")
    if ConductRecord.objects.filter(handover=handover).exists():
        raise DomainError("本次交接已归档执行力档案。")
    if not conduct.strip():
        raise DomainError("请填写离任领导干部的现实表现。", {"conduct": ["请填写现实表现。"]})
    entry = ConductRecord.objects.create(
        person=handover.outgoing,
        handover=handover,
        region_id=handover.region_id,
        unit_name=handover.unit_label,
        post=handover.post or handover.get_kind_display(),
        handover_summary=handover_summary(handover),
        conduct=conduct.strip(),
        filed_by=user_of(actor),
        filed_at=timezone.now(),
    )
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.conduct_filed",
        summary=f"{handover.outgoing.name}离任交接及现实表现已纳入执行力档案（{entry.unit_name}{entry.post}）",
        obj=entry,
        after={"人员": handover.outgoing.name, "交接情况": entry.handover_summary, "现实表现": entry.conduct},
    )
    return entry


def inquiry_due_default(today: date) -> date:
    """A question is answered within a week unless the form says otherwise (the seed names no period)."""
    return today + timedelta(days=7)
