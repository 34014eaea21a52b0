"""Elections brought to a counted result for the results tests, through the services a village goes through: the
register (voters), the formal candidates (candidates), a central venue (polling), and one count sheet entered by two
clerks, settled against its signed paper and signed off by the town (counts), which counts the round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import count
from typing import Any

from conftest import VILLAGE_A, new_person, new_user
from cunshe.candidates.tests.factories import stand
from cunshe.core.actors import SYSTEM
from cunshe.counts.services import scan_add, sheet_enter, sheet_sign_off
from cunshe.counts.tests.factories import PARTY, PNG, add_person, add_station
from cunshe.elections.models import Election, ElectionResult, Kind, ResultStatus, Status
from cunshe.elections.services import election_move
from cunshe.elections.tests.factories import open_election
from cunshe.people.models import Person
from cunshe.voters.models import Register
from cunshe.voters.selectors import registered_total
from cunshe.voters.tests.factories import register_of, voters_add

DAY = date(2026, 11, 15)  # a Sunday before "today" (the suite runs on the real date; team dates cannot be later)
_clerk = count()


def to_voting(election: Election) -> Election:
    """The stage moves up to 投票中 through elections.services (this helper does not set up the scrutineers
    polling_open asks for: the results tests are about what follows the count)."""
    day = election.election_day
    steps: list[tuple[str, date]] = []
    if election.is_direct:
        steps.append((Status.REGISTER_PUBLISHED, day - timedelta(days=25)))
    steps += [(Status.CANDIDATES_PUBLISHED, day - timedelta(days=7)), (Status.VOTING, day)]
    for status, on in steps:
        if status in election.moves:
            election_move(actor=SYSTEM, election=election, to_status=status, on=on, expected_version=election.version)
    return election


def counted(
    election: Election,
    elected: Sequence[tuple[Person, str, int]],
    *,
    status: str = ResultStatus.ELECTED,
    registered: int = 100,
    returned: int | None = None,
) -> ElectionResult:
    """Count `election` so that the tally gives `status` with `elected` (person, post, votes) among the elected.
    For 选举有效 every other seat goes to a villager of its own well over half (a woman among the committee's
    members: the woman's seat); for 另行选举 the other seats stay empty; 重新选举 takes a turnout of exactly half.
    Each post has the fewest candidates its 差额 allows; `registered` voters (a meeting: members due) and
    `returned` ballots (a meeting: those present, over the 4/5 quorum unless given)."""
    village, meeting = election.region_id, not election.is_direct
    if returned is None:
        returned = registered // 2 if status == ResultStatus.RERUN else (90 if meeting else 80)
    seats = {p.post: p.seats for p in election.posts.all()}
    named: dict[str, list[Person]] = {post: [p for p, post_, _ in elected if post_ == post] for post in seats}
    votes = {p.pk: v for p, _, v in elected}
    winners = []
    if status == ResultStatus.ELECTED:
        for post, n in seats.items():
            for k in range(n - len(named[post])):
                woman = post.endswith("member") and k == 0 and not meeting
                person = add_person(village, "F" if woman else "M", **(PARTY if election.kind == Kind.PARTY else {}))
                named[post].append(person)
                votes[person.pk] = returned // 2 + n - k  # over half, each a different figure
                winners.append(person)
    slate = stand(election, named, **(PARTY if election.kind == Kind.PARTY else {}))
    if meeting:
        station = None
    else:
        if not Register.objects.filter(election=election).exists():  # the villagers first: one build lists them
            for _ in range(registered - Person.objects.filter(region_id=village).count()):
                new_person(village)
        register_of(election)
        voters_add(election, registered - registered_total(election))
        station = add_station(election, "中心会场", kind="central")
    to_voting(election)
    invalid = 2 if returned > 2 else 0  # a handful of spoilt ballots where there are enough ballots
    data: dict[str, Any] = {
        "issued": returned, "returned": returned, "valid": returned - invalid, "invalid": invalid, "void": {},
        "votes": {
            str(c.pk): votes.get(c.person_id, n if returned >= 20 else 0) for cs in slate.values() for n, c in enumerate(reversed(cs), 1)
        },
        "write_ins": [],
    }  # fmt: skip
    if meeting:
        absent = [{"name": f"党员{n}", "reason": "外出务工"} for n in range(registered - returned)]
        data.update(due=registered, present=returned, absent=absent)
    first, second = (new_user("village_cadre", village, name=f"计票员{next(_clerk)}") for _ in (1, 2))
    sheet_enter(actor=first, election=election, station=station, data=data)
    sheet = sheet_enter(actor=second, election=election, station=station, data=data)
    scan_add(actor=first, sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    sheet_sign_off(actor=new_user("town_officer", village[:9]), sheet=sheet, expected_version=sheet.version)
    election.refresh_from_db()
    result = election.result
    assert result.status == status, result.outcome
    return result


def villagers(village: str = VILLAGE_A, day: date = DAY, **kw: Any) -> Election:
    return open_election(village=village, day=day, **kw)
