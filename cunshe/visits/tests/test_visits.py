from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.issueboard.models import Issue, IssueTally
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import write_workbook
from cunshe.teams.services import member_appoint
from cunshe.visits.exports import PLAN_COLUMNS, visit_plan_import
from cunshe.visits.models import Coverage, Group, Visit, VisitTarget
from cunshe.visits.selectors import coverage_table, targets_of_village
from cunshe.visits.services import coverage_target_set, group_member_add, visit_plan_generate, visit_record

DUE = date(2026, 10, 15)
VISIT_DAY = date(2026, 10, 8)


def party_member(make_person: Any, village: str = VILLAGE_A, **fields: Any) -> Any:
    return make_person(
        village, birth_date=date(1968, 5, 1), is_party_member=True, party_joined_on=date(1992, 7, 1), **fields
    )


def record_visit(actor: Any, target: VisitTarget, mode: str = "in_person", **fields: Any) -> Visit:
    fields.setdefault("visited_on", VISIT_DAY)
    return visit_record(actor=actor, target=target, mode=mode, visitors="驻村干部", summary="谈换届", **fields)


def coverage(group: str, village: str = VILLAGE_A) -> Coverage:
    return Coverage.objects.get(region_id=village, group=group)


def test_a_plan_is_generated_from_the_registry_the_team_and_the_listed_groups(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    members = [party_member(make_person) for _ in range(3)]
    villager = make_person(VILLAGE_A)
    cadre = make_person(VILLAGE_A)
    member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=cadre,
        committee="villagers",
        post="director",
        started_on=date(2021, 6, 1),
    )
    group_member_add(actor=officer, person=villager, group=Group.VILLAGER_REP)
    added = visit_plan_generate(
        actor=officer,
        village_code=VILLAGE_A,
        groups=[Group.PARTY_MEMBER, Group.CADRE, Group.VILLAGER_REP],
        visitor="驻村干部",
        due_on=DUE,
    )
    assert added == 5
    planned = set(VisitTarget.objects.values_list("person_id", "group"))
    assert planned == {(m.pk, "party_member") for m in members} | {(cadre.pk, "cadre"), (villager.pk, "villager_rep")}
    assert coverage(Group.PARTY_MEMBER).planned == 3
    # Generating again adds only who is new.
    party_member(make_person)
    assert (
        visit_plan_generate(
            actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE
        )
        == 1
    )
    assert coverage(Group.PARTY_MEMBER).planned == 4
    assert RecordEntry.objects.filter(event="visits.planned").count() == 6


def test_party_member_coverage_is_met_only_at_100_percent_and_phone_visits_count_separately(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    for _ in range(4):
        party_member(make_person)
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE)
    targets = list(VisitTarget.objects.order_by("id"))
    record_visit(officer, targets[0])
    record_visit(officer, targets[0], mode="phone")  # a second visit does not count the person twice
    record_visit(officer, targets[1], mode="phone")
    record_visit(officer, targets[2])
    cell = coverage_table(officer, VILLAGE_A).total.cells[Group.PARTY_MEMBER]
    assert (cell.planned, cell.visited, cell.by_phone, cell.in_person) == (4, 3, 1, 2)
    assert cell.rate == 75.0 and cell.target == 100 and not cell.met
    assert [t.person_id for t in targets_of_village(officer, VILLAGE_A, unvisited_only=True)] == [targets[3].person_id]
    record_visit(officer, targets[3], mode="phone")
    cell = coverage_table(officer, VILLAGE_A).total.cells[Group.PARTY_MEMBER]
    assert cell.met and cell.by_phone == 2 and cell.rate == 100.0


def test_a_county_sets_its_own_target_and_only_its_organizers_may(
    term_change: Any, officer: Any, make_user: Any, make_person: Any
) -> None:
    people = [make_person(VILLAGE_A) for _ in range(4)]
    for person in people:
        group_member_add(actor=officer, person=person, group=Group.HOUSEHOLD)
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.HOUSEHOLD], visitor="网格员", due_on=DUE)
    for target in VisitTarget.objects.order_by("id")[:3]:
        record_visit(officer, target)
    cell = coverage_table(officer, VILLAGE_A).total.cells[Group.HOUSEHOLD]
    assert cell.rate == 75.0 and cell.target == 80 and not cell.met
    with pytest.raises(NotPermitted):  # the town officer sees the county's target but does not set it
        coverage_target_set(actor=officer, county_code=COUNTY, group=Group.HOUSEHOLD, percent=70, expected_version=0)
    with pytest.raises(DomainError):
        coverage_target_set(
            actor=make_user("county_organizer", COUNTY),
            county_code=COUNTY,
            group="household",
            percent=0,
            expected_version=0,
        )
    coverage_target_set(
        actor=make_user("county_organizer", COUNTY),
        county_code=COUNTY,
        group=Group.HOUSEHOLD,
        percent=70,
        expected_version=0,
    )
    assert coverage_table(officer, VILLAGE_A).total.cells[Group.HOUSEHOLD].met


