from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.roles import Role
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, NotPermitted
from cunshe.points.models import Balance, Entry
from cunshe.points.services import book_create, book_publish, rule_add
from cunshe.records.models import RecordEntry
from cunshe.spreadsheets.layout import read_rows, write_workbook
from cunshe.volunteers import selectors
from cunshe.volunteers.downloads import ROSTER_COLUMNS, roster_import
from cunshe.volunteers.models import VolunteerMember, VolunteerSummary, VolunteerTeam, roles_on
from cunshe.volunteers.services import (
    ActivityInput,
    activity_add,
    activity_points_award,
    activity_update,
    member_join,
    member_leave,
    team_create,
    team_update,
)

pytestmark = pytest.mark.django_db
FORMED = date(2026, 10, 8)


def _team(village: str = VILLAGE_A, name: str = "换届志愿服务队") -> VolunteerTeam:
    return team_create(actor=SYSTEM, region_code=village, name=name, formed_by="village", formed_on=FORMED)


def _activity(team: VolunteerTeam, members: list[VolunteerMember], **more: Any) -> ActivityInput:
    data: dict[str, Any] = {
        "held_on": date(2026, 11, 10),
        "kind": "publicity",
        "place": "村委会广场",
        "description": "宣讲换届纪律“十严禁”",
        "households": 40,
        "member_ids": [m.pk for m in members],
    } | more
    return ActivityInput(**data)


def _summary(code: str) -> VolunteerSummary:
    return VolunteerSummary.objects.get(region_id=code)


def test_roles_are_dated_data() -> None:
    assert roles_on(date(2026, 10, 1))["sounding"] == "摸排"
    assert set(roles_on(date(2025, 1, 1))) == set(roles_on(date(2026, 1, 1)))  # before the first list: the first


def test_a_team_with_a_resident_and_an_outsider_counts_in_the_summary(make_person: Any) -> None:
    team = _team()
    resident = make_person(VILLAGE_A)
    a = member_join(actor=SYSTEM, team=team, person=resident, role="publicity", joined_on=FORMED)
    b = member_join(actor=SYSTEM, team=team, name="张老师", phone="13900001111", role="mediation", joined_on=FORMED)
    assert (a.name, a.person_id, b.person_id) == (resident.name, resident.pk, None)
    activity_add(actor=SYSTEM, team=team, data=_activity(team, [a, b]))
    row = _summary(VILLAGE_A)
    assert (row.teams, row.people, row.activities, row.turnouts, row.households) == (1, 2, 1, 2, 40)
    assert RecordEntry.objects.filter(event="volunteers.activity_added", region_id=VILLAGE_A).exists()
    with pytest.raises(DomainError, match="已在队中"):
        member_join(actor=SYSTEM, team=team, name="张老师", phone="13900001111", role="service", joined_on=FORMED)
    with pytest.raises(DomainError) as bad:
        member_join(actor=SYSTEM, team=team, name="李四", phone="", role="cook", joined_on=date(2026, 9, 1))
    assert set(bad.value.field_errors) == {"phone", "role", "joined_on"}
    assert team.members.count() == 2  # nothing partial saved


def test_leaving_is_dated_and_nothing_is_deleted(make_person: Any) -> None:
    team = _team()
    m = member_join(actor=SYSTEM, team=team, name="王五", phone="13900002222", role="service", joined_on=FORMED)
    activity_add(actor=SYSTEM, team=team, data=_activity(team, [m], held_on=date(2026, 11, 20)))
    with pytest.raises(DomainError, match="2026-11-20 的活动"):
        member_leave(actor=SYSTEM, member=m, left_on=date(2026, 11, 1))
    member_leave(actor=SYSTEM, member=m, left_on=date(2026, 11, 25), reason="外出务工")
    assert _summary(VILLAGE_A).people == 0 and VolunteerMember.objects.filter(pk=m.pk).exists()
    with pytest.raises(DomainError, match="已于"):
        member_leave(actor=SYSTEM, member=m, left_on=date(2026, 11, 26))
    again = member_join(
        actor=SYSTEM, team=team, name="王五", phone="13900002222", role="service", joined_on=date(2026, 12, 1)
    )
    with pytest.raises(DomainError, match="不在队中"):
        activity_add(actor=SYSTEM, team=team, data=_activity(team, [m], held_on=date(2026, 11, 28)))
    assert again.pk != m.pk and team.members.count() == 2


