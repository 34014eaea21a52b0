from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.http import Http404

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.serviceteams import matching, selectors
from cunshe.serviceteams.models import Hours, NeedStatus, OrderStatus
from cunshe.serviceteams.permissions import order_or_404
from cunshe.serviceteams.services import (
    need_add,
    offer_add,
    order_accept,
    order_complete,
    order_decline,
    order_dispatch,
    order_place,
)
from cunshe.serviceteams.tests.helpers import dispatched, team_with_members

pytestmark = pytest.mark.django_db
FRIDAY = date(2026, 11, 20)
SATURDAY = date(2026, 11, 21)


def test_matching_by_category_weekday_and_overlap() -> None:
    w = matching.Window("elderly", 0b0011111, time(8), time(12))
    assert matching.fits("elderly", FRIDAY, time(11), time(13), w) == 60
    assert matching.fits("elderly", SATURDAY, time(9), time(10), w) == 0  # not a serving day
    assert matching.fits("repair", FRIDAY, time(9), time(10), w) == 0  # other category
    assert matching.fits("elderly", FRIDAY, time(11, 45), time(13), w) == 0  # 15 minutes < 30
    assert matching.fits("elderly", FRIDAY, time(11, 40), time(12), w) == 20  # a 20-minute need, wholly covered
    late = matching.Window("elderly", 0b0011111, time(10), time(12))
    ranked = matching.rank(
        "elderly", FRIDAY, time(9), time(12), [(1, 1, "甲队", w), (2, 2, "乙队", late), (3, 3, "丙队", w)], {1: 2}
    )
    assert [m.team_name for m in ranked] == ["丙队", "甲队", "乙队"]  # more overlap first, then fewer open orders


def test_need_matches_the_willing_team_of_its_village(make_person: Any) -> None:
    _team, _, _ = team_with_members(VILLAGE_A, make_person, name="西范村志愿服务队")
    team_with_members(VILLAGE_B, make_person, name="别村服务队")
    need = need_add(
        actor=SYSTEM,
        region_code=VILLAGE_A,
        resident="王大娘",
        category="elderly",
        wanted_on=FRIDAY,
        starts_at=time(9),
        ends_at=time(10),
        description="陪同去医院复查",
    )
    assert [m.team_name for m in selectors.matches_for(need)] == ["西范村志愿服务队"]
    order = order_place(
        actor=SYSTEM,
        region_code=VILLAGE_A,
        category="elderly",
        resident="王大娘",
        description="陪同去医院复查",
        wanted_on=FRIDAY,
        need=need,
    )
    need.refresh_from_db()
    assert order.origin == "community" and need.status == NeedStatus.ORDERED


def test_resident_orders_community_dispatches_team_accepts_and_completes(make_person: Any, make_user: Any) -> None:
    team, members, account = team_with_members(VILLAGE_A, make_person)
    order = dispatched(team)
    with pytest.raises(IllegalTransition):  # completing before accepting
        order_complete(
            actor=account, order=order, completed_on=FRIDAY, minutes={members[0].pk: 60}, expected_version=order.version
        )
    order = order_accept(actor=account, order=order, expected_version=order.version)
    _, others, _ = team_with_members(VILLAGE_A, make_person)
    with pytest.raises(DomainError):  # someone not in the team
        order_complete(
            actor=account, order=order, completed_on=FRIDAY, minutes={others[0].pk: 60}, expected_version=order.version
        )
    done = order_complete(
        actor=account,
        order=order,
        completed_on=FRIDAY,
        minutes={members[0].pk: 90, members[1].pk: 45},
        expected_version=order.version,
    )
    assert done.status == OrderStatus.COMPLETED
    assert sorted(Hours.objects.filter(order=order).values_list("minutes", flat=True)) == [45, 90]


