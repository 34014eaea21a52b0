"""`{{ handover.due_at|deadline }}`: one way to show a deadline on every page (see calendar.deadline_text)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from cunshe.deadlines import holidays
from cunshe.deadlines.calendar import deadline_day, deadline_text

register = template.Library()


@register.filter
def deadline(value: date | datetime | None, style: str = "") -> str:
    """ISO-like "2026-11-26" (or "2026-11-26 12:00" for a deadline at a time of day); `|deadline:"zh"` in words."""
    return deadline_text(value, chinese=style == "zh")


@register.simple_tag
def schedule_warning(value: date | datetime | None) -> str:
    """The warning text for a deadline in a year whose holiday schedule is not loaded (empty otherwise)."""
    if value is None:
        return ""
    return holidays.schedule_warning(deadline_day(value) if isinstance(value, datetime) else value)
