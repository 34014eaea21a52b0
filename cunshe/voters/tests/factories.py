"""Voters on an election's register through the real voters services, for this module's tests and the modules that
build on the register (polling, the count, the results)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from conftest import new_person
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Status
from cunshe.people.models import Person
from cunshe.voters.models import ChangeKind, ChangeReason, Register, Route, Voter
from cunshe.voters.services import register_amend, register_build, voter_add, voter_update


def built_on(election: Election) -> date:
    """A day the register may be built and edited on: a month before election day, never after today."""
    return min(election.election_day - timedelta(days=30), timezone.localdate())


def register_of(election: Election) -> Register:
    """The election's register, built from the people registry (every adult of the village then) if not yet."""
    found = Register.objects.filter(election=election).first()
    return found or register_build(actor=SYSTEM, election=election, on=built_on(election)).register


def registered(election: Election, person: Person, group: str | None = None) -> Voter:
    """`person` on the register, in `group` (None: as they are). Building the register lists everyone of the
    village already; such a voter is put in `group` by an edit, as a clerk would."""
    register = register_of(election)
    voter = register.voters.filter(person=person, removed_on__isnull=True).first()
    if voter is None and election.status != Status.PREPARING:  # published: only by a recorded decision
        return register_amend(
            actor=SYSTEM, register=register, person=person, kind=ChangeKind.ADD, reason=ChangeReason.DECISION,
            decision_ref="选委会决定〔2026〕1号", group=group or "", route=Route.RESIDENT,
            on=max(election.register_published_on or built_on(election), built_on(election)),
        )  # fmt: skip
    if voter is None:
        return voter_add(actor=SYSTEM, register=register, person=person, group=group or "", on=built_on(election))
    if group is None or voter.group == group:
        return voter
    return voter_update(
        actor=SYSTEM, voter=voter, group=group, route=voter.route, consent=voter.consent, expected_version=voter.version
    )


def voters_add(election: Election, n: int, group: str = "") -> list[Voter]:
    """`n` new villagers on the register (built first, so that only they and who lived there before are on it)."""
    register_of(election)
    return [registered(election, new_person(election.region_id), group) for _ in range(n)]
