"""The overdue count of each village's tally row. An issue becomes overdue by the date alone, so the count is set
when an issue of the village changes and, for the passing of the date, by the daily job; the boards then sum
stored counts (a province's boards would otherwise count raw issues against today, bench/preparation.py).
Counts are derived data: they go into the roll-up row, not into the record book."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils import timezone

from cunshe.issueboard.models import OPEN_STATUSES, TRANSITIONS, Issue, IssueTally

# "Not closed" rather than "status IN (open, in_progress)": SQLite 3.40 (Debian 12) answered the IN form with a row
# outside the date range when it read the (region, status, due_on) index — an issue due tomorrow counted overdue,
# depending on the planner's statistics (the flaky overdue test). Same set of issues, no IN beside the range.
CLOSED = [s for s in TRANSITIONS if s not in OPEN_STATUSES]


def village_overdue_refresh(term_change_id: int, region_code: str, *, today: date | None = None) -> None:
    late = (
        Issue.objects.filter(
            term_change_id=term_change_id, region_id=region_code, due_on__lt=today or timezone.localdate()
        )
        .exclude(status__in=CLOSED)
        .count()
    )
    # Not through the version: a recount must not make a cadre's open flag form stale.
    IssueTally.objects.filter(term_change_id=term_change_id, region_id=region_code).update(overdue=late)


def tallies_overdue_refresh(today: date) -> str:
    late = {
        (row["term_change_id"], row["region_id"]): row["n"]
        for row in Issue.objects.filter(due_on__lt=today)
        .exclude(status__in=CLOSED)
        .values("term_change_id", "region_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    changed = []
    for tally in IssueTally.objects.only("id", "term_change_id", "region_id", "overdue").iterator(chunk_size=2000):
        count = late.get((tally.term_change_id, tally.region_id), 0)
        if tally.overdue != count:
            tally.overdue = count
            changed.append(tally)
    IssueTally.objects.bulk_update(changed, ["overdue"], batch_size=1000)
    return f"问题清单逾期数更新 {len(changed)} 个村"
