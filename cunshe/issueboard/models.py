"""The issue board (问题清单 / 挂图作战 / 动态销号): problems found before the election, each with an owner and a
deadline, closed one by one with a recorded resolution; difficult villages (重点难点村) clear theirs (问题清零)."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Status(models.TextChoices):
    OPEN = "open", "待办理"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSED = "closed", "已销号"


# Closing is final: a problem that comes back is a new issue, so the closed one's resolution stays as recorded.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.OPEN: (Status.IN_PROGRESS, Status.CLOSED),
    Status.IN_PROGRESS: (Status.CLOSED, Status.OPEN),
    Status.CLOSED: (),
}
OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)


class Source(models.TextChoices):
    VISIT = "visit", "走访反映"
    CADRE = "cadre", "干部排查"


class Issue(Versioned):
    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    title = models.CharField("问题", max_length=200)
    detail = models.TextField("具体情况", blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="issues", verbose_name="走访记录"
    )
    owner = models.CharField("责任人", max_length=50)
    due_on = models.DateField("办结时限")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField("化解情况", blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    raised_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["region", "status", "due_on", "id"]
        # The to-do lists ask "open and past due, under these regions": the region range comes first, or SQLite
        # walks every open issue of a province by date (bench/preparation.py: 634 ms → 10 ms for a county).
        indexes = [models.Index(fields=["region", "status", "due_on"], name="issue_region_open_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | (models.Q(closed_on__isnull=False) & ~models.Q(resolution="")),
                name="issue_closed_has_resolution",
            )
        ]

    def __str__(self) -> str:
        return self.title


class IssueTally(Versioned):
    """Per village: the issue counts and the difficult-village flag, kept by the services for the boards."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    open = models.PositiveIntegerField("未销号", default=0)
    closed = models.PositiveIntegerField("已销号", default=0)
    overdue = models.PositiveIntegerField("已逾期", default=0)  # set by cunshe/issueboard/overdue.py
    is_difficult = models.BooleanField("重点难点村", default=False)
    difficulty = models.CharField("难点说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "问题清单汇总"
        verbose_name_plural = "问题清单汇总"
        constraints = [models.UniqueConstraint(fields=["term_change", "region"], name="issue_tally_unique")]

    @property
    def progress(self) -> float | None:
        total = self.open + self.closed
        return round(100 * self.closed / total, 1) if total else None
