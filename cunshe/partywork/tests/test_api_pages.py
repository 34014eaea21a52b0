"""The branch's answer carries the first page of its meetings and their total; the meetings' own list pages on to
the rest (the answer stopped at 200 without saying so)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.paging import FIRST_PAGE
from cunshe.partywork.tests.helpers import branch_with_members, hold

pytestmark = pytest.mark.django_db
MANY = FIRST_PAGE + 1


def test_the_api_reaches_the_meeting_past_the_first_page(make_person: Any, make_user: Any, api_as: Any) -> None:
    branch, members = branch_with_members(VILLAGE_A, make_person, formed_on=date(2024, 1, 1))
    held = [hold(branch, members, on=date(2024, 2, 1) + timedelta(days=n), sign=False) for n in range(MANY)]
    oldest = held[0]  # past the first page: new ones first
    town = api_as(make_user("town_officer", TOWN_A))
    answer = town.get(f"/api/v1/partywork/branches/{VILLAGE_A}").json()
    assert (len(answer["meetings"]), answer["meetings_count"]) == (FIRST_PAGE, MANY)
    assert oldest.pk not in {m["id"] for m in answer["meetings"]}
    url = f"/api/v1/partywork/branches/{VILLAGE_A}/meetings"
    rest = town.get(url, {"offset": FIRST_PAGE}).json()
    assert (rest["count"], [m["id"] for m in rest["items"]]) == (MANY, [oldest.pk])
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404
