"""Building elections through the real services, for this module's tests and for the modules that build on it
(voters, candidates, polling, counts, assemblies)."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import COUNTY, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Kind
from cunshe.elections.services import election_open
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_open

ELECTION_DAY = date(2026, 12, 20)  # a Sunday; the register is due by 2026-11-30, the candidates by 2026-12-15
SEATS: dict[str, dict[str, int]] = {
    Kind.VILLAGERS: {"director": 1, "deputy_director": 1, "committee_member": 3},
    Kind.RESIDENTS: {"director": 1, "deputy_director": 1, "committee_member": 3},
    Kind.SUPERVISION: {"supervision_chair": 1, "supervision_member": 2},
    Kind.PARTY: {"party_member": 5},
}


def term_change_for(county: str = COUNTY) -> TermChange:
    return current_term_change(county) or term_change_open(
        actor=SYSTEM, county_code=county, year=2026, opened_on=date(2026, 9, 1)
    )


def open_election(
    *,
    actor: Any = SYSTEM,
    village: str = VILLAGE_A,
    kind: str = Kind.VILLAGERS,
    day: date = ELECTION_DAY,
    seats: dict[str, int] | None = None,
) -> Election:
    """An election of `kind` in `village` (its county's term change opened if needed)."""
    term_change_for(village[:6])
    return election_open(actor=actor, village_code=village, kind=kind, election_day=day, seats=seats or SEATS[kind])
