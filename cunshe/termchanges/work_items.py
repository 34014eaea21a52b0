"""Milestones of open term changes are to-dos of the county's organizers and town officers until marked done."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunshe.access.policy import grants_of
from cunshe.access.roles import Role
from cunshe.deadlines.work_items import WorkItem
from cunshe.termchanges.models import Milestone, Status

ROLES = {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER}


def milestone_items(user: Any) -> list[WorkItem]:
    counties = sorted({g.region_code[:6] for g in grants_of(user) if g.role in ROLES})
    if not counties:
        return []
    tz = timezone.get_current_timezone()
    milestones = (
        Milestone.objects.filter(term_change__county_id__in=counties, done_on__isnull=True)
        .exclude(term_change__status=Status.COMPLETED)
        .select_related("term_change", "term_change__county")
        .order_by("due_on")
    )
    return [
        WorkItem(
            module="termchanges",
            title=f"换届节点：{m.title}",
            url=reverse("termchanges:detail", kwargs={"pk": m.term_change_id}),
            region_name=m.term_change.county.name,
            # Due at the end of its day.
            due_at=datetime.combine(m.due_on + timedelta(days=1), time.min, tz),
        )
        for m in milestones
    ]
