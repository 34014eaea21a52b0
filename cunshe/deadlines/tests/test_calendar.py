from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cunshe.deadlines.calendar import (
    Unit,
    add_working_days,
    due_at,
    is_overdue,
    is_workday,
    working_days_between,
    working_time_between,
)

CST = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 8, mm: int = 30) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CST)


def test_national_day_is_off_and_the_make_up_saturday_is_on() -> None:
    assert not is_workday(date(2026, 10, 1))
    assert is_workday(date(2026, 10, 10))  # Saturday, 调休 working day
    assert not is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_two_and_a_half_working_days_skip_the_national_day_holiday() -> None:
    # Released Wednesday 30 September at the start of work: the 30th, 8 and 9 October (morning) count.
    assert add_working_days(at(2026, 9, 30), Decimal("2.5")) == at(2026, 10, 9, 12, 0)


def test_a_make_up_saturday_counts_as_a_working_day() -> None:
    # Friday afternoon (half a day) plus Saturday 10 October, a make-up working day.
    assert add_working_days(at(2026, 10, 9, 13, 30), Decimal("1.5")) == at(2026, 10, 10, 17, 0)


def test_a_start_outside_working_hours_begins_at_the_next_working_half_day() -> None:
    assert add_working_days(at(2026, 10, 9, 20, 0), Decimal("0.5")) == at(2026, 10, 10, 12, 0)
    assert add_working_days(at(2026, 10, 9, 12, 30), Decimal("0.5")) == at(2026, 10, 9, 17, 0)


def test_working_time_between_counts_only_working_hours() -> None:
    start, end = at(2026, 9, 30), at(2026, 10, 9, 12, 0)
    assert working_time_between(start, end) == timedelta(hours=17, minutes=30)
    assert working_days_between(start, end) == Decimal("2.50")
    assert working_time_between(end, start) == timedelta(0)


def test_calendar_days_end_at_midnight_after_the_last_day() -> None:
    assert due_at(at(2026, 10, 1, 15, 0), 10, Unit.CALENDAR_DAYS) == datetime(2026, 10, 12, 0, 0, tzinfo=CST)
    with pytest.raises(ValueError, match="整数"):
        due_at(at(2026, 10, 1), Decimal("1.5"), Unit.CALENDAR_DAYS)


@pytest.mark.django_db
def test_years_the_calendar_package_does_not_know_keep_their_statutory_holidays() -> None:
    assert is_workday(date(2031, 1, 6))  # a Monday
    assert not is_workday(date(2031, 1, 5))  # a Sunday
    assert not is_workday(date(2027, 1, 1))  # a Friday, but New Year's Day (was a working day here before)


def test_overdue_state() -> None:
    due = at(2026, 10, 9, 12, 0)
    assert is_overdue(due, now=due + timedelta(seconds=1))
    assert not is_overdue(due, now=due)
    assert not is_overdue(due, done_at=due - timedelta(hours=1), now=due + timedelta(days=3))
    assert is_overdue(due, done_at=due + timedelta(hours=1))
    assert not is_overdue(None)
