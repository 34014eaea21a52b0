"""Open disclosure obligations are to-dos of the village's cadres and its town officers; past due they are overdue
(a late or missing disclosure)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.disclosures.permissions import obligation_policy

LIMIT = 50


def _open(user: Any) -> Any:
    return obligation_policy.visible_to(user, "change").filter(done_on__isnull=True)


def obligation_items(user: Any) -> list[WorkItem]:
    rows = _open(user).select_related("region").order_by("due_at", "region_id")[:LIMIT]
    return [
        WorkItem(
            module="disclosures",
            title=f"村务公开：{o.title}",
            url=reverse("disclosures:village", kwargs={"code": o.region_id}),
            region_name=o.region.name,
            due_at=o.due_at,
        )
        for o in rows
    ]


def obligation_counts(user: Any) -> tuple[int, int]:
    got = _open(user).aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_at__lt=timezone.now())))
    return got["total"], got["overdue"]
