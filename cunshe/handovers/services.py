"""Handover writes: county settings and templates, opening a handover, recording items, sign-off with voiding,
leftover items and the honourable-retirement checklist. Each checks the access rule, validates everything first,
saves in one transaction, keeps the village roll-up row current and appends to the record book.

Who confirms what (the issue leaves it open):
- 移交人 and 接收人 are villagers, often without an account: they sign on paper at the handover meeting and a member
  of the working group (handovers.change) records their confirmation in the system under their own name.
- 交接工作组: only the account named as the handover's working group (a town officer) confirms for the group.
- 监交人: only the account named as the handover's supervisor (a discipline supervisor over the village)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from cunshe.access.policy import grants_of, holds
from cunshe.access.roles import Role
from cunshe.accounts.models import User
from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.core.transitions import check_move, move
from cunshe.deadlines.calendar import add_calendar_days, deadline_text
from cunshe.handovers.models import (
    GROUP_PARTIES,
    LEFTOVER_TRANSITIONS,
    LEGAL_FLOOR_DAYS,
    PARTY_LABELS,
    TRANSITIONS,
    Accountability,
    CareAct,
    CareRecord,
    Confirmation,
    Handover,
    HandoverItem,
    HandoverSettings,
    ItemKind,
    ItemStatus,
    Kind,
    Leftover,
    LeftoverNote,
    LeftoverStatus,
    NoticeKind,
    Party,
    Scan,
    Status,
    Template,
    TemplateItem,
    VillageSummary,
    parties_of,
)
from cunshe.handovers.permissions import handover_policy, item_policy, leftover_policy, settings_policy
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import CODE_LENGTH, Level, Region
from cunshe.teams.selectors import current_members
from cunshe.termchanges.selectors import current_term_change

# Statutory items (RULES.md) and the files named by seed 000: (category, item, kind, what is expected).
COMMITTEE_ITEMS: list[tuple[str, str, str, str]] = [
    ("法定事项", "印章", ItemKind.COUNT, "村(居)委会公章、财务专用章等，逐枚登记编号"),
    ("法定事项", "办公场所", ItemKind.TEXT, "办公用房位置、面积、钥匙"),
    ("法定事项", "办公用具", ItemKind.COUNT, "电脑、打印机、桌椅等，按清单清点"),
    ("法定事项", "集体财务账目", ItemKind.COUNT, "会计账簿、凭证，按册登记"),
    ("法定事项", "固定资产", ItemKind.MONEY, "集体固定资产清单及账面价值"),
    ("法定事项", "工作档案", ItemKind.DOCUMENT, "历年工作档案目录"),
    ("法定事项", "债权债务", ItemKind.MONEY, "债权、债务明细及金额"),
    ("法定事项", "其他遗留问题", ItemKind.TEXT, "未办结事项及处理意见"),
    ("档案资料", "党组织档案", ItemKind.DOCUMENT, "党员名册、党费收缴、组织生活记录"),
    ("档案资料", "村务档案", ItemKind.DOCUMENT, "村务公开、村民会议记录、合同协议"),
    ("档案资料", "财务档案", ItemKind.DOCUMENT, "财务公开、审计报告、银行对账单"),
]
# Seed 003: one work-items list and one economic-items table, 15 key items in all.
LEADER_ITEMS: list[tuple[str, str, str, str]] = [
    ("工作事项清单", "长远规划", ItemKind.DOCUMENT, "发展规划及年度计划"),
    ("工作事项清单", "重点工作推进情况", ItemKind.TEXT, "正在推进的重点工作及进度"),
    ("工作事项清单", "在建项目", ItemKind.DOCUMENT, "项目清单、合同、进度"),
    ("工作事项清单", "遗留事项", ItemKind.TEXT, "未办结事项及建议"),
    ("工作事项清单", "信访矛盾", ItemKind.TEXT, "未化解的信访及矛盾纠纷"),
    ("工作事项清单", "人员队伍情况", ItemKind.TEXT, "干部、工作人员情况"),
    ("工作事项清单", "规章制度", ItemKind.DOCUMENT, "现行制度目录"),
    ("工作事项清单", "印章及重要物品", ItemKind.COUNT, "印章、钥匙、证照，逐件登记"),
    ("经济事项清单", "财务状况", ItemKind.MONEY, "账面余额及收支情况"),
    ("经济事项清单", "银行账户", ItemKind.COUNT, "开户行、账号、余额"),
    ("经济事项清单", "资产", ItemKind.MONEY, "固定资产及资源资产"),
    ("经济事项清单", "债权", ItemKind.MONEY, "应收款明细"),
    ("经济事项清单", "债务", ItemKind.MONEY, "应付款、借款明细"),
    ("经济事项清单", "经济合同", ItemKind.DOCUMENT, "承包、租赁等合同"),
    ("经济事项清单", "专项资金", ItemKind.MONEY, "上级拨付专项资金使用情况"),
]
DEFAULT_ITEMS = {Kind.COMMITTEE: COMMITTEE_ITEMS, Kind.LEADER: LEADER_ITEMS}
DEFAULT_TEMPLATE_NAMES = {Kind.COMMITTEE: "村(社区)两委换届交接清单", Kind.LEADER: "主要负责人离任“一单一表”"}
LEFTOVER_DAYS = 30  # a leftover item from an item not handed over is due a month later unless set otherwise
VILLAGE_CODE_LENGTH = CODE_LENGTH[Level.VILLAGE]
SCAN_MAX_BYTES = 5 * 1024 * 1024
SCAN_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def _county(code: str) -> Region:
    county = Region.objects.filter(code=code).first()
    if county is None or county.level != Level.COUNTY:
        raise DomainError("须为县(市、区)。", {"county": ["须为县(市、区)。"]})
    return county


def settings_for(county_code: str) -> HandoverSettings:
    """The county's settings, or the defaults (unsaved) when it has not set any."""
    found = HandoverSettings.objects.filter(county_id=county_code[:6]).first()
    return found or HandoverSettings(county_id=county_code[:6])


