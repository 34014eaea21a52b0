"""Polling in the demo county (story in ELECTIONS.md): every election that exists gets its central venue with staff
and scrutineers; the direct elections a sub-station and a mobile box with the voters it serves, and a few proxies,
both lists published before election day. Elections whose day has come (黛溪街道's in November, 黄山街道's party
elections on 11-22 and its villagers' committees today, the day the demo is built) are opened on their day once
their candidates are published; 黄山街道's supervision committees vote tomorrow. Everything goes through polling's services with the SYSTEM actor; safe to run twice."""

from __future__ import annotations

import contextlib
import random
from datetime import timedelta

from cunshe.candidates.models import Candidate, CandidateStatus
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.elections.demo import story_today
from cunshe.elections.models import Election, Status
from cunshe.people.models import Person
from cunshe.people.selectors import close_relatives
from cunshe.people.services import relation_add
from cunshe.polling.models import ListKind
from cunshe.polling.services import list_publish, mobile_voter_add, polling_open, proxy_add, staff_add, station_add
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.voters.models import Voter

MOBILE_REASONS = ("年老体弱，行动不便", "因病卧床", "残疾，不能到场")
LISTS_PUBLISHED_DAYS_BEFORE = 3  # the last date of the arrangements: the mobile box's and the proxies' lists
ARRANGED = (Status.PREPARING, Status.REGISTER_PUBLISHED, Status.CANDIDATES_PUBLISHED)  # before polling opens


def _free_people(election: Election) -> list[Person]:
    """People of the village who are neither formal candidates nor their close relatives."""
    candidates = set(
        Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL).values_list("person_id", flat=True)
    )
    people = list(Person.objects.filter(region=election.region).order_by("pk"))
    relatives = close_relatives([p.pk for p in people])
    return [p for p in people if p.pk not in candidates and not (relatives[p.pk] & candidates)]


def _scrutineers(people: list[Person], groups: dict[int, str], rng: random.Random) -> list[Person]:
    """Three scrutineers, not all from one group where groups are known."""
    chosen = rng.sample(people, 3)
    known = {groups.get(p.pk) for p in chosen}
    if len(known) == 1 and None not in known:
        others = [p for p in people if groups.get(p.pk) not in known]
        if others:
            chosen[2] = rng.choice(others)
    return chosen


def _arrange(election: Election, rng: random.Random) -> None:
    people = _free_people(election)
    if len(people) < (18 if election.is_direct else 6) + 2:  # six at each station, and some to spare
        return
    voters = list(Voter.objects.filter(register__election=election, removed_on__isnull=True).select_related("person"))
    groups = {v.person_id: v.group for v in voters if v.group}
    rng.shuffle(people)
    stations = [
        station_add(actor=SYSTEM, election=election, kind="central", name="中心会场", place="村委会大院", booths=3)
    ]
    if election.is_direct:
        stations.append(
            station_add(actor=SYSTEM, election=election, kind="sub", name="东片投票站", place="东片文化广场")
        )
        stations.append(station_add(actor=SYSTEM, election=election, kind="mobile", name="流动票箱"))
    pool = list(people)
    for station in stations:
        for role in ("issuer", "caller", "counter"):
            staff_add(actor=SYSTEM, station=station, person=pool.pop(), role=role)
        for person in _scrutineers(pool, groups, rng):
            pool.remove(person)
            staff_add(actor=SYSTEM, station=station, person=person, role="scrutineer")
    if not election.is_direct or not voters:
        return
    published = election.election_day - timedelta(days=LISTS_PUBLISHED_DAYS_BEFORE)
    for voter in rng.sample(voters, min(3, len(voters))):
        mobile_voter_add(actor=SYSTEM, station=stations[-1], voter=voter, reason=rng.choice(MOBILE_REASONS))
    list_publish(actor=SYSTEM, election=election, what=ListKind.MOBILE, on=published)
    _proxies(election, voters, rng)
    list_publish(actor=SYSTEM, election=election, what=ListKind.PROXY, on=published)


def _proxies(election: Election, voters: list[Voter], rng: random.Random) -> None:
    """Two villagers working away ask a close relative on the register to vote for them."""
    candidates = set(
        Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL).values_list("person_id", flat=True)
    )
    pool = [v for v in voters if v.person_id not in candidates]
    rng.shuffle(pool)
    for principal, trustee in ((pool[0], pool[1]), (pool[2], pool[3])) if len(pool) >= 4 else ():
        with contextlib.suppress(DomainError):  # already recorded as close relatives: nothing to add
            relation_add(actor=SYSTEM, person=trustee.person, relative=principal.person, kinship="sibling")
        day = election.election_day
        proxy_add(
            actor=SYSTEM,
            election=election,
            principal=principal,
            trustee=trustee,
            written_on=day - timedelta(days=8),
            approved_on=day - timedelta(days=6),
        )


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 40)
    today = story_today()
    elections = Election.objects.filter(region_id__startswith=DEMO_COUNTY).select_related("region", "rules")
    for election in elections.order_by("election_day", "region_id", "pk"):
        # Arranged when everything the arrangements date has come by today: not the further round and the rerun set
        # a week on (opened by the count and the results after this demo; a second run must not arrange them ahead).
        due = election.election_day - timedelta(days=LISTS_PUBLISHED_DAYS_BEFORE) <= today
        if due and election.status in ARRANGED and not election.stations.exists():
            _arrange(election, rng)
        if election.status == Status.CANDIDATES_PUBLISHED and election.election_day <= today:
            try:
                polling_open(
                    actor=SYSTEM, election=election, on=election.election_day, expected_version=election.version
                )
            except DomainError:
                continue  # a village whose arrangements are incomplete stays where it is; its page says why
