"""Follow-ups agreed in a talk are to-dos of the town (and the county) until done; overdue after their day."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.firstsecretaries.work_items import day_end
from cunshe.talks.models import Status
from cunshe.talks.permissions import followup_policy

LIMIT = 50


def _open(user: Any) -> Any:
    return followup_policy.visible_to(user, "change").filter(status=Status.OPEN)


def followup_items(user: Any) -> list[WorkItem]:
    rows = _open(user).select_related("village").order_by("due_on", "village_id")[:LIMIT]
    return [
        WorkItem(
            module="talks",
            title=f"点评谈心整改：{f.task}（{f.owner}）",
            url=reverse("talks:talk", kwargs={"pk": f.talk_id}),
            region_name=f.village.name,
            due_at=day_end(f.due_on),
        )
        for f in rows
    ]


def followup_counts(user: Any) -> tuple[int, int]:
    got = _open(user).aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=timezone.localdate())))
    return got["total"], got["overdue"]