@transaction.atomic
def settings_update(
    *,
    actor: Actor,
    county_code: str,
    leader_days: int,
    committee_days: int,
    copies: int,
    expected_version: int | None,
) -> HandoverSettings:
    county = _county(county_code)
    settings_policy.check_region(actor, "change", county.code)
    errors: dict[str, list[str]] = {}
    if not 1 <= leader_days <= LEGAL_FLOOR_DAYS:
        errors["leader_days"] = [f"离任交接期限须为 1 至 {LEGAL_FLOOR_DAYS} 天。"]
    if not 1 <= committee_days <= LEGAL_FLOOR_DAYS:
        errors["committee_days"] = [f"换届交接期限不能超过法定的 {LEGAL_FLOOR_DAYS} 天（可以更严）。"]
    if not 1 <= copies <= 20:
        errors["copies"] = ["交接书份数须为 1 至 20 份。"]
    if errors:
        raise DomainError("交接设置有误，未保存。", errors)
    current = settings_for(county.code)
    before = {"离任交接期限": current.leader_days, "换届交接期限": current.committee_days, "交接书份数": current.copies}
    if current.pk is not None:
        bump_version(current, expected_version=expected_version)
    current.leader_days, current.committee_days, current.copies = leader_days, committee_days, copies
    current.save()
    after = {"离任交接期限": leader_days, "换届交接期限": committee_days, "交接书份数": copies}
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=county.code,
        event="handovers.settings_updated",
        summary=f"{county.name}交接设置：离任交接 {leader_days} 天，换届交接 {committee_days} 天，交接书 {copies} 份",
        obj=current,
        before=before,
        after=after,
    )
    return current


