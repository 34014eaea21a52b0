from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from cunshe.issueboard.models import Issue, IssueTally
from cunshe.issueboard.overdue import tallies_overdue_refresh
from cunshe.issueboard.selectors import board
from cunshe.issueboard.services import issue_assign, issue_move, issue_raise, village_flag
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region
from cunshe.termchanges.services import term_change_open

VILLAGE_A2 = "371681001214"


@pytest.fixture
def term_change(zouping: Any) -> Any:
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


def raise_issue(
    actor: Any, village: str = VILLAGE_A, due_on: date = date(2026, 12, 1), title: str = "路灯损坏"
) -> Issue:
    return issue_raise(actor=actor, village_code=village, title=title, owner="村主任", due_on=due_on)


def tally(village: str = VILLAGE_A) -> IssueTally:
    return IssueTally.objects.get(region_id=village)


def test_an_issue_closes_only_with_a_recorded_resolution(term_change: Any, officer: Any) -> None:
    issue = raise_issue(officer)
    assert (tally().open, tally().closed) == (1, 0)
    with pytest.raises(DomainError) as caught:
        issue_move(actor=officer, issue=issue, to_status="closed", expected_version=issue.version)
    assert set(caught.value.field_errors) == {"resolution", "closed_on"}
    issue.refresh_from_db()
    assert issue.status == "open" and tally().open == 1
    issue_move(actor=officer, issue=issue, to_status="in_progress", expected_version=issue.version)
    issue_move(
        actor=officer,
        issue=issue,
        to_status="closed",
        expected_version=issue.version,
        resolution="已更换路灯 12 盏",
        closed_on=date(2026, 11, 2),
    )
    assert (tally().open, tally().closed, tally().progress) == (0, 1, 100.0)
    entry = RecordEntry.objects.get(event="issueboard.closed")
    assert entry.after is not None and entry.after["化解情况"] == "已更换路灯 12 盏"
    with pytest.raises(IllegalTransition):
        issue_move(actor=officer, issue=issue, to_status="open", expected_version=issue.version)
    with pytest.raises(DomainError):
        issue_assign(actor=officer, issue=issue, owner="他人", due_on=date(2026, 12, 9), expected_version=issue.version)


def test_the_database_refuses_a_closed_issue_without_resolution(term_change: Any) -> None:
    issue = raise_issue(SYSTEM)
    issue.status = "closed"
    with pytest.raises(IntegrityError), transaction.atomic():
        issue.save()


def test_a_stale_edit_saves_nothing(term_change: Any, officer: Any) -> None:
    issue = raise_issue(officer)
    stale = Issue.objects.get(pk=issue.pk)
    issue_assign(actor=officer, issue=issue, owner="副书记", due_on=date(2026, 12, 5), expected_version=1)
    with pytest.raises(ConcurrentEdit):
        issue_assign(actor=officer, issue=stale, owner="会计", due_on=date(2026, 12, 6), expected_version=1)
    assert Issue.objects.get(pk=issue.pk).owner == "副书记"


def test_an_issue_needs_an_owner_and_a_deadline_and_belongs_to_ones_own_town(term_change: Any, officer: Any) -> None:
    with pytest.raises(DomainError) as caught:
        issue_raise(actor=officer, village_code=VILLAGE_A, title=" ", owner="", due_on=None)
    assert set(caught.value.field_errors) == {"title", "owner", "due_on"}
    with pytest.raises(Http404):
        raise_issue(officer, VILLAGE_B)
    assert not Issue.objects.exists()


