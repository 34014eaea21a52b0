"""Local test helpers for polling's tests and access rules.

The voters and candidates apps are built in parallel: on this branch their tables exist (skeleton models) but not
their services, so these two helpers create Register/Voter and Candidate rows with the ORM ONLY for those skeleton
rows. The lead switches them to voters.services / candidates.services at merge. Everything of polling's own is built
through polling.services."""

from __future__ import annotations

from datetime import date

from cunshe.candidates.models import Candidate
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Status
from cunshe.elections.services import election_move
from cunshe.people.models import Person
from cunshe.voters.models import Register, Voter


def voter_add(election: Election, person: Person, group: str = "第一村民小组") -> Voter:
    register, _ = Register.objects.get_or_create(election=election, defaults={"built_on": date(2026, 11, 1)})
    return Voter.objects.create(register=register, person=person, group=group)


def candidate_add(election: Election, person: Person, post: str, position: int) -> Candidate:
    return Candidate.objects.create(election=election, post=post, person=person, rank=position, position=position)


def publish_candidates(election: Election) -> Election:
    """Move the election (through elections.services) to 正式候选人已公布, ready for election day."""
    for status, on in (
        (Status.REGISTER_PUBLISHED, date(2026, 11, 25)),
        (Status.CANDIDATES_PUBLISHED, date(2026, 12, 10)),
    ):
        election = election_move(
            actor=SYSTEM, election=election, to_status=status, on=on, expected_version=election.version
        )
    return election
