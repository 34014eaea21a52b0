from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, pks
from cunshe.decisions.models import Decision, DecisionRules, Status
from cunshe.decisions.tests.helpers import new_decision

TITLES = {"a": "甲村道路硬化工程", "b": "乙村集体厂房出租"}
NEW = {"title": "新登记事项", "matter": "修建村文化广场。", "proposer": "村党支部"}


def setup(world: World, **_: Any) -> None:
    world.extra["decision_a"] = new_decision(VILLAGE_A, title=TITLES["a"])
    world.extra["decision_b"] = new_decision(VILLAGE_B, title=TITLES["b"])


def _meeting(side: str, *, as_json: bool = False) -> Any:
    def body(w: World) -> dict[str, Any]:
        held = timezone.localtime() - timedelta(days=1)
        return {
            "step": "proposal",
            "held_at": held.isoformat() if as_json else held.strftime("%Y-%m-%dT%H:%M"),
            "place": "村委会议室",
            "chair": "书记",
            "recorder": "文书",
            "due": 5,
            "present": 5,
            "votes_for": 5,
            "votes_against": 0,
            "votes_abstain": 0,
            "discussion": "一致同意。",
            "outcome": "提交“两委”商议。",
            "version": w.extra[f"decision_{side}"].version,
        }

    return body


def _untouched_b(w: World) -> bool:
    d = Decision.objects.get(pk=w.extra["decision_b"].pk)
    return d.status == Status.PROPOSAL and not d.meetings.exists()


def _no_new_b(w: World) -> bool:
    return not Decision.objects.filter(region_id=VILLAGE_B, title=NEW["title"]).exists()


def _withdraw(side: str) -> Any:
    return lambda w: {"reason": "暂缓", "version": w.extra[f"decision_{side}"].version}


def _rules_body(w: World) -> dict[str, Any]:
    return {
        "effective_from": "2099-01-01",
        "committee_quorum": "1/2",
        "committee_quorum_strict": "on",
        "committee_base": "due",
        "party_quorum": "2/3",
        "party_base": "due",
        "party_notice_days": "3",
        "villagers_quorum": "2/3",
        "villagers_base": "due",
    }


_A, _B = pks("decision")
_AI, _BI = pks("decision", "decision_id")
_TEXT = lambda c: ""  # noqa: E731 - a PDF

WEB_RULES = {
    "decisions:index": Rule("signed_in"),
    "decisions:region": Rule(
        "scoped",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": TOWN_B},
        marker_a=lambda w: TITLES["a"],
        marker_b=lambda w: TITLES["b"],
    ),
    "decisions:new": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: NEW,
        body_b=lambda w: NEW,
        b_unchanged=_no_new_b,
    ),
    # GET shows the rules to everyone under the county; the rule walks the organizer's POST of a new set.
    "decisions:rules": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": "371681"},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=_rules_body,
        body_b=_rules_body,
        b_unchanged=lambda w: not DecisionRules.objects.filter(region_id=OTHER_COUNTY).exists(),
    ),
    "decisions:detail": Rule("scoped", a=_A, b=_B),
    "decisions:meeting": Rule(
        "scoped", method="POST", a=_A, b=_B, body_a=_meeting("a"), body_b=_meeting("b"), b_unchanged=_untouched_b
    ),
    "decisions:withdraw": Rule(
        "scoped", method="POST", a=_A, b=_B, body_a=_withdraw("a"), body_b=_withdraw("b"), b_unchanged=_untouched_b
    ),
    "decisions:sheets": Rule("scoped", a=_A, b=_B, as_text=_TEXT),
}

API_RULES = {
    "GET /api/v1/decisions/rules/{code}": Rule(
        "scoped", a=lambda w: {"code": "371681"}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "POST /api/v1/decisions/rules/{code}": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": "371681"},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=lambda w: {"effective_from": "2099-01-01", "villagers_base": "due"},
        body_b=lambda w: {"effective_from": "2099-01-01", "villagers_base": "due"},
        b_unchanged=lambda w: not DecisionRules.objects.filter(region_id=OTHER_COUNTY).exists(),
    ),
    "GET /api/v1/decisions/region/{code}": Rule(
        "scoped",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": TOWN_B},
        marker_a=lambda w: TITLES["a"],
        marker_b=lambda w: TITLES["b"],
    ),
    "POST /api/v1/decisions": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**NEW, "village": VILLAGE_A},
        body_b=lambda w: {**NEW, "village": VILLAGE_B},
        b_unchanged=_no_new_b,
    ),
    "GET /api/v1/decisions/{decision_id}": Rule("scoped", a=_AI, b=_BI),
    "POST /api/v1/decisions/{decision_id}/meetings": Rule(
        "scoped",
        method="POST",
        a=_AI,
        b=_BI,
        body_a=_meeting("a", as_json=True),
        body_b=_meeting("b", as_json=True),
        b_unchanged=_untouched_b,
    ),
    "POST /api/v1/decisions/{decision_id}/withdraw": Rule(
        "scoped", method="POST", a=_AI, b=_BI, body_a=_withdraw("a"), body_b=_withdraw("b"), b_unchanged=_untouched_b
    ),
    "GET /api/v1/decisions/{decision_id}/sheets.pdf": Rule("scoped", a=_AI, b=_BI, as_text=_TEXT),
}