def test_town_and_county_tables_sum_the_village_rows_in_constant_queries(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, django_assert_max_num_queries: Any
) -> None:
    for village in (VILLAGE_A, "371681001214", VILLAGE_B):
        for _ in range(2):
            party_member(make_person, village)
        visit_plan_generate(actor=SYSTEM, village_code=village, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE)
        record_visit(SYSTEM, VisitTarget.objects.filter(region_id=village).order_by("id")[0])
    organizer = make_user("county_organizer", COUNTY)
    with django_assert_max_num_queries(6):
        county = coverage_table(organizer, COUNTY)
    towns = list(Region.objects.filter(parent_id=COUNTY).order_by("code").values_list("code", flat=True))
    assert [r.code for r in county.rows] == towns  # a town with no visit plan yet is a row of zeros
    assert [r.code for r in county.rows if r.total.planned] == [TOWN_A, TOWN_B]
    town_a = county.rows[0].cells[Group.PARTY_MEMBER]
    assert (town_a.planned, town_a.visited) == (4, 2)
    assert county.total.cells[Group.PARTY_MEMBER].planned == 6
    with django_assert_max_num_queries(6):
        town = coverage_table(officer, TOWN_A)
    assert [r.code for r in town.rows if r.total.planned] == [VILLAGE_A, "371681001214"]
    assert len(town.rows) == Region.objects.filter(parent_id=TOWN_A).count()
    # The town officer asking for the county sees only their own town in it.
    assert [r.code for r in coverage_table(officer, COUNTY).rows] == [TOWN_A]


def test_visits_need_a_term_change_and_a_valid_record(officer: Any, make_person: Any, term_change: Any) -> None:
    party_member(make_person)
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE)
    target = VisitTarget.objects.get()
    with pytest.raises(DomainError) as caught:
        visit_record(actor=officer, target=target, mode="letter", visited_on=date(2030, 1, 1), visitors="", summary="")
    assert set(caught.value.field_errors) == {"mode", "visited_on", "visitors", "summary"}
    assert not Visit.objects.exists() and coverage(Group.PARTY_MEMBER).visited == 0


def test_without_a_term_change_nothing_is_planned(zouping: Any, officer: Any, make_person: Any) -> None:
    party_member(make_person)
    with pytest.raises(DomainError) as caught:
        visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=["party_member"], visitor="甲", due_on=DUE)
    assert "尚未启动换届" in caught.value.message


def test_other_towns_are_out_of_reach_and_supervisors_only_read(
    term_change: Any, officer: Any, make_user: Any, make_person: Any
) -> None:
    party_member(make_person, VILLAGE_B)
    with pytest.raises(Http404):
        visit_plan_generate(actor=officer, village_code=VILLAGE_B, groups=["party_member"], visitor="甲", due_on=DUE)
    visit_plan_generate(actor=SYSTEM, village_code=VILLAGE_B, groups=["party_member"], visitor="甲", due_on=DUE)
    target = VisitTarget.objects.get()
    with pytest.raises(Http404):
        record_visit(officer, target)
    supervisor = make_user("discipline_supervisor", TOWN_B)
    with pytest.raises(NotPermitted):
        record_visit(supervisor, target)
    record_visit(make_user("town_officer", TOWN_B), target)
    assert coverage(Group.PARTY_MEMBER, VILLAGE_B).visited == 1


