"""The new team's public commitments (开门一件事, seeds 000 and 001): a ledger of what each village committed to,
its progress and evidence, the annual list and five-year plan, the target letter with the town, the random
inspections of the county and the showcase cases. Nothing here is deleted: the ledger is what was promised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey

# The six categories of Cangzhou (seed 001, RULES.md); a county may keep its own list in CountyRules.
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "改善生产生活条件",
    "发展壮大集体经济",
    "化解信访矛盾隐患",
    "走访慰问党员群众",
    "提升改善村容村貌",
    "抓好班子带好队伍",
)
DEFAULT_MIN_PER_VILLAGE = 3
DEFAULT_MAX_PER_VILLAGE = 5


class Kind(models.TextChoices):
    FIRST = "first", "开门一件事"
    ANNUAL = "annual", "初心清单"
    FIVE_YEAR = "five_year", "五年规划"


class Source(models.TextChoices):
    VISITS = "visits", "入户走访"
    SUGGESTION_BOX = "suggestion_box", "意见箱"
    REPRESENTATIVES = "representatives", "村民代表会议"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    OVERDUE = "overdue", "已逾期"
    DROPPED = "dropped", "已放弃"


# The allowed moves, as data. Overdue is set by the daily check once the deadline has passed; an overdue
# commitment can still be resumed, finished or dropped (with a reason). Done and dropped are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PLANNED: (Status.IN_PROGRESS, Status.DONE, Status.OVERDUE, Status.DROPPED),
    Status.IN_PROGRESS: (Status.DONE, Status.OVERDUE, Status.DROPPED),
    Status.OVERDUE: (Status.IN_PROGRESS, Status.DONE, Status.DROPPED),
    Status.DONE: (),
    Status.DROPPED: (),
}
OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.OVERDUE)


class CountyRules(Versioned):
    """What a county decided for its villages: the count of commitments allowed and the category taxonomy."""

    county = RegionKey(verbose_name="县(市、区)")
    min_per_village = models.PositiveSmallIntegerField("每村最少件数", default=DEFAULT_MIN_PER_VILLAGE)
    max_per_village = models.PositiveSmallIntegerField("每村最多件数", default=DEFAULT_MAX_PER_VILLAGE)
    categories = models.JSONField("类别", default=list)

    class Meta:
        verbose_name = "开门一件事县级设置"
        verbose_name_plural = "开门一件事县级设置"
        constraints = [models.UniqueConstraint(fields=["county"], name="commitment_rules_county_unique")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.min_per_village}-{self.max_per_village} 件"


class Commitment(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    # Stable across exports and re-imports: the Excel ledger matches rows by it.
    ledger_no = models.CharField("台账编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.FIRST)
    # The term the team that made it was elected in (results.selectors.terms_of); empty for a team elected before
    # cunshe kept its elections (上届). Counts per village are per term and year: a village's old team and its new
    # team may both commit in the year of the election.
    term_change = models.ForeignKey(
        "termchanges.TermChange",
        verbose_name="届次",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("类别", max_length=40)
    title = models.CharField("事项", max_length=100)
    content = models.TextField("内容举措")
    target = models.TextField("目标成效")
    deadline = models.DateField("完成时限")
    responsible_post = models.CharField("责任岗位", max_length=50)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.VISITS)
    # The visit opinions the idea came from (issue 6: "linked to visit opinions once visits exist").
    source_visits = models.ManyToManyField("visits.Visit", verbose_name="来源走访意见", blank=True, related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)
    drop_reason = models.CharField("放弃原因", max_length=200, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    evidence = models.TextField("完成佐证", blank=True)
    is_showcase = models.BooleanField("典型案例", default=False)
    showcase_writeup = models.TextField("案例材料", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "开门一件事"
        verbose_name_plural = "开门一件事"
        ordering = ["region", "kind", "ledger_no"]
        indexes = [
            models.Index(fields=["region", "kind"], name="commitment_region_kind_idx"),
            models.Index(fields=["status", "deadline"], name="commitment_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(drop_reason=""), name="commitment_drop_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ledger_no} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def current_status(self) -> str:
        """The status as of today: open and past the deadline is overdue on the day it is read, whether or not the
        daily check has marked it yet (selectors.late_unmarked is the same condition in a query)."""
        if self.status in (Status.PLANNED, Status.IN_PROGRESS) and self.deadline < timezone.localdate():
            return Status.OVERDUE
        return self.status

    @property
    def term_label(self) -> str:
        """The term in words (select_related("term_change") on lists)."""
        return self.term_change.title if self.term_change is not None else "上届（本系统记录换届前产生的班子）"

    @property
    def current_status_display(self) -> str:
        return Status(self.current_status).label


def _photo_path(instance: ProgressUpdate, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"commitments/{instance.commitment.region_id}/{instance.commitment_id}-{instance.written_on:%Y%m%d}.{suffix}"


class ProgressUpdate(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="updates")
    written_on = models.DateField("日期")
    note = models.TextField("进展")
    photo = models.FileField("照片", upload_to=_photo_path, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "进展"
        verbose_name_plural = "进展"
        ordering = ["commitment", "-written_on", "-id"]

    def __str__(self) -> str:
        return f"{self.written_on} {self.note[:20]}"


class VillageSummary(models.Model):
    """Counts per village, kind and category, kept by the services in the same transaction as the change,
    so that the town and county tables sum a few rows by code prefix instead of counting the ledger."""

    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    # Counted per term and year: the county's range (e.g. 3-5 a village) is one team's commitments of a year, not all
    # years or both teams of an election year together.
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="届次", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("类别", max_length=40)
    total = models.PositiveIntegerField("件数", default=0)
    planned = models.PositiveIntegerField("未开始", default=0)
    in_progress = models.PositiveIntegerField("推进中", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    overdue = models.PositiveIntegerField("已逾期", default=0)
    dropped = models.PositiveIntegerField("已放弃", default=0)
    showcase = models.PositiveIntegerField("典型案例", default=0)

    class Meta:
        verbose_name = "开门一件事汇总"
        verbose_name_plural = "开门一件事汇总"
        constraints = [
            # Two partial indexes: a NULL term (上届) would not collide in one unique index on either database.
            models.UniqueConstraint(
                fields=["region", "kind", "term_change", "year", "category"],
                condition=models.Q(term_change__isnull=False),
                name="commitment_summary_term_unique",
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "year", "category"],
                condition=models.Q(term_change__isnull=True),
                name="commitment_summary_before_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.category} {self.total}"


class TargetLetter(Versioned):
    """The two-way commitment (双向承诺, Renqiu in seed 001): the village's target letter to the town, signed."""

    region = RegionKey(verbose_name="村(社区)")
    year = models.PositiveSmallIntegerField("年度")
    signed_on = models.DateField("签订日期")
    village_signatory_post = models.CharField("村方签字岗位", max_length=50, default="村党组织书记")
    town_signatory_post = models.CharField("乡镇方签字岗位", max_length=50, default="乡镇(街道)党(工)委书记")
    ledger_nos = models.JSONField("承诺事项台账编号", default=list)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "目标承诺书"
        verbose_name_plural = "目标承诺书"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="target_letter_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} 目标承诺书"


