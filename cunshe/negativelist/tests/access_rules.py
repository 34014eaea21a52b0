from datetime import date
from typing import Any

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World
from cunshe.access.tests.walk import pk as _pk
from cunshe.core.actors import SYSTEM
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.negativelist.models import NegativeEntry
from cunshe.negativelist.services import entry_add
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_open


def setup(world: World, make_user: Any, **_: Any) -> None:
    # The details are for supervisors and organizers: a discipline supervisor of town A walks this module.
    world.extra["supervisor_a"] = make_user("discipline_supervisor", TOWN_A, name="甲镇纪检")
    for county in (COUNTY, OTHER_COUNTY):
        if current_term_change(county) is None:
            term_change_open(actor=SYSTEM, county_code=county, year=2026, opened_on=date(2026, 9, 1))
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)
    world.extra["exclusion_a"] = ExclusionRule.objects.get(county_id=COUNTY, code="6")
    for side, person in (("a", world.person_a), ("b", world.person_b)):
        world.extra[f"entry_{side}"] = entry_add(
            actor=SYSTEM,
            person=person,
            rule=world.extra["exclusion_a"],
            source="petition",
            found_on=date(2026, 9, 20),
            details="群众反映曾组织非正常上访",
        )


def _b_unchanged(w: World) -> bool:
    entries = NegativeEntry.objects.filter(person=w.person_b)
    return entries.count() == 1 and entries.get().state == "pending"


def _form(which: str) -> Any:
    return lambda w: {
        "rule": w.extra["exclusion_a"].pk,
        "source": "visit",
        "found_on": "2026-10-01",
        "details": "走访中反映长期不在村居住",
    }


def _json(which: str) -> Any:
    return lambda w: {
        "person_id": getattr(w, which).pk,
        "rule_id": w.extra["exclusion_a"].pk,
        "source": "visit",
        "found_on": "2026-10-01",
        "details": "走访中反映长期不在村居住",
    }


def _settle(key: str) -> Any:
    return lambda w: {"to_state": "confirmed", "conclusion": "经信访局核实属实", "version": w.extra[key].version}


WEB_RULES = {
    "negativelist:list": Rule(
        "scoped",
        actor="supervisor_a",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: w.person_a.name,
        marker_b=lambda w: w.person_b.name,
    ),
    "negativelist:new": Rule(
        "scoped",
        actor="supervisor_a",
        method="POST",
        a=lambda w: {"person_pk": w.person_a.pk},
        b=lambda w: {"person_pk": w.person_b.pk},
        body_a=_form("person_a"),
        body_b=_form("person_b"),
        b_unchanged=_b_unchanged,
    ),
    "negativelist:detail": Rule("scoped", actor="supervisor_a", a=_pk("entry_a"), b=_pk("entry_b")),
    "negativelist:move": Rule(
        "scoped",
        actor="supervisor_a",
        method="POST",
        a=_pk("entry_a"),
        b=_pk("entry_b"),
        body_a=_settle("entry_a"),
        body_b=_settle("entry_b"),
        b_unchanged=_b_unchanged,
    ),
}

API_RULES = {
    "GET /api/v1/negativelist": Rule(
        "scoped",
        actor="supervisor_a",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: w.person_a.name,
        marker_b=lambda w: w.person_b.name,
    ),
    "POST /api/v1/negativelist": Rule(
        "scoped",
        actor="supervisor_a",
        method="POST",
        body_a=_json("person_a"),
        body_b=_json("person_b"),
        b_unchanged=_b_unchanged,
    ),
    "GET /api/v1/negativelist/flags/{person_id}": Rule(
        "scoped",
        a=lambda w: {"person_id": w.person_a.pk},
        b=lambda w: {"person_id": w.person_b.pk},
    ),
    "GET /api/v1/negativelist/{entry_id}": Rule(
        "scoped", actor="supervisor_a", a=_pk("entry_a", "entry_id"), b=_pk("entry_b", "entry_id")
    ),
    "POST /api/v1/negativelist/{entry_id}/state": Rule(
        "scoped",
        actor="supervisor_a",
        method="POST",
        a=_pk("entry_a", "entry_id"),
        b=_pk("entry_b", "entry_id"),
        body_a=_settle("entry_a"),
        body_b=_settle("entry_b"),
        b_unchanged=_b_unchanged,
    ),
}
