from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.deadlines.work_items import work_items_for
from cunshe.partywork import selectors
from cunshe.partywork.models import CadenceStatus, MeetingKind
from cunshe.partywork.services import (
    addendum_add,
    branch_open,
    meeting_attendance_mark,
    meeting_create,
    meeting_edit,
    meeting_sign,
)
from cunshe.partywork.tests.helpers import at, branch_with_members, hold
from cunshe.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_A = "371681001214"


def _status(branch: Any, kind: str) -> CadenceStatus:
    return CadenceStatus.objects.get(branch=branch, kind=kind)


def test_cadence_counts_signed_meetings_only_and_the_secretarys_lectures(make_person: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=3))
    assert CadenceStatus.objects.filter(branch=branch).count() == 7
    first_due = _status(branch, MeetingKind.COMMITTEE).due_on
    hold(branch, members, on=TODAY, sign=False)  # a draft does not count
    assert _status(branch, MeetingKind.COMMITTEE).due_on == first_due
    hold(branch, members, on=TODAY)
    row = _status(branch, MeetingKind.COMMITTEE)
    assert (row.held, row.last_held_on) == (1, TODAY) and row.due_on > TODAY and row.due_on.month != TODAY.month
    # the yearly lecture counts only when the secretary gives it
    hold(branch, members, kind=MeetingKind.LECTURE, on=TODAY, chair=members[2])
    assert _status(branch, MeetingKind.LECTURE).held == 0
    hold(branch, members, kind=MeetingKind.LECTURE, on=TODAY, chair=members[0])
    assert _status(branch, MeetingKind.LECTURE).held == 1
    assert _status(branch, MeetingKind.LECTURE).due_on.year == TODAY.year + 1


def test_who_is_due_committee_members_at_a_committee_meeting_all_members_else(make_person: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=3))
    committee = hold(branch, members, on=TODAY, sign=False)
    assert {a.person_id for a in committee.attendance.all()} == {members[0].pk, members[1].pk}
    whole = hold(branch, members, kind=MeetingKind.MEMBERS, on=TODAY, sign=False)
    assert {a.person_id for a in whole.attendance.all()} == {p.pk for p in members}
    assert (whole.number, hold(branch, members, kind=MeetingKind.MEMBERS, on=TODAY, sign=False).number) == (1, 2)


def test_overdue_meetings_on_the_to_do_list_and_rolled_up_per_town(
    make_person: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    branch, _ = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=100))
    on_time, others = branch_with_members(OTHER_A, make_person, formed_on=TODAY - timedelta(days=2))
    hold(on_time, others, on=TODAY)
    cadre = make_user("village_cadre", VILLAGE_A)
    items = [i for i in work_items_for(cadre) if i.module == "partywork"]
    assert any(i.overdue and "支部委员会" in i.title for i in items)
    assert all(i.region_name == Region.objects.get(code=VILLAGE_A).name for i in items)
    # a town officer of another town has none of them
    assert not [i for i in work_items_for(make_user("town_officer", TOWN_B)) if i.module == "partywork"]
    officer = make_user("town_officer", TOWN_A)
    town_region, county_region = Region.objects.get(code=TOWN_A), Region.objects.get(code=COUNTY)
    organizer = make_user("county_organizer", COUNTY)
    selectors.rollup(officer, town_region), selectors.rollup(organizer, county_region)  # grants cached per user
    with django_assert_max_num_queries(3):
        town = selectors.rollup(officer, town_region)
    rows = {r.code: r for r in town.rows}
    assert rows[VILLAGE_A].overdue[MeetingKind.COMMITTEE] == 1 and rows[OTHER_A].overdue[MeetingKind.COMMITTEE] == 0
    with django_assert_max_num_queries(3):
        county = selectors.rollup(organizer, county_region)
    town_row = next(r for r in county.rows if r.code == TOWN_A)
    assert town_row.branches == 2 and town_row.overdue[MeetingKind.COMMITTEE] == 1
    assert not selectors.rollup(make_user("town_officer", TOWN_B), Region.objects.get(code=COUNTY)).rows
    lines = {c.kind: c for c in selectors.cadence_of(officer, branch)}
    assert lines[MeetingKind.COMMITTEE].overdue and len(lines[MeetingKind.COMMITTEE].missed) >= 3


