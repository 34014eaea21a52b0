"""The count (计票): one result sheet per box (polling.Station) of an election, entered twice by two accounts that
never see each other's entry, reconciled (equal) or settled field by field against the paper (different), stopped by
the quarantine checks until cleared or corrected, signed off with a scan of the signed paper, and changed after that
only by a recorded correction. A meeting election (party, supervision) has one sheet for the meeting, with its
attendance. `CountSummary` is the one row per election the county's election-day board reads (decision 0010)."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class SheetStatus(models.TextChoices):
    FIRST = "first", "已录入一次"
    DIFFERING = "differing", "两次录入不一致"
    QUARANTINED = "quarantined", "审核未通过（隔离）"
    RECONCILED = "reconciled", "核对一致"
    SIGNED_OFF = "signed_off", "已签认"


# A sheet's moves (IllegalTransition otherwise). Corrections keep a signed-off sheet signed off.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    SheetStatus.FIRST: (SheetStatus.DIFFERING, SheetStatus.QUARANTINED, SheetStatus.RECONCILED),
    SheetStatus.DIFFERING: (SheetStatus.QUARANTINED, SheetStatus.RECONCILED),
    SheetStatus.QUARANTINED: (SheetStatus.RECONCILED,),
    SheetStatus.RECONCILED: (SheetStatus.SIGNED_OFF,),
    SheetStatus.SIGNED_OFF: (),
}


class Sheet(Versioned):
    """A box's result sheet (票箱计票单). `figures` holds the agreed figures once both entries agree or a settler
    has chosen every differing value: a flat map of field → value (see services.FIELDS): "issued", "returned",
    "valid", "invalid", "void:<post>", "votes:<candidate id>", "writein:<post>:<name>" (ints); for a meeting also
    "due", "present" (ints), "absent" and "excluded" (lists of [name, reason])."""

    election = models.ForeignKey(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="count_sheets"
    )
    # None for the one sheet of a meeting election (no polling stations).
    station = models.OneToOneField(
        "polling.Station", verbose_name="票箱", on_delete=models.PROTECT, null=True, blank=True, related_name="sheet"
    )
    status = models.CharField("状态", max_length=20, choices=SheetStatus.choices, default=SheetStatus.FIRST)
    figures = models.JSONField("核定数据", default=dict)
    # How each differing field was settled: field → {"值": value, "录入一": v1, "录入二": v2}.
    settlement = models.JSONField("差异处理", default=dict)
    # Quarantine checks cleared by a settler: check key → reason.
    cleared = models.JSONField("审核放行", default=dict)
    signed_off_at = models.DateTimeField("签认时间", null=True, blank=True)
    signed_off_by_name = models.CharField("签认人", max_length=50, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "计票单"
        verbose_name_plural = "计票单"
        ordering = ["election", "station__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election"], condition=models.Q(station__isnull=True), name="counts_one_meeting_sheet"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station.name if self.station else '会议'}计票单"


class Entry(models.Model):
    """One of the two independent entries of a sheet. Never shown to the other entrant."""

    sheet = models.ForeignKey(Sheet, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveSmallIntegerField("第几次录入")
    figures = models.JSONField("录入数据")
    entered_by = models.ForeignKey("accounts.User", verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "计票单录入"
        verbose_name_plural = "计票单录入"
        ordering = ["sheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="counts_entry_number"),
            models.UniqueConstraint(fields=["sheet", "entered_by"], name="counts_entry_two_accounts"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}次录入"


class Correction(models.Model):
    """A change to a signed-off sheet, with its reason; before and after hold only the changed fields."""

    sheet = models.ForeignKey(Sheet, on_delete=models.PROTECT, related_name="corrections")
    reason = models.CharField("更正原因", max_length=300)
    before = models.JSONField("更正前")
    after = models.JSONField("更正后")
    corrected_by_name = models.CharField("更正人", max_length=50)
    corrected_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "计票单更正"
        verbose_name_plural = "计票单更正"
        ordering = ["sheet", "pk"]

    def __str__(self) -> str:
        return f"更正：{self.reason}"


class SheetScan(models.Model):
    """The photo or scan of the signed paper sheet, kept in the database like handovers' scans (the backup holds it
    with the record); the service caps size and type."""

    sheet = models.ForeignKey(Sheet, on_delete=models.PROTECT, related_name="scans")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    content = models.BinaryField("内容")
    size = models.PositiveIntegerField("大小")
    uploaded_by_name = models.CharField("上传人", max_length=50)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "计票单照片/扫描件"
        verbose_name_plural = "计票单照片/扫描件"
        ordering = ["sheet", "pk"]

    def __str__(self) -> str:
        return self.name


class CountSummary(models.Model):
    """One row per election, kept by the services in the transaction of every sheet change: what the county's
    election-day board and the statistical return sum (never the sheets themselves)."""

    election = models.OneToOneField(
        "elections.Election", verbose_name="选举", on_delete=models.CASCADE, related_name="count_summary"
    )
    region = RegionKey(verbose_name="村(社区)")
    election_day = models.DateField("选举日")
    kind = models.CharField("选举类别", max_length=20)
    round = models.CharField("轮次", max_length=10)
    boxes_expected = models.PositiveIntegerField("票箱数", default=0)
    boxes_received = models.PositiveIntegerField("已录入票箱", default=0)
    boxes_differing = models.PositiveIntegerField("录入不一致", default=0)
    boxes_quarantined = models.PositiveIntegerField("审核未通过", default=0)
    boxes_reconciled = models.PositiveIntegerField("核对一致", default=0)  # includes those signed off
    boxes_signed_off = models.PositiveIntegerField("已签认", default=0)
    registered = models.PositiveIntegerField("登记选民", default=0)
    returned = models.PositiveIntegerField("收回选票（已核定）", default=0)
    mobile_returned = models.PositiveIntegerField("流动票箱收回选票", default=0)
    sub_venues = models.PositiveIntegerField("投票站数", default=0)
    booths = models.PositiveIntegerField("秘密写票处", default=0)
    proxies = models.PositiveIntegerField("委托投票", default=0)
    written_for = models.PositiveIntegerField("代写选票", default=0)
    counted = models.BooleanField("已计票", default=False)
    result_status = models.CharField("计票结果", max_length=20, blank=True)
    elected = models.PositiveIntegerField("当选人数", default=0)
    elected_women = models.PositiveIntegerField("当选妇女", default=0)
    elected_party = models.PositiveIntegerField("当选党员", default=0)
    vacancies = models.PositiveIntegerField("空缺名额", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "计票汇总"
        verbose_name_plural = "计票汇总"
        indexes = [models.Index(fields=["election_day", "region"], name="counts_summary_day_region")]

    def __str__(self) -> str:
        return f"{self.election}计票汇总"


class AccountPerson(models.Model):
    """Who an account belongs to (账号对应人员), recorded by the town or county before the count: accounts carry a
    display name only, and the count's fairness rule needs the person to refuse an account whose holder is a
    candidate of the election or a candidate's close relative. Kept here because only the count reads it; it would
    sit better on the account itself (see the report)."""

    user = models.OneToOneField(
        "accounts.User", verbose_name="账号", on_delete=models.CASCADE, related_name="count_person"
    )
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField("登记人", max_length=50, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "计票账号对应人员"
        verbose_name_plural = "计票账号对应人员"

    def __str__(self) -> str:
        return f"{self.user}：{self.person.name}"
