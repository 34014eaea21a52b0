"""Daily checks (四个必查, seed 004 瓯海): the county's checklist of the four must-checks a village cadre does on
arriving each working day (环境卫生、群众走访、待办事项、网格民情), kept as dated versions so that a day keeps the
version it was done under; each cadre's check of a day, item by item (fine, or a problem with a note, which may go
to the issue board); the per-cadre month rows the indicators and the town and county tables read; and the county's
measures (the 18 measures of the 村社运行规范年) as a list of targets with progress entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class ItemKey(models.TextChoices):
    ENVIRONMENT = "environment", "环境卫生必查"
    VISITS = "visits", "群众走访情况必查"
    PENDING = "pending", "待办事项必查"
    GRID = "grid", "微网格民情必查"


ITEM_KEYS: tuple[str, ...] = tuple(ItemKey.values)


class Checklist(models.Model):
    """One version of a county's checklist, in force from `valid_from` until the next version's day."""

    county = RegionKey(verbose_name="县(市、区)")
    valid_from = models.DateField("启用日期")
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "每日必查清单"
        verbose_name_plural = "每日必查清单"
        ordering = ["county", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["county", "valid_from"], name="dailychecks_list_once")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.valid_from}"


class ChecklistItem(models.Model):
    """One of the four must-checks in a version, with what the cadre looks at."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="items")
    key = models.CharField("必查项", max_length=20, choices=ItemKey.choices)
    guidance = models.TextField("查什么")

    class Meta:
        verbose_name = "必查项"
        verbose_name_plural = "必查项"
        ordering = ["checklist", "id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "key"], name="dailychecks_item_once")]

    def __str__(self) -> str:
        return f"{self.checklist_id} {self.key}"


class DailyCheck(models.Model):
    """A cadre's check of one working day, done under the checklist version in force that day."""

    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="村干部", on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    checklist = models.ForeignKey(Checklist, verbose_name="清单版本", on_delete=models.PROTECT, related_name="+")
    problems = models.PositiveSmallIntegerField("发现问题数", default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "每日必查记录"
        verbose_name_plural = "每日必查记录"
        ordering = ["region", "-day", "person"]
        indexes = [models.Index(fields=["region", "day"], name="dailychecks_check_day_idx")]
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="dailychecks_check_once")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}"


class CheckResult(models.Model):
    """One item of a day's check: fine, or a problem with its note; a problem is closed here (整改) or sent to the
    issue board (`issue`)."""

    check_record = models.ForeignKey(DailyCheck, on_delete=models.PROTECT, related_name="results")
    region = RegionKey(verbose_name="村(社区)")
    key = models.CharField("必查项", max_length=20, choices=ItemKey.choices)
    ok = models.BooleanField("正常")
    note = models.CharField("问题说明", max_length=300, blank=True)
    issue = models.ForeignKey(
        "issueboard.Issue", verbose_name="问题清单", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField("整改日期", null=True, blank=True)
    closing_note = models.CharField("整改情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "必查结果"
        verbose_name_plural = "必查结果"
        ordering = ["check_record", "id"]
        constraints = [
            models.UniqueConstraint(fields=["check_record", "key"], name="dailychecks_result_once"),
            models.CheckConstraint(condition=models.Q(ok=False) | models.Q(note=""), name="dailychecks_ok_no_note"),
        ]

    def __str__(self) -> str:
        return f"{self.check_record_id} {self.key}"


class CadreMonth(models.Model):
    """The roll-up row of one cadre's month in one village, changed in the same transaction as the checks:
    the days done, the problems found and closed (counted in the month they were found). `since` is the first
    day of the month the cadre was in office: the working days due are counted from it."""

    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="村干部", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")  # its first day
    since = models.DateField("本月起算日期")
    done = models.PositiveSmallIntegerField("已查天数", default=0)
    found = models.PositiveIntegerField("发现问题", default=0)
    closed = models.PositiveIntegerField("已整改", default=0)

    class Meta:
        verbose_name = "村干部每日必查月度指标"
        verbose_name_plural = "村干部每日必查月度指标"
        ordering = ["region", "month", "person"]
        indexes = [models.Index(fields=["month", "region"], name="dailychecks_month_idx")]
        constraints = [models.UniqueConstraint(fields=["region", "person", "month"], name="dailychecks_month_once")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m}"


class Area(models.TextChoices):
    DUTY = "duty", "主体责任落实"
    ROUTINE = "routine", "村社日常运行"
    RED = "red", "基层治理“红色领航”"
    PROJECTS = "projects", "重点项目攻坚"
    TEAMS = "teams", "基本队伍建设"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "未启动"
    ONGOING = "ongoing", "推进中"
    BEHIND = "behind", "滞后"
    DONE = "done", "已完成"


class Measure(Versioned):
    """One of the county's measures (举措) with its target and the unit responsible."""

    county = RegionKey(verbose_name="县(市、区)")
    number = models.PositiveSmallIntegerField("序号")
    area = models.CharField("方面", max_length=20, choices=Area.choices)
    title = models.CharField("举措", max_length=100)
    target = models.CharField("目标", max_length=300)
    unit = models.CharField("责任单位", max_length=60)
    due_on = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "举措"
        verbose_name_plural = "举措清单"
        ordering = ["county", "number"]
        constraints = [models.UniqueConstraint(fields=["county", "number"], name="dailychecks_measure_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeasureProgress(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="progress")
    county = RegionKey(verbose_name="县(市、区)")
    reported_on = models.DateField("日期")
    text = models.CharField("进展", max_length=500)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "举措进展"
        verbose_name_plural = "举措进展"
        ordering = ["measure", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.reported_on}"