@transaction.atomic
def template_create(
    *, actor: Actor, county_code: str, kind: str, name: str, items: list[tuple[str, str, str, str]]
) -> Template:
    county = _county(county_code)
    settings_policy.check_region(actor, "change", county.code)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = ["请选择交接类型。"]
    if not name.strip():
        errors["name"] = ["请填写模板名称。"]
    elif Template.objects.filter(county=county, name=name.strip()).exists():
        errors["name"] = ["已有同名模板。"]
    if not items:
        errors["items"] = ["模板至少要有一个事项。"]
    for n, (_section, title, item_kind, _expected) in enumerate(items, start=1):
        if not title.strip() or item_kind not in ItemKind.values:
            errors["items"] = [f"第 {n} 项须有名称和形式（实物、文件、款项或文字）。"]
    if errors:
        raise DomainError("交接模板有误，未保存。", errors)
    template = Template.objects.create(county=county, kind=kind, name=name.strip())
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=template, position=n, section=section, title=title.strip(), item_kind=k, expected=expected
        )
        for n, (section, title, k, expected) in enumerate(items, start=1)
    )
    record(
        actor=actor,
        region_code=county.code,
        event="handovers.template_created",
        summary=f"新建交接模板“{template.name}”（{len(items)} 项）",
        obj=template,
        after={"名称": template.name, "类型": template.get_kind_display(), "事项": [i[1] for i in items]},
    )
    return template


def templates_ensure_defaults(*, actor: Actor, county_code: str) -> list[Template]:
    """The county's two standard templates, created on first use."""
    made = []
    for kind, name in DEFAULT_TEMPLATE_NAMES.items():
        found = Template.objects.filter(county_id=county_code[:6], name=name).first()
        made.append(
            found
            or template_create(
                actor=actor, county_code=county_code[:6], kind=kind, name=name, items=DEFAULT_ITEMS[kind]
            )
        )
    return made


def _summary(village_code: str) -> VillageSummary:
    summary, _ = VillageSummary.objects.select_for_update().get_or_create(region_id=village_code)
    return summary


def _count(village_code: str, **changes: int) -> None:
    if len(village_code) < VILLAGE_CODE_LENGTH:
        return  # a town's or county unit's handover: the roll-up counts villages only
    _summary(village_code)
    VillageSummary.objects.filter(region_id=village_code).update(**{k: F(k) + v for k, v in changes.items()})


def _is_supervisor_over(user: User, village_code: str) -> bool:
    return any(g.role == Role.DISCIPLINE_SUPERVISOR and village_code.startswith(g.region_code) for g in grants_of(user))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