def test_signatures_lock_the_record_and_corrections_are_addenda(make_person: Any, make_user: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=3))
    cadre, secretary = make_user("village_cadre", VILLAGE_A), make_user("village_cadre", VILLAGE_A)
    m = hold(branch, members, on=TODAY, sign=False, actor=cadre)
    with pytest.raises(DomainError, match="补充"):
        addendum_add(actor=cadre, meeting=m, text="更正")  # not signed yet: edit the record itself
    m = meeting_edit(actor=cadre, meeting=m, expected_version=m.version, votes="应到 2 人，赞成 2 票。")
    m = meeting_sign(actor=cadre, meeting=m, role="recorder", expected_version=m.version)
    with pytest.raises(DomainError, match="不同账号"):
        meeting_sign(actor=cadre, meeting=m, role="chair", expected_version=m.version)
    m = meeting_sign(actor=secretary, meeting=m, role="chair", expected_version=m.version)
    assert m.status == "signed"
    with pytest.raises(IllegalTransition, match="补充更正说明"):
        meeting_edit(actor=cadre, meeting=m, expected_version=m.version, place="改过的地点")
    with pytest.raises(IllegalTransition):
        meeting_attendance_mark(
            actor=cadre, meeting=m, marks={members[0].pk: ("absent", "病假")}, expected_version=m.version
        )
    note = addendum_add(actor=cadre, meeting=m, text="第二项决定的完成时限应为下月底，特此更正。")
    assert note.meeting_id == m.pk and m.place == "村党群服务中心"
    # another town's officer: the record does not exist; a supervisor sees it but may not write in it
    with pytest.raises(Http404):
        addendum_add(actor=make_user("town_officer", TOWN_B), meeting=m, text="越界")
    with pytest.raises(NotPermitted):
        addendum_add(actor=make_user("discipline_supervisor", TOWN_A), meeting=m, text="监督")


def test_a_record_is_complete_before_it_is_signed(make_person: Any, make_user: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=30))
    m = meeting_create(
        actor=SYSTEM,
        branch=branch,
        kind=MeetingKind.COMMITTEE,
        held_at=at(TODAY),
        place="村委会",
        chair=members[0],
        recorder=members[1],
        agenda="研究发展党员工作",
    )
    with pytest.raises(DomainError, match="未登记出席"):
        meeting_sign(actor=SYSTEM, meeting=m, role="recorder", expected_version=m.version)
    with pytest.raises(DomainError) as error:
        meeting_attendance_mark(
            actor=SYSTEM,
            meeting=m,
            marks={members[0].pk: ("present", ""), members[1].pk: ("absent", "")},
            expected_version=m.version,
        )
    assert "请假或缺席须写明原因" in error.value.text
    m = meeting_attendance_mark(
        actor=SYSTEM,
        meeting=m,
        marks={members[0].pk: ("present", ""), members[1].pk: ("leave", "外出参加培训")},
        expected_version=m.version,
    )
    assert m.attendance.get(person=members[1]).reason == "外出参加培训"


