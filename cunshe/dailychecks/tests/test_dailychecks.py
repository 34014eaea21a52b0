from __future__ import annotations

import uuid
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.dailychecks import selectors
from cunshe.dailychecks.models import CadreMonth, CheckResult, DailyCheck, ItemKey, MeasureStatus
from cunshe.dailychecks.services import (
    DEFAULT_GUIDANCE,
    ItemAnswer,
    check_submit,
    checklist_publish,
    measure_add,
    measure_move,
    measure_progress_add,
    months_daily,
    result_close,
)
from cunshe.dailychecks.tests.helpers import all_ok, cadre, checked, checklist, with_problem
from cunshe.issueboard.models import Issue
from cunshe.regions.models import Region
from cunshe.termchanges.services import term_change_open

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# November 2026 has no public holiday: 21 working days; from Monday the 16th, 11 (16-20, 23-27, 30).
NOV = date(2026, 11, 1)
SINCE = date(2026, 11, 16)
MON, TUE = date(2026, 11, 16), date(2026, 11, 17)
SUNDAY = date(2026, 11, 22)


@pytest.fixture
def county_list(zouping: Region) -> Any:
    return checklist(COUNTY, date(2026, 11, 1))


def test_working_days_come_from_the_holiday_calendar() -> None:
    assert selectors.working_days(date(2026, 11, 1), date(2026, 11, 30)) == 21
    assert selectors.days_due(SINCE, NOV, date(2026, 12, 31)) == 11
    assert selectors.days_due(SINCE, NOV, date(2026, 11, 18)) == 3  # through the day asked, the 18th included
    # National Day week: the 1st to the 7th of October 2026 are days off, the Saturday 10-10 a make-up working day
    assert selectors.working_days(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert selectors.last_working_day(date(2026, 10, 8)) == date(2026, 9, 30)


def test_a_check_keeps_the_checklist_version_it_was_done_under(county_list: Any, make_person: Any) -> None:
    person = cadre(VILLAGE_A, make_person, since=SINCE)
    first = checked(VILLAGE_A, person, MON)
    # A new version cannot start on a day already checked: the 16th keeps the version it was done under.
    with pytest.raises(DomainError) as refused:
        checklist_publish(actor=SYSTEM, county_code=COUNTY, valid_from=MON, guidance=dict(DEFAULT_GUIDANCE))
    assert "已做必查的最后一天" in refused.value.field_errors["valid_from"][0]
    newer = checklist_publish(
        actor=SYSTEM,
        county_code=COUNTY,
        valid_from=TUE,
        guidance={**DEFAULT_GUIDANCE, ItemKey.GRID: "网格员日报与重点户"},
        note="网格项细化",
    )
    second = checked(VILLAGE_A, person, TUE)
    assert first.checklist == county_list and second.checklist == newer
    assert DailyCheck.objects.get(pk=first.pk).checklist_id == county_list.pk
    with pytest.raises(DomainError) as missing:
        checklist_publish(
            actor=SYSTEM, county_code=COUNTY, valid_from=TODAY + timedelta(days=3), guidance={"environment": "x"}
        )
    assert set(missing.value.field_errors) == {"visits", "pending", "grid"}


def test_only_the_county_organizer_publishes_its_checklist(county_list: Any, make_user: Any, other_county: Any) -> None:
    guidance = dict(DEFAULT_GUIDANCE)
    later = TODAY + timedelta(days=5)
    with pytest.raises(NotPermitted):
        checklist_publish(
            actor=make_user("town_officer", TOWN_A), county_code=COUNTY, valid_from=later, guidance=guidance
        )
    organizer = make_user("county_organizer", COUNTY)
    with pytest.raises(Http404):
        checklist_publish(actor=organizer, county_code=OTHER_COUNTY, valid_from=later, guidance=guidance)
    assert checklist_publish(actor=organizer, county_code=COUNTY, valid_from=later, guidance=guidance).pk


def test_a_days_check_counts_in_the_cadres_month_row(county_list: Any, make_person: Any, make_user: Any) -> None:
    person = cadre(VILLAGE_A, make_person, since=SINCE)
    officer = make_user("village_cadre", VILLAGE_A)
    checked(VILLAGE_A, person, MON, actor=officer)
    check = checked(VILLAGE_A, person, TUE, with_problem(), actor=officer)
    row = CadreMonth.objects.get(person=person, month=NOV)
    assert (row.since, row.done, row.found, row.closed) == (SINCE, 2, 1, 0)
    assert check.problems == 1 and check.results.get(ok=False).note == "村口垃圾点未清运"
    # refusals: nothing saved
    for day, field in ((SUNDAY, "day"), (TODAY + timedelta(days=1), "day"), (MON, "day")):
        with pytest.raises(DomainError) as refused:
            checked(VILLAGE_A, person, day, actor=officer)
        assert field in refused.value.field_errors
    with pytest.raises(DomainError) as no_note:
        checked(VILLAGE_A, person, date(2026, 11, 18), with_problem(note=" "), actor=officer)
    assert "请写明问题" in no_note.value.field_errors["environment"][0]
    with pytest.raises(DomainError) as partial:
        checked(VILLAGE_A, person, date(2026, 11, 18), all_ok()[:3], actor=officer)
    assert "grid" in partial.value.field_errors
    stranger = make_person(VILLAGE_A)
    with pytest.raises(DomainError) as not_cadre:
        checked(VILLAGE_A, stranger, MON, actor=officer)
    assert "不是本村(社区)班子成员" in not_cadre.value.field_errors["person"][0]
    assert DailyCheck.objects.filter(person=person).count() == 2
    assert CadreMonth.objects.get(person=person, month=NOV).done == 2
    # another town's cadre: the village does not exist for them
    with pytest.raises(Http404):
        checked(VILLAGE_A, person, date(2026, 11, 18), actor=make_user("village_cadre", VILLAGE_B))


def test_a_problem_goes_to_the_issue_board_and_is_closed_here(
    county_list: Any, make_person: Any, make_user: Any
) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    person = cadre(VILLAGE_A, make_person, since=SINCE, name="王建国")
    check = checked(VILLAGE_A, person, MON, with_problem("grid", "三组独居老人家中漏雨", to_board=True))
    result = check.results.get(key="grid")
    assert result.issue_id is not None
    issue = Issue.objects.get(pk=result.issue_id)
    assert issue.title == "微网格民情：三组独居老人家中漏雨" and issue.owner == "王建国"
    assert issue.due_on == MON + timedelta(days=30)
    with pytest.raises(Http404):
        result_close(actor=make_user("village_cadre", VILLAGE_B), result=result, closed_on=TUE, note="已修缮")
    with pytest.raises(DomainError):
        result_close(actor=SYSTEM, result=result, closed_on=MON - timedelta(days=1), note="已修缮")
    result_close(actor=make_user("village_cadre", VILLAGE_A), result=result, closed_on=TUE, note="已修缮")
    with pytest.raises(DomainError):
        result_close(actor=SYSTEM, result=CheckResult.objects.get(pk=result.pk), closed_on=TUE, note="再次")
    with pytest.raises(DomainError):
        result_close(actor=SYSTEM, result=check.results.get(key="visits"), closed_on=TUE, note="正常项")
    row = CadreMonth.objects.get(person=person, month=NOV)
    assert (row.found, row.closed) == (1, 1)


def test_indicators_tables_and_who_missed(
    county_list: Any, make_person: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    diligent = cadre(VILLAGE_A, make_person, since=SINCE, name="勤快")
    cadre(VILLAGE_A, make_person, since=SINCE, name="漏查")
    months_daily(today=MON)  # the job opens the month rows: a cadre who never checks still counts
    for day in (MON, TUE):
        checked(VILLAGE_A, diligent, day, with_problem() if day == TUE else None)
    officer = make_user("town_officer", TOWN_A)
    town = Region.objects.get(code=TOWN_A)
    lines = {line.name: line for line in selectors.cadre_lines(officer, town, NOV, date(2026, 11, 30))}
    assert (lines["勤快"].done, lines["勤快"].due, lines["勤快"].rate, lines["勤快"].found) == (2, 11, "18%", 1)
    assert (lines["漏查"].done, lines["漏查"].due) == (0, 11)
    rows, total = selectors.rollup(officer, town, NOV, date(2026, 11, 30))
    village_row = next(r for r in rows if r.code == VILLAGE_A)
    assert (village_row.cadres, village_row.done, village_row.due, village_row.found) == (2, 2, 22, 1)
    assert (total.done, total.due) == (2, 22)
    county_rows, county_total = selectors.rollup(
        make_user("county_organizer", COUNTY), Region.objects.get(code=COUNTY), NOV, date(2026, 11, 30)
    )
    assert next(r for r in county_rows if r.code == TOWN_A).done == 2 and county_total.due >= 22
    assert [m.name for m in selectors.missed_on(officer, town, TUE)] == ["漏查"]
    # the other town sees none of it
    stranger = make_user("town_officer", "371681002")
    assert selectors.cadre_lines(stranger, town, NOV, date(2026, 11, 30)) == []
    assert selectors.missed_on(stranger, town, TUE) == []
    # the town's page reads the month rows in a constant number of queries
    for _ in range(5):
        cadre(VILLAGE_A, make_person, since=SINCE)
    months_daily(today=MON)
    web = make_user("town_officer", TOWN_A)
    from conftest import web_client

    client = web_client(web)
    with django_assert_max_num_queries(30):
        page = client.get(f"/dailychecks/region/{TOWN_A}/?month=2026-11")
    text = page.content.decode()
    assert page.status_code == 200 and "勤快" in text and "2/11" in text


def test_the_monthly_indicator_table_in_excel(county_list: Any, make_person: Any, make_user: Any, api_as: Any) -> None:
    person = cadre(VILLAGE_A, make_person, since=SINCE, name="李秀梅")
    checked(VILLAGE_A, person, MON)
    api = api_as(make_user("town_officer", TOWN_A))
    answer = api.get(f"/api/v1/dailychecks/rollup/{TOWN_A}/indicators.xlsx?month=2026-11")
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("村(社区)代码", "村(社区)", "姓名", "应查天数(工作日)", "已查天数", "完成率")
    assert rows[1][2:6] == ("李秀梅", 11, 1, "9%")
    bad = api.get(f"/api/v1/dailychecks/rollup/{TOWN_A}?month=十一月")
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()


def test_the_phone_form_works_offline_once(county_list: Any, make_person: Any, make_user: Any, web_as: Any) -> None:
    person = cadre(VILLAGE_A, make_person, since=SINCE)
    day = selectors.last_working_day(TODAY)
    web = web_as(make_user("village_cadre", VILLAGE_A))
    url = f"/dailychecks/village/{VILLAGE_A}/check/{person.pk}/"
    page = web.get(url).content.decode()
    assert 'data-offline="dailychecks.check"' in page and "big-choice" in page and "环境卫生必查" in page
    body = {"day": day.isoformat(), **{k: "ok" for k in DEFAULT_GUIDANCE}, "client_id": str(uuid.uuid4())}
    body["pending"], body["pending_note"] = "problem", "低保年审材料逾期未报"
    queued = {"X-Cunshe-Queue": "background"}
    assert web.post(url, body, headers=queued).status_code == 201
    assert web.post(url, body, headers=queued).status_code == 200  # the resend
    assert DailyCheck.objects.get(person=person, day=day).problems == 1
    # a problem without its note comes back with the reason on the form
    other = cadre(VILLAGE_A, make_person, since=SINCE)
    refused = web.post(f"/dailychecks/village/{VILLAGE_A}/check/{other.pk}/", {**body, "pending_note": ""})
    assert refused.status_code == 400 and "请写明问题" in refused.content.decode()
    # a person outside the village's team does not exist on this page
    assert web.get(f"/dailychecks/village/{VILLAGE_A}/check/{make_person(VILLAGE_A).pk}/").status_code == 404


def test_the_api_check_is_saved_once_and_refused_for_the_other_town(
    county_list: Any, make_person: Any, make_user: Any, api_as: Any
) -> None:
    person = cadre(VILLAGE_A, make_person, since=SINCE)
    body = {
        "person_id": person.pk,
        "day": MON.isoformat(),
        "answers": [{"key": k, "ok": True} for k in DEFAULT_GUIDANCE],
        "client_id": str(uuid.uuid4()),
    }
    url = f"/api/v1/dailychecks/village/{VILLAGE_A}/checks"
    api = api_as(make_user("village_cadre", VILLAGE_A))
    assert api.post(url, body, content_type="application/json").status_code == 201
    assert api.post(url, body, content_type="application/json").status_code == 200
    other = api_as(make_user("village_cadre", VILLAGE_B))
    assert other.post(url, {**body, "client_id": None}, content_type="application/json").status_code == 404
    assert DailyCheck.objects.filter(person=person).count() == 1
    reader = api_as(make_user("town_officer", TOWN_A))
    listed = reader.get(f"/api/v1/dailychecks/village/{VILLAGE_A}?day={MON.isoformat()}").json()
    assert [line["check_id"] is not None for line in listed] == [True]


def test_the_measures_are_targets_with_progress_and_a_status(zouping: Region, make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    m = measure_add(
        actor=organizer,
        county_code=COUNTY,
        number=1,
        area="routine",
        title="每日四个必查",
        target="村两委干部每天到岗先做四个必查",
        unit="县委组织部",
        due_on=date(2026, 12, 31),
    )
    with pytest.raises(DomainError) as twice:
        measure_add(actor=organizer, county_code=COUNTY, number=1, area="nope", title="", target="x", unit="y")
    assert set(twice.value.field_errors) == {"number", "area", "title"}
    with pytest.raises(NotPermitted):
        measure_progress_add(actor=make_user("town_officer", TOWN_A), measure=m, reported_on=TODAY, text="已部署")
    measure_progress_add(actor=organizer, measure=m, reported_on=TODAY, text="全县已部署")
    with pytest.raises(IllegalTransition):
        measure_move(actor=organizer, measure=m, to=MeasureStatus.DONE, expected_version=m.version)
    moved = measure_move(actor=organizer, measure=m, to=MeasureStatus.ONGOING, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        measure_move(actor=organizer, measure=moved, to=MeasureStatus.DONE, expected_version=1)
    done = measure_move(actor=organizer, measure=moved, to=MeasureStatus.DONE, expected_version=moved.version)
    with pytest.raises(DomainError):
        measure_progress_add(actor=organizer, measure=done, reported_on=TODAY, text="补记")
    assert [p.text for p in selectors.measures_of(organizer, COUNTY)[0].progress.all()] == ["全县已部署"]


def test_check_answers_name_only_the_four_items(county_list: Any, make_person: Any) -> None:
    person = cadre(VILLAGE_A, make_person, since=SINCE)
    answers = [*all_ok(), ItemAnswer("safety", True)]
    with pytest.raises(DomainError) as refused:
        check_submit(actor=SYSTEM, village_code=VILLAGE_A, person=person, day=MON, answers=answers)
    assert "answers" in refused.value.field_errors


def test_a_cadres_month_and_the_towns_month_table_printed(
    county_list: Any, make_person: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    person = cadre(VILLAGE_A, make_person, since=SINCE, name="李秀梅")
    idle = cadre(VILLAGE_A, make_person, since=SINCE, name="未查者")
    checked(VILLAGE_A, person, MON)
    checked(VILLAGE_A, person, TUE, with_problem("environment", "村口垃圾点未清运"))
    officer, stranger = make_user("town_officer", TOWN_A), make_user("town_officer", TOWN_B)
    url = f"/dailychecks/village/{VILLAGE_A}/cadre/{person.pk}/month.pdf?month=2026-11"
    response = web_as(officer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    assert pages == 1
    for expected in (
        "李秀梅同志2026年11月每日必查情况",
        "应查天数(工作日)",
        "村口垃圾点未清运（未整改）",
        "村干部本人（签字）",
    ):
        assert expected in text, expected
    assert "11\n2\n18%\n1\n0" in text  # due 11 working days from the 16th, 2 done, 1 problem found, none closed
    # a cadre in office without a month row yet prints a month of nothing done; a villager who is no cadre: 404
    nothing = pdf_text(
        web_as(officer).get(f"/dailychecks/village/{VILLAGE_A}/cadre/{idle.pk}/month.pdf?month=2026-11").content
    )[0]
    assert "未查者" in nothing and "本月无必查记录" in nothing
    assert (
        web_as(officer).get(f"/dailychecks/village/{VILLAGE_A}/cadre/{make_person(VILLAGE_A).pk}/month.pdf").status_code
        == 404
    )
    table = api_as(officer).get(f"/api/v1/dailychecks/rollup/{TOWN_A}/month.pdf?month=2026-11")
    assert table.status_code == 200
    text = pdf_text(table.content)[0]
    for expected in (
        "黛溪街道2026年11月每日必查情况汇总表",
        "黛溪街道合计",
        "村干部月度指标",
        "李秀梅",
        "乡镇(街道)分管负责人（签字）",
    ):
        assert expected in text, expected
    assert web_as(stranger).get(url).status_code == 404
    assert api_as(stranger).get(f"/api/v1/dailychecks/rollup/{TOWN_A}/month.pdf").status_code == 404
    assert web_as(stranger).get(f"/dailychecks/region/{TOWN_A}/month.pdf").status_code == 404
