"""The branch's answer carries the first page of its meetings and their total, the floating answer those of its
members and groups; their own lists page on to the rest (the answers stopped at 200 or 500 without saying so)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.paging import FIRST_PAGE
from cunshe.partywork import rules, views
from cunshe.partywork.models import FloatingMember
from cunshe.partywork.services import card_issue, floating_register, group_create
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


def _floating(make_person: Any, village: str = VILLAGE_A, *, card: bool = False) -> FloatingMember:
    left = timezone.localdate() - timedelta(days=30)
    person = make_person(village, is_party_member=True, party_joined_on=date(2001, 7, 1))
    m = floating_register(
        actor=SYSTEM, person=person, whereabouts="微山湖", left_on=left, expected_back_on=rules.add_months(left, 4)
    )
    if card:
        card_issue(actor=SYSTEM, member=m, issued_on=left, valid_until=rules.add_months(left, 6))
    return m


def test_the_floating_answer_says_how_many_members_and_the_rest_page_on(
    make_person: Any, make_user: Any, api_as: Any
) -> None:
    crew = [_floating(make_person) for _ in range(MANY)]
    last = crew[-1]  # floating_of orders by village, then id: the newest is past the first page
    town = api_as(make_user("town_officer", TOWN_A))
    answer = town.get(f"/api/v1/partywork/regions/{TOWN_A}/floating").json()
    assert (len(answer["members"]), answer["members_count"]) == (FIRST_PAGE, MANY)
    assert last.pk not in {m["id"] for m in answer["members"]}
    url = f"/api/v1/partywork/regions/{TOWN_A}/floating/members"
    rest = town.get(url, {"offset": FIRST_PAGE}).json()
    assert (rest["count"], [m["id"] for m in rest["items"]]) == (MANY, [last.pk])
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404


def test_the_groups_page_on_in_the_api_and_on_the_pages(
    make_person: Any, make_user: Any, api_as: Any, web_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = []
    for n in range(2):
        crew = [_floating(make_person, card=True) for _ in range(3)]
        made.append(
            group_create(
                actor=SYSTEM,
                town_code=TOWN_A,
                kind="boat",
                name=f"鲁微渔 09{n} 船头党小组",
                whereabouts="微山湖",
                formed_on=timezone.localdate() - timedelta(days=10),
                members=crew,
            )
        )
    officer = make_user("town_officer", TOWN_A)
    town = api_as(officer)
    answer = town.get(f"/api/v1/partywork/regions/{TOWN_A}/floating").json()
    assert ([g["id"] for g in answer["groups"]], answer["groups_count"]) == ([g.pk for g in made], 2)
    url = f"/api/v1/partywork/regions/{TOWN_A}/groups"
    second = town.get(url, {"limit": 1, "offset": 1}).json()
    assert (second["count"], [g["id"] for g in second["items"]]) == (2, [made[1].pk])
    assert second["items"][0]["size"] == 3
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404
    # the pages: each list under its own parameter (one a page here, so the second group is on page 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    web = web_as(officer)
    for page in (reverse("partywork:region", args=[TOWN_A]), reverse("partywork:floating", args=[TOWN_A])):
        first, rest = web.get(page).content.decode(), web.get(page, {"groups": 2}).content.decode()
        assert made[0].name in first and made[1].name not in first
        assert made[1].name in rest and made[0].name not in rest
