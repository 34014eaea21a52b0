"""The demo county's elections, as far as its story has come by today (docs/elections.md, "The demo").

The story's today is the day the demo is built (story_today: 2026-12-05 at the earliest). 黛溪街道 voted in November:
party organizations on 11-08, villagers' committees on 11-15, supervision committees on 11-16, in its first six demo
villages. 黄山街道 elected its party organizations on 11-22 and votes for its villagers' committees today; its
supervision committees follow tomorrow. The other towns are still preparing. This module opens the elections and
their election committees; the register, the candidates, polling, the count and the result are added by their own
modules' demos, each only as far as the story has come."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.demo.county import GIVEN, SURNAMES
from cunshe.elections.models import CommitteeRole, Election, Kind, Round
from cunshe.elections.services import committee_member_add, election_open
from cunshe.people import id_numbers
from cunshe.people.models import Person
from cunshe.people.services import person_create
from cunshe.regions.models import Level, Region
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.termchanges.models import Status as TermChangeStatus
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_advance

# The demo story (docs/elections.md, "The demo"), defined here once and read by every election app's demo.
FIRST_DAY = date(2026, 12, 5)  # the story's earliest today: 黄山街道's November (party 11-22, candidates) is over
TOWN_A, TOWN_B = "371681001", "371681002"  # 黛溪街道 (voted in November), 黄山街道 (votes today)
# Of 黛溪街道's villages whose villagers' committees voted on 11-15 (in code order): the second leaves a member seat
# for 另行选举, the third is invalid (turnout not over half), confirmed void and rerun.
FURTHER_ROUND_PLACE, INVALID_PLACE = 1, 2
# The further round and the rerun are set a week after today's vote (12-13 for a vote on 12-05): still being
# prepared, their candidates due (5 days before) after today.
FURTHER_ROUND_AFTER = timedelta(days=8)
VILLAGES_PER_TOWN = 6
PEOPLE_PER_VILLAGE = 90  # adults in the registry of each village that votes in the story

_held: ContextVar[date | None] = ContextVar("demo_story_today", default=None)


def story_today() -> date:
    """The story's today: the day 黄山街道's villagers' committees vote. The day the demo is built (Asia/Shanghai),
    2026-12-05 at the earliest; once this module has opened those elections, their day, so that every module built
    after it, and a later run over the same database (`run.py demo` again), read the day the election was given.
    Inside one_story_day() (the whole build, cunshe.demo.county), the day it held."""
    held = _held.get()
    if held is not None:
        return held
    opened = (
        Election.objects.filter(region__parent_id=TOWN_B, kind=Kind.VILLAGERS, round=Round.MAIN)
        .order_by("election_day")
        .values_list("election_day", flat=True)
        .first()
    )
    return opened or max(timezone.localdate(), FIRST_DAY)


@contextmanager
def one_story_day() -> Iterator[date]:
    """One story day for a whole build: modules built before the elections (handovers) read the clock too, and a
    build that crossed midnight would otherwise tell two days."""
    token = _held.set(story_today())
    try:
        yield story_today()
    finally:
        _held.reset(token)


def further_round_day(today: date) -> date:
    """The day set for 黛溪街道's further round and rerun when the story's today is `today`."""
    return today + FURTHER_ROUND_AFTER


def plan(today: date) -> list[tuple[str, str, date, dict[str, int]]]:
    """(town, kind, election day, seats): 黛溪街道's November, 黄山街道's party organizations on 11-22, its villagers'
    committees `today` and its supervision committees the day after."""
    villagers = {"director": 1, "deputy_director": 1, "committee_member": 3}
    supervision = {"supervision_chair": 1, "supervision_member": 2}
    return [
        (TOWN_A, Kind.PARTY, date(2026, 11, 8), {"party_member": 5}),
        (TOWN_A, Kind.VILLAGERS, date(2026, 11, 15), villagers),
        (TOWN_A, Kind.SUPERVISION, date(2026, 11, 16), supervision),
        (TOWN_B, Kind.PARTY, date(2026, 11, 22), {"party_member": 5}),
        (TOWN_B, Kind.VILLAGERS, today, villagers),
        (TOWN_B, Kind.SUPERVISION, today + timedelta(days=1), supervision),
    ]


# The villagers' (representatives') meeting chooses the election committee some weeks before the vote.
COMMITTEE_LEAD_DAYS = 35


def story_village(codes: list[str], place: int) -> str:
    """The village at `place` (FURTHER_ROUND_PLACE, INVALID_PLACE) among `codes` in code order, or "" if fewer."""
    ordered = sorted(codes)
    return ordered[place] if len(ordered) > place else ""


def demo_villages(town: str) -> list[Region]:
    return list(Region.objects.filter(parent_id=town, level=Level.VILLAGE).order_by("code")[:VILLAGES_PER_TOWN])


def _fill_village(village: Region, rng: random.Random, existing: set[str]) -> None:
    """Bring the village's registry to a realistic size for an election (the county demo has 12 people each)."""
    have = Person.objects.filter(region=village).count()
    for n in range(have, PEOPLE_PER_VILLAGE):
        born = date(1946, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
        party = rng.random() < 0.3
        joined = min(born + timedelta(days=rng.randrange(19 * 366, 40 * 365)), date(2026, 6, 1))
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        sequence = (int(village.code[-3:]) * 7 + n) % 1000
        number = id_numbers.make(DEMO_COUNTY, born, sequence)
        if number in existing:
            continue
        person_create(
            actor=SYSTEM,
            region_code=village.code,
            id_number=number,
            name=name,
            birth_date=born,
            is_party_member=party,
            party_joined_on=joined if party else None,
            phone=f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
        )
        existing.add(number)


def _committee(election: Election, rng: random.Random) -> None:
    """Seven chosen by the meeting: a chair, four members and two alternates, in the order of their votes."""
    people = list(Person.objects.filter(region=election.region).order_by("pk"))
    chosen = rng.sample(people, 7)
    on = election.election_day - timedelta(days=COMMITTEE_LEAD_DAYS)
    roles = [CommitteeRole.CHAIR, *[CommitteeRole.MEMBER] * 4, CommitteeRole.ALTERNATE, CommitteeRole.ALTERNATE]
    for person, role in zip(chosen, roles, strict=True):
        committee_member_add(
            actor=SYSTEM, election=election, person=person, role=role, chosen_by="村民代表会议推选", chosen_on=on
        )


def build_demo(*, seed: int) -> None:
    term_change = current_term_change(DEMO_COUNTY)
    if term_change is None or Election.objects.filter(term_change=term_change).exists():
        return
    rng = random.Random(seed + 10)
    existing = set(Person.objects.values_list("id_number", flat=True))
    for town in (TOWN_A, TOWN_B):
        for village in demo_villages(town):
            _fill_village(village, rng, existing)
    if term_change.status == TermChangeStatus.PREPARING:
        # The first elections of the county were held in November: the term change is in its election stage.
        term_change_advance(
            actor=SYSTEM,
            term_change=term_change,
            to_status=TermChangeStatus.ELECTING,
            expected_version=term_change.version,
        )
    for town, kind, day, seats in plan(story_today()):
        for village in demo_villages(town):
            election = election_open(actor=SYSTEM, village_code=village.code, kind=kind, election_day=day, seats=seats)
            if kind == Kind.VILLAGERS:
                _committee(election, rng)
