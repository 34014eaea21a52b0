"""Overdue tasks of the election work plans (选务作战图) are on the to-do lists of those who may move them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.readiness.selectors import overdue_tasks_for

# Enough for a to-do list; the full set is on the readiness tables.
LIMIT = 200


def overdue_task_items(user: Any) -> list[WorkItem]:
    tz = timezone.get_current_timezone()
    return [
        WorkItem(
            module="readiness",
            title=f"选务作战图：{t.title}（{t.owner}）",
            url=reverse("readiness:village", kwargs={"code": t.region_id}),
            region_name=t.region.name,
            due_at=datetime.combine(t.due_on + timedelta(days=1), time.min, tz),
        )
        for t in overdue_tasks_for(user, today=timezone.localdate())[:LIMIT]
    ]


def overdue_task_counts(user: Any) -> tuple[int, int]:
    late = overdue_tasks_for(user, today=timezone.localdate()).count()
    return late, late
