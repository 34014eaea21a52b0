from datetime import date, timedelta
from typing import Any

from cunshe.access.tests.walk import Rule, World, pk
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Kind, ResultStatus, Status
from cunshe.handovers.models import Handover
from cunshe.results.models import PartyPostVote
from cunshe.results.services import party_post_elect, result_certify
from cunshe.results.tests.helpers import DAY, counted, villagers
from cunshe.teams.models import Committee, Post
from cunshe.teams.services import member_appoint

# villages of their own, so that other modules' setups (which use VILLAGE_A/VILLAGE_B) keep theirs
VILLAGES = {"a": ("371681001231", "371681001232"), "b": ("371681002218", "371681002219")}
PARTY_DAY = date(2026, 11, 8)


def _side(world: World, make_person: Any, side: str) -> None:
    first, second = VILLAGES[side]
    extra = world.extra
    # 1. a counted villagers' election (certify, pages, printouts); 2. an invalid one (void)
    election = villagers(first)
    counted(election, [(make_person(first), Post.DIRECTOR, 60)])
    extra[f"results_counted_{side}"] = election
    void = villagers(first, kind=Kind.SUPERVISION, seats={"supervision_chair": 1, "supervision_member": 2})
    counted(void, [], status=ResultStatus.RERUN)
    extra[f"results_void_{side}"] = void
    # 3. a certified party election without a secretary yet; 4. one with its secretary voted, awaiting approval
    party = []
    for village in (first, second):
        members = [make_person(village, is_party_member=True, party_joined_on=date(2000, 7, 1)) for _ in range(3)]
        e = villagers(village, kind=Kind.PARTY, day=PARTY_DAY, seats={"party_member": 3})
        counted(e, [(p, Post.PARTY_MEMBER, 60) for p in members])
        result_certify(actor=SYSTEM, election=e, on=PARTY_DAY, expected_version=e.version)
        party.append((e, members))
    extra[f"results_party_{side}"], extra[f"results_party_members_{side}"] = party[0]
    e, members = party[1]
    party_post_elect(actor=SYSTEM, election=e, post=Post.SECRETARY, held_on=PARTY_DAY, votes={members[0].pk: 3})
    extra[f"results_party_voted_{side}"] = e
    # 5. a certified villagers' election replacing a director, with a discipline supervisor over the village
    old = make_person(second)
    member_appoint(
        actor=SYSTEM,
        village_code=second,
        person=old,
        committee=Committee.VILLAGERS,
        post=Post.DIRECTOR,
        started_on=date(2021, 11, 20),
    )
    e = villagers(second)
    counted(e, [(make_person(second), Post.DIRECTOR, 60)])
    result_certify(actor=SYSTEM, election=e, on=DAY, expected_version=e.version)
    extra[f"results_certified_{side}"] = e


def setup(world: World, make_person: Any, make_user: Any, **_: Any) -> None:
    make_user("discipline_supervisor", "371681")
    _side(world, make_person, "a")
    _side(world, make_person, "b")


def _status(key: str, status: str) -> Any:
    return lambda w: Election.objects.get(pk=w.extra[key].pk).status == status


def _no_vote(w: World) -> bool:
    return not PartyPostVote.objects.filter(election=w.extra["results_party_b"]).exists()


def _not_approved(w: World) -> bool:
    return not PartyPostVote.objects.filter(
        election=w.extra["results_party_voted_b"], approved_on__isnull=False
    ).exists()


def _no_handover(w: World) -> bool:
    return not Handover.objects.filter(region_id=VILLAGES["b"][1]).exists()


def _certify(key: str) -> Any:
    return lambda w: {"on": DAY.isoformat(), "version": w.extra[key].version}


def _void(key: str) -> Any:
    return lambda w: {
        "on": DAY.isoformat(),
        "rerun_day": (DAY + timedelta(days=14)).isoformat(),
        "version": w.extra[key].version,
    }


APPROVE = {"on": "2026-11-10", "approval_ref": "黛组字〔2026〕31号"}
HANDOVER = {"meeting_at": "2026-11-18T09:00:00+08:00", "meeting_place": "村委会"}


def _vote(side: str) -> Any:
    return lambda w: {
        "post": "secretary",
        "held_on": PARTY_DAY.isoformat(),
        f"votes_{w.extra[f'results_party_members_{side}'][0].pk}": 3,
    }


def _api_vote(side: str) -> Any:
    return lambda w: {
        "post": "secretary",
        "held_on": PARTY_DAY.isoformat(),
        "votes": {str(w.extra[f"results_party_members_{side}"][0].pk): 3},
    }


