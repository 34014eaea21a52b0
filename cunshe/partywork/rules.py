"""The rules of party work as dated data (RULES.md, "Meetings and decisions in the first year"), per province:
the cadence of 三会一课 and theme party days, the model-post criteria and grades, the floating member card. A
province that issues its own version adds an entry with its effective date; the latest in force on a day applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from cunshe.partywork.models import Grade, MeetingKind

MONTH, QUARTER, YEAR = 1, 3, 12  # a period's length in months


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (08-31 + 6 → 02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Cadence:
    months: int  # one meeting at least every calendar month, quarter or year
    by_secretary: bool = False  # only meetings the branch secretary chairs (gives) count


@dataclass(frozen=True)
class CadenceVersion:
    effective_from: date
    kinds: dict[str, Cadence]
    source: str


# 《中国共产党支部工作条例（试行）》(2018-10-28) as RULES.md reads it: members' meeting quarterly; branch committee,
# party group and theme party day monthly; a party lecture a year by the secretary; the organization life meeting
# and the members' appraisal yearly. "" is every province without its own version.
CADENCE: dict[str, list[CadenceVersion]] = {
    "": [
        CadenceVersion(
            date(2018, 10, 28),
            {
                MeetingKind.MEMBERS: Cadence(QUARTER),
                MeetingKind.COMMITTEE: Cadence(MONTH),
                MeetingKind.GROUP: Cadence(MONTH),
                MeetingKind.LECTURE: Cadence(YEAR, by_secretary=True),
                MeetingKind.THEME_DAY: Cadence(MONTH),
                MeetingKind.LIFE: Cadence(YEAR),
                MeetingKind.APPRAISAL: Cadence(YEAR),
            },
            "中国共产党支部工作条例（试行）",
        )
    ],
}


def cadence_for(region_code: str, on: date) -> CadenceVersion:
    """The version in force on `on` for the province of `region_code` (its own, else the default)."""
    versions = CADENCE.get(region_code[:2]) or CADENCE[""]
    in_force = [v for v in versions if v.effective_from <= on] or [min(versions, key=lambda v: v.effective_from)]
    return max(in_force, key=lambda v: v.effective_from)


def period_of(day: date, months: int) -> tuple[date, date]:
    """The calendar month, quarter or year holding `day`: its first and last days."""
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, add_months(start, months) - timedelta(days=1)


def next_due(formed_on: date, held_days: list[date], months: int) -> date:
    """The last day of the period after the latest period with a meeting (of the first period from `formed_on`
    when none was held): a meeting held now covers the current period; a missed period stays missed."""
    if not held_days:
        return period_of(formed_on, months)[1]
    _, end = period_of(max(held_days), months)
    return period_of(end + timedelta(days=1), months)[1]


def missed_periods(formed_on: date, held_days: list[date], months: int, today: date) -> list[tuple[date, date]]:
    """The past periods since the branch's committee was formed without a meeting of the kind."""
    covered = {period_of(d, months) for d in held_days}
    missed = []
    start, end = period_of(formed_on, months)
    while end < today:
        if (start, end) not in covered:
            missed.append((start, end))
        start, end = period_of(end + timedelta(days=1), months)
    return missed


# Model posts (党员示范岗, seed 003): criteria and their full marks, and the grades by total, as the county's
# organisation department sets them; these defaults are the common 100-point sheet.
@dataclass(frozen=True)
class RatingSheet:
    effective_from: date
    criteria: tuple[tuple[str, int], ...]
    grades: tuple[tuple[Fraction, str], ...]  # (lowest share of full marks, grade), best first; 以上 includes it


RATING_SHEETS: dict[str, list[RatingSheet]] = {
    "": [
        RatingSheet(
            date(2020, 1, 1),
            (("履职尽责、带头作用", 30), ("服务群众、办实事", 30), ("遵规守纪、作风形象", 20), ("群众评价", 20)),
            ((Fraction(90, 100), Grade.EXCELLENT), (Fraction(75, 100), Grade.GOOD), (Fraction(60, 100), Grade.PASS)),
        )
    ]
}


def rating_sheet(region_code: str, on: date) -> RatingSheet:
    sheets = RATING_SHEETS.get(region_code[:2]) or RATING_SHEETS[""]
    in_force = [s for s in sheets if s.effective_from <= on] or [min(sheets, key=lambda s: s.effective_from)]
    return max(in_force, key=lambda s: s.effective_from)


def grade_of(sheet: RatingSheet, total: int) -> str:
    full = sum(points for _, points in sheet.criteria)
    share = Fraction(total, full)
    for lowest, grade in sheet.grades:
        if share >= lowest:
            return grade
    return Grade.FAIL


def quarter_end(year: int, quarter: int) -> date:
    return period_of(date(year, quarter * 3, 1), QUARTER)[1]


def quarter_start(year: int, quarter: int) -> date:
    return date(year, quarter * 3 - 2, 1)


# Floating party members: out for at most 6 months (or unable to transfer their membership) they keep it at home and
# carry the card; longer, they transfer it. A card runs at most to 6 months after leaving, or, for those who cannot
# transfer, a year from issue (renewed each year with the report home). At least one report home a year; three or
# more going out together form a temporary group.
MAX_MONTHS_OUT = 6
CARD_YEAR_FOR_UNTRANSFERABLE = 12
MIN_GROUP = 3


def card_latest_until(*, left_on: date, issued_on: date, cannot_transfer: bool) -> date:
    if cannot_transfer:
        return add_months(issued_on, CARD_YEAR_FOR_UNTRANSFERABLE) - timedelta(days=1)
    return add_months(left_on, MAX_MONTHS_OUT)