def plan_file(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("走访计划", PLAN_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def test_a_plan_imports_from_excel_and_one_bad_row_saves_nothing(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    member = party_member(make_person)
    villager = make_person(VILLAGE_A)
    outsider = make_person(VILLAGE_B)
    good = [
        {"id_number": member.id_number, "group": "党员", "visitor": "驻村干部", "due_on": DUE},
        {"id_number": villager.id_number, "group": "群众户", "visitor": "网格员", "due_on": DUE, "is_away": True},
    ]
    bad = [
        *good,
        {"id_number": villager.id_number, "group": "党员", "visitor": "网格员", "due_on": DUE},
        {"id_number": outsider.id_number, "group": "群众户", "visitor": "网格员", "due_on": DUE},
    ]
    with pytest.raises(DomainError) as caught:
        visit_plan_import(actor=officer, stream=plan_file(bad))
    # The one refusal of every import (bad_rows_error): how many rows, then each bad row's reasons by its line.
    assert caught.value.message == "共 2 行有误，未导入任何数据。"
    problems = caught.value.field_errors
    assert list(problems) == ["第 4 行", "第 5 行"]
    assert "不是党员" in problems["第 4 行"][0] and "没有该身份证号码" in problems["第 5 行"][0]
    assert not VisitTarget.objects.exists()
    report = visit_plan_import(actor=officer, stream=plan_file(good))
    assert (report.created, report.summary) == (2, "新增 2 条，未变 0 条")
    assert coverage(Group.HOUSEHOLD).away == 1


def test_problems_raised_in_a_visit_go_on_the_issue_board(term_change: Any, officer: Any, make_person: Any) -> None:
    party_member(make_person)
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=["party_member"], visitor="甲", due_on=DUE)
    visit = record_visit(officer, VisitTarget.objects.get(), problems=["村道路灯不亮", " ", "机井损坏"])
    issues = list(Issue.objects.order_by("id"))
    assert [i.title for i in issues] == ["村道路灯不亮", "机井损坏"]
    assert all(i.visit == visit and i.source == "visit" and i.owner == "驻村干部" for i in issues)
    assert IssueTally.objects.get(region_id=VILLAGE_A).open == 2


def test_a_visit_is_recorded_from_the_phone_page(term_change: Any, officer: Any, make_person: Any, web_as: Any) -> None:
    party_member(make_person, name="走访对象甲")
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=["party_member"], visitor="甲", due_on=DUE)
    target = VisitTarget.objects.get()
    client = web_as(officer)
    page = client.get(f"/visits/plan/{target.pk}/")
    assert page.status_code == 200 and "记录走访" in page.content.decode()
    refused = client.post(f"/visits/plan/{target.pk}/", {"mode": "phone", "visited_on": "2026-10-08", "visitors": "甲"})
    assert refused.status_code == 200 and not Visit.objects.exists()
    body = {
        "mode": "phone",
        "visited_on": "2026-10-08",
        "visitors": "甲",
        "summary": "在外务工，电话联系",
        "intends_to_stand": "on",
        "intended_post": "村委会委员",
    }
    assert client.post(f"/visits/plan/{target.pk}/", body).status_code == 302
    assert coverage(Group.PARTY_MEMBER).by_phone == 1
    export = client.get(f"/visits/{VILLAGE_A}/plan.xlsx")
    assert "走访对象甲" in xlsx_text(export.content) and "电话联访" in xlsx_text(export.content)
    upload = SimpleUploadedFile("plan.xlsx", b"not a spreadsheet")
    assert "无法读取" in client.post("/visits/import/", {"file": upload}).content.decode()


def test_the_task_sheet_prints_who_is_still_to_be_visited_by_visitor(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, web_as: Any, api_as: Any
) -> None:
    for name in ("党员甲", "党员乙", "党员丙"):
        party_member(make_person, name=name)
    visit_plan_generate(
        actor=SYSTEM, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="包村干部", due_on=DUE
    )
    record_visit(SYSTEM, VisitTarget.objects.get(person__name="党员甲"))
    answer = web_as(officer).get(f"/visits/{VILLAGE_A}/tasks.pdf")
    text, _ = pdf_text(answer.content)
    assert answer["Content-Type"] == "application/pdf" and "走访任务单" in text and "未走访 2 人" in text
    assert "走访人：包村干部（2 人）" in text and "党员乙" in text and "党员丙" in text
    assert "党员甲" not in text  # visited already
    assert api_as(officer).get(f"/api/v1/visits/{VILLAGE_A}/tasks.pdf")["Content-Type"] == "application/pdf"
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/visits/{VILLAGE_A}/tasks.pdf").status_code == 404


def test_the_api_imports_a_plan_and_hands_out_the_pages_workbooks(
    term_change: Any, officer: Any, make_person: Any, make_user: Any, api_as: Any
) -> None:
    member = party_member(make_person, name="走访对象甲")
    rows = [{"id_number": member.id_number, "group": "党员", "visitor": "驻村干部", "due_on": DUE}]
    api = api_as(officer)
    # The other town's officer may not plan visits here: the row is refused, nothing saved.
    stranger = api_as(make_user("town_officer", TOWN_B))
    refused = stranger.post(
        "/api/v1/visits/import", {"file": SimpleUploadedFile("plan.xlsx", plan_file(rows).getvalue())}
    )
    assert refused.status_code == 400 and "第 2 行" in refused.content.decode()
    assert not VisitTarget.objects.exists()
    answer = api.post("/api/v1/visits/import", {"file": SimpleUploadedFile("plan.xlsx", plan_file(rows).getvalue())})
    assert answer.status_code == 200 and answer.json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "bad_rows": [],
        "summary": "新增 1 条，未变 0 条",
    }
    assert "走访对象甲" in xlsx_text(api.get(f"/api/v1/visits/{VILLAGE_A}/plan.xlsx").content)
    assert stranger.get(f"/api/v1/visits/{VILLAGE_A}/plan.xlsx").status_code == 404
    table = api.get(f"/api/v1/visits/coverage.xlsx?under={TOWN_A}")
    assert table.status_code == 200 and Region.objects.get(code=VILLAGE_A).name in xlsx_text(table.content)
    assert api.get(f"/api/v1/visits/coverage.xlsx?under={TOWN_B}").status_code == 404
