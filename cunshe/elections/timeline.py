"""An election's timeline, computed from its election day and its rule set.

Two kinds of dates: "at least N days before election day" (the register, the candidates) are latest publication
days counted back in calendar days and never moved; periods that run from an act (objections within 5 days of
publication, decisions within 3 days) end on their last day, and when that day is a rest day the period ends on the
next working day (Civil Code art. 203: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from cunshe.deadlines.calendar import is_workday
from cunshe.elections.models import Election, ElectionRules


def period_end(start: date, days: int) -> date:
    """The last day of a period of `days` days that starts the day after `start` (the day of the act is not
    counted), moved past rest days and holidays."""
    end = start + timedelta(days=days)
    while not is_workday(end):
        end += timedelta(days=1)
    return end


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    due_on: date | None  # the latest day it may happen (None: depends on an act not yet done)
    done_on: date | None = None

    @property
    def late(self) -> bool:
        return self.due_on is not None and (self.done_on or timezone.localdate()) > self.due_on


def register_publish_by(rules: ElectionRules, election_day: date) -> date:
    return election_day - timedelta(days=rules.register_days_before)


def candidates_publish_by(rules: ElectionRules, election_day: date) -> date:
    return election_day - timedelta(days=rules.candidates_days_before)


def objections_close(rules: ElectionRules, published_on: date) -> date:
    return period_end(published_on, rules.objection_days)


def objection_decisions_by(rules: ElectionRules, published_on: date) -> date:
    return period_end(objections_close(rules, published_on), rules.objection_decision_days)


def timeline(election: Election) -> list[Step]:
    """The steps of the election in order, with their latest days and what has been done."""
    rules, day = election.rules, election.election_day
    steps: list[Step] = []
    if election.is_direct:
        published = election.register_published_on
        steps += [
            Step(
                "register",
                f"公布选民名单（选举日前 {rules.register_days_before} 日以上）",
                register_publish_by(rules, day),
                published,
            ),
            Step(
                "objections",
                f"受理对选民名单的申诉（公布之日起 {rules.objection_days} 日内）",
                objections_close(rules, published) if published else None,
            ),
            Step(
                "decisions",
                f"作出申诉处理决定并公布（申诉期满后 {rules.objection_decision_days} 日内）",
                objection_decisions_by(rules, published) if published else None,
            ),
        ]
    steps += [
        Step(
            "candidates",
            f"公布正式候选人名单（选举日前 {rules.candidates_days_before} 日以上）",
            candidates_publish_by(rules, day),
            election.candidates_published_on,
        ),
        Step("polling", "投票选举", day),
    ]
    return steps