class DrawMode(models.TextChoices):
    COUNT = "count", "按村数"
    SHARE = "share", "按比例"


class Inspection(models.Model):
    """A county's random inspection (抽查): the villages drawn, stratified by town, with the seed of the draw."""

    county = RegionKey(verbose_name="县(市、区)")
    title = models.CharField("名称", max_length=100)
    mode = models.CharField("抽取方式", max_length=10, choices=DrawMode.choices)
    # Villages for COUNT, per cent for SHARE.
    amount = models.PositiveIntegerField("数量或百分比")
    seed = models.BigIntegerField("随机种子")
    drawn_on = models.DateField("抽取日期")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "抽查"
        verbose_name_plural = "抽查"
        ordering = ["-drawn_on", "-id"]

    def __str__(self) -> str:
        return self.title


class InspectedVillage(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="villages")
    region = RegionKey(verbose_name="村(社区)")

    class Meta:
        verbose_name = "抽中村(社区)"
        verbose_name_plural = "抽中村(社区)"
        ordering = ["inspection", "region"]
        constraints = [models.UniqueConstraint(fields=["inspection", "region"], name="inspected_village_unique")]

    def __str__(self) -> str:
        return self.region_id


class Finding(Versioned):
    """A problem an inspector found in a village; it becomes a rectification (立行立改) with a deadline."""

    inspected = models.ForeignKey(InspectedVillage, on_delete=models.PROTECT, related_name="findings")
    region = RegionKey(verbose_name="村(社区)")
    description = models.TextField("问题")
    found_on = models.DateField("发现日期")
    rectify_by = models.DateField("整改时限")
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    evidence = models.TextField("整改佐证", blank=True)

    class Meta:
        verbose_name = "抽查问题"
        verbose_name_plural = "抽查问题"
        ordering = ["inspected", "id"]

    def __str__(self) -> str:
        return self.description[:30]

    @property
    def is_rectified(self) -> bool:
        return self.rectified_on is not None


