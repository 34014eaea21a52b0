from datetime import date
from typing import Any

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World
from cunshe.access.tests.walk import pk as _pk
from cunshe.assessments.models import AssessmentWeights, Poll, SupportPoll, TrustAssessment
from cunshe.assessments.services import assessment_open, ballot_add, poll_enter_totals
from cunshe.core.actors import SYSTEM
from cunshe.teams.services import member_appoint
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_open

VILLAGE_A2 = "371681001214"  # 北范村委会, a second village of town A, where an assessment is still to be opened
ENTITLED = {"party": 40, "representative": 30, "satisfaction": 60}


def setup(world: World, make_person: Any, **_: Any) -> None:
    for county in (COUNTY, OTHER_COUNTY):
        if current_term_change(county) is None:
            term_change_open(actor=SYSTEM, county_code=county, year=2026, opened_on=date(2026, 9, 1))
    member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A2,
        person=make_person(VILLAGE_A2, name="北范王五"),
        committee="villagers",
        post="director",
        started_on=date(2021, 6, 1),
    )
    for side, village in (("a", VILLAGE_A), ("b", VILLAGE_B)):
        assessment = assessment_open(
            actor=SYSTEM,
            village_code=village,
            held_on=date(2026, 10, 1),
            method="totals",
            base="valid",
            entitled=ENTITLED,
            methods={"party": "ballots"},
        )
        polls = {p.kind: p for p in assessment.polls.all()}
        # Other modules' walk setups may seat more members in these villages: mark them all.
        member_ids = sorted(polls["party"].tallies.values_list("member_id", flat=True))
        member_id = member_ids[0]
        ballot_add(actor=SYSTEM, poll=polls["party"], is_valid=True, marks=dict.fromkeys(member_ids, "good"))
        for kind in ("representative", "satisfaction"):
            poll_enter_totals(
                actor=SYSTEM,
                poll=polls[kind],
                cast=8,
                invalid=0,
                tallies=dict.fromkeys(member_ids, (6, 1, 1)),
                expected_version=polls[kind].version,
            )
        world.extra[f"assessment_{side}"] = assessment
        world.extra[f"member_id_{side}"] = member_id
        world.extra[f"ballots_{side}"] = Poll.objects.get(pk=polls["party"].pk)
        world.extra[f"totals_{side}"] = Poll.objects.get(pk=polls["representative"].pk)


def _poll_b_unchanged(w: World) -> bool:
    return (
        Poll.objects.get(pk=w.extra["totals_b"].pk).cast == 8 and Poll.objects.get(pk=w.extra["ballots_b"].pk).cast == 1
    )


def _b_open(w: World) -> bool:
    return TrustAssessment.objects.get(pk=w.extra["assessment_b"].pk).status == "open"


