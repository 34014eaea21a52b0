"""Elections brought to a counted result for the results tests.

The counts app writes ElectionResult/ElectedMember through its own services (count sheets → tally); it is built in
parallel, so these tests write the rows with the ORM in `counted(...)`. At merge the lead switches this helper to
the counts services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from conftest import VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import ElectedMember, Election, ElectionResult, Kind, ResultStatus, Status
from cunshe.elections.services import election_move
from cunshe.elections.tests.factories import open_election
from cunshe.people.models import Person

DAY = date(2026, 11, 15)  # a Sunday before "today" (the suite runs on the real date; team dates cannot be later)


def to_counted(election: Election) -> Election:
    day = election.election_day
    steps: list[tuple[str, date]] = []
    if election.is_direct:
        steps.append((Status.REGISTER_PUBLISHED, day - timedelta(days=25)))
    steps += [(Status.CANDIDATES_PUBLISHED, day - timedelta(days=7)), (Status.VOTING, day), (Status.COUNTED, day)]
    for status, on in steps:
        if election.status == Status.COUNTED:
            break
        if status in election.moves:
            election_move(actor=SYSTEM, election=election, to_status=status, on=on, expected_version=election.version)
    return election


def counted(
    election: Election,
    elected: Sequence[tuple[Person, str, int]],
    *,
    status: str = ResultStatus.ELECTED,
    registered: int = 100,
    returned: int = 80,
) -> ElectionResult:
    """An ElectionResult and its ElectedMember rows as the counts app would write them (see the module note)."""
    to_counted(election)
    result = ElectionResult.objects.create(
        election=election,
        status=status,
        valid=status != ResultStatus.RERUN,
        registered=registered,
        issued=returned,
        returned=returned,
        invalid=2,
        count={"registered": registered, "issued": returned, "returned": returned, "invalid": 2},
        outcome={"lines": [{"text": "参加投票人数超过登记选民半数，选举有效（《村民委员会组织法》）"}]},
        counted_at=timezone.now(),
    )
    for n, (person, post, votes) in enumerate(elected, start=1):
        ElectedMember.objects.create(result=result, post=post, person=person, votes=votes, position=n)
    return result


def villagers(village: str = VILLAGE_A, day: date = DAY, **kw: Any) -> Election:
    return open_election(village=village, day=day, **kw)


KIND = Kind
