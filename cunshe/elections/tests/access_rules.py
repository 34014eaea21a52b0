from datetime import date
from typing import Any

from conftest import COUNTY, OTHER_COUNTY, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, pk
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import CommitteeMember, Election, ElectionRules, Kind, Status
from cunshe.elections.services import committee_member_add, election_move
from cunshe.elections.tally_api import EXAMPLE
from cunshe.elections.tests.factories import ELECTION_DAY, open_election
from cunshe.regions.models import Region


def setup(world: World, make_person: Any, **_: Any) -> None:
    a = open_election(village=VILLAGE_A)
    b = open_election(village=VILLAGE_B)
    chosen: dict[str, Any] = {"role": "member", "chosen_by": "村民代表会议推选", "chosen_on": date(2026, 11, 1)}
    world.extra["election_a"], world.extra["election_b"] = a, b
    world.extra["member_a"] = committee_member_add(actor=SYSTEM, election=a, person=make_person(VILLAGE_A), **chosen)
    world.extra["member_b"] = committee_member_add(actor=SYSTEM, election=b, person=make_person(VILLAGE_B), **chosen)
    # a supervision election of village A confirmed void, so that a rerun may be opened
    void = open_election(village=VILLAGE_A, kind=Kind.SUPERVISION)
    for status, on in (
        (Status.CANDIDATES_PUBLISHED, date(2026, 12, 10)),
        (Status.VOTING, ELECTION_DAY),
        (Status.COUNTED, ELECTION_DAY),
        (Status.VOID, ELECTION_DAY),
    ):
        election_move(actor=SYSTEM, election=void, to_status=status, on=on, expected_version=void.version)
    world.extra["election_void_a"] = void
    world.extra["village_a_name"] = Region.objects.get(code=VILLAGE_A).name
    world.extra["village_b_name"] = Region.objects.get(code=VILLAGE_B).name


def _b_unchanged(w: World) -> bool:
    b = Election.objects.get(pk=w.extra["election_b"].pk)
    members = CommitteeMember.objects.filter(election=b)
    return (
        b.status == Status.PREPARING
        and not Election.objects.filter(region_id=VILLAGE_B).exclude(pk=b.pk).exists()
        and members.count() == 1
        and members.get().withdrawn_on is None
    )


def _names(which: str) -> Any:
    return lambda w: w.extra[f"village_{which}_name"]


SEATS = {"seats_party_member": "5"}
OPEN_A = {"village": VILLAGE_A, "kind": "party", "election_day": "2026-12-20", **SEATS}
OPEN_B = {"village": VILLAGE_B, "kind": "party", "election_day": "2026-12-20", **SEATS}
CORRECT = {"to_status": "preparing", "on": "2026-12-05", "reason": "更正", "version": 1}


def _member_body(key: str) -> Any:
    return lambda w: {
        "person": w.person_a.pk if key == "a" else w.person_b.pk,
        "role": "alternate",
        "chosen_by": "村民代表会议推选",
        "chosen_on": "2026-11-02",
    }


def _withdraw(key: str) -> Any:
    return lambda w: {"reason": "身体原因", "on": "2026-12-01", "version": w.extra[f"member_{key}"].version}


WEB_RULES = {
    "elections:list": Rule("scoped", marker_a=_names("a"), marker_b=_names("b")),
    "elections:new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: OPEN_A,
        body_b=lambda w: OPEN_B,
        refused_status=200,  # the form offers only the officer's villages: B is an invalid choice
        b_unchanged=_b_unchanged,
    ),
    "elections:rules": Rule("signed_in"),
    "elections:detail": Rule("scoped", a=pk("election_a"), b=pk("election_b")),
    "elections:correct": Rule(
        "scoped",
        method="POST",
        a=pk("election_a"),
        b=pk("election_b"),
        body_a=lambda w: CORRECT,
        body_b=lambda w: CORRECT,
        b_unchanged=_b_unchanged,
    ),
    "elections:round_new": Rule("scoped", a=pk("election_void_a"), b=pk("election_b")),
    "elections:committee_add": Rule(
        "scoped",
        method="POST",
        a=pk("election_a"),
        b=pk("election_b"),
        body_a=_member_body("a"),
        body_b=_member_body("b"),
        b_unchanged=_b_unchanged,
    ),
    "elections:committee_withdraw": Rule(
        "scoped",
        method="POST",
        a=pk("member_a"),
        b=pk("member_b"),
        body_a=_withdraw("a"),
        body_b=_withdraw("b"),
        b_unchanged=_b_unchanged,
    ),
}

API_OPEN_A = {"village": VILLAGE_A, "kind": "party", "election_day": "2026-12-20", "seats": {"party_member": 5}}
API_OPEN_B = {**API_OPEN_A, "village": VILLAGE_B}
RULES_BODY = {"kind": "villagers", "effective_from": "2026-10-01", "name": "细则", "source": "文件", "values": {}}

API_RULES = {
    "GET /api/v1/elections": Rule("scoped", marker_a=_names("a"), marker_b=_names("b")),
    "POST /api/v1/elections": Rule(
        "scoped", method="POST", body_a=lambda w: API_OPEN_A, body_b=lambda w: API_OPEN_B, b_unchanged=_b_unchanged
    ),
    "GET /api/v1/elections/rules": Rule("signed_in"),
    "POST /api/v1/elections/rules": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {**RULES_BODY, "county": COUNTY},
        body_b=lambda w: {**RULES_BODY, "county": OTHER_COUNTY},
        b_unchanged=lambda w: not ElectionRules.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
    "GET /api/v1/elections/{election_id}": Rule(
        "scoped", a=pk("election_a", "election_id"), b=pk("election_b", "election_id")
    ),
    "POST /api/v1/elections/{election_id}/status": Rule(
        "scoped",
        method="POST",
        a=pk("election_a", "election_id"),
        b=pk("election_b", "election_id"),
        body_a=lambda w: {"to_status": "register_published", "on": "2026-11-30", "version": 1},
        body_b=lambda w: {"to_status": "register_published", "on": "2026-11-30", "version": 1},
        b_unchanged=_b_unchanged,
    ),
    "POST /api/v1/elections/{election_id}/rounds": Rule(
        "scoped",
        method="POST",
        a=pk("election_void_a", "election_id"),
        b=pk("election_b", "election_id"),
        body_a=lambda w: {"round": "rerun", "election_day": "2027-01-10"},
        body_b=lambda w: {"round": "rerun", "election_day": "2027-01-10"},
        b_unchanged=_b_unchanged,
    ),
    "POST /api/v1/elections/{election_id}/committee": Rule(
        "scoped",
        method="POST",
        a=pk("election_a", "election_id"),
        b=pk("election_b", "election_id"),
        body_a=lambda w: {
            "person_id": w.person_a.pk,
            "role": "alternate",
            "chosen_by": "推选",
            "chosen_on": "2026-11-02",
        },
        body_b=lambda w: {
            "person_id": w.person_b.pk,
            "role": "alternate",
            "chosen_by": "推选",
            "chosen_on": "2026-11-02",
        },
        b_unchanged=_b_unchanged,
    ),
    "POST /api/v1/elections/committee/{member_id}/withdraw": Rule(
        "scoped",
        method="POST",
        a=pk("member_a", "member_id"),
        b=pk("member_b", "member_id"),
        body_a=_withdraw("a"),
        body_b=_withdraw("b"),
        b_unchanged=_b_unchanged,
    ),
    # Stateless: counts the sheet it is sent and saves nothing, so any signed-in user may use it.
    "POST /api/v1/elections/tally-check": Rule("signed_in", method="POST", body_a=lambda w: EXAMPLE),
}
