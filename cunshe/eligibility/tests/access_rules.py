from typing import Any

from conftest import COUNTY, OTHER_COUNTY
from cunshe.access.tests.walk import Rule, World
from cunshe.core.actors import SYSTEM
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults


def setup(world: World, **_: Any) -> None:
    for key, county in (("rule_a", COUNTY), ("rule_b", OTHER_COUNTY)):
        exclusion_rules_install_defaults(actor=SYSTEM, county_code=county)
        world.extra[key] = ExclusionRule.objects.get(county_id=county, code="2")
    ExclusionRule.objects.filter(county_id=OTHER_COUNTY, code="2").update(title="外县规则")
    world.extra["rule_b"].refresh_from_db()


def _b_unchanged(w: World) -> bool:
    return ExclusionRule.objects.get(pk=w.extra["rule_b"].pk).effective_until is None


def _edit(key: str) -> Any:
    # The national text stays as it is; a county may date a rule's end.
    return lambda w: {"text": w.extra[key].text, "effective_until": "2031-12-31", "version": w.extra[key].version}


def _own(county: str, title: str) -> Any:
    return lambda w: {
        "county": county,
        "code": "2-县",
        "title": title,
        "text": "本县规定：受过刑事处罚的，追溯 5 年。",
        "lookback_years": 5,
        "effective_from": "2026-12-01",
    }


def _no_own_rule_b(w: World) -> bool:
    return not ExclusionRule.objects.filter(county_id=OTHER_COUNTY, code="2-县").exists()


WEB_RULES = {
    "eligibility:rules": Rule("scoped", marker_a=lambda w: "受过刑事处罚或涉黑涉恶", marker_b=lambda w: "外县规则"),
    "eligibility:install_defaults": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        refused_status=302,  # the organizer's own county only: nothing reaches the other county
        b_unchanged=lambda w: ExclusionRule.objects.filter(county_id=OTHER_COUNTY).count() == 10,
    ),
    "eligibility:rule_add": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=_own(COUNTY, "本县追溯"),
        body_b=_own(OTHER_COUNTY, "越权规则"),
        refused_status=200,  # the form offers the organizer's own county only
        b_unchanged=_no_own_rule_b,
    ),
    "eligibility:rule_edit": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"pk": w.extra["rule_a"].pk},
        b=lambda w: {"pk": w.extra["rule_b"].pk},
        body_a=_edit("rule_a"),
        body_b=_edit("rule_b"),
        b_unchanged=_b_unchanged,
    ),
}

API_RULES = {
    "GET /api/v1/eligibility/rules": Rule(
        "scoped", marker_a=lambda w: "受过刑事处罚或涉黑涉恶", marker_b=lambda w: "外县规则"
    ),
    "PATCH /api/v1/eligibility/rules/{rule_id}": Rule(
        "scoped",
        actor="organizer_a",
        method="PATCH",
        a=lambda w: {"rule_id": w.extra["rule_a"].pk},
        b=lambda w: {"rule_id": w.extra["rule_b"].pk},
        body_a=_edit("rule_a"),
        body_b=_edit("rule_b"),
        b_unchanged=_b_unchanged,
    ),
    # The other county's rules are its own: refused (403) and untouched.
    "POST /api/v1/eligibility/rules/defaults": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY},
        body_b=lambda w: {"county": OTHER_COUNTY},
        b_unchanged=lambda w: ExclusionRule.objects.filter(county_id=OTHER_COUNTY).count() == 10,
    ),
    "POST /api/v1/eligibility/rules": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=_own(COUNTY, "本县追溯"),
        body_b=_own(OTHER_COUNTY, "越权规则"),
        b_unchanged=_no_own_rule_b,
    ),
}
