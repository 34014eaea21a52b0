"""The care list (暖心清单, seed 000): a village's needy households (poor, 低保, 五保, living alone) and their monthly
"3+N" visits — three fixed acts (一次暖心聊天、一顿爱心家常饭、一次精心清扫) and N problems of the household solved.
Each listed household has one row per month from the month it was listed (`CareMonth`), done once the month's
visits have covered the three acts; a month that ends undone is overdue."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey

# the three fixed acts of "3+N", in the seed's order
ACTS: tuple[tuple[str, str], ...] = (("chat", "暖心聊天"), ("meal", "爱心家常饭"), ("cleaning", "精心清扫"))


class Household(Versioned):
    """A needy household on a village's care list; kept (with the day and the reason) when it leaves the list."""

    region = RegionKey(verbose_name="村(社区)")
    name = models.CharField("户主", max_length=40)
    address = models.CharField("住址", max_length=100, blank=True)
    poor = models.BooleanField("贫困户", default=False)
    dibao = models.BooleanField("低保户", default=False)
    wubao = models.BooleanField("五保户", default=False)
    alone = models.BooleanField("独居（鳏寡孤独）", default=False)
    carer = models.CharField("结对帮扶人", max_length=60, blank=True)
    listed_on = models.DateField("列入日期")
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removed_reason = models.CharField("移出原因", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "暖心清单户"
        verbose_name_plural = "暖心清单户"
        ordering = ["region", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name", "address"],
                condition=models.Q(removed_on__isnull=True),
                name="carelist_household_once",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_label(self) -> str:
        return "、".join(
            label
            for flag, label in ((self.poor, "贫困"), (self.dibao, "低保"), (self.wubao, "五保"), (self.alone, "独居"))
            if flag
        )


class CareMonth(models.Model):
    """One household's month: due by the month's end, done on the day its visits covered the three acts."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="months")
    region = RegionKey(verbose_name="村(社区)")
    month = models.DateField("月份")  # its first day
    due_at = models.DateTimeField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    solved = models.PositiveIntegerField("解决问题数", default=0)

    class Meta:
        verbose_name = "暖心清单月度慰问"
        verbose_name_plural = "暖心清单月度慰问"
        ordering = ["household", "month"]
        indexes = [models.Index(fields=["done_on", "due_at"], name="carelist_month_due_idx")]
        constraints = [models.UniqueConstraint(fields=["household", "month"], name="carelist_month_once")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.month:%Y-%m}"


class CareVisit(models.Model):
    """A visit of the month: who went, which of the three acts they did and the problems (N) they solved."""

    care_month = models.ForeignKey(CareMonth, on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits")
    region = RegionKey(verbose_name="村(社区)")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人", max_length=100)
    chat = models.BooleanField("暖心聊天", default=False)
    meal = models.BooleanField("爱心家常饭", default=False)
    cleaning = models.BooleanField("精心清扫", default=False)
    problems = models.TextField("解决的问题（每行一件）", blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "暖心走访"
        verbose_name_plural = "暖心走访"
        ordering = ["household", "visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"

    @property
    def problem_list(self) -> list[str]:
        return [line for line in self.problems.splitlines() if line.strip()]

    @property
    def acts_label(self) -> str:
        return "、".join(label for key, label in ACTS if getattr(self, key)) or "—"
