"""Local test helpers for polling's tests and access rules: voters and candidates through the voters and candidates
services (their test factories), the stage moves through elections.services."""

from __future__ import annotations

from datetime import date

from cunshe.candidates.models import Candidate
from cunshe.candidates.tests.factories import stand
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Status
from cunshe.elections.services import election_move
from cunshe.people.models import Person
from cunshe.voters.models import Voter
from cunshe.voters.tests.factories import registered


def voter_add(election: Election, person: Person, group: str = "第一村民小组") -> Voter:
    return registered(election, person, group)


def candidates_add(election: Election, **by_post: list[Person]) -> dict[str, list[Candidate]]:
    """`by_post` formal candidates (in ballot order), each post filled up to its 差额 minimum."""
    return stand(election, by_post)


def publish_candidates(election: Election) -> Election:
    """Move the election (through elections.services) to 正式候选人已公布, ready for election day. Not through
    register_publish/candidates_publish: those refuse a publication day after today, and these tests' election
    day (2026-12-20) lies after the suite's today."""
    for status, on in (
        (Status.REGISTER_PUBLISHED, date(2026, 11, 25)),
        (Status.CANDIDATES_PUBLISHED, date(2026, 12, 10)),
    ):
        election = election_move(
            actor=SYSTEM, election=election, to_status=status, on=on, expected_version=election.version
        )
    return election