@transaction.atomic
def handover_open(
    *,
    actor: Actor,
    village_code: str,
    template: Template,
    outgoing: Person,
    incoming: Person,
    working_group: User,
    supervisor: User,
    starts_on: date,
    meeting_at: datetime,
    meeting_place: str,
    post: str = "",
    days: int | None = None,
    working_group_members: str = "",
) -> Handover:
    handover_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    for person in (outgoing, incoming):
        if not person_policy.can(actor, "view", person):
            raise Http404("未找到该人员。")
    errors: dict[str, list[str]] = {}
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("交接须在村(社区)办理。", {"region": ["须为村(社区)。"]})
    if template.county_id != village_code[:6]:
        errors["template"] = ["请选择本县的交接模板。"]
    if outgoing.pk == incoming.pk:
        errors["incoming"] = ["接收人不能是移交人本人。"]
    for field, person in (("outgoing", outgoing), ("incoming", incoming)):
        if person.region_id != village_code:
            errors.setdefault(field, []).append(f"{person.name} 不是本村(社区)登记人员。")
    if not holds(working_group, "handovers.change", village_code):
        errors["working_group"] = ["交接工作组须为负责该村(社区)的乡镇(街道)干部。"]
    if not _is_supervisor_over(supervisor, village_code):
        errors["supervisor"] = ["监交人须为负责该村(社区)的纪检监督人员。"]
    if not meeting_place.strip():
        errors["meeting_place"] = ["请填写交接会地点。"]
    rules = settings_for(village_code)
    allowed = rules.leader_days if template.kind == Kind.LEADER else min(rules.committee_days, LEGAL_FLOOR_DAYS)
    if days is None:
        days = allowed
    if not 1 <= days <= allowed:
        floor = "（法定 10 日内）" if template.kind == Kind.COMMITTEE else ""
        errors["days"] = [f"交接期限最长 {allowed} 天{floor}，不能放宽。"]
    due = add_calendar_days(_day_start(starts_on), days)
    if timezone.localtime(meeting_at).date() < starts_on or meeting_at >= due:
        errors["meeting_at"] = ["交接会须安排在交接期限内。"]
    if template.kind == Kind.COMMITTEE:
        # Once the new committee's election is certified, its handover counts from the day it was elected
        # (the legal 10 days cannot be moved by typing a later start).
        from cunshe.results.selectors import committee_elected_on

        elected_on = committee_elected_on(village_code)
        if elected_on is not None and starts_on != elected_on:
            errors["starts_on"] = [f"新一届委员会于 {elected_on:%Y-%m-%d} 选举产生，交接须自该日起计算期限。"]
    if errors:
        raise DomainError("交接信息有误，未保存。", errors)
    if template.kind == Kind.LEADER and not post.strip():
        held = [m for m in current_members(village_code) if m.person_id == outgoing.pk]
        post = "、".join(f"{m.get_committee_display()}{m.get_post_display()}" for m in held)
    handover = Handover.objects.create(
        region=village,
        kind=template.kind,
        post=post.strip(),
        term_change=current_term_change(village_code) if template.kind == Kind.COMMITTEE else None,
        template=template,
        outgoing=outgoing,
        incoming=incoming,
        working_group=working_group,
        working_group_members=working_group_members.strip(),
        supervisor=supervisor,
        starts_on=starts_on,
        due_at=due,
        meeting_at=meeting_at,
        meeting_place=meeting_place.strip(),
    )
    HandoverItem.objects.bulk_create(
        HandoverItem(
            handover=handover,
            position=t.position,
            section=t.section,
            title=t.title,
            item_kind=t.item_kind,
            expected=t.expected,
        )
        for t in template.items.all()
    )
    _count(village_code, planned=1, frozen=1)
    record(
        actor=actor,
        region_code=village_code,
        event="handovers.opened",
        summary=f"{village.name}{handover.get_kind_display()}：{outgoing.name} → {incoming.name}，"
        f"期限 {deadline_text(due)}，账户冻结",
        obj=handover,
        after={
            "类型": handover.get_kind_display(),
            "岗位": handover.post,
            "移交人": outgoing.name,
            "接收人": incoming.name,
            "交接工作组": working_group.display_name,
            "监交人": supervisor.display_name,
            "交接期限": deadline_text(due),
            "交接会": f"{timezone.localtime(meeting_at):%Y-%m-%d %H:%M} {handover.meeting_place}",
            "账户冻结": "是",
        },
    )
    return handover


def _locked(handover: Handover) -> Handover:
    """The handover row locked for this transaction, so a sign-off and an item change never interleave."""
    fresh = Handover.objects.select_for_update().get(pk=handover.pk)
    if fresh.status != Status.OPEN:
        raise DomainError("交接已完成，不能再修改。")
    return fresh


def _void_confirmations(*, actor: Actor, handover: Handover, because: str) -> int:
    live = list(handover.confirmations.filter(voided_at__isnull=True))
    if not live:
        return 0
    handover.confirmations.filter(pk__in=[c.pk for c in live]).update(voided_at=timezone.now(), voided_because=because)
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.confirmations_voided",
        summary=f"交接内容变更（{because}），已作废 {len(live)} 方签字确认，须重新确认",
        obj=handover,
        before={"已确认": [c.get_party_display() for c in live]},
        after={"已确认": []},
    )
    return len(live)


def _touch(actor: Actor, handover: Handover, because: str) -> None:
    """Any change to the content: voids the sign-offs and moves the version, so a confirmation of the old content
    (carrying the old version) is refused."""
    _void_confirmations(actor=actor, handover=handover, because=because)
    Handover.objects.filter(pk=handover.pk).update(version=F("version") + 1)
    handover.version += 1


