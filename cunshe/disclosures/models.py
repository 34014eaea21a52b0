"""党务村务财务公开 (disclosure): the county's schedule per kind (dated data with defaults), what each village is
due to disclose (an obligation per period, or per resolved 四议两公开 decision for major items), each disclosure
with its content, channels and photos of the board, and the town roll-up rows kept in the same transactions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Kind(models.TextChoices):
    FINANCE = "finance", "财务公开"
    GENERAL = "general", "党务村务一般事项公开"
    MAJOR = "major", "重大事项公开"


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    EVENT = "event", "随时（事项决定后）"


class Channel(models.TextChoices):
    BOARD = "board", "公开栏"
    LOUDSPEAKER = "loudspeaker", "大喇叭"
    WEBSITE = "website", "村务网站"
    CHAT_GROUP = "chat_group", "微信群"


def schedule_label(period: str, due_day: int | None, due_working_days: int | None) -> str:
    if period == Period.EVENT:
        return f"决定后 {due_working_days} 个工作日内"
    if period == Period.QUARTER:
        return f"每季度，下季度首月 {due_day} 日前"
    return f"每月，次月 {due_day} 日前"


class Schedule(models.Model):
    """A county's rule for one kind from a day on. Periodic kinds are due by `due_day` of the month after the
    period (a quarter's general items by the 20th of the next quarter's first month); major items within
    `due_working_days` working days of the decision."""

    county = RegionKey(verbose_name="县(市、区)")
    kind = models.CharField("公开类别", max_length=20, choices=Kind.choices)
    effective_from = models.DateField("施行日期")
    period = models.CharField("周期", max_length=20, choices=Period.choices)
    due_day = models.PositiveSmallIntegerField("次月几日前公开", null=True, blank=True)
    due_working_days = models.PositiveSmallIntegerField("决定后几个工作日内公开", null=True, blank=True)

    class Meta:
        verbose_name = "公开时限"
        verbose_name_plural = "公开时限"
        ordering = ["county", "kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "kind", "effective_from"], name="disclosures_schedule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.kind} {self.effective_from}"

    @property
    def label(self) -> str:
        return schedule_label(self.period, self.due_day, self.due_working_days)


class Obligation(models.Model):
    """What a village is due to disclose: a period's finances or general items, or one decision's resolution. Open
    until a published disclosure satisfies it; open past `due_at` it is overdue on the to-do lists."""

    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("公开类别", max_length=20, choices=Kind.choices)
    period_start = models.DateField("所属期间起", null=True, blank=True)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="obligations"
    )
    title = models.CharField("应公开事项", max_length=120)
    due_at = models.DateTimeField("公开时限")
    done_on = models.DateField("公开日期", null=True, blank=True)

    class Meta:
        verbose_name = "应公开事项"
        verbose_name_plural = "应公开事项"
        ordering = ["region", "due_at"]
        indexes = [models.Index(fields=["done_on", "due_at"], name="disclosures_obligation_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "period_start"],
                condition=models.Q(period_start__isnull=False),
                name="disclosures_obligation_period_unique",
            ),
            models.UniqueConstraint(
                fields=["decision"], condition=models.Q(decision__isnull=False), name="disclosures_obligation_decision"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DecisionStep(models.TextChoices):
    RESOLUTION = "resolution_disclosure", "决议公开"
    RESULT = "result_disclosure", "实施结果公开"


class Disclosure(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("公开类别", max_length=20, choices=Kind.choices)
    period_start = models.DateField("所属期间起", null=True, blank=True)
    title = models.CharField("标题", max_length=120)
    content = models.TextField("公开内容")
    channels = models.JSONField("公开渠道", default=list)
    published_on = models.DateField("公开日期", null=True, blank=True)
    late = models.BooleanField("逾期公开", default=False)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    decision_step = models.CharField("四议两公开步骤", max_length=30, choices=DecisionStep.choices, blank=True)
    obligation = models.OneToOneField(
        Obligation, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosure"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "公开记录"
        verbose_name_plural = "公开记录"
        ordering = ["region", "-published_on", "-created_at"]
        indexes = [models.Index(fields=["region", "published_on"], name="disclosures_region_pub_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "decision_step"],
                condition=models.Q(decision__isnull=False),
                name="disclosures_one_per_decision_step",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels if c in Channel.values]


def _photo_path(instance: Photo, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"disclosures/{instance.disclosure.region_id}/{instance.disclosure_id}/{instance.uid}.{suffix}"


class Photo(models.Model):
    """A photo of the board (or another channel) showing the disclosure."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="photos")
    region = RegionKey(verbose_name="村(社区)")
    uid = models.CharField(max_length=32)
    image = models.FileField("照片", upload_to=_photo_path)
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开照片"
        verbose_name_plural = "公开照片"
        ordering = ["disclosure", "uploaded_at"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class TownTally(models.Model):
    """The roll-up row of one town and one kind, kept by the services: obligations, how many were disclosed, how
    many of those late. Overdue depends on the clock and is counted from the open obligations' indexed due moment."""

    region = RegionKey(verbose_name="乡镇(街道)")
    kind = models.CharField("公开类别", max_length=20, choices=Kind.choices)
    due = models.PositiveIntegerField("应公开", default=0)
    done = models.PositiveIntegerField("已公开", default=0)
    done_late = models.PositiveIntegerField("逾期公开", default=0)
    published = models.PositiveIntegerField("公开记录数", default=0)

    class Meta:
        verbose_name = "公开汇总"
        verbose_name_plural = "公开汇总"
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="disclosures_tally_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.done}/{self.due}"
