from datetime import date
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.http import Http404

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.records.models import RecordEntry
from cunshe.reserves.models import CandidateEntry
from cunshe.reserves.selectors import three_degrees
from cunshe.reserves.services import (
    add_months,
    candidate_add,
    evaluation_add,
    meeting_record,
    notice_record,
    reserve_add,
    reserve_withdraw,
    trial_conclude,
    trial_start,
)
from cunshe.termchanges.services import term_change_open


@pytest.fixture
def officer(zouping: Any, make_user: Any) -> Any:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    return make_user("town_officer", TOWN_A)


def _reserve(officer: Any, make_person: Any, name: str = "返乡大学生甲") -> Any:
    person = make_person(VILLAGE_A, name=name, birth_date=date(1998, 5, 1), education="bachelor")
    return reserve_add(
        actor=officer, village_code=VILLAGE_A, person=person, source="returning_graduate", added_on=date(2026, 7, 1)
    )


def _through_notice(officer: Any, reserve: Any) -> Any:
    for who, scores in (("镇党委书记", (90, 80, 70)), ("包村干部", (80, 90, 80))):
        evaluation_add(
            actor=officer,
            reserve=reserve,
            evaluator=who,
            loyalty=scores[0],
            satisfaction=scores[1],
            competence=scores[2],
            comment="作风踏实",
        )
    meeting_record(
        actor=officer, reserve=reserve, held_on=date(2026, 7, 5), place="党群服务中心", expected_version=reserve.version
    )
    return notice_record(
        actor=officer,
        reserve=reserve,
        starts_on=date(2026, 7, 6),
        ends_on=date(2026, 7, 12),
        expected_version=reserve.version,
    )


def test_a_reserve_who_passes_the_two_month_trial_enters_the_candidate_pool(officer: Any, make_person: Any) -> None:
    reserve = _reserve(officer, make_person)
    _through_notice(officer, reserve)
    degrees = three_degrees(reserve)
    assert (degrees.loyalty, degrees.satisfaction, degrees.competence, degrees.panel) == (85, 85, 75, 2)
    mentor = make_person(VILLAGE_A, name="老书记")
    trial_start(
        actor=officer,
        reserve=reserve,
        post="村委会文书",
        mentor=mentor,
        starts_on=date(2026, 7, 15),
        expected_version=reserve.version,
    )
    assert reserve.trial_until == date(2026, 9, 15)
    with pytest.raises(DomainError) as caught:
        trial_conclude(
            actor=officer,
            reserve=reserve,
            passed=True,
            concluded_on=date(2026, 9, 1),
            note="表现好",
            expected_version=reserve.version,
        )
    assert "2 个月" in caught.value.field_errors["concluded_on"][0]
    trial_conclude(
        actor=officer,
        reserve=reserve,
        passed=True,
        concluded_on=date(2026, 9, 20),
        note="表现好",
        expected_version=reserve.version,
    )
    entry = CandidateEntry.objects.get(person=reserve.person)
    assert reserve.stage == "passed" and entry.origin == "reserve" and entry.reserve == reserve
    events = set(RecordEntry.objects.filter(region_id=VILLAGE_A).values_list("event", flat=True))
    assert {"reserves.added", "reserves.meeting", "reserves.noticed", "reserves.trial_started"} <= events
    assert {"reserves.trial_concluded", "reserves.candidate_added"} <= events


def test_one_meeting_and_one_notice_in_order(officer: Any, make_person: Any) -> None:
    reserve = _reserve(officer, make_person)
    with pytest.raises(DomainError) as caught:
        meeting_record(
            actor=officer, reserve=reserve, held_on=date(2026, 7, 5), place="村部", expected_version=reserve.version
        )
    assert "evaluations" in caught.value.field_errors
    with pytest.raises(IllegalTransition):
        notice_record(
            actor=officer,
            reserve=reserve,
            starts_on=date(2026, 7, 6),
            ends_on=date(2026, 7, 12),
            expected_version=reserve.version,
        )
    _through_notice(officer, reserve)
    noticed = RecordEntry.objects.filter(event="reserves.noticed").get()  # the stage left and the one reached
    assert noticed.before == {"阶段": "已测评"} and noticed.after is not None and noticed.after["阶段"] == "已公示"
    with pytest.raises(IllegalTransition, match="的培养阶段不能从“已公示”转为“已测评”"):
        meeting_record(
            actor=officer, reserve=reserve, held_on=date(2026, 7, 5), place="村部", expected_version=reserve.version
        )
    with pytest.raises(DomainError, match="测评会已召开"):
        evaluation_add(actor=officer, reserve=reserve, evaluator="迟到者", loyalty=1, satisfaction=1, competence=1)


