from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.deadlines.work_items import overdue_items_for, work_items_for
from cunshe.issueboard.models import Issue
from cunshe.issueboard.services import issue_move, issue_raise
from cunshe.termchanges.services import term_change_open

TODAY = timezone.localdate()


@pytest.fixture
def term_change(zouping: Any) -> Any:
    # Opened two months ago, so issues can fall due before today whatever day the suite runs.
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=TODAY.year, opened_on=TODAY - timedelta(days=60))


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


def raise_issue(title: str, due_on: date, village: str = VILLAGE_A) -> Issue:
    return issue_raise(actor=SYSTEM, village_code=village, title=title, owner="包村干部", due_on=due_on)


def issue_titles(user: Any) -> list[str]:
    return [i.title for i in work_items_for(user) if i.module == "issueboard"]


def test_an_overdue_issue_is_a_to_do_of_its_own_towns_officer_only(
    term_change: Any, officer: Any, make_user: Any
) -> None:
    issue = raise_issue("村集体账目不清", TODAY - timedelta(days=1))
    items = [i for i in overdue_items_for(officer) if i.module == "issueboard"]
    assert [(i.title, i.url, i.region_name) for i in items] == [
        ("问题清单：村集体账目不清（包村干部）", f"/issueboard/issues/{issue.pk}/", issue.region.name)
    ]
    assert items[0].overdue
    assert issue_titles(make_user("town_officer", TOWN_B)) == []
    assert issue_titles(make_user("village_cadre", VILLAGE_A)) == ["问题清单：村集体账目不清（包村干部）"]
    assert issue_titles(make_user("village_cadre", VILLAGE_B)) == []
    # Supervisors see the board but do not move issues: not their to-do.
    assert issue_titles(make_user("discipline_supervisor", TOWN_A)) == []


def test_a_closed_or_not_yet_due_issue_is_not_a_to_do(term_change: Any, officer: Any) -> None:
    raise_issue("路灯损坏", TODAY)  # due by the end of today
    raise_issue("道路硬化", TODAY + timedelta(days=10))
    closed = raise_issue("垃圾清运", TODAY - timedelta(days=3))
    issue_move(
        actor=officer,
        issue=closed,
        to_status="closed",
        expected_version=closed.version,
        resolution="已与保洁公司签约",
        closed_on=TODAY - timedelta(days=1),
    )
    assert issue_titles(officer) == []
    moving = raise_issue("宗族矛盾", TODAY - timedelta(days=2))
    issue_move(actor=officer, issue=moving, to_status="in_progress", expected_version=moving.version)
    assert issue_titles(officer) == ["问题清单：宗族矛盾（包村干部）"]


def test_the_overdue_issues_cost_one_query_however_many(
    term_change: Any, officer: Any, django_assert_num_queries: Any
) -> None:
    from cunshe.issueboard.work_items import overdue_issue_items

    for n in range(5):
        raise_issue(f"问题{n}", TODAY - timedelta(days=n + 1), village=VILLAGE_A if n % 2 else "371681001214")
    overdue_issue_items(officer)  # the user's role assignments are read once per request and kept
    with django_assert_num_queries(1):
        items = overdue_issue_items(officer)
    assert [i.title.split("：")[1].split("（")[0] for i in items] == [f"问题{n}" for n in range(4, -1, -1)]


def test_the_overdue_page_and_home_page_show_the_overdue_issue(term_change: Any, officer: Any, web_as: Any) -> None:
    raise_issue("选民登记争议", TODAY - timedelta(days=5))
    raise_issue("未到期问题", TODAY + timedelta(days=5))
    page = web_as(officer).get("/deadlines/overdue/").content.decode()
    assert "问题清单：选民登记争议" in page and "未到期问题" not in page
    assert "问题清单：选民登记争议" in web_as(officer).get("/home/").content.decode()
