"""Due dates in calendar days or in Chinese working days.

Working days follow the State Council's holiday schedule with its make-up working weekends (调休): the statutory
holidays computed for any year, and the year's moved days as loaded or packaged (holidays.py). Working time runs
only inside the two halves of a working day (settings.CUNSHE_WORKDAY_HALVES), so "2.5 working days" is five
half-days of working time and a deadline can fall at noon (docs/decisions/0005-working-days.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from cunshe.deadlines import holidays


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


UNIT_LABELS = {Unit.CALENDAR_DAYS: "自然日", Unit.WORKING_DAYS: "工作日"}


def is_workday(day: date) -> bool:
    return holidays.is_workday(day)


def _halves() -> list[tuple[time, time]]:
    return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in settings.CUNSHE_WORKDAY_HALVES]


def working_day_length() -> timedelta:
    return sum((datetime.combine(date.min, b) - datetime.combine(date.min, a) for a, b in _halves()), timedelta())


def _windows_from(start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working-time windows from the day of `start` on, in local time."""
    tz = timezone.get_current_timezone()
    day = timezone.localtime(start, tz).date()
    while True:
        if is_workday(day):
            for a, b in _halves():
                yield datetime.combine(day, a, tz), datetime.combine(day, b, tz)
        day += timedelta(days=1)


def add_working_days(start: datetime, days: Decimal | float | int) -> datetime:
    """The moment when `days` working days of working time have passed since `start`."""
    remaining = working_day_length() * float(days)
    if remaining <= timedelta(0):
        return start
    for window_start, window_end in _windows_from(start):
        if window_end <= start:
            continue
        begin = max(window_start, start)
        available = window_end - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise AssertionError("unreachable")  # pragma: no cover


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Working time between two moments (zero if end is before start)."""
    total = timedelta(0)
    if end <= start:
        return total
    for window_start, window_end in _windows_from(start):
        if window_start >= end:
            break
        overlap = min(window_end, end) - max(window_start, start)
        if overlap > timedelta(0):
            total += overlap
    return total


def working_days_between(start: datetime, end: datetime) -> Decimal:
    return Decimal(working_time_between(start, end) / working_day_length()).quantize(Decimal("0.01"))


def add_calendar_days(start: datetime, days: int) -> datetime:
    """End of the N-th day after the start day ("within 10 days" of the 1st ends at midnight after the 11th)."""
    tz = timezone.get_current_timezone()
    last_day = timezone.localtime(start, tz).date() + timedelta(days=int(days))
    return datetime.combine(last_day + timedelta(days=1), time.min, tz)


def due_at(start: datetime, amount: Decimal | float | int, unit: Unit | str) -> datetime:
    if Unit(unit) is Unit.WORKING_DAYS:
        return add_working_days(start, amount)
    if Decimal(str(amount)) != int(Decimal(str(amount))):
        raise ValueError("自然日期限须为整数天。")
    return add_calendar_days(start, int(Decimal(str(amount))))


def deadline_day(due: datetime) -> date:
    """The calendar day a deadline belongs to. A deadline day ("by the end of the 12th") is kept as the midnight that
    starts the 13th; it is the 12th to every person who reads it."""
    local = timezone.localtime(due)
    return local.date() - timedelta(days=1) if local.time() == time.min else local.date()


def deadline_text(due: date | datetime | None, *, chinese: bool = False) -> str:
    """How a deadline reads on a page, a printout or in the record book: a deadline day as its day, a deadline at a
    time of day (a working-day deadline may fall at noon) with the time. The API keeps ISO 8601 instants."""
    if due is None:
        return ""
    if not isinstance(due, datetime):
        return f"{due.year}年{due.month}月{due.day}日" if chinese else f"{due:%Y-%m-%d}"
    local = timezone.localtime(due)
    if local.time() == time.min:
        day = deadline_day(due)
        return f"{day.year}年{day.month}月{day.day}日" if chinese else f"{day:%Y-%m-%d}"
    if chinese:
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def is_overdue(due: datetime | None, *, done_at: datetime | None = None, now: datetime | None = None) -> bool:
    """Overdue: not done by the due moment (done late counts as overdue too, for the record)."""
    if due is None:
        return False
    if done_at is not None:
        return done_at > due
    return (now or timezone.now()) > due
