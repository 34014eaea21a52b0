"""Open commitments are to-dos of the village's cadres and its town officers until done or dropped."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cunshe.commitments.models import OPEN_STATUSES
from cunshe.commitments.permissions import commitment_policy
from cunshe.deadlines.work_items import WorkItem

# Keeps the home page short for a town officer with many villages: the most urgent first.
LIMIT = 50


def _open(user: Any) -> Any:
    return commitment_policy.visible_to(user, "change").filter(status__in=OPEN_STATUSES)


def commitment_items(user: Any) -> list[WorkItem]:
    tz = timezone.get_current_timezone()
    commitments = _open(user).select_related("region").order_by("deadline", "ledger_no")[:LIMIT]
    return [
        WorkItem(
            module="commitments",
            title=f"开门一件事：{c.title}",
            url=reverse("commitments:detail", kwargs={"pk": c.pk}),
            region_name=c.region.name,
            due_at=datetime.combine(c.deadline + timedelta(days=1), time.min, tz),
        )
        for c in commitments
    ]


def commitment_counts(user: Any) -> tuple[int, int]:
    """All open commitments and those overdue today (by the deadline, whether or not the daily check ran)."""
    got = _open(user).aggregate(total=Count("id"), overdue=Count("id", filter=Q(deadline__lt=timezone.localdate())))
    return got["total"], got["overdue"]