def test_notice_lasts_five_days_and_the_trial_starts_after_it(officer: Any, make_person: Any) -> None:
    reserve = _reserve(officer, make_person)
    evaluation_add(actor=officer, reserve=reserve, evaluator="甲", loyalty=80, satisfaction=80, competence=80)
    meeting_record(
        actor=officer, reserve=reserve, held_on=date(2026, 7, 5), place="村部", expected_version=reserve.version
    )
    with pytest.raises(DomainError) as caught:
        notice_record(
            actor=officer,
            reserve=reserve,
            starts_on=date(2026, 7, 6),
            ends_on=date(2026, 7, 8),
            expected_version=reserve.version,
        )
    assert "ends_on" in caught.value.field_errors
    assert reserve.stage == "evaluated"  # a refused step leaves the stage as it was
    notice_record(
        actor=officer,
        reserve=reserve,
        starts_on=date(2026, 7, 6),
        ends_on=date(2026, 7, 10),
        expected_version=reserve.version,
    )
    with pytest.raises(DomainError) as caught:
        trial_start(
            actor=officer,
            reserve=reserve,
            post="",
            mentor=reserve.person,
            starts_on=date(2026, 7, 9),
            expected_version=reserve.version,
        )
    assert {"post", "mentor", "starts_on"} <= set(caught.value.field_errors)
    with pytest.raises(ConcurrentEdit):
        trial_start(
            actor=officer,
            reserve=reserve,
            post="文书",
            mentor=make_person(VILLAGE_A),
            starts_on=date(2026, 7, 11),
            expected_version=1,
        )


def test_scores_are_0_to_100_and_a_person_is_once_in_the_pool(officer: Any, make_person: Any) -> None:
    reserve = _reserve(officer, make_person)
    with pytest.raises(DomainError) as caught:
        evaluation_add(actor=officer, reserve=reserve, evaluator="", loyalty=101, satisfaction=50, competence=-1)
    assert {"evaluator", "loyalty", "competence"} <= set(caught.value.field_errors)
    with pytest.raises(DomainError) as caught:
        reserve_add(
            actor=officer, village_code=VILLAGE_A, person=reserve.person, source="veteran", added_on=date(2026, 7, 2)
        )
    assert "已在本届后备干部库" in caught.value.field_errors["person"][0]
    with pytest.raises(DomainError) as caught:
        candidate_add(
            actor=officer, village_code=VILLAGE_A, person=reserve.person, origin="reserve", added_on=date(2026, 9, 1)
        )
    assert "origin" in caught.value.field_errors
    incumbent = make_person(VILLAGE_A)
    candidate_add(
        actor=officer, village_code=VILLAGE_A, person=incumbent, origin="incumbent", added_on=date(2026, 9, 1)
    )
    with pytest.raises(DomainError, match="已在本届人选库"):
        candidate_add(
            actor=officer, village_code=VILLAGE_A, person=incumbent, origin="recommended", added_on=date(2026, 9, 2)
        )


