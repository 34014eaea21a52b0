"""A month as the modules store and ask for it: the first day of it (a `date`), written "YYYY-MM" in a query.

The one reading of ?month= for pages and the API: the API answers a bad month with a 400 that names the format
(`parse_month`); a page falls back (`month_or`), since a stale or hand-edited link should still show a table."""

from __future__ import annotations

import calendar
from datetime import date

from cunshe.core.errors import DomainError

MONTH_FORMAT = "月份格式应为 YYYY-MM，如 2026-11。"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def parse_month(text: str, today: date) -> date:
    """The month asked for as "YYYY-MM" (the month of `today` when empty); a refusal names the format."""
    if not text:
        return month_start(today)
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise DomainError(MONTH_FORMAT, {"month": [MONTH_FORMAT]}) from exc


def month_or[D](text: str, default: D) -> date | D:
    """The month asked for, or `default` when none is asked for or it cannot be read (a page's fallback)."""
    if not text:
        return default
    try:
        return parse_month(text, date.min)
    except DomainError:
        return default