def _item_snapshot(item: HandoverItem) -> dict[str, Any]:
    return {
        "交接情况": item.get_status_display(),
        "件数/册数": item.count,
        "金额": item.amount,
        "明细": item.details,
        "差异说明": item.discrepancy,
    }


@transaction.atomic
def item_update(
    *,
    actor: Actor,
    item: HandoverItem,
    status: str,
    count: int | None = None,
    amount: Decimal | None = None,
    details: str = "",
    discrepancy: str = "",
    expected_version: int | None,
) -> HandoverItem:
    item_policy.check(actor, "change", item)
    handover = _locked(item.handover)
    errors: dict[str, list[str]] = {}
    if status not in ItemStatus.values:
        errors["status"] = ["请选择交接情况。"]
    if status == ItemStatus.HANDED:
        if item.item_kind == ItemKind.COUNT and count is None:
            errors["count"] = ["请填写交接的件数/册数。"]
        if item.item_kind == ItemKind.MONEY and amount is None:
            errors["amount"] = ["请填写交接的金额。"]
        if item.item_kind in (ItemKind.DOCUMENT, ItemKind.TEXT) and not details.strip():
            errors["details"] = ["请填写交接明细（文件清单或情况说明）。"]
    if status in (ItemStatus.DISCREPANCY, ItemStatus.NOT_HANDED) and not discrepancy.strip():
        errors["discrepancy"] = ["有差异或应交未交的，须说明原因。"]
    if count is not None and count < 0:
        errors["count"] = ["件数不能为负数。"]
    if errors:
        raise DomainError("交接事项有误，未保存。", errors)
    before = _item_snapshot(item)
    bump_version(item, expected_version=expected_version)
    item.status, item.count, item.amount = status, count, amount
    item.details, item.discrepancy = details.strip(), discrepancy.strip()
    item.save(update_fields=["status", "count", "amount", "details", "discrepancy"])
    after = _item_snapshot(item)
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.item_recorded",
        summary=f"交接事项“{item.title}”：{item.get_status_display()}",
        obj=item,
        before=before,
        after=after,
    )
    if status == ItemStatus.NOT_HANDED and not item.leftovers.exists():
        _leftover_create(
            actor=actor,
            handover=handover,
            item=item,
            title=f"{item.title}应交未交：{item.discrepancy}",
            owner=handover.outgoing.name,
            due_on=timezone.localdate() + timedelta(days=LEFTOVER_DAYS),
            supervisor=handover.supervisor,
            accountability=Accountability.NOT_HANDED,
        )
    _touch(actor, handover, f"事项“{item.title}”已修改")
    item.handover = handover
    return item


@transaction.atomic
def scan_add(*, actor: Actor, item: HandoverItem, name: str, content_type: str, content: bytes) -> Scan:
    item_policy.check(actor, "change", item)
    handover = _locked(item.handover)
    errors: dict[str, list[str]] = {}
    if content_type not in SCAN_TYPES:
        errors["file"] = ["只能上传 JPG、PNG 照片或 PDF 扫描件。"]
    if not content or len(content) > SCAN_MAX_BYTES:
        errors["file"] = ["文件须小于 5 MB 且不能为空。"]
    if errors:
        raise DomainError("上传失败。", errors)
    scan = Scan.objects.create(
        item=item,
        name=name[:200] or "扫描件",
        content_type=content_type,
        content=content,
        size=len(content),
        uploaded_by=user_of(actor),
    )
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.scan_added",
        summary=f"交接事项“{item.title}”上传照片/扫描件 {scan.name}",
        obj=scan,
        after={"文件": scan.name, "大小": scan.size},
    )
    _touch(actor, handover, f"事项“{item.title}”新增附件")
    return scan


# The parties who are persons without an account: their signature is on the paper letter and the working group
# records it as a paper signature. Nobody else may confirm in their name (a county organizer who can change the
# handover is not the outgoing cadre).
PAPER_PARTIES = (Party.OUTGOING, Party.INCOMING)


