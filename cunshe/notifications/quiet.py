"""Quiet hours (免打扰): a window of the day, possibly across midnight; what falls in it waits until it ends."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone


def quiet_until(now: datetime, start: time | None, end: time | None) -> datetime | None:
    """The moment the quiet window holding `now` ends (local time), or None when `now` is outside it."""
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    clock = local.time()
    tz = local.tzinfo
    if start < end:  # e.g. 12:00-13:30
        if start <= clock < end:
            return datetime.combine(local.date(), end, tz)
        return None
    # Across midnight, e.g. 22:00-07:30.
    if clock >= start:
        return datetime.combine(local.date() + timedelta(days=1), end, tz)
    if clock < end:
        return datetime.combine(local.date(), end, tz)
    return None
