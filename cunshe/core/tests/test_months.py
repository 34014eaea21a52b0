"""core.months: the one reading of ?month= (pages fall back, the API refuses with the format)."""

from __future__ import annotations

from datetime import date

import pytest

from cunshe.core.errors import DomainError
from cunshe.core.months import MONTH_FORMAT, month_end, month_or, month_start, parse_month

TODAY = date(2026, 12, 5)


def test_a_month_is_its_first_day_and_ends_on_its_last() -> None:
    assert month_start(TODAY) == date(2026, 12, 1)
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)


def test_the_api_reads_yyyy_mm_and_refuses_anything_else_naming_the_format() -> None:
    assert parse_month("2026-11", TODAY) == date(2026, 11, 1)
    assert parse_month("", TODAY) == date(2026, 12, 1)  # none asked for: this month
    for bad in ("2026-13", "2026-11-01", "十一月", "2026"):
        with pytest.raises(DomainError) as refused:
            parse_month(bad, TODAY)
        assert refused.value.message == MONTH_FORMAT and refused.value.field_errors == {"month": [MONTH_FORMAT]}


def test_a_page_falls_back_to_its_default() -> None:
    assert month_or("2026-11", None) == date(2026, 11, 1)
    assert month_or("", None) is None
    assert month_or("2026-13", month_start(TODAY)) == date(2026, 12, 1)
