"""A listed household's month without its 3+N is a to-do of the village's cadres and its town until done; a month
that has ended undone is overdue."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cunshe.carelist.permissions import month_policy
from cunshe.deadlines.work_items import WorkItem

LIMIT = 50


def _open(user: Any) -> Any:
    return month_policy.visible_to(user, "change").filter(done_on__isnull=True)


def month_items(user: Any) -> list[WorkItem]:
    rows = _open(user).select_related("region", "household").order_by("due_at", "region_id", "id")[:LIMIT]
    return [
        WorkItem(
            module="carelist",
            title=f"暖心清单：{m.household.name} {m.month:%Y年%m月}“3+N”慰问",
            url=reverse("carelist:household", kwargs={"pk": m.household_id}),
            region_name=m.region.name,
            due_at=m.due_at,
        )
        for m in rows
    ]


def month_counts(user: Any) -> tuple[int, int]:
    got = _open(user).aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_at__lt=timezone.now())))
    return got["total"], got["overdue"]
