"""团队接单 and 信用+积分 wired to the requests (issue 12, items 3-5): a request assigned to a service team becomes the
team's order, the team's completion closes it and its decline hands it back; a registered resident whose request is
confirmed solved earns the village's "requests" points, once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.points.models import Entry, Holder
from cunshe.points.services import book_create, book_publish, holder_open, rule_add
from cunshe.requests.models import Event, Request, Status
from cunshe.requests.services import request_answer, request_assign, request_close
from cunshe.requests.tests.helpers import file_request
from cunshe.serviceteams.models import Order, OrderStatus, ServiceTeam
from cunshe.serviceteams.services import (
    member_add,
    order_accept,
    order_cancel,
    order_complete,
    order_decline,
    team_create,
)


def _team(village: str, make_person: Any, name: str = "党员先锋服务队") -> ServiceTeam:
    team = team_create(actor=SYSTEM, region_code=village, name=name, kind="party")
    member_add(actor=SYSTEM, team=team, person=make_person(village), joined_on=date(2026, 1, 5))
    return team


def _order(r: Request) -> Order:
    return Order.objects.filter(external_ref=f"requests:{r.pk}").latest("pk")


def _finish(order: Order) -> Order:
    order = order_accept(actor=SYSTEM, order=order, expected_version=order.version)
    member = order.team.members.get()  # type: ignore[union-attr]
    return order_complete(
        actor=SYSTEM,
        order=order,
        completed_on=timezone.localdate(),
        minutes={member.pk: 90},
        note="填平塌陷处并设警示牌",
        expected_version=order.version,
    )


def test_a_team_takes_the_request_as_its_order_and_its_completion_closes_it(make_user: Any, make_person: Any) -> None:
    officer = make_user("town_officer", VILLAGE_A[:9])
    team = _team(VILLAGE_A, make_person)
    elsewhere = _team(VILLAGE_B, make_person, name="外村服务队")
    r = file_request(VILLAGE_A, actor=officer)
    with pytest.raises(DomainError) as refused:  # only the village's own teams
        request_assign(actor=officer, request=r, team_id=elsewhere.pk, expected_version=r.version)
    assert refused.value.field_errors["team"] == ["请选择本村(社区)的服务队。"]
    assert not Order.objects.exists()

    r = request_assign(actor=officer, request=r, team_id=team.pk, note="请带工具", expected_version=r.version)
    order = _order(r)
    assert (r.status, r.assignee_team, r.assignee) == (Status.ASSIGNED, team, None)
    assert (order.status, order.team, order.region_id) == (OrderStatus.DISPATCHED, team, VILLAGE_A)
    assert r.number in order.description and "请带工具" in order.description

    _finish(order)
    r.refresh_from_db()
    assert r.status == Status.CLOSED and "党员先锋服务队已完成服务" in r.closing_note and "警示牌" in r.closing_note
    assert r.answer_solved is None  # closed is not solved: the resident still answers


def test_a_declined_order_hands_the_request_back_and_a_new_assignment_withdraws_the_team(
    make_user: Any, make_person: Any
) -> None:
    officer = make_user("town_officer", VILLAGE_A[:9])
    cadre = make_user("village_cadre", VILLAGE_A)
    team = _team(VILLAGE_A, make_person)
    r = file_request(VILLAGE_A, actor=officer)
    r = request_assign(actor=officer, request=r, team_id=team.pk, expected_version=r.version)
    order = _order(r)
    order_decline(actor=SYSTEM, order=order, reason="本周人手不足", expected_version=order.version)
    r.refresh_from_db()
    assert r.assignee_team is None and r.status == Status.ASSIGNED
    assert Event.objects.filter(request=r, what="服务队退单", text__contains="本周人手不足").exists()

    # dispatched again to the same team: the waiting order is reused, not doubled
    r = request_assign(actor=officer, request=r, team_id=team.pk, expected_version=r.version)
    assert Order.objects.filter(external_ref=f"requests:{r.pk}").count() == 1
    # then to a person: the team's open order is withdrawn and the request is not touched by it
    r = request_assign(actor=officer, request=r, assignee_id=cadre.pk, expected_version=r.version)
    order = _order(r)
    assert order.status == OrderStatus.CANCELLED and order.note == "诉求已改派"
    r.refresh_from_db()
    assert (r.assignee, r.assignee_team, r.status) == (cadre, None, Status.ASSIGNED)
    assert not Event.objects.filter(request=r, what="服务队退单", text__contains="改派").exists()

    # closed by the handler while a team still holds it: the team's order is withdrawn as well
    r = request_assign(actor=officer, request=r, team_id=team.pk, expected_version=r.version)
    r = request_close(actor=officer, request=r, note="村委会已自行修复", expected_version=r.version)
    assert _order(r).status == OrderStatus.CANCELLED and _order(r).note == "诉求已办结"
    r.refresh_from_db()
    assert r.status == Status.CLOSED


def test_an_order_cancelled_on_the_team_side_hands_the_request_back_whatever_its_reason_reads(
    make_user: Any, make_person: Any
) -> None:
    """Only the request's own withdrawal is silent; it is marked as such, not recognised by its wording."""
    officer = make_user("town_officer", VILLAGE_A[:9])
    team = _team(VILLAGE_A, make_person)
    r = file_request(VILLAGE_A, actor=officer)
    r = request_assign(actor=officer, request=r, team_id=team.pk, expected_version=r.version)
    order = _order(r)
    order_cancel(actor=SYSTEM, order=order, reason="诉求已改派", expected_version=order.version)
    r.refresh_from_db()
    assert r.assignee_team is None and r.status == Status.ASSIGNED
    assert Event.objects.filter(request=r, what="服务队退单", text__contains="诉求已改派").exists()