def test_boards_count_open_overdue_and_closed_by_region_in_constant_queries(
    term_change: Any, officer: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    raise_issue(SYSTEM, VILLAGE_A, due_on=date(2026, 10, 1))
    raise_issue(SYSTEM, VILLAGE_A, due_on=timezone.localdate() + timedelta(days=30))
    done = raise_issue(SYSTEM, VILLAGE_A2, due_on=date(2026, 10, 1))
    issue_move(
        actor=SYSTEM,
        issue=done,
        to_status="closed",
        expected_version=1,
        resolution="已解决",
        closed_on=date(2026, 10, 2),
    )
    raise_issue(SYSTEM, VILLAGE_B, due_on=date(2026, 10, 1))
    organizer = make_user("county_organizer", COUNTY)
    tallies_overdue_refresh(date(2026, 9, 1))  # the daily job last ran before any deadline passed: the board
    # still counts what is overdue today
    with django_assert_max_num_queries(6):
        county = board(organizer, COUNTY)
    rows = {r.code: (r.open, r.overdue, r.closed) for r in county.rows}
    # every town is a row; the ones with no issues yet show zeros
    assert list(rows) == list(Region.objects.filter(parent_id=COUNTY).order_by("code").values_list("code", flat=True))
    assert {code: row for code, row in rows.items() if row != (0, 0, 0)} == {TOWN_A: (2, 1, 1), TOWN_B: (1, 1, 0)}
    assert (county.total.open, county.total.overdue, county.total.closed) == (3, 2, 1)
    town = {r.code: (r.open, r.overdue, r.closed) for r in board(officer, TOWN_A).rows}
    assert len(town) == Region.objects.filter(parent_id=TOWN_A).count()
    assert {code: row for code, row in town.items() if row != (0, 0, 0)} == {
        VILLAGE_A: (2, 1, 0),
        VILLAGE_A2: (0, 0, 1),
    }
    assert [r.code for r in board(officer, COUNTY).rows] == [TOWN_A]


def test_difficult_villages_are_flagged_by_the_town_and_show_their_clearing(
    term_change: Any, officer: Any, make_user: Any
) -> None:
    first, second = raise_issue(SYSTEM), raise_issue(SYSTEM, title="宅基地纠纷")
    cadre = make_user("village_cadre", VILLAGE_A)
    with pytest.raises(DomainError):
        village_flag(actor=cadre, village_code=VILLAGE_A, is_difficult=True, reason="信访频发")
    with pytest.raises(DomainError):
        village_flag(actor=officer, village_code=VILLAGE_A, is_difficult=True, reason="")
    with pytest.raises(Http404):
        village_flag(actor=officer, village_code=VILLAGE_B, is_difficult=True, reason="信访频发")
    village_flag(actor=officer, village_code=VILLAGE_A, is_difficult=True, reason="信访频发")
    issue_move(
        actor=cadre,
        issue=first,
        to_status="closed",
        expected_version=1,
        resolution="调解成功",
        closed_on=date(2026, 11, 1),
    )
    [difficult] = board(officer, TOWN_A).difficult
    assert difficult.region_id == VILLAGE_A and difficult.progress == 50.0 and difficult.open == 1
    issue_move(
        actor=cadre,
        issue=second,
        to_status="closed",
        expected_version=1,
        resolution="确权完成",
        closed_on=date(2026, 11, 2),
    )
    assert tally().open == 0 and board(officer, TOWN_A).rows[0].difficult == 1


def test_the_board_page_drills_down_and_exports(term_change: Any, officer: Any, web_as: Any) -> None:
    raise_issue(SYSTEM, title="灌溉机井损坏")
    client = web_as(officer)
    page = client.get(f"/issueboard/?under={TOWN_A}").content.decode()
    assert f"/issueboard/{VILLAGE_A}/" in page
    assert "灌溉机井损坏" in client.get(f"/issueboard/{VILLAGE_A}/").content.decode()
    export = client.get(f"/issueboard/export/?under={TOWN_A}")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_the_overdue_count_follows_each_change_and_the_passing_of_the_date(term_change: Any, officer: Any) -> None:
    def overdue() -> int:
        return IssueTally.objects.get(region_id=VILLAGE_A).overdue

    yesterday, tomorrow = timezone.localdate() - timedelta(days=1), timezone.localdate() + timedelta(days=1)
    late = raise_issue(officer, VILLAGE_A, due_on=yesterday)
    soon = raise_issue(officer, VILLAGE_A, due_on=tomorrow)
    assert overdue() == 1
    issue_assign(actor=officer, issue=late, owner="副书记", due_on=tomorrow, expected_version=late.version)
    # This assertion failed once in a while in whole-suite runs only (never alone): say what was open, and when.
    seen = list(Issue.objects.filter(region_id=VILLAGE_A).values_list("pk", "term_change_id", "status", "due_on"))
    assert overdue() == 0, (timezone.localdate(), timezone.localdate(), term_change.pk, seen)
    assert (
        tallies_overdue_refresh(timezone.localdate() + timedelta(days=2)) and overdue() == 2
    )  # two days on, both late
    issue_move(
        actor=officer, issue=soon, to_status="closed", expected_version=soon.version, resolution="已化解",
        closed_on=timezone.localdate(),
    )  # fmt: skip
    assert overdue() == 0  # closing counts from today again: `late` is due tomorrow
    tallies_overdue_refresh(timezone.localdate() + timedelta(days=2))
    assert overdue() == 1 and Issue.objects.get(pk=soon.pk).status == "closed"


def test_the_wall_chart_prints_the_progress_the_difficult_villages_and_the_open_issues(
    term_change: Any, officer: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    raise_issue(SYSTEM, title="灌溉机井损坏", due_on=date(2026, 10, 1))
    raise_issue(SYSTEM, title="路灯损坏", due_on=date(2099, 1, 1))
    village_flag(actor=officer, village_code=VILLAGE_A, is_difficult=True, reason="信访频发")
    raise_issue(SYSTEM, VILLAGE_B, title="乙镇的问题")
    town, _ = pdf_text(web_as(officer).get(f"/issueboard/chart.pdf?under={TOWN_A}").content)
    assert "挂图作战表" in town and "信访频发" in town and "未清零" in town
    assert "灌溉机井损坏" in town and "2026-10-01（逾期）" in town and "2099-01-01（逾期）" not in town
    assert "乙镇的问题" not in town
    county_answer = api_as(make_user("county_organizer", COUNTY)).get(f"/api/v1/issueboard/board.pdf?under={COUNTY}")
    county, _ = pdf_text(county_answer.content)
    # the county sheet sums the towns and names no single issue (that is the towns' chart)
    assert Region.objects.get(code=TOWN_B).name in county and "灌溉机井损坏" not in county
    assert api_as(officer).get(f"/api/v1/issueboard/board.pdf?under={TOWN_B}").status_code == 404


def test_the_api_assigns_an_issue_and_flags_a_difficult_village_as_the_pages_do(
    term_change: Any, officer: Any, make_user: Any, api_as: Any
) -> None:
    """Issue 14, item 22: issue assignment and the difficult-village flag were page-only."""
    issue = raise_issue(officer)
    client = api_as(officer)
    assigned = client.post(
        f"/api/v1/issueboard/issues/{issue.pk}/assign",
        {"owner": "副书记", "due_on": "2026-12-20", "version": issue.version},
        content_type="application/json",
    )
    assert assigned.status_code == 200 and assigned.json()["owner"] == "副书记"
    stale = client.post(
        f"/api/v1/issueboard/issues/{issue.pk}/assign",
        {"owner": "主任", "due_on": "2026-12-20", "version": issue.version},
        content_type="application/json",
    )
    assert stale.status_code == 409
    flag = client.get(f"/api/v1/issueboard/{VILLAGE_A}/flag").json()
    url = f"/api/v1/issueboard/{VILLAGE_A}/flag"
    no_reason = client.put(url, {"is_difficult": True, "version": flag["version"]}, content_type="application/json")
    assert no_reason.status_code == 400 and "difficulty" in no_reason.json()["errors"]
    set_ = client.put(
        url,
        {"is_difficult": True, "difficulty": "信访频发", "version": flag["version"]},
        content_type="application/json",
    )
    assert set_.status_code == 200 and set_.json()["is_difficult"] is True
    again = client.put(url, {"is_difficult": False, "version": flag["version"]}, content_type="application/json")
    assert again.status_code == 409 and tally().is_difficult
    cadre = api_as(make_user("village_cadre", VILLAGE_A))
    denied = cadre.put(url, {"is_difficult": False, "version": set_.json()["version"]}, content_type="application/json")
    assert denied.status_code == 403 and tally().is_difficult  # the town and the county decide, as on the page


def test_the_flag_page_carries_its_version_so_a_stale_form_saves_nothing(
    term_change: Any, officer: Any, web_as: Any
) -> None:
    """Issue 14, item 17: the page sent no version, so the second of two officials' forms silently won."""
    raise_issue(officer)
    client = web_as(officer)
    page = client.get(f"/issueboard/{VILLAGE_A}/").content.decode()
    assert 'name="version" value="1"' in page
    form = {"is_difficult": "on", "difficulty": "信访频发", "version": 1}
    assert client.post(f"/issueboard/{VILLAGE_A}/flag/", form).status_code == 302
    stale = client.post(f"/issueboard/{VILLAGE_A}/flag/", {"difficulty": "", "version": 1}, follow=True)
    assert "已被他人修改" in stale.content.decode() and tally().is_difficult


def test_the_api_hands_out_the_boards_workbook_like_the_page(
    term_change: Any, officer: Any, api_as: Any, web_as: Any
) -> None:
    raise_issue(SYSTEM, title="灌溉机井损坏")
    api = api_as(officer)
    answer = api.get(f"/api/v1/issueboard/board.xlsx?under={TOWN_A}")
    page = web_as(officer).get(f"/issueboard/export/?under={TOWN_A}")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(answer.content)).get_sheet_by_index(0).to_python()
    assert answer.status_code == 200 and answer.content[:2] == b"PK" and any(r[0] == VILLAGE_A for r in rows)
    assert (
        rows == python_calamine.CalamineWorkbook.from_filelike(BytesIO(page.content)).get_sheet_by_index(0).to_python()
    )
    # Another town's board is not there for this officer.
    assert api.get(f"/api/v1/issueboard/board.xlsx?under={TOWN_B}").status_code == 404
