"""Centralized education (集中教育, seed 002): a county's or town's campaign with its tasks for every village under it
— finance clean-up (财务清理), integrity education (廉政教育), conflict screening (矛盾纠纷排查) — each done by the
village with what was done, overdue once the campaign has ended undone, rolled up per town and county."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Kind(models.TextChoices):
    FINANCE = "finance", "财务清理"
    INTEGRITY = "integrity", "廉政教育"
    CONFLICTS = "conflicts", "矛盾纠纷排查"


class Campaign(models.Model):
    region = RegionKey(verbose_name="组织单位所在区划")
    title = models.CharField("名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    kinds = models.JSONField("任务", default=list)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "集中教育"
        verbose_name_plural = "集中教育"
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def kinds_label(self) -> str:
        return "、".join(Kind(k).label for k in self.kinds)


class VillageTask(Versioned):
    """One task of a campaign in one village: done on a day with what was done."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tasks")
    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("任务", max_length=20, choices=Kind.choices)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("完成情况", max_length=500, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "集中教育任务"
        verbose_name_plural = "集中教育任务"
        ordering = ["campaign", "region", "kind"]
        constraints = [models.UniqueConstraint(fields=["campaign", "region", "kind"], name="education_task_once")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind}"
