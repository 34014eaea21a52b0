"""Test set-up through the services: a county checklist, village cadres in office, a day's check."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cunshe.core.actors import SYSTEM
from cunshe.dailychecks.models import ITEM_KEYS, Checklist, DailyCheck
from cunshe.dailychecks.selectors import last_working_day
from cunshe.dailychecks.services import DEFAULT_GUIDANCE, ItemAnswer, check_submit, checklist_publish
from cunshe.people.models import Person
from cunshe.teams.models import Committee, Post
from cunshe.teams.services import member_appoint


def checklist(county: str, valid_from: date) -> Checklist:
    return checklist_publish(actor=SYSTEM, county_code=county, valid_from=valid_from, guidance=dict(DEFAULT_GUIDANCE))


def cadre(village: str, make_person: Any, *, since: date, name: str = "") -> Person:
    person = make_person(village, **({"name": name} if name else {}))
    member_appoint(
        actor=SYSTEM,
        village_code=village,
        person=person,
        committee=Committee.VILLAGERS,
        post=Post.COMMITTEE_MEMBER,
        started_on=since,
    )
    return person


def all_ok() -> list[ItemAnswer]:
    return [ItemAnswer(key, True) for key in ITEM_KEYS]


def with_problem(
    key: str = "environment", note: str = "村口垃圾点未清运", *, to_board: bool = False
) -> list[ItemAnswer]:
    return [ItemAnswer(k, k != key, note if k == key else "", to_board and k == key) for k in ITEM_KEYS]


def checked(
    village: str, person: Person, day: date, answers: list[ItemAnswer] | None = None, actor: Any = SYSTEM
) -> DailyCheck:
    return check_submit(actor=actor, village_code=village, person=person, day=day, answers=answers or all_ok())


def recent_workdays(today: date, n: int) -> list[date]:
    """The last `n` working days before `today`, oldest first."""
    days = [last_working_day(today)]
    while len(days) < n:
        days.append(last_working_day(days[-1]))
    return sorted(days)


def month_ago(today: date) -> date:
    return today - timedelta(days=40)
