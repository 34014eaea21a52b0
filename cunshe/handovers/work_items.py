"""Open handovers are to-dos of their working group and supervisors until every party has signed; open leftover
items are to-dos until closed, due at the end of their day, and go overdue after it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunshe.access.policy import scope_q
from cunshe.deadlines.work_items import WorkItem
from cunshe.handovers.models import Handover, Leftover, LeftoverStatus, Status


def _scope(user: Any, column: str) -> Any:
    """Those who act on handovers: the working groups (change) and the supervisors (supervise)."""
    conditions = [q for q in (scope_q(user, c, column) for c in ("handovers.change", "handovers.supervise")) if q]
    if not conditions:
        return None
    condition = conditions[0]
    for q in conditions[1:]:
        condition |= q
    return condition


def handover_items(user: Any) -> list[WorkItem]:
    condition = _scope(user, "region")
    if condition is None:
        return []
    handovers = Handover.objects.filter(condition, status=Status.OPEN).select_related("region", "outgoing")
    return [
        WorkItem(
            module="handovers",
            title=f"交接：{h.outgoing.name}（{h.get_kind_display()}），账户冻结中",
            url=reverse("handovers:detail", kwargs={"pk": h.pk}),
            region_name=h.region.name,
            due_at=h.due_at,
        )
        for h in handovers.order_by("due_at")
    ]


def leftover_items(user: Any) -> list[WorkItem]:
    condition = _scope(user, "region")
    if condition is None:
        return []
    tz = timezone.get_current_timezone()
    leftovers = Leftover.objects.filter(condition, status=LeftoverStatus.OPEN).select_related("region")
    return [
        WorkItem(
            module="handovers",
            title=f"遗留事项：{item.title}（责任人 {item.owner}）",
            url=reverse("handovers:leftover", kwargs={"pk": item.pk}),
            region_name=item.region.name,
            due_at=datetime.combine(item.due_on + timedelta(days=1), time.min, tz),
        )
        for item in leftovers.order_by("due_on")
    ]
