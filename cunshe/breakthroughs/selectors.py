"""Reads of the breakthrough projects from the policies' scoped querysets (a constant number of queries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cunshe.breakthroughs.models import Project, Status, Task
from cunshe.breakthroughs.permissions import project_policy, task_policy


def tasks_of(user: Any, county_code: str, *, active_only: bool = False) -> QuerySet[Task]:
    qs = task_policy.visible_to(user).filter(county_id=county_code[:6])
    return qs.filter(is_active=True) if active_only else qs


def projects_under(user: Any, code: str) -> QuerySet[Project]:
    """The projects under a region, each with its milestones done / planned and overdue (annotated: one query)."""
    today = timezone.localdate()
    return (
        project_policy.visible_to(user)
        .filter(region__startswith=code)
        .select_related("region", "task", "secretary")
        .annotate(
            planned=Count("milestones"),
            reached=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
            late=Count("milestones", filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today)),
        )
        .order_by("region_id")
    )


def counts(projects: QuerySet[Project]) -> dict[str, int]:
    got = projects.aggregate(
        total=Count("id", distinct=True), **{s: Count("id", filter=Q(status=s), distinct=True) for s in Status.values}
    )
    return {k: v or 0 for k, v in got.items()}
