from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from cunshe.core.paging import FIRST_PAGE
from cunshe.investigations import selectors
from cunshe.investigations.models import ClearingTally, clearing_set_on
from cunshe.investigations.services import (
    coverage_add,
    coverage_end,
    item_clear,
    item_find,
    log_add,
    team_create,
)
from cunshe.investigations.tests.helpers import FORMED, items_of, logged, started, team_covering
from cunshe.issueboard.models import Issue, IssueTally
from cunshe.issueboard.services import issue_move, village_flag
from cunshe.records.models import RecordEntry
from cunshe.termchanges.services import term_change_open
from cunshe.web.tests.kept import built_for_them, shown_after_a_write

SIX = ["清理财务", "清理资产资源", "清理矛盾纠纷", "清理信访积案", "清理违规违纪", "清理不合格人选"]
CLEARED: dict[str, Any] = {
    "cleared_on": date(2026, 10, 30),
    "evidence": "账目逐笔核对并张榜公布",
    "cleared_by": "驻村干部王明",
}


@pytest.fixture
def term_change(zouping: Any) -> Any:
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


def _find(item: Any, title: str = "村集体账目三年未公开") -> Issue:
    return item_find(
        actor=SYSTEM,
        item=item,
        title=title,
        owner="驻村干部王明",
        due_on=date(2026, 11, 10),
        found_on=date(2026, 10, 8),
    )


def test_covering_a_village_opens_its_six_items_from_the_dated_set(term_change: Any) -> None:
    assert [name for _code, name in clearing_set_on(date(2026, 9, 1))] == SIX
    team, _ = team_covering(TOWN_A, VILLAGE_A)
    assert [i.name for i in items_of(VILLAGE_A)] == SIX
    assert {i.status for i in items_of(VILLAGE_A)} == {"not_started"}
    assert ClearingTally.objects.get(region_id=VILLAGE_A).items == 6
    assert RecordEntry.objects.filter(event="investigations.coverage_added").count() == 1
    # one team at a time per village; a village of another town is not this team's
    with pytest.raises(DomainError) as held:
        other = team_create(actor=SYSTEM, town_code=TOWN_A, name="第二调研组", formed_on=FORMED)
        coverage_add(actor=SYSTEM, team=other, village_code=VILLAGE_A, from_on=FORMED)
    assert "已由第一调研组包村" in str(held.value.field_errors["village"])
    with pytest.raises(DomainError) as elsewhere:
        coverage_add(actor=SYSTEM, team=team, village_code=VILLAGE_B, from_on=FORMED)
    assert elsewhere.value.field_errors["village"] == ["须为本乡镇(街道)的村(社区)。"]
    # a team is formed after the term change opened, never before
    with pytest.raises(DomainError) as early:
        team_create(actor=SYSTEM, town_code=TOWN_A, name="早组", formed_on=date(2026, 8, 1))
    assert "formed_on" in early.value.field_errors


def test_an_item_with_problems_is_cleared_only_when_its_board_issues_are_closed(term_change: Any) -> None:
    team_covering(TOWN_A, VILLAGE_A)
    finance = items_of(VILLAGE_A)[0]
    with pytest.raises(IllegalTransition):  # not started: it cannot be cleared without being worked on
        item_clear(actor=SYSTEM, item=finance, expected_version=finance.version, **CLEARED)
    issue = _find(finance)
    finance.refresh_from_db()
    assert finance.status == "in_progress" and finance.started_on == date(2026, 10, 8)
    assert issue.title == "【清理财务】村集体账目三年未公开" and issue.source == "cadre"
    assert IssueTally.objects.get(region_id=VILLAGE_A).open == 1  # the one issue list: the board counts it
    with pytest.raises(DomainError) as waiting:
        item_clear(actor=SYSTEM, item=finance, expected_version=finance.version, **CLEARED)
    assert "尚有 1 个问题未销号" in waiting.value.field_errors["issues"][0]
    finance.refresh_from_db()
    assert finance.status == "in_progress"
    issue_move(
        actor=SYSTEM,
        issue=issue,
        to_status="closed",
        expected_version=issue.version,
        resolution="账目已公开",
        closed_on=date(2026, 10, 28),
    )
    with pytest.raises(ConcurrentEdit):
        item_clear(actor=SYSTEM, item=finance, expected_version=finance.version - 1, **CLEARED)
    item_clear(actor=SYSTEM, item=finance, expected_version=finance.version, **CLEARED)
    finance.refresh_from_db()
    assert (finance.status, finance.cleared_by, finance.cleared_on) == ("cleared", "驻村干部王明", date(2026, 10, 30))
    assert ClearingTally.objects.get(region_id=VILLAGE_A).cleared == 1
    with pytest.raises(DomainError):  # cleared is final: a later problem goes straight to the board
        _find(finance, "新问题")
    with pytest.raises(DomainError) as missing:
        prog = started(items_of(VILLAGE_A)[1])
        item_clear(actor=SYSTEM, item=prog, expected_version=prog.version, cleared_on=None, evidence="", cleared_by="")
    assert set(missing.value.field_errors) == {"evidence", "cleared_by", "cleared_on"}


