from datetime import date
from typing import Any

from conftest import COUNTY, OTHER_COUNTY
from cunshe.access.tests.walk import Rule, World
from cunshe.core.actors import SYSTEM
from cunshe.termchanges.models import Milestone, TermChange
from cunshe.termchanges.services import term_change_open


def setup(world: World, **_: Any) -> None:
    world.extra["term_change_a"] = term_change_open(
        actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1)
    )
    world.extra["term_change_b"] = term_change_open(
        actor=SYSTEM, county_code=OTHER_COUNTY, year=2026, opened_on=date(2026, 9, 1), title="外县换届"
    )


def _tc(key: str) -> Any:
    return lambda w: {"pk": w.extra[key].pk}


def _milestone(key: str) -> Any:
    return lambda w: {"pk": w.extra[key].milestones.first().pk}


def _b_unchanged(w: World) -> bool:
    b = TermChange.objects.get(pk=w.extra["term_change_b"].pk)
    first = Milestone.objects.filter(term_change=b).order_by("position").first()
    return b.status == "planned" and first is not None and first.done_on is None


WEB_RULES = {
    "termchanges:list": Rule(
        "scoped", marker_a=lambda w: w.extra["term_change_a"].title, marker_b=lambda w: "外县换届"
    ),
    "termchanges:new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY, "year": 2031, "opened_on": "2026-11-01"},
        body_b=lambda w: {"county": OTHER_COUNTY, "year": 2031, "opened_on": "2026-11-01"},
        refused_status=200,
        b_unchanged=lambda w: not TermChange.objects.filter(county_id=OTHER_COUNTY, year=2031).exists(),
    ),
    "termchanges:detail": Rule("scoped", a=_tc("term_change_a"), b=_tc("term_change_b")),
    "termchanges:move": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_tc("term_change_a"),
        b=_tc("term_change_b"),
        body_a=lambda w: {"to_status": "preparing", "version": 1},
        body_b=lambda w: {"to_status": "preparing", "version": 1},
        b_unchanged=_b_unchanged,
    ),
    "termchanges:milestone": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_milestone("term_change_a"),
        b=_milestone("term_change_b"),
        body_a=lambda w: {"due_on": "2026-10-15", "done_on": "2026-10-10", "version": 1},
        body_b=lambda w: {"due_on": "2026-10-15", "done_on": "2026-10-10", "version": 1},
        b_unchanged=_b_unchanged,
    ),
}

API_RULES = {
    "GET /api/v1/termchanges": Rule(
        "scoped", marker_a=lambda w: w.extra["term_change_a"].title, marker_b=lambda w: "外县换届"
    ),
    "POST /api/v1/termchanges": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY, "year": 2031, "opened_on": "2026-11-01"},
        body_b=lambda w: {"county": OTHER_COUNTY, "year": 2031, "opened_on": "2026-11-01"},
        b_unchanged=lambda w: not TermChange.objects.filter(county_id=OTHER_COUNTY, year=2031).exists(),
    ),
    "GET /api/v1/termchanges/{term_change_id}": Rule(
        "scoped",
        a=lambda w: {"term_change_id": w.extra["term_change_a"].pk},
        b=lambda w: {"term_change_id": w.extra["term_change_b"].pk},
    ),
    "POST /api/v1/termchanges/{term_change_id}/status": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"term_change_id": w.extra["term_change_a"].pk},
        b=lambda w: {"term_change_id": w.extra["term_change_b"].pk},
        body_a=lambda w: {"to_status": "preparing", "version": 1},
        body_b=lambda w: {"to_status": "preparing", "version": 1},
        b_unchanged=_b_unchanged,
    ),
    "PUT /api/v1/termchanges/milestones/{milestone_id}": Rule(
        "scoped",
        actor="organizer_a",
        method="PUT",
        a=lambda w: {"milestone_id": w.extra["term_change_a"].milestones.first().pk},
        b=lambda w: {"milestone_id": w.extra["term_change_b"].milestones.first().pk},
        body_a=lambda w: {"due_on": "2026-10-15", "done_on": "2026-10-10", "version": 1},
        body_b=lambda w: {"due_on": "2026-10-15", "done_on": "2026-10-10", "version": 1},
        b_unchanged=_b_unchanged,
    ),
}
