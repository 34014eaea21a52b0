"""Open issues past their deadline (问题清单 逾期未销号) are on the to-do lists of those who may move them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.issueboard.selectors import overdue_issues_for

# Enough for a to-do list; the full set is on the issue board.
LIMIT = 200


def overdue_issue_items(user: Any) -> list[WorkItem]:
    tz = timezone.get_current_timezone()
    return [
        WorkItem(
            module="issueboard",
            title=f"问题清单：{i.title}（{i.owner}）",
            url=reverse("issueboard:issue", kwargs={"pk": i.pk}),
            region_name=i.region.name,
            # An issue is due by the end of its deadline day.
            due_at=datetime.combine(i.due_on + timedelta(days=1), time.min, tz),
        )
        for i in overdue_issues_for(user, today=timezone.localdate())[:LIMIT]
    ]


def overdue_issue_counts(user: Any) -> tuple[int, int]:
    late = overdue_issues_for(user, today=timezone.localdate()).count()
    return late, late