def test_other_towns_and_read_only_roles_cannot_change_reserves(officer: Any, make_user: Any, make_person: Any) -> None:
    reserve = _reserve(officer, make_person)
    outsider = make_user("town_officer", TOWN_B)
    with pytest.raises(Http404):
        reserve_withdraw(actor=outsider, reserve=reserve, reason="x", expected_version=reserve.version)
    with pytest.raises(Http404):
        reserve_add(
            actor=outsider,
            village_code=VILLAGE_A,
            person=make_person(VILLAGE_A),
            source="veteran",
            added_on=date(2026, 7, 1),
        )
    secretary = make_user("first_secretary", VILLAGE_A)
    with pytest.raises(NotPermitted):
        evaluation_add(actor=secretary, reserve=reserve, evaluator="甲", loyalty=1, satisfaction=1, competence=1)
    with pytest.raises(DomainError) as caught:
        reserve_add(
            actor=officer,
            village_code=VILLAGE_A,
            person=make_person(VILLAGE_B),
            source="veteran",
            added_on=date(2026, 7, 1),
        )
    assert "person" in caught.value.field_errors
    reserve_withdraw(actor=officer, reserve=reserve, reason="外出务工", expected_version=reserve.version)
    with pytest.raises(IllegalTransition):
        reserve_withdraw(actor=officer, reserve=reserve, reason="again", expected_version=reserve.version)


def test_trial_lasts_two_calendar_months() -> None:
    assert add_months(date(2026, 7, 15), 2) == date(2026, 9, 15)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


def test_pages_show_source_education_age_and_export_the_pool(officer: Any, make_person: Any, web_as: Any) -> None:
    reserve = _reserve(officer, make_person, name="后备甲")
    candidate_add(
        actor=officer,
        village_code=VILLAGE_A,
        person=make_person(VILLAGE_A, name="人选乙"),
        origin="incumbent",
        added_on=date(2026, 9, 1),
    )
    client = web_as(officer)
    page = client.get(f"/reserves/village/{VILLAGE_A}/").content.decode()
    assert "后备甲" in page and "返乡大学生" in page and "大学本科" in page and "人选乙" in page
    detail = client.get(f"/reserves/{reserve.pk}/").content.decode()
    assert "录入三度测评" in detail and "忠诚度" in detail
    step = client.post(
        f"/reserves/{reserve.pk}/evaluate/",
        {"evaluator": "镇长", "loyalty": 90, "satisfaction": 85, "competence": 80, "comment": "好"},
    )
    assert step.status_code == 302 and reserve.evaluations.count() == 1
    export = client.get("/reserves/pool/export/")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[0][1] == "姓名" and rows[1][1] == "人选乙"


