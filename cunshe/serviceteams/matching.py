"""Matching the needs list to the willingness list (需求清单 × 意愿清单), a pure function so the rule is readable:

1. same category, in the need's village, offer not withdrawn;
2. the need's day falls on one of the offer's weekdays;
3. the need's hours and the offer's overlap by at least `MIN_OVERLAP` minutes (or the whole need when shorter).

Candidates are ranked by minutes of overlap (more first), then by the team's open orders (fewer first, so work is
spread), then by team name; the community still decides by dispatching (社区派单), the ranking only proposes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

MIN_OVERLAP = 30


@dataclass(frozen=True)
class Window:
    category: str
    weekdays: int  # bit i = Monday + i
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class Match:
    offer_id: int
    team_id: int
    team_name: str
    overlap: int  # minutes
    open_orders: int


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def overlap(a_start: time, a_end: time, b_start: time, b_end: time) -> int:
    return max(0, min(_minutes(a_end), _minutes(b_end)) - max(_minutes(a_start), _minutes(b_start)))


def fits(category: str, day: date, starts_at: time, ends_at: time, offer: Window) -> int:
    """Minutes of overlap when the offer serves this need, else 0."""
    if offer.category != category or not offer.weekdays & (1 << day.weekday()):
        return 0
    minutes = overlap(starts_at, ends_at, offer.starts_at, offer.ends_at)
    needed = min(MIN_OVERLAP, _minutes(ends_at) - _minutes(starts_at))
    return minutes if minutes >= needed else 0


def rank(
    category: str,
    day: date,
    starts_at: time,
    ends_at: time,
    offers: Iterable[tuple[int, int, str, Window]],
    open_orders: dict[int, int],
) -> list[Match]:
    """`offers` are (offer id, team id, team name, window); one match per team (its best-fitting offer)."""
    best: dict[int, Match] = {}
    for offer_id, team_id, team_name, window in offers:
        minutes = fits(category, day, starts_at, ends_at, window)
        if minutes and (team_id not in best or minutes > best[team_id].overlap):
            best[team_id] = Match(offer_id, team_id, team_name, minutes, open_orders.get(team_id, 0))
    return sorted(best.values(), key=lambda m: (-m.overlap, m.open_orders, m.team_name))