def _may_confirm(actor: User, handover: Handover, party: str) -> bool:
    if party not in parties_of(handover.kind):
        return False
    if party in GROUP_PARTIES:
        # A group member signs as themself; the working group records a member's signature on the paper letter.
        member = next((m for m in handover.group.all() if m.party == party), None)
        if member is not None and actor.pk == member.user_id and handover_policy.can(actor, "view", handover):
            return True
        return actor.pk == handover.working_group_id and handover_policy.can(actor, "view", handover)
    if party == Party.SUPERVISOR:
        return actor.pk == handover.supervisor_id and _is_supervisor_over(actor, handover.region_id)
    # The working group confirms as itself, and records the paper signatures of the outgoing and incoming persons.
    return actor.pk == handover.working_group_id and handover_policy.can(actor, "view", handover)


def parties_for(actor: User, handover: Handover) -> list[str]:
    """The parties this user may confirm for, not yet confirmed."""
    if handover.status != Status.OPEN:
        return []
    done = {c.party for c in handover.confirmations.all() if c.voided_at is None}
    return [p for p in parties_of(handover.kind) if p not in done and _may_confirm(actor, handover, p)]


@transaction.atomic
def handover_confirm(*, actor: User, handover: Handover, party: str, expected_version: int | None) -> Handover:
    # A group member without a role that sees handovers (finance, audit) cannot reach the handover: the working
    # group records that member's paper signature instead.
    handover_policy.check(actor, "view", handover)
    if party not in parties_of(handover.kind):
        raise DomainError("请选择签字方。", {"party": ["请选择签字方。"]})
    if not _may_confirm(actor, handover, party):
        if party in PAPER_PARTIES:
            raise NotPermitted(f"“{PARTY_LABELS[party]}”的纸质签字只能由本次交接的交接工作组登记。")
        raise NotPermitted(f"您不能代表“{PARTY_LABELS[party]}”确认。")
    handover = _locked(handover)
    pending = [i.title for i in handover.items.all() if i.status == ItemStatus.PENDING]
    if pending:
        raise DomainError(f"还有 {len(pending)} 项未登记交接情况（{'、'.join(pending[:3])}…），不能签字确认。")
    if handover.confirmations.filter(party=party, voided_at__isnull=True).exists():
        raise DomainError(f"“{PARTY_LABELS[party]}”已确认。")
    live_before = set(handover.confirmations.filter(voided_at__isnull=True).values_list("party", flat=True))
    if (
        handover.kind == Kind.UNIT
        and live_before | {party} == set(parties_of(handover.kind))
        and not handover.freeze_notices.filter(kind=NoticeKind.FREEZE).exists()
    ):
        raise DomainError("尚未向财政部门发送账户冻结通知，不能完成交接。", {"freeze": ["请先发送账户冻结通知。"]})
    bump_version(handover, expected_version=expected_version)
    on_paper = party in PAPER_PARTIES or (party in GROUP_PARTIES and actor.pk == handover.working_group_id)
    confirmation = Confirmation.objects.create(
        handover=handover, party=party, confirmed_by=actor, confirmed_at=timezone.now(), on_paper=on_paper
    )
    persons: dict[str, str] = {Party.OUTGOING: handover.outgoing.name, Party.INCOMING: handover.incoming.name}
    signer = persons.get(party, next((m.user.display_name for m in handover.group.all() if m.party == party), ""))
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.confirmed",
        summary=(
            f"交接工作组（{actor.display_name}）登记{PARTY_LABELS[party]}{signer}已在交接书上纸质签字"
            if on_paper
            else f"{PARTY_LABELS[party]}签字确认交接（{actor.display_name}）"
        ),
        obj=handover,
        after={
            "签字方": confirmation.get_party_display(),
            "确认方式": "纸质签字，由交接工作组登记" if on_paper else "本人在系统中确认",
            "确认人": actor.display_name,
            "时间": confirmation.confirmed_at,
        },
    )
    live = set(handover.confirmations.filter(voided_at__isnull=True).values_list("party", flat=True))
    if live == set(parties_of(handover.kind)):
        _complete(actor=actor, handover=handover)
    return handover