def test_activity_rules_and_edit_with_version(make_person: Any) -> None:
    team = _team()
    other = _team(VILLAGE_B, "别村队")
    m = member_join(actor=SYSTEM, team=team, name="赵六", phone="1", role="service", joined_on=FORMED)
    stranger = member_join(actor=SYSTEM, team=other, name="钱七", phone="2", role="service", joined_on=FORMED)
    with pytest.raises(DomainError) as bad:
        activity_add(
            actor=SYSTEM,
            team=team,
            data=_activity(team, [stranger], held_on=date(2026, 10, 1), kind="dance", place=""),
        )
    assert set(bad.value.field_errors) == {"member_ids", "held_on", "kind", "place"}
    a = activity_add(actor=SYSTEM, team=team, data=_activity(team, [m]))
    a = activity_update(actor=SYSTEM, activity=a, data=_activity(team, [m], households=55), expected_version=a.version)
    assert _summary(VILLAGE_A).households == 55
    with pytest.raises(ConcurrentEdit):
        activity_update(actor=SYSTEM, activity=a, data=_activity(team, [m]), expected_version=a.version - 1)
    team = team_update(actor=SYSTEM, team=team, expected_version=team.version, name="西范志愿服务队", leader="赵六")
    with pytest.raises(DomainError, match="同名"):
        _team(name="西范志愿服务队")


def test_the_village_acts_in_its_village_only(make_user: Any, make_person: Any) -> None:
    cadre = make_user(Role.VILLAGE_CADRE, VILLAGE_A)
    viewer = make_user(Role.VILLAGE_CADRE, VILLAGE_B)
    team = team_create(actor=cadre, region_code=VILLAGE_A, name="本村队", formed_by="village", formed_on=FORMED)
    other = _team(VILLAGE_B, "别村队")
    with pytest.raises(Http404):
        team_create(actor=cadre, region_code=VILLAGE_B, name="越权队", formed_by="village", formed_on=FORMED)
    with pytest.raises((Http404, NotPermitted)):
        member_join(actor=cadre, team=other, name="某", phone="1", role="service", joined_on=FORMED)
    with pytest.raises((Http404, NotPermitted)):
        member_join(actor=viewer, team=team, name="某", phone="1", role="service", joined_on=FORMED)
    # a village cadre cannot import for the whole town
    with pytest.raises((Http404, NotPermitted)):
        roster_import(actor=cadre, town_code=TOWN_A, stream=BytesIO(b""))