# --- three-level responsibility (三级责任体系, seed 001 运河区) ------------------------------------------------
# The county checks (its random inspections above, 区委督查检查), the town supervises (督导, TownVisit), the village
# checks itself (自查, SelfCheck); showcase cases are sent upward (CaseSending). ThreeLevelTally keeps the counts
# the roll-up tables read, in the same transaction as each record.


class SelfCheck(models.Model):
    """A village's monthly self-check of one commitment (村党组织自查反思): how far it got and what is in the way.
    One a commitment a month; nothing is deleted."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="self_checks")
    region = RegionKey(verbose_name="村(社区)")
    month = models.DateField("月份")  # the first day of the month checked
    checked_on = models.DateField("自查日期")
    progress = models.TextField("进展情况")
    problems = models.TextField("存在问题", blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "村级自查"
        verbose_name_plural = "村级自查"
        ordering = ["-month", "commitment"]
        constraints = [models.UniqueConstraint(fields=["commitment", "month"], name="self_check_month_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} 自查"


class TownVisit(Versioned):
    """A town's supervision visit (乡镇(街道)党(工)委督促指导): the day, the villages visited, what was found and
    the follow-up, which may be written later."""

    town = RegionKey(verbose_name="乡镇(街道)")
    visited_on = models.DateField("督导日期")
    villages = models.JSONField("督导村(社区)", default=list)
    findings = models.TextField("发现问题")
    follow_up = models.TextField("跟进措施", blank=True)
    followed_up_on = models.DateField("跟进日期", null=True, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "乡镇督导"
        verbose_name_plural = "乡镇督导"
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.town_id} {self.visited_on} 督导"


class SendLevel(models.TextChoices):
    TOWN = "town", "乡镇(街道)"
    COUNTY = "county", "县(市、区)"
    CITY = "city", "市"
    PROVINCE = "province", "省"
    MEDIA = "media", "报刊媒体"


class CaseSending(models.Model):
    """One sending of a showcase case upward (推送典型案例): to which level and outlet, on what day, by whom. A case
    may be sent several times; sendings are never deleted."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="sendings")
    region = RegionKey(verbose_name="村(社区)")
    level = models.CharField("报送层级", max_length=10, choices=SendLevel.choices)
    outlet = models.CharField("报送单位或平台", max_length=100)
    sent_on = models.DateField("报送日期")
    sender = models.CharField("报送人", max_length=50)
    note = models.CharField("备注", max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "典型案例报送"
        verbose_name_plural = "典型案例报送"
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.commitment_id} → {self.outlet} {self.sent_on}"


class ThreeLevelTally(models.Model):
    """Counts per region and month, kept by the services beside each record. A village's row counts its
    commitments self-checked, the town visits and county checks that reached it and its cases sent; a town's row
    its visits made; a county's row its checks made. The roll-ups sum these rows by code prefix."""

    region = RegionKey(verbose_name="区域")
    month = models.DateField("月份")
    self_checks = models.PositiveIntegerField("自查事项数", default=0)
    visited = models.PositiveIntegerField("被督导次数", default=0)
    checked = models.PositiveIntegerField("被抽查次数", default=0)
    cases_sent = models.PositiveIntegerField("案例报送次数", default=0)
    visits_made = models.PositiveIntegerField("督导次数", default=0)
    checks_made = models.PositiveIntegerField("抽查次数", default=0)

    class Meta:
        verbose_name = "三级责任汇总"
        verbose_name_plural = "三级责任汇总"
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="three_level_tally_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m}"
