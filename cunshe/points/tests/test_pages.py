"""A holder's entries: the API's detail carries the first page and the total, the entries' own list and the holder's
page go on to the rest (they stopped at 100 and 200 without saying so)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.paging import FIRST_PAGE
from cunshe.points.models import Holder
from cunshe.points.services import points_earn
from cunshe.points.tests.helpers import household, published_book, rule

pytestmark = pytest.mark.django_db
MANY = FIRST_PAGE + 1


@pytest.fixture
def holder(zouping: Any, make_person: Any) -> Holder:
    book = published_book(COUNTY)
    h = household(VILLAGE_A, make_person)
    for n in range(MANY):  # the first one is the oldest: the one past the first page
        on = date(2026, 1, 1) + timedelta(days=n)
        points_earn(actor=SYSTEM, holder=h, rule=rule(book, "A1"), occurred_on=on, evidence=f"第 {n} 次", key=f"n{n}")
    return h


def test_the_api_reaches_the_entry_past_the_first_page(holder: Holder, make_user: Any, api_as: Any) -> None:
    town = api_as(make_user("town_officer", TOWN_A))
    detail = town.get(f"/api/v1/points/holders/{holder.pk}").json()
    assert (len(detail["entries"]), detail["entries_count"]) == (FIRST_PAGE, MANY)
    url = f"/api/v1/points/holders/{holder.pk}/entries"
    rest = town.get(url, {"offset": FIRST_PAGE}).json()
    assert (rest["count"], [e["evidence"] for e in rest["items"]]) == (MANY, ["第 0 次"])
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404


def test_the_holder_page_pages_the_entries(holder: Holder, make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    first = client.get(f"/points/holders/{holder.pk}/").content.decode()
    assert "第 100 次" in first and "第 0 次" not in first and "下一页" in first
    last = client.get(f"/points/holders/{holder.pk}/", {"page": 3}).content.decode()
    assert "第 0 次" in last and "第 1 次" not in last