def test_work_logs_count_per_team_and_village_only_while_covering(term_change: Any) -> None:
    team, coverage = team_covering(TOWN_A, VILLAGE_A)
    logged(team, VILLAGE_A, talks=40, households=120)
    logged(team, VILLAGE_A, talks=2, households=0)
    assert selectors.log_totals(team)[0] | {} == {
        "region_id": VILLAGE_A,
        "region__name": "西范村委会",
        "talks": 42,
        "households": 120,
        "days": 2,
    }
    coverage_end(actor=SYSTEM, coverage=coverage, to_on=date(2026, 10, 15))
    with pytest.raises(DomainError) as after:
        log_add(actor=SYSTEM, team=team, village_code=VILLAGE_A, worked_on=date(2026, 10, 20), talks=3, households=3)
    assert after.value.field_errors["village"] == ["该日调研组未包此村(社区)。"]
    with pytest.raises(DomainError) as empty:
        log_add(actor=SYSTEM, team=team, village_code=VILLAGE_A, worked_on=date(2026, 10, 9), talks=0, households=0)
    assert "talks" in empty.value.field_errors
    tally = ClearingTally.objects.get(region_id=VILLAGE_A)
    assert (tally.talks, tally.households) == (42, 120)


def test_the_town_and_county_tables_from_the_tally_rows(
    term_change: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    team_covering(TOWN_A, VILLAGE_A)
    team, _ = team_covering(TOWN_A, "371681001214", name="第二调研组")
    team_covering(TOWN_B, VILLAGE_B, name="黄山一组")
    for item in items_of(VILLAGE_A):
        item = started(item)
        item_clear(actor=SYSTEM, item=item, expected_version=item.version, **CLEARED)
    logged(team, "371681001214", talks=7, households=11)
    village_flag(actor=SYSTEM, village_code="371681001214", is_difficult=True, reason="信访频发")
    petition = _find(items_of("371681001214")[3], "历史信访积案未化解")
    organizer = make_user("county_organizer", COUNTY)
    with django_assert_max_num_queries(12):
        county = selectors.table(organizer, COUNTY)
    town_a = next(r for r in county.rows if r.code == TOWN_A)
    assert (town_a.villages, town_a.all_cleared, town_a.open_items, town_a.cleared) == (2, 1, 6, 6)
    assert (town_a.talks, town_a.households, town_a.difficult, town_a.difficult_clear) == (7, 11, 1, 0)
    assert county.total.villages == 3 and county.total.all_cleared == 1 and county.total.open_items == 12
    issue_move(
        actor=SYSTEM,
        issue=petition,
        to_status="closed",
        expected_version=petition.version,
        resolution="已息访",
        closed_on=date(2026, 11, 1),
    )
    assert selectors.table(organizer, COUNTY).total.difficult_clear == 1  # the difficult village's 问题清零
    officer = make_user("town_officer", TOWN_A)
    town = selectors.table(officer, TOWN_A)
    assert {r.code for r in town.rows if r.villages} == {VILLAGE_A, "371681001214"}
    assert selectors.table(officer, TOWN_B).total.villages == 0  # what the officer cannot see is not summed


def test_pages_act_through_the_services_and_a_village_cadre_reads_only(
    term_change: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    team_covering(TOWN_A, VILLAGE_A)
    officer = web_as(make_user("town_officer", TOWN_A))
    with django_assert_max_num_queries(30):
        page = officer.get(reverse("investigations:index"))
    assert page.status_code == 200 and "第一调研组" in page.content.decode()
    item = items_of(VILLAGE_A)[2]
    found = officer.post(
        reverse("investigations:item_find", args=[item.pk]),
        {"title": "宅基地纠纷", "owner": "调解员", "due_on": "2026-11-01", "found_on": "2026-10-05"},
    )
    assert found.status_code == 302 and Issue.objects.filter(title="【清理矛盾纠纷】宅基地纠纷").exists()
    village = officer.get(reverse("investigations:village", args=[VILLAGE_A])).content.decode()
    assert "宅基地纠纷" in village and "清理中" in village
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    assert cadre.get(reverse("investigations:village", args=[VILLAGE_A])).status_code == 200
    item.refresh_from_db()
    denied = cadre.post(reverse("investigations:item_clear", args=[item.pk]), {**CLEARED, "version": item.version})
    assert denied.status_code == 403
    other = web_as(make_user("town_officer", TOWN_B))
    assert other.get(reverse("investigations:village", args=[VILLAGE_A])).status_code == 404
    refused = officer.post(
        reverse("investigations:item_clear", args=[item.pk]),
        {"cleared_on": "2026-10-30", "cleared_by": "调解员", "evidence": "已调解", "version": item.version},
        follow=True,
    )
    assert "尚有 1 个问题未销号" in refused.content.decode()


def test_the_api_runs_the_whole_flow_with_chinese_refusals(term_change: Any, make_user: Any, api_as: Any) -> None:
    api = api_as(make_user("town_officer", TOWN_A))
    base = "/api/v1/investigations"
    made = api.post(
        f"{base}/teams", {"town": TOWN_A, "name": "黛溪一组", "formed_on": "2026-09-20"}, "application/json"
    )
    assert made.status_code == 201, made.content
    team_id = made.json()["id"]
    bad = api.post(f"{base}/teams/{team_id}/members", {"name": "张", "role": "boss"}, "application/json")
    assert bad.status_code == 400 and "组内角色" in bad.content.decode()
    covered = api.post(
        f"{base}/teams/{team_id}/villages", {"village": VILLAGE_A, "from_on": "2026-09-21"}, "application/json"
    )
    assert covered.status_code == 201
    checklist = api.get(f"{base}/villages/{VILLAGE_A}").json()
    assert [i["name"] for i in checklist["items"]] == SIX
    item = checklist["items"][0]
    moved = api.post(
        f"{base}/items/{item['id']}/start", {"started_on": "2026-09-25", "version": item["version"]}, "application/json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    cleared = api.post(
        f"{base}/items/{item['id']}/clear",
        {"cleared_on": "2026-10-30", "evidence": "已核", "cleared_by": "王明", "version": moved.json()["version"]},
        "application/json",
    )
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    again = api.post(
        f"{base}/items/{item['id']}/clear",
        {"cleared_on": "2026-10-30", "evidence": "已核", "cleared_by": "王明", "version": cleared.json()["version"]},
        "application/json",
    )
    assert again.status_code == 409 and "已清" in again.content.decode()
    rows = api.get(f"{base}/table?under={TOWN_A}").json()
    assert rows[-1]["name"] == "合计" and rows[-1]["cleared"] == 1 and rows[-1]["open_items"] == 5


def test_the_excel_table_and_the_printout_for_signing(term_change: Any, make_user: Any, web_as: Any) -> None:
    team_covering(TOWN_A, VILLAGE_A)
    finance = items_of(VILLAGE_A)[0]
    finance = started(finance)
    item_clear(actor=SYSTEM, item=finance, expected_version=finance.version, **CLEARED)
    _find(items_of(VILLAGE_A)[1], "集体土地发包合同不规范")
    officer = web_as(make_user("town_officer", TOWN_A))
    sheet = officer.get(reverse("investigations:export") + f"?region={TOWN_A}")
    text = xlsx_text(sheet.content)
    assert "\t".join(SIX) in text and "西范村委会" in text and "已清 2026-10-30" in text
    pdf = officer.get(reverse("investigations:village_print", args=[VILLAGE_A]))
    content, _pages = pdf_text(pdf.content)
    for words in ("西范村委会“六清”清单", "清理财务", "驻村干部王明", "集体土地发包合同不规范", "调研组组长（签字）"):
        assert words in content.replace("\n", "")
    assert BytesIO(pdf.content).read(4) == b"%PDF"


def test_a_teams_logs_page_on_in_the_api_and_on_its_page(
    term_change: Any, make_user: Any, api_as: Any, web_as: Any
) -> None:
    # 101 logs, the first made is the last (newest first): past the detail's first page of 100 and on the page's
    # third page of 50 (both stopped at 200 without saying so)
    team, _ = team_covering(TOWN_A, VILLAGE_A)
    for n in range(FIRST_PAGE + 1):
        log_add(
            actor=SYSTEM, team=team, village_code=VILLAGE_A, worked_on=date(2026, 10, 9), talks=1, households=1,
            note=f"第{n:03d}条",
        )  # fmt: skip
    officer = make_user("town_officer", TOWN_A)
    api = api_as(officer)
    detail = api.get(f"/api/v1/investigations/teams/{team.pk}").json()
    assert (len(detail["logs"]), detail["logs_count"]) == (FIRST_PAGE, FIRST_PAGE + 1)
    assert "第000条" not in {lg["note"] for lg in detail["logs"]}
    url = f"/api/v1/investigations/teams/{team.pk}/logs"
    rest = api.get(url, {"offset": FIRST_PAGE}).json()
    assert (rest["count"], [lg["note"] for lg in rest["items"]]) == (FIRST_PAGE + 1, ["第000条"])
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404
    page = reverse("investigations:team", kwargs={"pk": team.pk})
    web = web_as(officer)
    assert "第000条" not in web.get(page).content.decode()
    assert "第000条" in web.get(page, {"page": 3}).content.decode()


def test_the_kept_index_shows_a_new_team_on_the_next_view(
    kept_summaries: Any, term_change: Any, make_user: Any, web_as: Any
) -> None:
    """The index is kept whole (issue 15): a team formed through the service moves the county's change number and
    shows at once; another town's officer asking for it gets their own town's."""
    client = web_as(make_user("county_organizer", COUNTY))
    shown_after_a_write(
        client, "/investigations/", lambda: team_covering(TOWN_A, VILLAGE_A, name="河东调研组"), "河东调研组"
    )
    built_for_them(web_as(make_user("town_officer", TOWN_B)), f"/investigations/?region={TOWN_A}", "六清”（黄山街道）")
