"""Elections ready to be counted, for the count's tests and access rules: the election through the elections
services, its register, formal candidates and stations through the voters, candidates and polling services."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import COUNTY, VILLAGE_A, new_person
from cunshe.candidates.tests.factories import stand
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Kind, Status
from cunshe.elections.services import election_move
from cunshe.elections.tests.factories import ELECTION_DAY, open_election
from cunshe.people import id_numbers
from cunshe.people.models import Kinship
from cunshe.people.services import relation_add
from cunshe.polling.models import Station, StationKind
from cunshe.polling.services import proxy_add, station_add
from cunshe.voters.models import Voter
from cunshe.voters.tests.factories import register_of, voters_add

SEATS = {"director": 1, "committee_member": 2}
PARTY = {"is_party_member": True, "party_joined_on": date(2000, 7, 1)}


def add_station(election: Election, name: str, kind: str = StationKind.SUB, booths: int = 2) -> Station:
    return station_add(actor=SYSTEM, election=election, kind=kind, name=name, place=name, booths=booths)


_women = iter(range(2, 1000, 2))
_men = iter(range(1, 1000, 2))
_sequence = iter(range(10**6))


def add_person(village: str, gender: str = "M", **fields: Any) -> Any:
    """A villager of the given gender (the 17th digit of the ID number says it: odd for men, even for women)."""
    born = date(1975, 3, 1 + next(_sequence) % 28)
    seq = next(_women if gender == "F" else _men)
    return new_person(village, gender=gender, birth_date=born, id_number=id_numbers.make(COUNTY, born, seq), **fields)


def _move(election: Election, steps: tuple[tuple[str, date], ...]) -> Election:
    """The stage moves through elections.services. Not through register_publish/candidates_publish/polling_open:
    those refuse a day after today, and these elections' day (2026-12-20) lies after the suite's today."""
    for status, on in steps:
        election.refresh_from_db()
        election_move(actor=SYSTEM, election=election, to_status=status, on=on, expected_version=election.version)
    election.refresh_from_db()
    return election


def voting_election(
    *,
    village: str = VILLAGE_A,
    kind: str = Kind.VILLAGERS,
    stations: int = 2,
    voters: int = 10,
    seats: dict[str, int] | None = None,
    day: date = ELECTION_DAY,
    proxies: int = 0,
) -> dict[str, Any]:
    """A direct election in VOTING with `voters` registered, its stations, and candidates: director 2 (a man, a
    woman), committee member 3 (one woman). Returns the election and its candidates by short name."""
    seats = seats or SEATS
    election = open_election(village=village, kind=kind, seats=seats, day=day)
    register_of(election)  # built while nobody lives there yet: it holds exactly the voters added below
    v = election.region_id
    slate = stand(
        election,
        {
            "director": [add_person(v), add_person(v, "F")],
            "committee_member": [add_person(v), add_person(v), add_person(v, "F")],
        },
    )
    cands = dict(zip(("d1", "d2"), slate["director"], strict=False))
    cands.update(zip(("m1", "m2", "m3"), slate["committee_member"], strict=False))
    voters_add(election, voters)
    boxes = [add_station(election, f"第{n}投票站") for n in range(1, stations + 1)]
    _move(
        election,
        (
            (Status.REGISTER_PUBLISHED, date.fromordinal(day.toordinal() - 25)),
            (Status.CANDIDATES_PUBLISHED, date.fromordinal(day.toordinal() - 10)),
        ),
    )
    _proxies(election, proxies)
    election = _move(election, ((Status.VOTING, day),))
    return {"election": election, "stations": boxes, **cands}


def _proxies(election: Election, n: int) -> None:
    """`n` written proxies between pairs of registered siblings, approved three days before election day."""
    voters = list(Voter.objects.filter(register__election=election).select_related("person", "register"))
    day = election.election_day
    for principal, trustee in list(zip(voters[0::2], voters[1::2], strict=False))[:n]:
        relation_add(actor=SYSTEM, person=principal.person, relative=trustee.person, kinship=Kinship.SIBLING)
        proxy_add(
            actor=SYSTEM, election=election, principal=principal, trustee=trustee,
            written_on=date.fromordinal(day.toordinal() - 5), approved_on=date.fromordinal(day.toordinal() - 3),
        )  # fmt: skip


def meeting_election(*, village: str = VILLAGE_A, day: date = ELECTION_DAY) -> dict[str, Any]:
    """A party election (members' meeting) in VOTING with 5 seats and 6 candidates."""
    election = open_election(village=village, kind=Kind.PARTY, day=day)
    members = [add_person(village, "F" if n == 1 else "M", **PARTY) for n in range(1, 7)]
    slate = stand(election, {"party_member": members}, **PARTY)
    cands = {f"p{n}": c for n, c in enumerate(slate["party_member"], start=1)}
    election = _move(
        election, ((Status.CANDIDATES_PUBLISHED, date.fromordinal(day.toordinal() - 10)), (Status.VOTING, day))
    )
    return {"election": election, **cands}


def sheet_data(
    c: dict[str, Any], *, issued: int = 5, returned: int = 5, invalid: int = 0, **votes: int
) -> dict[str, Any]:
    """A box's paper sheet: every ballot valid unless `invalid`; votes by short candidate name."""
    return {
        "issued": issued,
        "returned": returned,
        "valid": returned - invalid,
        "invalid": invalid,
        "void": {},
        "votes": {str(c[k].pk): v for k, v in votes.items()},
        "write_ins": [],
    }


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