def test_the_reserve_list_counts_each_stage_filters_and_reads_a_constant_number_of_queries(
    officer: Any, make_user: Any, make_person: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    first = _reserve(officer, make_person, name="后备甲")
    _through_notice(officer, first)
    _reserve(officer, make_person, name="后备乙")
    client = web_as(officer)
    page = client.get("/reserves/").content.decode()
    assert "后备甲" in page and "后备乙" in page and "已公示 1" in page and "已入库 1" in page and "试岗中 0" in page
    noticed = client.get("/reserves/?stage=noticed").content.decode()
    assert "后备甲" in noticed and "后备乙" not in noticed
    with django_assert_max_num_queries(20) as few:
        client.get("/reserves/")
    for n in range(6):
        _reserve(officer, make_person, name=f"后备{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "后备5" in client.get("/reserves/").content.decode()

    other_town = web_as(make_user("town_officer", TOWN_B)).get("/reserves/").content.decode()
    assert "后备甲" not in other_town and "暂无后备干部" in other_town
    assert web_as(make_user("village_cadre", VILLAGE_B)).get("/reserves/").status_code == 403  # no reserve access


def test_the_reserve_list_api_pages_filters_by_stage_and_carries_the_panel_averages(
    officer: Any, make_user: Any, make_person: Any, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    first = _through_notice(officer, _reserve(officer, make_person, name="后备甲"))
    for n in range(4):
        _reserve(officer, make_person, name=f"后备{n}")
    api = api_as(officer)
    noticed = api.get("/api/v1/reserves?stage=noticed").json()
    assert noticed["count"] == 1 and noticed["items"][0]["person_name"] == "后备甲"
    # averages of the two panel members: (90+80)/2, (80+90)/2, (70+80)/2
    assert [noticed["items"][0][k] for k in ("loyalty", "satisfaction", "competence")] == ["85.0", "85.0", "75.0"]
    assert first.stage == "noticed"
    with django_assert_max_num_queries(8):
        page = api.get("/api/v1/reserves?limit=3&offset=3").json()
    assert page["count"] == 5 and len(page["items"]) == 2
    refused = api.get("/api/v1/reserves?stage=elected")
    assert refused.status_code == 422 and "stage" in refused.json()["errors"]
    assert api_as(make_user("town_officer", TOWN_B)).get("/api/v1/reserves").json()["count"] == 0


def test_the_scoring_form_and_the_public_notice_print_for_the_village(
    officer: Any, make_user: Any, make_person: Any, web_as: Any, api_as: Any
) -> None:
    reserve = _reserve(officer, make_person, name="后备甲")
    client = web_as(officer)
    form, _ = pdf_text(client.get(f"/reserves/{reserve.pk}/evaluation-form.pdf").content)
    assert "三度”测评表" in form and "后备甲" in form and "大学本科" in form and "胜任度" in form and "测评人" in form

    # No notice before the evaluation meeting: nobody to name yet.
    refused = client.get(f"/reserves/village/{VILLAGE_A}/notice.pdf", follow=True).content.decode()
    assert "没有待公示或公示中的后备干部" in refused
    assert api_as(officer).get(f"/api/v1/reserves/village/{VILLAGE_A}/notice.pdf").status_code == 400

    _through_notice(officer, reserve)  # meeting on 5 July, notice 6–12 July
    notice, _ = pdf_text(client.get(f"/reserves/village/{VILLAGE_A}/notice.pdf").content)
    assert "后备干部人选的公示" in notice and "后备甲" in notice and "返乡大学生" in notice
    assert "公示期：2026年07月06日至2026年07月12日" in notice and "受理电话" in notice
    assert "身份证" not in notice  # a notice on the wall names, it does not identify

    other_town = web_as(make_user("town_officer", TOWN_B))
    assert other_town.get(f"/reserves/village/{VILLAGE_A}/notice.pdf").status_code == 404
    assert other_town.get(f"/reserves/{reserve.pk}/evaluation-form.pdf").status_code == 404


def _rows(content: bytes) -> list[list[Any]]:
    return python_calamine.CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_api_adds_to_the_pool_and_hands_out_the_pages_workbooks(
    officer: Any, make_user: Any, make_person: Any, api_as: Any
) -> None:
    _reserve(officer, make_person, name="后备甲")
    api = api_as(officer)
    person = make_person(VILLAGE_A, name="人选乙")
    body = {"person_id": person.pk, "origin": "recommended", "added_on": "2026-09-01"}
    added = api.post(f"/api/v1/reserves/village/{VILLAGE_A}/pool", body, content_type="application/json")
    assert added.status_code == 201 and added.json()["person_name"] == "人选乙"
    assert CandidateEntry.objects.filter(region_id=VILLAGE_A, person=person, origin="recommended").exists()
    # A trial post is the only way in from the reserves: the API refuses it like the page, in Chinese.
    other = make_person(VILLAGE_A, name="人选丙")
    refused = api.post(
        f"/api/v1/reserves/village/{VILLAGE_A}/pool",
        {"person_id": other.pk, "origin": "trial", "added_on": "2026-09-01"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "试岗" in refused.content.decode()
    assert _rows(api.get("/api/v1/reserves/pool/export").content)[1][1] == "人选乙"
    assert any("后备甲" in row for row in _rows(api.get("/api/v1/reserves/export").content))
    template = _rows(api.get("/api/v1/reserves/import/template").content)
    assert len(template) == 1 and "身份证号码" in template[0]
    # The other town's officer may not add to this village's pool (404), nor may a read-only viewer import (403).
    stranger = api_as(make_user("town_officer", TOWN_B))
    body["person_id"] = other.pk
    denied = stranger.post(f"/api/v1/reserves/village/{VILLAGE_A}/pool", body, content_type="application/json")
    assert denied.status_code == 404
    assert not CandidateEntry.objects.filter(person=other).exists()
    assert not any("人选乙" in row for row in _rows(stranger.get("/api/v1/reserves/pool/export").content))
    supervisor = api_as(make_user("discipline_supervisor", COUNTY))
    assert supervisor.get("/api/v1/reserves/import/template").status_code == 403
