"""Leader handovers above the village (seed 003): a town's and a county unit's, the supervising group, the freeze
and lifting notices, 询问追问 and the 执行力档案."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone
from pypdf import PdfReader

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A
from cunshe.accounts.models import Department
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.handovers.models import (
    ConductRecord,
    Confirmation,
    GroupParty,
    Handover,
    ItemKind,
    ItemStatus,
    Kind,
    LeftoverStatus,
    NoticeKind,
    Party,
    Status,
)
from cunshe.handovers.pdf import freeze_notice_pdf, letter_pdf
from cunshe.handovers.selectors import conduct_of, rollup
from cunshe.handovers.services import handover_confirm, item_update, parties_for
from cunshe.handovers.units import (
    conduct_file,
    edition_on,
    freeze_notice_send,
    inquiry_add,
    inquiry_answer,
    unit_handover_open,
)
from cunshe.records.models import RecordEntry as Entry
from cunshe.regions.models import Region

TODAY = timezone.localdate()


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


class UnitCast:
    """A town secretary leaving 黛溪街道党工委: the town's officer runs it, the county's four departments supervise."""

    def __init__(self, make_user: Any, make_person: Any) -> None:
        self.town_officer = make_user("town_officer", TOWN_A, name="黛溪街道组织委员")
        self.officer_b = make_user("town_officer", TOWN_B, name="黄山街道干部")
        self.organizer = make_user("county_organizer", COUNTY, name="组织部干部科")
        self.discipline = make_user("discipline_supervisor", COUNTY, name="纪委监委室主任")
        finance = Department.objects.create(county_id=COUNTY, name="市财政局")
        audit = Department.objects.create(county_id=COUNTY, name="市审计局")
        self.finance = make_user("reviewer", COUNTY, department=finance, name="财政局会计科")
        self.audit = make_user("reviewer", COUNTY, department=audit, name="审计局经责科")
        self.outgoing = make_person(VILLAGE_A, name="张书记")
        self.incoming = make_person(VILLAGE_A, name="刘书记")

    def group(self) -> list[tuple[str, Any, str]]:
        return [
            (GroupParty.ORGANIZATION, self.organizer, "市委组织部"),
            (GroupParty.DISCIPLINE, self.discipline, "市纪委监委"),
            (GroupParty.FINANCE, self.finance, "市财政局"),
            (GroupParty.AUDIT, self.audit, "市审计局"),
        ]

    def open(self, **kwargs: Any) -> Handover:
        args: dict[str, Any] = {
            "actor": self.town_officer,
            "region_code": TOWN_A,
            "unit_name": "黛溪街道党工委",
            "post": "党工委书记",
            "outgoing": self.outgoing,
            "incoming": self.incoming,
            "working_group": self.town_officer,
            "group": self.group(),
            "starts_on": TODAY,
            "meeting_at": datetime.combine(TODAY, time(15, 0), timezone.get_current_timezone()),
            "meeting_place": "街道机关三楼会议室",
        }
        args.update(kwargs)
        return unit_handover_open(**args)


@pytest.fixture
def unit(make_user: Any, make_person: Any) -> UnitCast:
    return UnitCast(make_user, make_person)


def hand_over_all(handover: Handover, actor: Any) -> None:
    for item in handover.items.order_by("position"):
        item_update(
            actor=actor,
            item=item,
            status=ItemStatus.HANDED,
            count=1 if item.item_kind == ItemKind.COUNT else None,
            amount=Decimal("5000.00") if item.item_kind == ItemKind.MONEY else None,
            details="已核对",
            expected_version=item.version,
        )


def sign(handover: Handover, actor: Any, party: str) -> Handover:
    return handover_confirm(
        actor=actor, handover=handover, party=party, expected_version=Handover.objects.get(pk=handover.pk).version
    )


def test_a_town_handover_takes_the_15_items_of_the_edition_and_names_unit_post_and_group(unit: UnitCast) -> None:
    handover = unit.open()
    assert handover.kind == Kind.UNIT and handover.region_id == TOWN_A and handover.unit_label == "黛溪街道党工委"
    items = list(handover.items.order_by("position"))
    assert len(items) == 15 and {i.section for i in items} == {"离任工作事项交接单", "离任经济事项交接表"}
    assert {"长远规划", "遗留事项", "在建项目", "财务状况"} <= {i.title for i in items}
    assert handover.template.name == edition_on(TODAY)[1]
    assert {(m.party, m.department) for m in handover.group.all()} == {(p, d) for p, _u, d in unit.group()}
    assert not handover.accounts_frozen  # frozen by the notice, not by opening
    assert Entry.objects.filter(event="handovers.unit_opened", region_id=TOWN_A).exists()


def test_who_runs_a_unit_handover_and_who_may_sit_on_its_group(unit: UnitCast, make_user: Any) -> None:
    with pytest.raises(Http404):  # another town's officer does not see 黛溪街道
        unit.open(actor=unit.officer_b)
    with pytest.raises(Http404):  # a town officer does not run a county unit's handover
        unit.open(region_code=COUNTY, unit_name="市财政局", post="局长")
    county = unit.open(
        actor=unit.organizer, region_code=COUNTY, unit_name="市财政局", post="局长", working_group=unit.organizer
    )
    assert county.region_id == COUNTY
    with pytest.raises(DomainError) as refused:
        unit.open(actor=unit.organizer, region_code=COUNTY, unit_name="市财政局", post="局长")
    assert "working_group" in refused.value.field_errors  # a town officer cannot organize a county unit's handover
    town_supervisor = make_user("discipline_supervisor", TOWN_A, name="街道纪工委")
    group = [g for g in unit.group() if g[0] != GroupParty.DISCIPLINE]
    with pytest.raises(DomainError) as refused:
        unit.open(group=group)
    assert GroupParty.DISCIPLINE in refused.value.field_errors
    with pytest.raises(DomainError) as refused:
        unit.open(group=[*group, (GroupParty.DISCIPLINE, unit.finance, "市纪委监委")])
    assert refused.value.field_errors[GroupParty.DISCIPLINE] == ["纪委监委成员须为负责该单位的纪检监督账号。"]
    assert (
        unit.open(group=[*group, (GroupParty.DISCIPLINE, town_supervisor, "街道纪工委")]).supervisor == town_supervisor
    )
    with pytest.raises(DomainError) as refused:
        unit.open(region_code=VILLAGE_A)
    assert "region" in refused.value.field_errors
    with pytest.raises(DomainError) as refused:
        unit.open(days=4, unit_name="", post="")
    assert {"days", "unit_name", "post"} <= set(refused.value.field_errors)


def test_completion_needs_the_freeze_notice_and_the_whole_group_and_lifts_the_freeze(unit: UnitCast) -> None:
    handover = unit.open()
    hand_over_all(handover, unit.town_officer)
    assert set(parties_for(unit.town_officer, handover)) == {
        Party.OUTGOING,
        Party.INCOMING,
        Party.WORKING_GROUP,
        *GroupParty.values,
    }
    assert parties_for(unit.discipline, handover) == [GroupParty.DISCIPLINE]
    with pytest.raises(NotPermitted):  # the discipline member signs for the discipline commission only
        sign(handover, unit.discipline, GroupParty.AUDIT)
    with pytest.raises(Http404):  # a finance account holds no role that sees handovers: it signs on paper
        sign(handover, unit.finance, GroupParty.FINANCE)
    with pytest.raises(DomainError):  # a village's supervisor party is no part of a unit's letter
        sign(handover, unit.discipline, Party.SUPERVISOR)
    for party in (Party.OUTGOING, Party.INCOMING, Party.WORKING_GROUP):
        sign(handover, unit.town_officer, party)
    sign(handover, unit.town_officer, GroupParty.FINANCE)
    sign(handover, unit.town_officer, GroupParty.AUDIT)  # the paper signature, recorded by the working group
    sign(handover, unit.organizer, GroupParty.ORGANIZATION)  # in the system, under the member's own account
    with pytest.raises(DomainError) as refused:
        sign(handover, unit.discipline, GroupParty.DISCIPLINE)
    assert "freeze" in refused.value.field_errors
    assert Handover.objects.get(pk=handover.pk).status == Status.OPEN
    with pytest.raises(NotPermitted):  # the discipline member sees it but does not run it
        freeze_notice_send(actor=unit.discipline, handover=handover)
    freeze_notice_send(actor=unit.town_officer, handover=handover, addressed_to="邹平市财政局")
    assert Handover.objects.get(pk=handover.pk).accounts_frozen
    with pytest.raises(DomainError):
        freeze_notice_send(actor=unit.town_officer, handover=handover)
    sign(handover, unit.discipline, GroupParty.DISCIPLINE)
    handover.refresh_from_db()
    assert handover.status == Status.COMPLETED and not handover.accounts_frozen
    notices = {n.kind: n for n in handover.freeze_notices.all()}
    assert (
        set(notices) == {NoticeKind.FREEZE, NoticeKind.LIFT} and notices[NoticeKind.LIFT].addressed_to == "邹平市财政局"
    )
    paper = {c.party: c.on_paper for c in Confirmation.objects.filter(handover=handover)}
    assert paper[GroupParty.AUDIT] and not paper[GroupParty.ORGANIZATION] and not paper[GroupParty.DISCIPLINE]
    assert {"handovers.freeze_sent", "handovers.freeze_lifted", "handovers.completed"} <= set(
        Entry.objects.filter(region_id=TOWN_A).values_list("event", flat=True)
    )
    freeze_text = pdf_text(freeze_notice_pdf(notices[NoticeKind.FREEZE]))
    assert "账户冻结通知" in freeze_text and "邹平市财政局" in freeze_text and "黛溪街道党工委" in freeze_text
    assert "账户解冻通知" in pdf_text(freeze_notice_pdf(notices[NoticeKind.LIFT]))
    letter = pdf_text(letter_pdf(Handover.objects.get(pk=handover.pk), copies=1))
    assert "监交组（审计）" in letter and "市审计局" in letter and "党工委书记离任交接书" in letter
    _rows, total = rollup(Region.objects.get(code=COUNTY))
    assert total.planned == 0 and total.overdue == 0  # a unit's handover is counted in no village's row


def test_inquiries_are_leftover_items_with_due_dates_and_answers(unit: UnitCast) -> None:
    handover = unit.open()
    question = inquiry_add(
        actor=unit.town_officer,
        handover=handover,
        question="在建污水管网项目的尾款何时结清？",
        due_on=TODAY + timedelta(days=7),
    )
    assert question.is_inquiry and question.owner == "张书记" and question.status == LeftoverStatus.OPEN
    with pytest.raises(DomainError):
        inquiry_add(actor=unit.town_officer, handover=handover, question=" ", due_on=TODAY - timedelta(days=1))
    with pytest.raises(NotPermitted):
        inquiry_answer(actor=unit.discipline, leftover=question, answer="…", expected_version=question.version)
    with pytest.raises(Http404):
        inquiry_answer(actor=unit.officer_b, leftover=question, answer="…", expected_version=question.version)
    answered = inquiry_answer(
        actor=unit.town_officer, leftover=question, answer="已列入明年一季度预算。", expected_version=question.version
    )
    assert answered.status == LeftoverStatus.CLOSED and answered.answered_on == TODAY
    assert answered.answer == "已列入明年一季度预算。"
    with pytest.raises(DomainError):  # answered once
        inquiry_answer(actor=unit.town_officer, leftover=answered, answer="再答", expected_version=answered.version)


def test_the_conduct_record_is_filed_with_the_person_after_completion(unit: UnitCast) -> None:
    handover = unit.open()
    hand_over_all(handover, unit.town_officer)
    with pytest.raises(DomainError):  # not before completion
        conduct_file(actor=unit.town_officer, handover=handover, conduct="交接主动")
    freeze_notice_send(actor=unit.town_officer, handover=handover)
    for party in (Party.OUTGOING, Party.INCOMING, Party.WORKING_GROUP, *GroupParty.values):
        sign(handover, unit.town_officer, party)
    inquiry_add(actor=unit.town_officer, handover=handover, question="信访件办理进度？", due_on=TODAY)
    with pytest.raises(NotPermitted):
        conduct_file(actor=unit.discipline, handover=handover, conduct="交接主动")
    entry = conduct_file(actor=unit.town_officer, handover=handover, conduct="交接主动、材料齐全，应交尽交。")
    assert entry.person == unit.outgoing and entry.post == "党工委书记"
    assert (
        "一单一表 15 项：已交接 15 项" in entry.handover_summary
        and "询问追问 1 项（已答复 0 项）" in entry.handover_summary
    )
    with pytest.raises(DomainError):
        conduct_file(actor=unit.town_officer, handover=handover, conduct="再次归档")
    assert list(conduct_of(unit.discipline, unit.outgoing.pk)) == [entry]  # a later reviewer reads it
    assert list(conduct_of(unit.officer_b, unit.outgoing.pk)) == []
    assert ConductRecord.objects.count() == 1


def test_the_person_page_links_to_the_conduct_record_only_for_who_may_read_it(
    unit: UnitCast, make_user: Any, client: Any
) -> None:
    page = f"/people/{unit.outgoing.pk}/"
    link = f"/handovers/people/{unit.outgoing.pk}/conduct/"
    client.force_login(unit.town_officer)
    assert link not in client.get(page).content.decode()  # nothing filed yet: no link
    handover = unit.open()
    hand_over_all(handover, unit.town_officer)
    freeze_notice_send(actor=unit.town_officer, handover=handover)
    for party in (Party.OUTGOING, Party.INCOMING, Party.WORKING_GROUP, *GroupParty.values):
        sign(handover, unit.town_officer, party)
    conduct_file(actor=unit.town_officer, handover=handover, conduct="交接主动、材料齐全。")
    assert link in client.get(page).content.decode()
    assert client.get(link).status_code == 200
    # the village's cadre sees the person but not the town's 执行力档案 (filed in the town's region): no link
    cadre = make_user("village_cadre", VILLAGE_A)
    client.force_login(cadre)
    response = client.get(page)
    assert response.status_code == 200 and "执行力档案" not in response.content.decode()
    assert list(conduct_of(cadre, unit.outgoing.pk)) == []
