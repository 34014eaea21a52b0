"""The joint review on the to-do lists: reviewers see their department's open batches with the deadline (a reminder
before it and at it), the county sees batches to release, 存疑 people to decide and overdue departments (escalated)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.calendar import add_working_days
from cunshe.deadlines.work_items import WorkItem
from cunshe.reviews.defaults import REMIND_BEFORE_DAYS
from cunshe.reviews.models import BatchStatus, DepartmentReviewStatus
from cunshe.reviews.permissions import batch_policy, department_review_policy, reviewer_policy


def reminder_stage(due_at: Any, now: Any = None) -> str:
    """ "" until the reminder, then 即将到期 (half a working day before), then 已到截止时间."""
    now = now or timezone.now()
    if due_at is None:
        return ""
    if now >= due_at:
        return "已到截止时间"
    # The reminder fires when less than REMIND_BEFORE_DAYS of working time is left.
    if add_working_days(now, REMIND_BEFORE_DAYS) >= due_at:
        return "即将到期"
    return ""


def reviewer_items(user: Any) -> list[WorkItem]:
    reviews = (
        reviewer_policy.visible_to(user)
        .filter(status=DepartmentReviewStatus.OPEN)
        .select_related("batch", "batch__town", "department")
        .order_by("batch__due_at")
    )
    items = []
    for r in reviews:
        stage = reminder_stage(r.batch.due_at)
        prefix = f"【{stage}】" if stage else ""
        items.append(
            WorkItem(
                module="reviews",
                title=f"{prefix}联审：{r.batch.title}（{r.department.name}，已审 {r.answered_count}/{r.batch.candidate_count}）",
                url=reverse("reviews:desk_batch", kwargs={"pk": r.pk}),
                region_name=r.batch.town.name,
                due_at=r.batch.due_at,
            )
        )
    return items


def county_items(user: Any) -> list[WorkItem]:
    batches = batch_policy.visible_to(user, "manage").filter(
        Q(status=BatchStatus.SUBMITTED) | Q(status=BatchStatus.COMPLETED, doubtful_count__gt=0)
    )
    items = []
    for b in batches.select_related("town").order_by("submitted_at"):
        if b.status == BatchStatus.SUBMITTED:
            title = f"待发布联审批次：{b.title}（{b.candidate_count} 人）"
        else:
            title = f"存疑待研判：{b.title}（{b.doubtful_count} 人）"
        url = reverse("reviews:batch", kwargs={"pk": b.pk})
        items.append(WorkItem(module="reviews", title=title, url=url, region_name=b.town.name))
    # Escalation: a department still open after the deadline lands on the county's list.
    late = (
        department_review_policy.visible_to(user, "manage")
        .filter(status=DepartmentReviewStatus.OPEN, batch__due_at__lt=timezone.now())
        .select_related("batch", "batch__town", "department")
        .order_by("batch__due_at")
    )
    items += [
        WorkItem(
            module="reviews",
            title=f"逾期未反馈：{r.department.name} · {r.batch.title}",
            url=reverse("reviews:batch", kwargs={"pk": r.batch_id}),
            region_name=r.batch.town.name,
            due_at=r.batch.due_at,
        )
        for r in late
    ]
    return items