def _complete(*, actor: Actor, handover: Handover) -> None:
    check_move(TRANSITIONS, handover.status, Status.COMPLETED, Status, what="交接")
    handover.status, handover.accounts_frozen, handover.completed_at = Status.COMPLETED, False, timezone.now()
    handover.save(update_fields=["status", "accounts_frozen", "completed_at"])
    if handover.kind == Kind.UNIT:
        # a unit's handover counts in no village's roll-up; the lifting notice goes to finance with completion
        from cunshe.handovers.units import send_notice

        send_notice(actor=actor, handover=handover, kind=NoticeKind.LIFT)
        record(
            actor=actor,
            region_code=handover.region_id,
            event="handovers.completed",
            summary=f"{handover.unit_label}领导干部离任交接完成：各方及监交组均已签字确认，已通知财政部门解冻账户"
            f"（{handover.outgoing.name} → {handover.incoming.name}）",
            obj=handover,
            before={"状态": Status.OPEN.label, "账户冻结": "是"},
            after={"状态": Status.COMPLETED.label, "账户冻结": "否"},
        )
        return
    _count(handover.region_id, done=1, frozen=-1)
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.completed",
        summary=f"交接完成：各方均已签字确认，账户解冻（{handover.outgoing.name} → {handover.incoming.name}）",
        obj=handover,
        before={"状态": Status.OPEN.label, "账户冻结": "是"},
        after={"状态": Status.COMPLETED.label, "账户冻结": "否"},
    )
    # 开门七件事 items that count a completed handover (firstyear.facts) are marked done in the same transaction
    from cunshe.firstyear.services import facts_changed

    facts_changed(handover.region_id)
    if handover.term_change is not None:
        # the term change moves to 已完成 when the last committee handover of its elected villages completes
        from cunshe.results.services import term_change_follow

        term_change_follow(term_change=handover.term_change)


def _leftover_create(
    *,
    actor: Actor,
    handover: Handover,
    title: str,
    owner: str,
    due_on: date,
    supervisor: User | None,
    item: HandoverItem | None = None,
    accountability: str = Accountability.NONE,
) -> Leftover:
    leftover = Leftover.objects.create(
        region_id=handover.region_id,
        handover=handover,
        item=item,
        title=title[:200],
        owner=owner,
        supervisor=supervisor,
        due_on=due_on,
        accountability=accountability,
        accountability_note=item.discrepancy if item is not None and accountability else "",
    )
    _count(handover.region_id, leftovers_open=1)
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.leftover_added",
        summary=f"遗留事项：{leftover.title}（责任人 {owner}，{due_on:%Y-%m-%d} 前办结）",
        obj=leftover,
        after={
            "事项": leftover.title,
            "责任人": owner,
            "办结期限": due_on,
            "问责情形": leftover.get_accountability_display(),
        },
    )
    return leftover


@transaction.atomic
def leftover_add(
    *, actor: Actor, handover: Handover, title: str, owner: str, due_on: date, supervisor: User | None = None
) -> Leftover:
    handover_policy.check(actor, "change", handover)
    handover = _locked(handover)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写遗留事项。"]
    if not owner.strip():
        errors["owner"] = ["请填写责任人。"]
    if due_on < timezone.localdate():
        errors["due_on"] = ["办结期限不能早于今天。"]
    if errors:
        raise DomainError("遗留事项有误，未保存。", errors)
    leftover = _leftover_create(
        actor=actor,
        handover=handover,
        title=title.strip(),
        owner=owner.strip(),
        due_on=due_on,
        supervisor=supervisor or handover.supervisor,
    )
    _touch(actor, handover, f"新增遗留事项“{leftover.title}”")
    return leftover


def _may_follow(actor: User, leftover: Leftover) -> bool:
    return leftover_policy.can(actor, "change", leftover) or leftover_policy.can(actor, "supervise", leftover)


