"""Open items of a village's programme are to-dos of its cadres and its town officers until done."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.firstyear.permissions import progress_policy

LIMIT = 50


def _open(user: Any) -> Any:
    return progress_policy.visible_to(user, "change").filter(done_on__isnull=True)


def progress_items(user: Any) -> list[WorkItem]:
    rows = _open(user).select_related("region", "item").order_by("due_at", "region_id")[:LIMIT]
    return [
        WorkItem(
            module="firstyear",
            title=f"开门七件事：{p.item.name}",
            url=reverse("firstyear:village", kwargs={"code": p.region_id}),
            region_name=p.region.name,
            due_at=p.due_at,
        )
        for p in rows
    ]


def progress_counts(user: Any) -> tuple[int, int]:
    got = _open(user).aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_at__lt=timezone.now())))
    return got["total"], got["overdue"]
