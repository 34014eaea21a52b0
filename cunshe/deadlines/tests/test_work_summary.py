"""The home page's to-do summary is kept while nothing changed and rebuilt after any recorded change (issue 15)."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.deadlines.work_items import WorkItem, register_source, unregister_source
from cunshe.records import kept
from cunshe.records.services import record

TITLES: list[str] = []


@pytest.fixture
def listed_source() -> Iterator[None]:
    """Town officers get one item per title in TITLES: the test changes the list behind the record book's back."""

    def source(user: Any) -> list[WorkItem]:
        if not user.role_assignments.filter(role="town_officer").exists():
            return []
        due = timezone.now() + timedelta(days=3)
        return [WorkItem(module="handovers", title=t, url="/x/", due_at=due) for t in TITLES]

    TITLES[:] = ["第一项待办"]
    register_source("test-listed", source)
    yield
    unregister_source("test-listed")


def _recorded_change() -> None:
    with transaction.atomic():
        record(actor=SYSTEM, region_code=TOWN_A, event="handovers.test_changed", summary="测试变更")


def test_the_summary_is_kept_until_a_change_is_recorded(
    kept_summaries: Any, listed_source: Any, make_user: Any, web_as: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    assert "第一项待办" in client.get("/home/").content.decode()
    TITLES[:] = ["第二项待办"]  # not recorded: the kept summary is shown
    assert "第一项待办" in client.get("/home/").content.decode()
    _recorded_change()
    page = client.get("/home/").content.decode()
    assert "第二项待办" in page and "第一项待办" not in page


def test_the_summary_follows_the_clock_within_a_minute(
    kept_summaries: Any, listed_source: Any, make_user: Any, web_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    assert "第一项待办" in client.get("/home/").content.decode()
    TITLES[:] = ["第二项待办"]
    next_minute = kept.current_minute() + 1  # held still by kept_summaries; the clock turns here
    monkeypatch.setattr(kept, "current_minute", lambda: next_minute)
    assert "第二项待办" in client.get("/home/").content.decode()


def test_each_user_has_their_own_summary(kept_summaries: Any, listed_source: Any, make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    cadre = make_user("village_cadre", "371681001213")
    assert "第一项待办" in web_as(officer).get("/home/").content.decode()
    assert "第一项待办" not in web_as(cadre).get("/home/").content.decode()