def _totals_form(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        member_id = w.extra[f"member_id_{side}"]
        poll = Poll.objects.get(pk=w.extra[f"totals_{side}"].pk)
        return {
            "cast": 9,
            "invalid": 0,
            f"good_{member_id}": 7,
            f"fair_{member_id}": 1,
            f"poor_{member_id}": 1,
            "version": poll.version,
        }

    return body


def _totals_json(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        member_id = w.extra[f"member_id_{side}"]
        poll = Poll.objects.get(pk=w.extra[f"totals_{side}"].pk)
        return {
            "cast": 9,
            "invalid": 0,
            "tallies": [{"member_id": member_id, "good": 7, "fair": 1, "poor": 1}],
            "version": poll.version,
        }

    return body


OPEN_FORM = {
    "held_on": "2026-10-02",
    "method": "totals",
    "base": "valid",
    "entitled_party": 20,
    "entitled_representative": 15,
    "entitled_satisfaction": 30,
}


def _no_second_in_b(w: World) -> bool:
    return TrustAssessment.objects.filter(region_id=VILLAGE_B).count() == 1


def _weights_b_unchanged(w: World) -> bool:
    return not AssessmentWeights.objects.filter(county_id=OTHER_COUNTY).exists()


WEIGHTS_FORM = {
    "effective_from": "2026-09-01",
    "party_weight": 3,
    "representative_weight": 4,
    "satisfaction_weight": 3,
    "flag_below": "70",
    "flag_distrust_over": "33.33",
}


def _support(side: str) -> Any:
    return lambda w: {
        "person": getattr(w, f"person_{side}").pk,
        "person_id": getattr(w, f"person_{side}").pk,
        "kind": "party_support",
        "held_on": "2026-10-10",
        "asked": 30,
        "in_favour": 24,
    }


def _no_support_in_b(w: World) -> bool:
    return not SupportPoll.objects.filter(region_id=VILLAGE_B).exists()


_WEIGHTS_SET = Rule(
    "scoped",
    actor="organizer_a",
    method="POST",
    a=lambda w: {"code": COUNTY},
    b=lambda w: {"code": OTHER_COUNTY},
    body_a=lambda w: WEIGHTS_FORM,
    body_b=lambda w: WEIGHTS_FORM,
    b_unchanged=_weights_b_unchanged,
)

WEB_RULES = {
    "assessments:rates": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "assessments:support": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=_support("a"),
        body_b=_support("b"),
        b_unchanged=_no_support_in_b,
    ),
    "assessments:index": Rule("signed_in"),
    "assessments:overview": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "assessments:overview_export": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "assessments:weights": _WEIGHTS_SET,
    "assessments:village": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "assessments:open": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A2},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: OPEN_FORM,
        body_b=lambda w: OPEN_FORM,
        b_unchanged=_no_second_in_b,
    ),
    "assessments:totals": Rule(
        "scoped",
        method="POST",
        a=_pk("totals_a"),
        b=_pk("totals_b"),
        body_a=_totals_form("a"),
        body_b=_totals_form("b"),
        b_unchanged=_poll_b_unchanged,
    ),
    "assessments:ballot": Rule(
        "scoped",
        method="POST",
        a=_pk("ballots_a"),
        b=_pk("ballots_b"),
        body_a=lambda w: {f"mark_{w.extra['member_id_a']}": "fair"},
        body_b=lambda w: {f"mark_{w.extra['member_id_b']}": "fair"},
        b_unchanged=_poll_b_unchanged,
    ),
    "assessments:move": Rule(
        "scoped",
        method="POST",
        a=_pk("assessment_a"),
        b=_pk("assessment_b"),
        body_a=lambda w: {"to_status": "closed", "version": w.extra["assessment_a"].version},
        body_b=lambda w: {"to_status": "closed", "version": w.extra["assessment_b"].version},
        b_unchanged=_b_open,
    ),
    "assessments:export": Rule("scoped", a=_pk("assessment_a"), b=_pk("assessment_b")),
    "assessments:rates_export": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "assessments:ballots_print": Rule("scoped", a=_pk("totals_a"), b=_pk("totals_b")),
    "assessments:count_sheet_print": Rule("scoped", a=_pk("totals_a"), b=_pk("totals_b")),
}

API_RULES = {
    "GET /api/v1/assessments/polls/{poll_id}/ballots.pdf": Rule(
        "scoped", a=_pk("totals_a", "poll_id"), b=_pk("totals_b", "poll_id")
    ),
    "GET /api/v1/assessments/polls/{poll_id}/count-sheet.pdf": Rule(
        "scoped", a=_pk("totals_a", "poll_id"), b=_pk("totals_b", "poll_id")
    ),
    "GET /api/v1/assessments/{assessment_id}/export": Rule(
        "scoped", a=_pk("assessment_a", "assessment_id"), b=_pk("assessment_b", "assessment_id")
    ),
    "GET /api/v1/assessments/overview/{code}/export": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/assessments/rates/{code}/export": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "GET /api/v1/assessments/rates/{code}": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/assessments/rates/{code}/support": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=_support("a"),
        body_b=_support("b"),
        b_unchanged=_no_support_in_b,
    ),
    "GET /api/v1/assessments/overview/{code}": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/assessments/village/{code}": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/assessments/village/{code}": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A2},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: OPEN_FORM,
        body_b=lambda w: OPEN_FORM,
        b_unchanged=_no_second_in_b,
    ),
    "POST /api/v1/assessments/polls/{poll_id}/totals": Rule(
        "scoped",
        method="POST",
        a=_pk("totals_a", "poll_id"),
        b=_pk("totals_b", "poll_id"),
        body_a=_totals_json("a"),
        body_b=_totals_json("b"),
        b_unchanged=_poll_b_unchanged,
    ),
    "POST /api/v1/assessments/polls/{poll_id}/ballots": Rule(
        "scoped",
        method="POST",
        a=_pk("ballots_a", "poll_id"),
        b=_pk("ballots_b", "poll_id"),
        body_a=lambda w: {"marks": {str(w.extra["member_id_a"]): "poor"}},
        body_b=lambda w: {"marks": {str(w.extra["member_id_b"]): "poor"}},
        b_unchanged=_poll_b_unchanged,
    ),
    "POST /api/v1/assessments/{assessment_id}/status": Rule(
        "scoped",
        method="POST",
        a=_pk("assessment_a", "assessment_id"),
        b=_pk("assessment_b", "assessment_id"),
        body_a=lambda w: {"to_status": "closed", "version": w.extra["assessment_a"].version},
        body_b=lambda w: {"to_status": "closed", "version": w.extra["assessment_b"].version},
        b_unchanged=_b_open,
    ),
    "GET /api/v1/assessments/weights/{code}": Rule(
        "scoped", actor="organizer_a", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "POST /api/v1/assessments/weights/{code}": _WEIGHTS_SET,
}
