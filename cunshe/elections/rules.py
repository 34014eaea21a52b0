"""Which rule set an election runs under, and what a county may change in it: a county may tighten its province's
(or the national) rules, never loosen the law."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from cunshe.elections.models import ElectionRules, Kind, WomanSeat
from cunshe.elections.tally import TallyRules


def rules_for(county_code: str, kind: str, on: date) -> ElectionRules | None:
    """The rule set in force on `on` for an election of `kind` in this county: the county's own, else its
    province's, else the national one — each the version with the latest effective date not after `on`."""
    candidates = ElectionRules.objects.filter(kind=kind, effective_from__lte=on).filter(
        Q(county_id=county_code[:6]) | Q(county__isnull=True, province=county_code[:2]) | Q(province="", county=None)
    )
    best: ElectionRules | None = None
    for rules in candidates:
        rank = (2 if rules.county_id else 1 if rules.province else 0, rules.effective_from)
        if best is None or rank > (2 if best.county_id else 1 if best.province else 0, best.effective_from):
            best = rules
    return best


@dataclass(frozen=True)
class Bound:
    """How a county's value may differ from its base: "up" may only grow, "down" only shrink, "same" not change."""

    field: str
    way: str


# Tightening means: more days of notice, more candidates than seats, more scrutineers, fewer proxies per trustee,
# higher thresholds, a narrower range of seats. The one-ballot aggregation and the woman's seat are provincial
# choices a county keeps as they are.
BOUNDS: tuple[Bound, ...] = (
    Bound("seats_min", "up"),
    Bound("seats_max", "down"),
    Bound("extra_head_min", "up"),
    Bound("extra_deputy_min", "up"),
    Bound("extra_member_min", "up"),
    Bound("extra_member_max", "down"),
    Bound("party_margin", "up"),
    Bound("register_days_before", "up"),
    Bound("objection_days", "up"),
    Bound("objection_decision_days", "down"),
    Bound("candidates_days_before", "up"),
    Bound("election_committee_min", "up"),
    Bound("election_committee_max", "down"),
    Bound("scrutineers_min", "up"),
    Bound("proxy_cap", "down"),
    Bound("turnout", "up"),
    Bound("win", "up"),
    Bound("further_floor", "up"),
    Bound("vacancy_min_members", "up"),
    Bound("meeting_quorum", "up"),
    Bound("further_turnout_required", "same_or_true"),
    Bound("aggregation", "same"),
    Bound("woman_seat", "same"),
    Bound("meeting_quorum_inclusive", "same_or_false"),
)


def loosened(base: ElectionRules, values: dict[str, Any]) -> dict[str, list[str]]:
    """Field errors for every value that would loosen `base` (empty when the county only tightens)."""
    errors: dict[str, list[str]] = {}
    for bound in BOUNDS:
        if bound.field not in values:
            continue
        new, old = values[bound.field], getattr(base, bound.field)
        label = field_label(bound.field)
        shown = _shown(old)
        if bound.way == "up" and new < old:
            errors[bound.field] = [f"{label}不得低于{base.scope_label}规定的 {shown}，县里只能从严。"]
        elif bound.way == "down" and new > old:
            errors[bound.field] = [f"{label}不得高于{base.scope_label}规定的 {shown}，县里只能从严。"]
        elif bound.way == "same" and new != old:
            errors[bound.field] = [f"{label}由{base.scope_label}规定（{shown}），县里不能改变。"]
        elif bound.way == "same_or_true" and old and not new:
            errors[bound.field] = [f"{label}为{base.scope_label}规定，县里不能取消。"]
        elif bound.way == "same_or_false" and not old and new:
            errors[bound.field] = [f"{label}：{base.scope_label}规定不含本数，县里不能放宽为含本数。"]
    return errors


def field_label(name: str) -> str:
    field = ElectionRules._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value in WomanSeat.values:
        return str(WomanSeat(value).label)
    return str(value)


def tally_rules(rules: ElectionRules) -> TallyRules:
    """What the count needs of a rule set."""
    meeting = rules.kind in (Kind.PARTY, Kind.SUPERVISION)
    return TallyRules(
        turnout=rules.turnout,
        win=rules.win,
        further_floor=rules.further_floor,
        further_turnout_required=rules.further_turnout_required,
        aggregation=rules.aggregation,
        woman_seat=rules.woman_seat,  # type: ignore[arg-type]
        min_members=rules.vacancy_min_members,
        party=meeting,
        party_quorum=rules.meeting_quorum,
        party_quorum_inclusive=rules.meeting_quorum_inclusive,
        kind=rules.kind,  # type: ignore[arg-type]
    )
