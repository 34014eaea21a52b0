"""To-dos of party work: a meeting the cadence calls for that is due within a week or overdue (per branch and
kind, from the cadence rows), and a floating member's yearly report home due within a month or overdue."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.partywork.permissions import cadence_policy, floating_policy

LIMIT = 50
MEETING_AHEAD = timedelta(days=7)
REPORT_AHEAD = timedelta(days=30)


def _end_of(day: date) -> datetime:
    """A deadline day kept as the midnight that starts the next day (deadlines.calendar.deadline_day)."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def _meetings(user: Any) -> Any:
    return cadence_policy.visible_to(user, "record").filter(due_on__lte=timezone.localdate() + MEETING_AHEAD)


def due_items(user: Any) -> list[WorkItem]:
    rows = _meetings(user).select_related("region", "branch").order_by("due_on", "region_id", "kind")[:LIMIT]
    return [
        WorkItem(
            module="partywork",
            title=f"三会一课：召开{c.get_kind_display()}",
            url=reverse("partywork:branch", kwargs={"code": c.region_id}),
            region_name=c.region.name,
            due_at=_end_of(c.due_on),
        )
        for c in rows
    ]


def due_counts(user: Any) -> tuple[int, int]:
    got = _meetings(user).aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=timezone.localdate())))
    return got["total"], got["overdue"]


def _reports(user: Any) -> Any:
    return floating_policy.visible_to(user, "record").filter(
        returned_on__isnull=True, report_due_on__lte=timezone.localdate() + REPORT_AHEAD
    )


def report_items(user: Any) -> list[WorkItem]:
    rows = _reports(user).select_related("region", "person").order_by("report_due_on", "region_id")[:LIMIT]
    return [
        WorkItem(
            module="partywork",
            title=f"流动党员{m.person.name}：{m.report_due_on.year} 年度向党组织报告",
            url=reverse("partywork:branch", kwargs={"code": m.region_id}),
            region_name=m.region.name,
            due_at=_end_of(m.report_due_on),
        )
        for m in rows
    ]


def report_counts(user: Any) -> tuple[int, int]:
    got = _reports(user).aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(report_due_on__lt=timezone.localdate()))
    )
    return got["total"], got["overdue"]