def _requests_book() -> None:
    book = book_create(actor=SYSTEM, region_code=VILLAGE_A, title="西范村信用积分细则", effective_from=date(2026, 1, 1))
    rule_add(actor=SYSTEM, book=book, code="D1", title="反映民情诉求并经确认解决", category="requests", points=3)
    book_publish(actor=SYSTEM, book=book, expected_version=book.version)


def test_a_registered_resident_earns_points_once_when_the_request_is_confirmed_solved(
    make_user: Any, make_person: Any
) -> None:
    _requests_book()
    officer = make_user("town_officer", VILLAGE_A[:9])
    head = make_person(VILLAGE_A)
    household = holder_open(actor=SYSTEM, person=head)
    anonymous = file_request(VILLAGE_A, actor=officer, title="路灯不亮")
    registered = file_request(VILLAGE_A, actor=officer, raised_by_id=head.pk)
    for r in (anonymous, registered):
        r = request_assign(actor=officer, request=r, assignee_id=officer.pk, expected_version=r.version)
        r = request_close(actor=officer, request=r, note="已修复", expected_version=r.version)
        request_answer(token=r.token, solved=True, satisfaction=5)
    entry = Entry.objects.get()  # the anonymous reporter earns nothing: nobody to credit
    assert (entry.holder, entry.points, entry.key) == (household, 3, f"requests:{registered.pk}")
    assert registered.number in entry.evidence

    # a resident without an account gets one opened for the credit; no rule in force, no points
    other = make_person(VILLAGE_A)
    r = file_request(VILLAGE_A, actor=officer, raised_by_id=other.pk, title="垃圾未清运")
    r = request_assign(actor=officer, request=r, assignee_id=officer.pk, expected_version=r.version)
    r = request_close(actor=officer, request=r, note="已清运", expected_version=r.version)
    request_answer(token=r.token, solved=True)
    assert Holder.objects.get(person=other).kind == "person"
    assert Entry.objects.filter(key=f"requests:{r.pk}", points=3).count() == 1
    outside = make_person(VILLAGE_B)
    r = file_request(VILLAGE_B, actor=SYSTEM, raised_by_id=outside.pk)
    cadre_b = make_user("village_cadre", VILLAGE_B)
    r = request_assign(actor=SYSTEM, request=r, assignee_id=cadre_b.pk, expected_version=r.version)
    r = request_close(actor=SYSTEM, request=r, note="已办", expected_version=r.version)
    request_answer(token=r.token, solved=True)
    assert not Holder.objects.filter(person=outside).exists()  # VILLAGE_B has no rule book
