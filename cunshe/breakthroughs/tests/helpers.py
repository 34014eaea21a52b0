"""A village with a party secretary in office (through the teams services), so that a project has its secretary."""

from __future__ import annotations

from datetime import date
from typing import Any

from cunshe.core.actors import SYSTEM
from cunshe.teams.models import Committee, Post, TeamMember
from cunshe.teams.services import member_appoint
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.services import term_change_open


def with_secretary(village: str, make_person: Any, *, since: date) -> TeamMember:
    """The village's secretary in office since `since`, in the county's term change (opened when there is none)."""
    if not TermChange.objects.filter(county_id=village[:6]).exists():
        term_change_open(actor=SYSTEM, county_code=village[:6], year=2026, opened_on=date(2026, 9, 1))
    person = make_person(village, is_party_member=True, party_joined_on=date(2000, 7, 1))
    return member_appoint(
        actor=SYSTEM,
        village_code=village,
        person=person,
        committee=Committee.PARTY,
        post=Post.SECRETARY,
        started_on=since,
    )