def test_a_team_sees_and_answers_only_its_own_orders(make_person: Any, make_user: Any) -> None:
    team_a, _, account_a = team_with_members(VILLAGE_A, make_person)
    team_b, _, _account_b = team_with_members(VILLAGE_A, make_person)
    mine, theirs = dispatched(team_a), dispatched(team_b)
    assert list(selectors.orders_of(account_a)) == [mine]
    assert order_or_404(account_a, mine.pk) == mine
    with pytest.raises(Http404):
        order_or_404(account_a, theirs.pk)
    with pytest.raises(Http404):
        order_accept(actor=account_a, order=theirs, expected_version=theirs.version)
    # a village cadre of another village: neither sees nor answers
    outsider = make_user("village_cadre", VILLAGE_B)
    with pytest.raises(Http404):
        order_or_404(outsider, mine.pk)
    # the town's officer may read but the community's cadre of the village dispatches; a discipline supervisor may not
    supervisor = make_user("discipline_supervisor", VILLAGE_A[:9])
    with pytest.raises(NotPermitted):
        order_accept(actor=supervisor, order=mine, expected_version=mine.version)


def test_decline_returns_the_order_for_another_dispatch(make_person: Any) -> None:
    team_a, _, account_a = team_with_members(VILLAGE_A, make_person)
    team_b, _, _ = team_with_members(VILLAGE_A, make_person)
    order = dispatched(team_a)
    with pytest.raises(DomainError):
        order_decline(actor=account_a, order=order, reason="", expected_version=order.version)
    order = order_decline(actor=account_a, order=order, reason="队员外出培训", expected_version=order.version)
    assert order.status == OrderStatus.PLACED and order.team is None and order.note == "队员外出培训"
    order = order_dispatch(actor=SYSTEM, order=order, team=team_b, expected_version=order.version)
    assert order.status == OrderStatus.DISPATCHED and order.team == team_b
    with pytest.raises(Http404):  # the declining team no longer sees it
        order_or_404(account_a, order.pk)


def test_external_reference_hook_and_bad_input(make_person: Any) -> None:
    team, _, _ = team_with_members(VILLAGE_A, make_person)
    order = order_place(
        actor=SYSTEM,
        region_code=VILLAGE_A,
        category="repair",
        resident="李大爷",
        description="修理水管",
        wanted_on=FRIDAY,
        external_ref="requests:42",
    )
    assert order.external_ref == "requests:42"
    with pytest.raises(DomainError) as refused:
        offer_add(actor=SYSTEM, team=team, category="nope", weekdays=0, starts_at=time(12), ends_at=time(8))
    assert set(refused.value.field_errors) == {"category", "weekdays", "ends_at"}


def test_the_api_walks_an_order(make_person: Any, make_user: Any, api_as: Any) -> None:
    team, members, account = team_with_members(VILLAGE_A, make_person)
    cadre = make_user("village_cadre", VILLAGE_A)
    body = {
        "region": VILLAGE_A,
        "category": "elderly",
        "resident": "王大娘",
        "description": "陪同就医",
        "wanted_on": "2026-11-20",
        "requested_team_id": team.pk,
    }
    placed = api_as(cadre).post("/api/v1/serviceteams/orders", body, content_type="application/json").json()
    assert placed["origin"] == "resident" and placed["requested_team_id"] == team.pk
    url = f"/api/v1/serviceteams/orders/{placed['id']}"
    sent = (
        api_as(cadre)
        .post(url + "/dispatch", {"team_id": team.pk, "version": placed["version"]}, content_type="application/json")
        .json()
    )
    team_client = api_as(account)
    refused = api_as(cadre).post(
        url + "/dispatch", {"team_id": team.pk, "version": sent["version"]}, content_type="application/json"
    )
    assert refused.status_code == 409  # already dispatched
    accepted = team_client.post(url + "/accept", {"version": sent["version"]}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    done = team_client.post(
        url + "/complete",
        {"completed_on": "2026-11-20", "minutes": {str(members[0].pk): 60}, "version": accepted.json()["version"]},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["hours"][0]["minutes"] == 60
    listed = team_client.get("/api/v1/serviceteams/orders").json()
    assert [o["id"] for o in listed["items"]] == [placed["id"]]


def test_lists_take_a_constant_number_of_queries(
    make_person: Any, make_user: Any, django_assert_max_num_queries: Any, web_as: Any
) -> None:
    for _ in range(3):
        team, _, _ = team_with_members(VILLAGE_A, make_person)
        dispatched(team)
    client = web_as(make_user("town_officer", VILLAGE_A[:9]))
    with django_assert_max_num_queries(12):
        page = client.get("/serviceteams/")
    assert page.status_code == 200 and "陪同就医" not in page.content.decode() and "王大娘" in page.content.decode()