def test_meeting_input_is_checked(make_person: Any, make_user: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=30))
    outsider = make_person(VILLAGE_A)  # not a party member
    base: dict[str, Any] = {
        "branch": branch,
        "kind": MeetingKind.MEMBERS,
        "place": "村委会",
        "recorder": members[1],
        "agenda": "议程",
    }
    with pytest.raises(DomainError) as error:
        meeting_create(actor=SYSTEM, held_at=at(TODAY - timedelta(days=40)), chair=outsider, **base)
    assert set(error.value.field_errors) == {"held_at", "chair"}
    with pytest.raises(DomainError, match="完成时限"):
        meeting_create(
            actor=SYSTEM,
            held_at=at(TODAY),
            chair=members[0],
            decisions=[{"text": "修路", "owner": "张三", "due_on": TODAY - timedelta(days=1)}],
            **base,
        )
    with pytest.raises(Http404):
        meeting_create(actor=make_user("village_cadre", "371681002201"), held_at=at(TODAY), chair=members[0], **base)
    with pytest.raises(NotPermitted):
        branch_open(actor=make_user("village_cadre", OTHER_A), village_code=OTHER_A, name="支部", formed_on=TODAY)


def test_minutes_pdf_ledger_and_api(make_person: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=TODAY - timedelta(days=3))
    m = hold(branch, members, on=TODAY)
    addendum_add(actor=SYSTEM, meeting=m, text="补记：会后征求了群众意见。")
    officer = make_user("town_officer", TOWN_A)
    text, _ = pdf_text(web_as(officer).get(f"/partywork/meeting/{m.pk}/minutes.pdf").content)
    for words in ("支部委员会", "主持人", members[0].name, "不同意见", "道路硬化方案征求群众意见", "已确认", "补记"):
        assert words in text.replace("\n", "")
    assert web_as(officer).get(f"/partywork/region/{TOWN_A}/ledger.xlsx").status_code == 200
    cadre = make_user("village_cadre", VILLAGE_A)
    api = api_as(cadre)
    body = {
        "kind": "theme_day",
        "held_at": at(TODAY).isoformat(),
        "place": "党员活动室",
        "chair_id": members[0].pk,
        "recorder_id": members[1].pk,
        "agenda": "主题党日：重温入党誓词",
    }
    made = api.post(f"/api/v1/partywork/branches/{VILLAGE_A}/meetings", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["counts"]["due"] == 4
    got = made.json()
    marks = [{"person_id": a["person_id"], "status": "present"} for a in got["attendance"]]
    marked = api.post(
        f"/api/v1/partywork/meetings/{got['id']}/attendance",
        {"version": got["version"], "marks": marks},
        content_type="application/json",
    ).json()
    signed = api.post(
        f"/api/v1/partywork/meetings/{got['id']}/sign",
        {"role": "recorder", "version": marked["version"]},
        content_type="application/json",
    )
    assert signed.status_code == 200 and signed.json()["recorder_signed_at"]
    stale = api.post(
        f"/api/v1/partywork/meetings/{got['id']}/sign",
        {"role": "chair", "version": marked["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert api_as(make_user("town_officer", TOWN_B)).get(f"/api/v1/partywork/meetings/{got['id']}").status_code == 404
    page = web_as(cadre).get(f"/partywork/branch/{VILLAGE_A}/")
    assert page.status_code == 200 and "主题党日" in page.content.decode()


def test_the_town_opens_a_branch_on_its_page(make_user: Any, web_as: Any) -> None:
    officer = web_as(make_user("town_officer", TOWN_A))
    body = {"village": OTHER_A, "name": "北范村党支部", "formed_on": (TODAY - timedelta(days=5)).isoformat()}
    url = f"/partywork/region/{TOWN_A}/branches/"
    supervisor = web_as(make_user("discipline_supervisor", TOWN_A))  # sees the town, opens nothing
    assert supervisor.post(url, body).status_code == 403
    assert web_as(make_user("village_cadre", OTHER_A)).post(url, body).status_code == 404  # the town is above it
    assert officer.post(f"/partywork/region/{TOWN_B}/branches/", body).status_code == 404
    done = officer.post(f"/partywork/region/{TOWN_A}/branches/", body)
    assert done.status_code == 302 and CadenceStatus.objects.filter(region_id=OTHER_A).count() == 7
    again = officer.post(f"/partywork/region/{TOWN_A}/branches/", body)  # no longer offered
    assert again.status_code == 400 and f'value="{OTHER_A}"' not in again.content.decode()
