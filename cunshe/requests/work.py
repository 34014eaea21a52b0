"""The to-do source: the open requests assigned to me, most urgent first (issue 13's "a request assigned to me")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.requests.models import OPEN_STATUSES, Request

LIMIT = 50


def _mine(user: Any) -> QuerySet[Request]:
    if not getattr(user, "is_authenticated", False):
        return Request.objects.none()
    return Request.objects.filter(assignee=user, status__in=OPEN_STATUSES)


def request_items(user: Any) -> list[WorkItem]:
    return [
        WorkItem(
            module="requests",
            title=f"民情诉求 MQ{r.pk:08d}：{r.title}（{r.get_tier_display()}）",
            url=reverse("requests:detail", kwargs={"pk": r.pk}),
            region_name=r.region.name,
            due_at=r.due_at,
        )
        for r in _mine(user).select_related("region").order_by("due_at")[:LIMIT]
    ]


def request_counts(user: Any) -> tuple[int, int]:
    mine = _mine(user)
    return mine.count(), mine.filter(due_at__lt=timezone.now()).count()
