"""First secretaries (第一书记, seed 003): a cadre posted by a sending unit to a village for a term of 1-3 years
with a work team (工作队), the dated work log (驻村日志), the monthly report (工作月报) and the quarterly and
half-year summaries submitted to the town (which acknowledges them), and the statistics kept as roll-up rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Posting(Versioned):
    """One first secretary's posting to one village."""

    village = RegionKey(verbose_name="派驻村(社区)")
    # An agency's cadre, not a resident of the village: a name (and the account they sign in with, if any), not a
    # row of the village's people registry.
    name = models.CharField("第一书记", max_length=50)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="first_secretary_postings",
    )
    # The people-registry row the satisfaction survey of 三个全覆盖 scores for this posting (first secretaries are
    # registered where they serve, like the liaison police officers): chosen by the organiser, never matched by name.
    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员登记",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sending_unit = models.CharField("派出单位", max_length=100)
    started_on = models.DateField("到村日期")
    ends_on = models.DateField("任期届满")
    team_members = models.CharField("工作队成员", max_length=300, blank=True)
    ended_on = models.DateField("离任日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "第一书记派驻"
        verbose_name_plural = "第一书记派驻"
        ordering = ["village", "-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"], condition=models.Q(ended_on__isnull=True), name="fs_posting_current"
            ),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("started_on")), name="fs_posting_term"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.sending_unit}）"


class LogEntry(models.Model):
    """One dated entry of the work log; kept as written (a correction is a new entry)."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="log")
    village = RegionKey(verbose_name="村(社区)")
    written_on = models.DateField("日期")
    content = models.CharField("工作内容", max_length=1000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "驻村日志"
        verbose_name_plural = "驻村日志"
        ordering = ["posting", "-written_on", "-id"]

    def __str__(self) -> str:
        return f"{self.written_on} {self.content[:20]}"


class Kind(models.TextChoices):
    MONTH = "month", "工作月报"
    QUARTER = "quarter", "季度总结"
    HALF = "half", "半年总结"


class Status(models.TextChoices):
    DUE = "due", "待报送"
    SUBMITTED = "submitted", "已报送"
    ACKNOWLEDGED = "acknowledged", "乡镇已签收"


# The town may hand a report back (returned → due again with its reason); an acknowledged report is final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DUE: (Status.SUBMITTED,),
    Status.SUBMITTED: (Status.ACKNOWLEDGED, Status.DUE),
    Status.ACKNOWLEDGED: (),
}


class Report(Versioned):
    """A report due for one period of the posting; listed at the posting's start for its whole term."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="reports")
    village = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    due_on = models.DateField("报送时限")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DUE)
    text = models.TextField("报告内容", blank=True)
    # What the monthly report states; modules that count a figure themselves win over these (statistics.py).
    lectures = models.PositiveIntegerField("政策理论宣讲（场次）", default=0)
    members_recruited = models.PositiveIntegerField("发展党员（名）", default=0)
    meetings = models.PositiveIntegerField("指导三会一课、主题党日（次）", default=0)
    decisions = models.PositiveIntegerField("指导四议两公开（次）", default=0)
    disclosures = models.PositiveIntegerField("党务村务财务公开（条）", default=0)
    funds = models.DecimalField("争取资金（元）", max_digits=14, decimal_places=2, default=0)
    projects = models.PositiveIntegerField("引进项目（个）", default=0)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    acknowledged_on = models.DateField("签收日期", null=True, blank=True)
    returned_reason = models.CharField("退回原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "第一书记报告"
        verbose_name_plural = "第一书记报告"
        ordering = ["posting", "period_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "kind", "period_start"], name="fs_report_once"),
        ]
        indexes = [models.Index(fields=["village", "status", "due_on"], name="fs_report_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m}"


class Tally(models.Model):
    """Roll-up row: a posting's figure of one statistic over its term so far, refreshed by the services."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="tallies")
    village = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("指标", max_length=40)
    value = models.DecimalField("数值", max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = "第一书记统计"
        verbose_name_plural = "第一书记统计"
        constraints = [models.UniqueConstraint(fields=["posting", "kind"], name="fs_tally_unique")]

    def __str__(self) -> str:
        return f"{self.posting_id} {self.kind}={self.value}"
