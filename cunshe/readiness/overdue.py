"""The overdue count of work-plan tasks in each village's Readiness row. A task becomes overdue by the date alone,
so the count is set when a task of the village changes and, for the passing of the date, by the daily job; the
readiness tables then sum stored counts instead of counting tasks against today (bench/preparation.py).
Counts are derived data: they go into the roll-up row, not into the record book."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils import timezone

from cunshe.readiness.models import Readiness, Task, TaskStatus


def village_overdue_refresh(term_change_id: int, region_code: str, *, today: date | None = None) -> None:
    late = (
        Task.objects.filter(
            term_change_id=term_change_id, region_id=region_code, due_on__lt=today or timezone.localdate()
        )
        .exclude(status=TaskStatus.DONE)
        .count()
    )
    Readiness.objects.filter(term_change_id=term_change_id, region_id=region_code).update(tasks_overdue=late)


def rows_overdue_refresh(today: date) -> str:
    late = {
        (row["term_change_id"], row["region_id"]): row["n"]
        for row in Task.objects.filter(due_on__lt=today)
        .exclude(status=TaskStatus.DONE)
        .values("term_change_id", "region_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    changed = []
    for row in Readiness.objects.only("id", "term_change_id", "region_id", "tasks_overdue").iterator(chunk_size=2000):
        count = late.get((row.term_change_id, row.region_id), 0)
        if row.tasks_overdue != count:
            row.tasks_overdue = count
            changed.append(row)
    Readiness.objects.bulk_update(changed, ["tasks_overdue"], batch_size=1000)
    return f"选务作战图逾期数更新 {len(changed)} 个村"
