from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A
from cunshe.deadlines import work_items
from cunshe.deadlines.work_items import WorkItem, register_source, unregister_source


def _for_town_officers(name: str, items: Callable[[], list[WorkItem]]) -> Iterator[None]:
    """A module's source, registered for one test: `items()` for town officers, nothing for others."""

    def source(user: Any) -> list[WorkItem]:
        return items() if user.role_assignments.filter(role="town_officer").exists() else []

    register_source(name, source)
    yield
    unregister_source(name)


@pytest.fixture
def source_of_open_matters() -> Iterator[None]:
    """One overdue and one current item."""

    def items() -> list[WorkItem]:
        now = timezone.now()
        return [
            WorkItem(
                module="handover", title="交接逾期", url="/x/1/", region_name="黛溪街道", due_at=now - timedelta(days=1)
            ),
            WorkItem(
                module="handover",
                title="交接进行中",
                url="/x/2/",
                region_name="黛溪街道",
                due_at=now + timedelta(days=1),
            ),
        ]

    yield from _for_town_officers("test-source", items)


def test_overdue_list_shows_only_overdue_items_of_the_user(
    source_of_open_matters: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    cadre = make_user("village_cadre", "371681001213")
    assert [i.title for i in work_items.overdue_items_for(officer)] == ["交接逾期"]
    assert work_items.overdue_items_for(cadre) == []
    page = web_as(officer).get("/deadlines/overdue/").content.decode()
    assert "交接逾期" in page and "交接进行中" not in page
    home = web_as(officer).get("/home/").content.decode()
    assert "交接逾期" in home and "交接进行中" in home and "逾期 1" in home
    body = api_as(officer).get("/api/v1/deadlines/overdue").json()
    assert [i["title"] for i in body] == ["交接逾期"] and body[0]["overdue"] is True
    assert api_as(cadre).get("/api/v1/deadlines/overdue").json() == []


@pytest.fixture
def source_of_many_matters() -> Iterator[None]:
    """40 issue-board items (30 overdue) and 25 current work-plan tasks."""

    def items() -> list[WorkItem]:
        now = timezone.now()
        issues = [
            WorkItem(
                module="issueboard", title=f"问题{n:02d}", url=f"/i/{n}/", due_at=now + timedelta(days=n - 30, hours=1)
            )
            for n in range(40)
        ]
        tasks = [
            WorkItem(module="readiness", title=f"任务{n:02d}", url=f"/t/{n}/", due_at=now + timedelta(days=n + 1))
            for n in range(25)
        ]
        return issues + tasks

    yield from _for_town_officers("test-many", items)


def test_a_long_to_do_list_is_counted_by_module_and_paged(
    source_of_many_matters: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    counts = work_items.counts_by_module(work_items.work_items_for(officer))
    assert [(c.label, c.total, c.overdue) for c in counts] == [("问题清单", 40, 30), ("选情评估", 25, 0)]

    home = web_as(officer).get("/home/").content.decode()
    assert home.count('<a href="/i/') == 15 and "问题00" in home and "问题15" not in home  # the most urgent first
    assert "查看全部 65 项待办" in home and "逾期 30" in home and "选情评估 25" in home

    client = web_as(officer)
    first = client.get("/deadlines/").content.decode()
    assert first.count('<a href="/i/') + first.count('<a href="/t/') == 50 and "第 1 / 2 页" in first
    tasks = client.get("/deadlines/?module=readiness").content.decode()
    assert tasks.count('<a href="/t/') == 25 and '<a href="/i/' not in tasks
    late = client.get("/deadlines/?overdue=1&page=1").content.decode()
    assert late.count('<a href="/i/') == 30 and '<a href="/t/' not in late

    api = api_as(officer)
    body = api.get("/api/v1/deadlines/todo?module=issueboard&limit=10&offset=35").json()
    assert body["count"] == 40 and [i["title"] for i in body["items"]] == [
        "问题35",
        "问题36",
        "问题37",
        "问题38",
        "问题39",
    ]
    assert body["items"][0]["module_label"] == "问题清单"
    assert api.get("/api/v1/deadlines/todo?overdue=true").json()["count"] == 30

    cadre = make_user("village_cadre", "371681001213")
    assert "问题00" not in web_as(cadre).get("/deadlines/").content.decode()
    assert [i["module"] for i in api_as(cadre).get("/api/v1/deadlines/todo").json()["items"]] == []


def test_a_deadline_day_shows_as_that_day_and_a_deadline_hour_with_its_time() -> None:
    tz = timezone.get_current_timezone()
    end_of_the_12th = WorkItem(module="issueboard", title="", url="", due_at=datetime(2026, 3, 13, tzinfo=tz))
    at_five = WorkItem(module="reviews", title="", url="", due_at=datetime(2026, 3, 13, 17, 0, tzinfo=tz))
    assert (end_of_the_12th.due_label, at_five.due_label) == ("2026-03-12", "2026-03-13 17:00")
    assert WorkItem(module="accounts", title="", url="").due_label == ""
