"""Where party work meets the resident requests app (built apart, app `requests`, with an optional `raised_by`
person and a 流动党员 channel): floating members' requests go through that pipeline, never a second one here.

The lead wires it at merge in the requests app's AppConfig.ready():

    from cunshe.partywork.hooks import set_floating_requests_source
    set_floating_requests_source(lambda person_ids: (raised, solved) counted over those persons' requests)
    set_floating_requests_per_person(lambda person_ids: {person id: (raised, solved)})  # the groups' list

Until then the counts read "not connected" (None), never a made-up zero."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

# (raised, solved) of the requests raised by these persons (a queryset of Person ids, never evaluated here)
FloatingRequestsSource = Callable[[QuerySet[Any]], tuple[int, int]]
_source: FloatingRequestsSource | None = None
# person id -> (raised, solved), for the persons among these who raised any: one query for a page of groups
FloatingRequestsPerPerson = Callable[[QuerySet[Any]], dict[int, tuple[int, int]]]
_per_person: FloatingRequestsPerPerson | None = None


def set_floating_requests_source(source: FloatingRequestsSource | None) -> None:
    global _source
    _source = source


def set_floating_requests_per_person(source: FloatingRequestsPerPerson | None) -> None:
    global _per_person
    _per_person = source


def requests_per_person(person_ids: QuerySet[Any]) -> dict[int, tuple[int, int]] | None:
    """(raised, solved) per person of these, None while not wired."""
    return None if _per_person is None else _per_person(person_ids)


def floating_person_ids(region_code: str) -> QuerySet[Any]:
    """The persons registered as floating members (away now or once) of the villages under a region."""
    from cunshe.partywork.models import FloatingMember

    return FloatingMember.objects.filter(region__startswith=region_code).values("person_id")


def requests_raised_by_floating_members(region_code: str) -> tuple[int, int] | None:
    """Requests raised by floating members of this town (or county): (raised, solved), None while not wired."""
    return None if _source is None else _source(floating_person_ids(region_code))


def requests_raised_by_member(member_pk: int) -> tuple[int, int] | None:
    """Requests one floating member raised: (raised, solved), None while not wired."""
    from cunshe.partywork.models import FloatingMember

    return None if _source is None else _source(FloatingMember.objects.filter(pk=member_pk).values("person_id"))
