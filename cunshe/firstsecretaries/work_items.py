"""Reports owed (the period has ended and nothing is submitted) are to-dos of the secretary and of the town;
overdue after their day. Submitted reports wait on the town's acknowledgement."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.firstsecretaries.models import Status
from cunshe.firstsecretaries.permissions import report_policy

LIMIT = 50


def day_end(day: Any) -> datetime:
    """A deadline day kept as the midnight that starts the next day (deadlines.calendar.deadline_day)."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def _owed(user: Any) -> Any:
    return report_policy.visible_to(user, "change").filter(
        status=Status.DUE, period_end__lt=timezone.localdate(), posting__ended_on__isnull=True
    )


def _waiting(user: Any) -> Any:
    return report_policy.visible_to(user, "acknowledge").filter(status=Status.SUBMITTED)


def report_items(user: Any) -> list[WorkItem]:
    owed = _owed(user).select_related("posting", "village").order_by("due_on", "village_id")[:LIMIT]
    waiting = _waiting(user).select_related("posting", "village").order_by("submitted_on", "village_id")[:LIMIT]
    return [
        WorkItem(
            module="firstsecretaries",
            title=f"第一书记{r.posting.name}：{r.get_kind_display()}（{r.period_start:%Y-%m}）待报送",
            url=reverse("firstsecretaries:posting", kwargs={"pk": r.posting_id}),
            region_name=r.village.name,
            due_at=day_end(r.due_on),
        )
        for r in owed
    ] + [
        WorkItem(
            module="firstsecretaries",
            title=f"第一书记{r.posting.name}：{r.get_kind_display()}（{r.period_start:%Y-%m}）待签收",
            url=reverse("firstsecretaries:posting", kwargs={"pk": r.posting_id}),
            region_name=r.village.name,
        )
        for r in waiting
    ]


def report_counts(user: Any) -> tuple[int, int]:
    got = _owed(user).aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=timezone.localdate())))
    return got["total"] + _waiting(user).count(), got["overdue"]
