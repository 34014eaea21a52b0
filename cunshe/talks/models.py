"""点评谈心 (seed 002): a town's party secretary talks with a village's secretary about the problems the issue
channels raised (cunshe/issueboard), with follow-ups that have an owner and a deadline; counted per town and
month (seed 002: 367 talks in a month across a county)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Talk(models.Model):
    """One talk, kept as written (what was said is not edited afterwards; follow-ups carry what happens next)."""

    village = RegionKey(verbose_name="村(社区)")
    town = RegionKey(verbose_name="乡镇(街道)")
    held_on = models.DateField("谈心日期")
    place = models.CharField("地点", max_length=100)
    talker = models.CharField("谈心人（乡镇(街道)党(工)委书记）", max_length=50)
    secretary = models.CharField("谈心对象（村党组织书记）", max_length=50)
    points = models.TextField("点评内容")
    issues = models.ManyToManyField("issueboard.Issue", blank=True, related_name="+", verbose_name="反映的问题")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "点评谈心"
        verbose_name_plural = "点评谈心"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["town", "held_on"], name="talks_town_day_idx")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.secretary}"


class Status(models.TextChoices):
    OPEN = "open", "待落实"
    DONE = "done", "已落实"


TRANSITIONS: dict[str, tuple[str, ...]] = {Status.OPEN: (Status.DONE,), Status.DONE: ()}


class FollowUp(Versioned):
    """What the talk agreed must be done, by whom and by when."""

    talk = models.ForeignKey(Talk, on_delete=models.PROTECT, related_name="follow_ups")
    village = RegionKey(verbose_name="村(社区)")
    task = models.CharField("整改事项", max_length=300)
    owner = models.CharField("责任人", max_length=50)
    due_on = models.DateField("完成时限")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField("落实日期", null=True, blank=True)
    result = models.CharField("落实情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "谈心整改事项"
        verbose_name_plural = "谈心整改事项"
        ordering = ["talk", "due_on", "id"]
        indexes = [models.Index(fields=["village", "status", "due_on"], name="talks_followup_open_idx")]

    def __str__(self) -> str:
        return self.task[:30]


class MonthTally(models.Model):
    """Roll-up row: talks held per town and month, kept by the service with each talk."""

    town = RegionKey(verbose_name="乡镇(街道)")
    month = models.DateField("月份")  # the first day of the month
    talks = models.PositiveIntegerField("谈心人次", default=0)

    class Meta:
        verbose_name = "谈心月统计"
        verbose_name_plural = "谈心月统计"
        constraints = [models.UniqueConstraint(fields=["town", "month"], name="talks_month_unique")]

    def __str__(self) -> str:
        return f"{self.town_id} {self.month:%Y-%m} {self.talks}"