def _public(side: str) -> Any:
    return lambda w: {"code": VILLAGES[side][1]}


WEB_RULES = {
    "results:result": Rule("scoped", a=pk("results_counted_a"), b=pk("results_counted_b")),
    "results:certify": Rule(
        "scoped",
        method="POST",
        a=pk("results_counted_a"),
        b=pk("results_counted_b"),
        body_a=_certify("results_counted_a"),
        body_b=_certify("results_counted_b"),
        b_unchanged=_status("results_counted_b", Status.COUNTED),
    ),
    "results:void": Rule(
        "scoped",
        method="POST",
        a=pk("results_void_a"),
        b=pk("results_void_b"),
        body_a=_void("results_void_a"),
        body_b=_void("results_void_b"),
        b_unchanged=_status("results_void_b", Status.COUNTED),
    ),
    "results:party_vote": Rule(
        "scoped",
        method="POST",
        a=pk("results_party_a"),
        b=pk("results_party_b"),
        body_a=_vote("a"),
        body_b=_vote("b"),
        b_unchanged=_no_vote,
    ),
    "results:party_approve": Rule(
        "scoped",
        method="POST",
        a=pk("results_party_voted_a"),
        b=pk("results_party_voted_b"),
        body_a=lambda w: APPROVE,
        body_b=lambda w: APPROVE,
        b_unchanged=_not_approved,
    ),
    "results:handover": Rule(
        "scoped",
        method="POST",
        a=pk("results_certified_a"),
        b=pk("results_certified_b"),
        body_a=lambda w: HANDOVER,
        body_b=lambda w: HANDOVER,
        b_unchanged=_no_handover,
    ),
    "results:report": Rule("scoped", a=pk("results_counted_a"), b=pk("results_counted_b"), as_text=lambda c: ""),
    "results:certificates": Rule(
        "scoped", a=pk("results_certified_a"), b=pk("results_certified_b"), as_text=lambda c: ""
    ),
    "results_public:village": Rule("public", a=_public("a"), b=_public("b")),
    "results_public:poster": Rule("public", a=_public("a"), b=_public("b")),
}

API_RULES = {
    "GET /api/v1/results/{election_id}": Rule(
        "scoped", a=pk("results_counted_a", "election_id"), b=pk("results_counted_b", "election_id")
    ),
    "POST /api/v1/results/{election_id}/certify": Rule(
        "scoped",
        method="POST",
        a=pk("results_counted_a", "election_id"),
        b=pk("results_counted_b", "election_id"),
        body_a=_certify("results_counted_a"),
        body_b=_certify("results_counted_b"),
        b_unchanged=_status("results_counted_b", Status.COUNTED),
    ),
    "POST /api/v1/results/{election_id}/void": Rule(
        "scoped",
        method="POST",
        a=pk("results_void_a", "election_id"),
        b=pk("results_void_b", "election_id"),
        body_a=_void("results_void_a"),
        body_b=_void("results_void_b"),
        b_unchanged=_status("results_void_b", Status.COUNTED),
    ),
    "POST /api/v1/results/{election_id}/party-votes": Rule(
        "scoped",
        method="POST",
        a=pk("results_party_a", "election_id"),
        b=pk("results_party_b", "election_id"),
        body_a=_api_vote("a"),
        body_b=_api_vote("b"),
        b_unchanged=_no_vote,
    ),
    "POST /api/v1/results/{election_id}/party-approval": Rule(
        "scoped",
        method="POST",
        a=pk("results_party_voted_a", "election_id"),
        b=pk("results_party_voted_b", "election_id"),
        body_a=lambda w: APPROVE,
        body_b=lambda w: APPROVE,
        b_unchanged=_not_approved,
    ),
    "POST /api/v1/results/{election_id}/handover": Rule(
        "scoped",
        method="POST",
        a=pk("results_certified_a", "election_id"),
        b=pk("results_certified_b", "election_id"),
        body_a=lambda w: HANDOVER,
        body_b=lambda w: HANDOVER,
        b_unchanged=_no_handover,
    ),
    "GET /api/v1/results/{election_id}/report.pdf": Rule(
        "scoped",
        a=pk("results_counted_a", "election_id"),
        b=pk("results_counted_b", "election_id"),
        as_text=lambda c: "",
    ),
    "GET /api/v1/results/{election_id}/certificates.pdf": Rule(
        "scoped",
        a=pk("results_certified_a", "election_id"),
        b=pk("results_certified_b", "election_id"),
        as_text=lambda c: "",
    ),
}
