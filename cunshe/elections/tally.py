"""The count of an election (计票) as one pure function: no models, no database, no clock.

`tally(count, rules)` answers who is elected, which seats stay empty, whether a further round (另行选举) or a rerun
(重新选举) is needed, and, for every line of the outcome, the rule that decided it in Chinese. The count-sheet pages,
the stateless check (POST /api/v1/elections/tally-check, `cunshe elections tally FILE.json`) and the county board all
call this one function. The JSON format of a count sheet is documented in docs/elections.md.

Counting words follow RULES.md: "过半数" is strictly more than, "以上" includes the number; every threshold is an exact
Fraction, never a rounded percentage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

Round = Literal["main", "further"]
WomanSeat = Literal["fill_last_member", "separate_vote", "none"]


class TallyInputError(ValueError):
    """A count sheet that cannot be counted (missing or impossible figures); `errors` maps fields to Chinese texts."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


@dataclass(frozen=True)
class TallyRules:
    """What the count needs of a rule set (elections.models.ElectionRules.tally_rules() builds it)."""

    turnout: Fraction = Fraction(1, 2)  # valid only when returned > turnout × registered (过半数)
    win: Fraction = Fraction(1, 2)  # elected with votes > win × base (过半数); base: ballots returned, or present
    further_floor: Fraction = Fraction(1, 3)  # 另行选举: votes ≥ floor × ballots returned (以上)
    further_turnout_required: bool = True  # the > 1/2 turnout rule applies to the further round too
    aggregation: bool = False  # 一票制: director votes count for deputy and member, deputy votes for member
    woman_seat: WomanSeat = "fill_last_member"
    min_members: int = 3  # seats may stay vacant while at least this many are elected
    party: bool = False  # party election: quorum of those due instead of turnout; base = members present
    party_quorum: Fraction = Fraction(4, 5)  # valid when present > quorum × due (超过)


@dataclass(frozen=True)
class CandidateVotes:
    key: str  # a stable id (person id, or "write-in:<name>")
    name: str
    votes: int
    woman: bool = False
    write_in: bool = False  # 另选他人: not on the formal list


@dataclass(frozen=True)
class PostCount:
    post: str  # teams.models.Post value: director, deputy_director, committee_member, ...
    seats: int
    candidates: tuple[CandidateVotes, ...]
    void: int = 0  # ballots void for this post only (more names than seats)


@dataclass(frozen=True)
class Count:
    registered: int  # 登记参加选举的村民 (for a party election: members with a vote due to attend)
    issued: int  # 发出选票
    returned: int  # 收回选票 (= those who voted)
    invalid: int  # wholly void ballots
    posts: tuple[PostCount, ...]
    round: Round = "main"
    woman_required: bool = True  # the committee must include a woman (villagers' and residents' committees)
    present: int | None = None  # party election: members with a vote present


@dataclass(frozen=True)
class Line:
    """One step of the outcome and the rule behind it, e.g. rule="turnout", text="参加投票 601 人，超过登记选民 1200 人的
    半数（600），选举有效（村民委员会组织法第三十四条）"."""

    rule: str
    text: str
    post: str = ""


@dataclass(frozen=True)
class PostOutcome:
    post: str
    seats: int
    elected: tuple[CandidateVotes, ...]
    tied: tuple[CandidateVotes, ...] = ()  # a new vote among these decides the last seats
    vacancies: int = 0
    further_candidates: tuple[CandidateVotes, ...] = ()  # chosen by the rule for the 另行选举 of the vacancies


@dataclass(frozen=True)
class Outcome:
    valid: bool
    # elected: every seat filled; further_round: seats left for 另行选举; rerun: the election is invalid (重新选举);
    # tie: a new vote among the tied is needed; vacant: seats stay empty but the committee has enough members.
    status: Literal["elected", "further_round", "tie", "vacant", "rerun"]
    posts: tuple[PostOutcome, ...]
    lines: tuple[Line, ...] = field(default_factory=tuple)


def tally(count: Count, rules: TallyRules) -> Outcome:
    """Count one election round. Raises TallyInputError for a sheet that cannot be counted."""
    raise NotImplementedError  # implemented with its tests in the tally change


def count_from_json(data: Any) -> tuple[Count, TallyRules]:
    """Read the documented count-sheet JSON (docs/elections.md); TallyInputError names each bad field in Chinese."""
    raise NotImplementedError


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    raise NotImplementedError