@transaction.atomic
def leftover_note(*, actor: User, leftover: Leftover, text: str) -> LeftoverNote:
    leftover_policy.check(actor, "view", leftover)
    if not _may_follow(actor, leftover):
        raise NotPermitted()
    if not text.strip():
        raise DomainError("请填写进展情况。", {"text": ["请填写进展情况。"]})
    note = LeftoverNote.objects.create(leftover=leftover, text=text.strip(), written_by=user_of(actor))
    record(
        actor=actor,
        region_code=leftover.region_id,
        event="handovers.leftover_progress",
        summary=f"遗留事项“{leftover.title}”进展：{note.text[:60]}",
        obj=leftover,
        after={"进展": note.text},
    )
    return note


@transaction.atomic
def leftover_flag(
    *, actor: User, leftover: Leftover, accountability: str, note: str, expected_version: int | None
) -> Leftover:
    leftover_policy.check(actor, "view", leftover)
    if not _may_follow(actor, leftover):
        raise NotPermitted()
    errors: dict[str, list[str]] = {}
    if accountability not in Accountability.values:
        errors["accountability"] = ["请选择问责情形。"]
    if accountability and not note.strip():
        errors["accountability_note"] = ["请写明发生了什么。"]
    if errors:
        raise DomainError("问责信息有误，未保存。", errors)
    before = {"问责情形": leftover.get_accountability_display(), "问责说明": leftover.accountability_note}
    bump_version(leftover, expected_version=expected_version)
    leftover.accountability, leftover.accountability_note = accountability, note.strip()
    leftover.save(update_fields=["accountability", "accountability_note"])
    record(
        actor=actor,
        region_code=leftover.region_id,
        event="handovers.accountability",
        summary=f"遗留事项“{leftover.title}”问责情形：{leftover.get_accountability_display()}",
        obj=leftover,
        before=before,
        after={"问责情形": leftover.get_accountability_display(), "问责说明": leftover.accountability_note},
    )
    return leftover


@transaction.atomic
def leftover_move(*, actor: User, leftover: Leftover, to_status: str, expected_version: int | None) -> Leftover:
    leftover_policy.check(actor, "change", leftover)
    before = move(
        leftover,
        to_status,
        table=LEFTOVER_TRANSITIONS,
        labels=LeftoverStatus,
        what="遗留事项",
        expected_version=expected_version,
    )
    leftover.closed_on = timezone.localdate() if to_status == LeftoverStatus.CLOSED else None
    leftover.save(update_fields=["status", "closed_on"])
    _count(leftover.region_id, leftovers_open=-1 if to_status == LeftoverStatus.CLOSED else 1)
    record(
        actor=actor,
        region_code=leftover.region_id,
        event="handovers.leftover_moved",
        summary=f"遗留事项“{leftover.title}”：{before} → {leftover.get_status_display()}",
        obj=leftover,
        before={"状态": before},
        after={"状态": leftover.get_status_display()},
    )
    return leftover


@transaction.atomic
def care_record(*, actor: Actor, handover: Handover, act: str, done_on: date, note: str = "") -> CareRecord:
    handover_policy.check(actor, "change", handover)
    errors: dict[str, list[str]] = {}
    if act not in CareAct.values:
        errors["act"] = ["请选择关爱事项。"]
    if done_on > timezone.localdate():
        errors["done_on"] = ["完成日期不能晚于今天。"]
    if errors:
        raise DomainError("荣退关爱记录有误，未保存。", errors)
    care, _created = CareRecord.objects.update_or_create(
        handover=handover, act=act, defaults={"done_on": done_on, "note": note.strip()}
    )
    record(
        actor=actor,
        region_code=handover.region_id,
        event="handovers.care_recorded",
        summary=f"“六个一”荣退：{care.get_act_display()}（{handover.outgoing.name}，{done_on:%Y-%m-%d}）",
        obj=care,
        after={"事项": care.get_act_display(), "完成日期": done_on, "说明": care.note},
    )
    # 开门七件事 items that count “六个一” (firstyear.facts) are marked done in the same transaction
    from cunshe.firstyear.services import facts_changed

    if handover.kind != Kind.UNIT:
        facts_changed(handover.region_id)
    return care
