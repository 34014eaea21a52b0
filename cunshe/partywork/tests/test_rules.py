from datetime import date
from fractions import Fraction

import pytest

from cunshe.partywork import rules
from cunshe.partywork.models import Grade, MeetingKind


def test_periods_are_calendar_months_quarters_and_years() -> None:
    assert rules.period_of(date(2026, 11, 8), rules.MONTH) == (date(2026, 11, 1), date(2026, 11, 30))
    assert rules.period_of(date(2026, 11, 8), rules.QUARTER) == (date(2026, 10, 1), date(2026, 12, 31))
    assert rules.period_of(date(2027, 2, 1), rules.YEAR) == (date(2027, 1, 1), date(2027, 12, 31))
    assert rules.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_next_due_and_missed_periods() -> None:
    formed = date(2026, 11, 8)
    # nothing held: the first period (the month the committee was elected) is due at its end
    assert rules.next_due(formed, [], rules.MONTH) == date(2026, 11, 30)
    # a meeting covers its period; the next is due at the end of the following one
    assert rules.next_due(formed, [date(2026, 11, 20)], rules.MONTH) == date(2026, 12, 31)
    assert rules.next_due(formed, [date(2026, 11, 20)], rules.QUARTER) == date(2027, 3, 31)
    # November missed, December held: the branch is back on time, November stays missed
    assert rules.next_due(formed, [date(2026, 12, 3)], rules.MONTH) == date(2027, 1, 31)
    assert rules.missed_periods(formed, [date(2026, 12, 3)], rules.MONTH, date(2027, 1, 5)) == [
        (date(2026, 11, 1), date(2026, 11, 30))
    ]
    assert rules.missed_periods(formed, [], rules.YEAR, date(2026, 12, 5)) == []  # the year has not ended


def test_cadence_is_dated_data_per_province(monkeypatch: pytest.MonkeyPatch) -> None:
    default = rules.cadence_for("371681001213", date(2026, 12, 5))
    assert default.kinds[MeetingKind.MEMBERS].months == rules.QUARTER
    assert default.kinds[MeetingKind.COMMITTEE].months == rules.MONTH
    assert default.kinds[MeetingKind.LECTURE] == rules.Cadence(rules.YEAR, by_secretary=True)
    stricter = rules.CadenceVersion(
        date(2027, 1, 1), {**default.kinds, MeetingKind.MEMBERS: rules.Cadence(rules.MONTH)}, "山东省"
    )
    monkeypatch.setitem(rules.CADENCE, "37", [*rules.CADENCE[""], stricter])
    assert rules.cadence_for("371681001213", date(2026, 12, 31)).kinds[MeetingKind.MEMBERS].months == rules.QUARTER
    assert rules.cadence_for("371681001213", date(2027, 1, 1)).kinds[MeetingKind.MEMBERS].months == rules.MONTH
    assert rules.cadence_for("441900001001", date(2027, 1, 1)).kinds[MeetingKind.MEMBERS].months == rules.QUARTER


def test_grades_by_exact_share_以上_includes_the_mark() -> None:
    sheet = rules.rating_sheet("371681001213", date(2026, 12, 31))
    assert sum(p for _, p in sheet.criteria) == 100
    assert rules.grade_of(sheet, 90) == Grade.EXCELLENT and rules.grade_of(sheet, 89) == Grade.GOOD
    assert rules.grade_of(sheet, 60) == Grade.PASS and rules.grade_of(sheet, 59) == Grade.FAIL
    assert sheet.grades[0][0] == Fraction(9, 10)


def test_card_validity_limits() -> None:
    left = date(2026, 9, 1)
    assert rules.card_latest_until(left_on=left, issued_on=left, cannot_transfer=False) == date(2027, 3, 1)
    assert rules.card_latest_until(left_on=left, issued_on=date(2026, 10, 1), cannot_transfer=True) == date(2027, 9, 30)
