from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A
from cunshe.deadlines import work_items
from cunshe.deadlines.work_items import WorkItem, register_source, unregister_source


@pytest.fixture
def source_of_open_matters() -> Any:
    """A module's source: one overdue and one current item for town officers, none for others."""

    def source(user: Any) -> list[WorkItem]:
        if not user.role_assignments.filter(role="town_officer").exists():
            return []
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

    register_source("test-source", source)
    yield source
    unregister_source("test-source")


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
