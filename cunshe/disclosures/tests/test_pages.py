"""A village's disclosures: the API's village answer carries the first page and the total, its own list and the page
go on to the rest (both stopped at 200 and 100 without saying so)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.paging import FIRST_PAGE
from cunshe.decisions.tests.helpers import new_decision
from cunshe.disclosures.tests.helpers import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(zouping: Any) -> int:
    for n in range(FIRST_PAGE + 1):  # the first one is the oldest: the one past the first page
        draft(VILLAGE_A, period_day=date(2026, 10, 1), title=f"第 {n} 号公开")
    return FIRST_PAGE + 1


def test_the_api_reaches_the_disclosure_past_the_first_page(many: int, make_user: Any, api_as: Any) -> None:
    town = api_as(make_user("town_officer", TOWN_A))
    answer = town.get(f"/api/v1/disclosures/village/{VILLAGE_A}").json()
    assert (len(answer["disclosures"]), answer["disclosures_count"]) == (FIRST_PAGE, many)
    url = f"/api/v1/disclosures/village/{VILLAGE_A}/disclosures"
    rest = town.get(url, {"offset": FIRST_PAGE}).json()
    assert (rest["count"], [d["title"] for d in rest["items"]]) == (many, ["第 0 号公开"])
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404


def test_the_village_page_pages_its_disclosures(many: int, make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    first = client.get(f"/disclosures/village/{VILLAGE_A}/").content.decode()
    assert "第 100 号公开" in first and "第 0 号公开" not in first and "下一页" in first
    last = client.get(f"/disclosures/village/{VILLAGE_A}/", {"page": 3}).content.decode()
    assert "第 0 号公开" in last and "第 1 号公开" not in last


def test_the_form_offers_a_matter_past_the_fiftieth(make_user: Any, web_as: Any) -> None:
    # the decision picker stopped at the newest 50: the first matter of 51 could not be linked on the page
    made = [new_decision(VILLAGE_A, title=f"第{n:03d}号事项") for n in range(51)]
    page = web_as(make_user("village_cadre", VILLAGE_A)).get(f"/disclosures/village/{VILLAGE_A}/").content.decode()
    assert f'value="{made[0].pk}"' in page and made[0].title in page