def _sheet(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("志愿者花名册", ROSTER_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def _row(**more: Any) -> dict[str, Any]:
    base = {
        "region": VILLAGE_A,
        "team": "镇派志愿队",
        "formed_on": FORMED,
        "name": "孙八",
        "phone": "13700000000",
        "role": "宣传",
        "joined_on": FORMED,
    }
    return base | more


def test_roster_import_is_all_or_nothing_and_idempotent(make_user: Any, make_person: Any) -> None:
    officer = make_user(Role.TOWN_OFFICER, TOWN_A)
    resident = make_person(VILLAGE_A)
    rows = [_row(), _row(name=resident.name, phone=resident.phone, role="摸排"), _row(name="周九", role="调解")]
    bad = [*rows, _row(region=VILLAGE_B), _row(name="", role="跳舞")]
    with pytest.raises(DomainError) as refused:
        roster_import(actor=officer, town_code=TOWN_A, stream=_sheet(bad))
    assert set(refused.value.field_errors) == {"第 5 行", "第 6 行"} and not VolunteerTeam.objects.exists()
    assert "不在" in refused.value.field_errors["第 5 行"][0]
    report = roster_import(actor=officer, town_code=TOWN_A, stream=_sheet(rows))
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    team = VolunteerTeam.objects.get(name="镇派志愿队")
    assert team.formed_by == "town" and _summary(VILLAGE_A).people == 3
    assert team.members.get(name=resident.name).person_id == resident.pk
    again = roster_import(actor=officer, town_code=TOWN_A, stream=_sheet(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = roster_import(actor=officer, town_code=TOWN_A, stream=_sheet([_row(role="服务")]))
    assert changed.updated == 1 and team.members.get(name="孙八").role == "service"
    with pytest.raises((Http404, NotPermitted)):
        roster_import(actor=officer, town_code=TOWN_B, stream=_sheet([_row(region=VILLAGE_B)]))


def test_roster_export_reads_back_through_the_import(make_user: Any, web_as: Any) -> None:
    officer = make_user(Role.TOWN_OFFICER, TOWN_A)
    team = _team()
    member_join(actor=SYSTEM, team=team, name="吴十", phone="13600000000", role="sounding", joined_on=FORMED)
    answer = web_as(officer).get(reverse("volunteers:roster_xlsx", args=[TOWN_A]))
    assert answer.status_code == 200
    rows = list(read_rows(BytesIO(answer.content), ROSTER_COLUMNS))
    assert [(r.values["name"], r.values["role"], r.errors) for r in rows] == [("吴十", "sounding", [])]
    report = roster_import(actor=officer, town_code=TOWN_A, stream=BytesIO(answer.content))
    assert (report.created, report.unchanged) == (0, 1)


def test_rollup_reads_summary_rows_in_constant_queries(
    make_user: Any, django_assert_max_num_queries: Any, web_as: Any, api_as: Any
) -> None:
    organizer = make_user(Role.COUNTY_ORGANIZER, TOWN_A[:6])
    for village, name in ((VILLAGE_A, "甲队"), (VILLAGE_B, "乙队")):
        t = _team(village, name)
        m = member_join(actor=SYSTEM, team=t, name="某甲", phone="1", role="service", joined_on=FORMED)
        activity_add(actor=SYSTEM, team=t, data=_activity(t, [m], households=7))
    county = VolunteerSummary.objects.filter(region_id__startswith=TOWN_A[:6])
    assert county.count() == 2
    from cunshe.regions.models import Region

    with django_assert_max_num_queries(8):
        rows, total = selectors.rollup(organizer, Region.objects.get(code=TOWN_A[:6]))
    assert (total.teams, total.people, total.activities, total.households) == (2, 2, 2, 14)
    assert {r.code: r.teams for r in rows}[TOWN_B] == 1
    page = web_as(organizer).get(reverse("volunteers:rollup", args=[TOWN_A[:6]]))
    assert page.status_code == 200 and "换届志愿服务队" in page.content.decode()
    api = api_as(organizer).get(f"/api/v1/volunteers/rollup/{TOWN_A}")
    assert api.json()["total"]["households"] == 7
    xlsx = web_as(organizer).get(reverse("volunteers:rollup_xlsx", args=[TOWN_A[:6]]))
    assert xlsx.status_code == 200


def test_points_for_taking_part_once_per_participation(make_person: Any) -> None:
    team = _team()
    resident = make_person(VILLAGE_A)
    a = member_join(actor=SYSTEM, team=team, person=resident, role="service", joined_on=FORMED)
    b = member_join(actor=SYSTEM, team=team, name="外来", phone="1", role="service", joined_on=FORMED)
    activity = activity_add(actor=SYSTEM, team=team, data=_activity(team, [a, b]))
    assert activity_points_award(actor=SYSTEM, activity=activity).credited == 0  # no rule book yet
    book = book_create(actor=SYSTEM, region_code=VILLAGE_A[:6], title="积分细则", effective_from=date(2026, 7, 1))
    rule_add(actor=SYSTEM, book=book, code="A1", title="参加志愿服务活动", category="volunteering", points=5)
    book_publish(actor=SYSTEM, book=book, expected_version=book.version)
    first = activity_points_award(actor=SYSTEM, activity=activity)
    assert (first.credited, first.points, first.skipped) == (1, 5, 1)  # the outsider has no account
    second = activity_points_award(actor=SYSTEM, activity=activity)
    assert (second.credited, second.points) == (0, 0)
    assert Entry.objects.filter(key__startswith="volunteers:").count() == 1
    assert Balance.objects.get(holder__person=resident).points == 5
    with pytest.raises(DomainError, match="已计入积分"):
        activity_update(actor=SYSTEM, activity=activity, data=_activity(team, [b]), expected_version=activity.version)


def test_pages_and_api_act_through_the_services(make_user: Any, make_person: Any, web_as: Any, api_as: Any) -> None:
    cadre = make_user(Role.VILLAGE_CADRE, VILLAGE_A)
    web = web_as(cadre)
    made = web.post(
        reverse("volunteers:team_new", args=[VILLAGE_A]),
        {"name": "网页队", "formed_by": "village", "formed_on": "2026-10-09"},
    )
    assert made.status_code == 302
    team = VolunteerTeam.objects.get(name="网页队")
    bad = web.post(reverse("volunteers:member_new", args=[team.pk]), {"role": "service", "joined_on": "2026-10-09"})
    assert bad.status_code == 400 and "姓名" in bad.content.decode()
    person = make_person(VILLAGE_A)
    api = api_as(cadre)
    joined = api.post(
        f"/api/v1/volunteers/teams/{team.pk}/members",
        {"person_id": person.pk, "role": "publicity", "joined_on": "2026-10-09"},
        content_type="application/json",
    )
    assert joined.status_code == 201, joined.content
    added = web.post(
        reverse("volunteers:activity_new", args=[team.pk]),
        {
            "held_on": "2026-11-02",
            "kind": "publicity",
            "place": "文化广场",
            "description": "发放换届宣传单",
            "households": "60",
            "members": [joined.json()["id"]],
        },
    )
    assert added.status_code == 302
    refused = api.post(
        f"/api/v1/volunteers/teams/{team.pk}/activities",
        {"held_on": "2027-01-01", "kind": "publicity", "place": "x", "description": "x", "member_ids": []},
        content_type="application/json",
    )
    assert refused.status_code == 400, refused.content
    assert _summary(VILLAGE_A).households == 60
    page = web.get(reverse("volunteers:team", args=[team.pk]))
    assert "发放换届宣传单" in page.content.decode() and person.name in page.content.decode()
    upload = web.post(
        reverse("volunteers:roster_import", args=[TOWN_A]),
        {"file": SimpleUploadedFile("x.xlsx", _sheet([_row()]).getvalue())},
    )
    assert upload.status_code in (403, 404)  # the village cannot import for the town


def test_roster_printed_with_the_members_in_service_on_the_day(make_user: Any, web_as: Any, api_as: Any) -> None:
    team = _team()
    member_join(actor=SYSTEM, team=team, name="张老师", phone="13900001111", role="mediation", joined_on=FORMED)
    gone = member_join(actor=SYSTEM, team=team, name="王五", phone="13900002222", role="service", joined_on=FORMED)
    member_leave(actor=SYSTEM, member=gone, left_on=date(2026, 11, 25), reason="外出务工")
    member_join(
        actor=SYSTEM, team=team, name="赵六", phone="13900003333", role="publicity", joined_on=date(2026, 12, 1)
    )
    cadre, other = make_user(Role.VILLAGE_CADRE, VILLAGE_A), make_user(Role.VILLAGE_CADRE, VILLAGE_B)
    url = reverse("volunteers:team_roster_pdf", args=[team.pk])
    response = web_as(cadre).get(url, {"on": "2026-11-20"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    assert pages == 1
    for expected in (
        "换届志愿服务队花名册",
        "张老师",
        "调解",
        "13900001111",
        "王五",
        "在队 2 人",
        "服务队队长（签字）",
    ):
        assert expected in text, expected
    assert "赵六" not in text  # joined after the day asked for
    later = pdf_text(api_as(cadre).get(f"/api/v1/volunteers/teams/{team.pk}/roster.pdf?on=2026-12-05").content)[0]
    assert "赵六" in later and "王五" not in later
    assert web_as(other).get(url).status_code == 404
    assert api_as(other).get(f"/api/v1/volunteers/teams/{team.pk}/roster.pdf").status_code == 404
