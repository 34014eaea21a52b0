"""An assignment's talks (like its service days and matters): the API's detail carries the first page and the total,
the talks' own list and the page go on to the rest (they stopped at 500 and 200 without saying so)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.paging import FIRST_PAGE
from cunshe.liaison.models import Assignment
from cunshe.liaison.services import talk_add
from cunshe.liaison.tests.helpers import assign, matter_for

pytestmark = pytest.mark.django_db
MANY = FIRST_PAGE + 1


@pytest.fixture
def assignment(zouping: Any) -> Assignment:
    a = assign(VILLAGE_A, days_ago=200)
    today = timezone.localdate()
    for n in range(MANY):  # the first one is the oldest: the one past the first page
        talk_add(
            actor=SYSTEM, assignment=a, held_on=today - timedelta(days=150 - n), group="resident", talked_with="村民",
            topic=f"第 {n} 次谈话",
        )  # fmt: skip
    matter_for(a)
    return a


def test_the_api_reaches_the_talk_past_the_first_page(assignment: Assignment, make_user: Any, api_as: Any) -> None:
    town = api_as(make_user("town_officer", TOWN_A))
    detail = town.get(f"/api/v1/liaison/assignments/{assignment.pk}").json()
    assert (len(detail["talks"]), detail["talks_count"]) == (FIRST_PAGE, MANY)
    assert (detail["matters_count"], detail["service_days_count"]) == (1, 0)
    url = f"/api/v1/liaison/assignments/{assignment.pk}/talks"
    rest = town.get(url, {"offset": FIRST_PAGE}).json()
    assert (rest["count"], [t["topic"] for t in rest["items"]]) == (MANY, ["第 0 次谈话"])
    assert town.get(f"/api/v1/liaison/assignments/{assignment.pk}/matters").json()["count"] == 1
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404


def test_the_page_moves_the_talks_alone(assignment: Assignment, make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    first = client.get(f"/liaison/assignments/{assignment.pk}/").content.decode()
    assert "第 100 次谈话" in first and "第 0 次谈话" not in first
    assert "?talks=2" in first
    last = client.get(f"/liaison/assignments/{assignment.pk}/", {"talks": 3, "matters": 1}).content.decode()
    assert "第 0 次谈话" in last and "第 1 次谈话" not in last
    assert "协调修复村内道路" in last  # the matters stayed on their first page
    assert "?talks=2&amp;matters=1" in last  # the pager keeps the other lists' pages
