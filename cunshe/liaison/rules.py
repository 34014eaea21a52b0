"""The 察 ratings' scales as dated data: the county's scale in force on the day of rating is copied onto the row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Scale:
    valid_from: date
    low: int
    high: int
    rule: str


# 龙港 (seed 004) names the three 察 without a scale; the five-grade scale is the common one of such appraisals
# (好、较好、一般、较差、差). A county that changes it adds a dated entry; ratings already made keep theirs.
SCALES: tuple[Scale, ...] = (Scale(date(2020, 1, 1), 1, 5, "五档评定：5 好、4 较好、3 一般、2 较差、1 差"),)


def scale_on(day: date) -> Scale:
    in_force = [s for s in SCALES if s.valid_from <= day]
    if not in_force:
        raise LookupError(f"no rating scale in force on {day}")
    return max(in_force, key=lambda s: s.valid_from)
