"""A county's term change (换届): the five-yearly election of all its village committees, with its key dates.
Preparation, review, election and handover records of the modules belong to one term change."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Status(models.TextChoices):
    PLANNED = "planned", "筹备中"
    PREPARING = "preparing", "换届准备"
    ELECTING = "electing", "选举实施"
    HANDING_OVER = "handing_over", "工作交接"
    COMPLETED = "completed", "已完成"


# The allowed moves, as data (one step forward, or back one step to correct a premature advance).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PLANNED: (Status.PREPARING,),
    Status.PREPARING: (Status.ELECTING, Status.PLANNED),
    Status.ELECTING: (Status.HANDING_OVER, Status.PREPARING),
    Status.HANDING_OVER: (Status.COMPLETED, Status.ELECTING),
    Status.COMPLETED: (),
}


class TermChange(Versioned):
    county = RegionKey(verbose_name="县(市、区)")
    year = models.PositiveSmallIntegerField("换届年份")
    title = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)
    opened_on = models.DateField("启动日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "换届"
        verbose_name_plural = "换届"
        ordering = ["-year", "county"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="termchange_county_year_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def next_milestone(self) -> Milestone | None:
        """The first milestone not yet done (uses the prefetched milestones)."""
        return next((m for m in self.milestones.all() if m.done_on is None), None)


class Milestone(Versioned):
    """A key date of the term change (关键节点), e.g. the end of the visits or the election day."""

    term_change = models.ForeignKey(TermChange, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("节点", max_length=100)
    due_on = models.DateField("截止日期")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "换届节点"
        verbose_name_plural = "换届节点"
        ordering = ["term_change", "position"]
        constraints = [models.UniqueConstraint(fields=["term_change", "position"], name="milestone_position_unique")]

    def __str__(self) -> str:
        return self.title
