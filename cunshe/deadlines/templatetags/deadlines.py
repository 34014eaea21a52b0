"""`{{ handover.due_at|deadline }}`: one way to show a deadline on every page (see calendar.deadline_text)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from cunshe.deadlines.calendar import deadline_text

register = template.Library()


@register.filter
def deadline(value: date | datetime | None, style: str = "") -> str:
    """ISO-like "2026-11-26" (or "2026-11-26 12:00" for a deadline at a time of day); `|deadline:"zh"` in words."""
    return deadline_text(value, chinese=style == "zh")
