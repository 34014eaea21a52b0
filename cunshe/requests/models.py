"""Resident requests (民情诉求, seed 003; the 12345 model, RULES.md "Resident service"): categories a county sets
(dated) that route a request to the village, the town or a county department; tiers with time limits; the request
with its state, assignee, history, photos and duplicates; the resident's own answer kept apart from the closing;
and the roll-up rows the daily report and the weekly review read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Route(models.TextChoices):
    VILLAGE = "village", "村(社区)办理"
    TOWN = "town", "乡镇(街道)办理"
    DEPARTMENT = "department", "县直部门办理"


class Tier(models.TextChoices):
    EMERGENCY = "emergency", "紧急"
    URGENT = "urgent", "急办"
    GENERAL = "general", "一般"
    COMPLEX = "complex", "复杂"


class LimitUnit(models.TextChoices):
    HOURS = "hours", "小时"
    CALENDAR_DAYS = "calendar_days", "自然日"
    WORKING_DAYS = "working_days", "工作日"


class Channel(models.TextChoices):
    PUBLIC = "public", "群众自报（扫码/网页）"
    VISIT = "visit", "入户走访"
    CALL = "call", "来电"
    HOTLINE = "hotline", "12345 热线工单"
    FLOATING = "floating", "流动党员反映"
    OPEN311 = "open311", "Open311 接口"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待派单"
    ASSIGNED = "assigned", "已派单"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSED = "closed", "已办结"
    REOPENED = "reopened", "重新办理"
    MERGED = "merged", "重复已合并"


OPEN_STATUSES = (Status.SUBMITTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)

# The one table of status moves (core.transitions.check_move). A closing is reopened only by the resident's
# dispute (or staff entering it); a merged duplicate is final: it points at the original and keeps its history.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (Status.ASSIGNED, Status.MERGED),
    Status.ASSIGNED: (Status.ASSIGNED, Status.IN_PROGRESS, Status.CLOSED, Status.MERGED),
    Status.IN_PROGRESS: (Status.ASSIGNED, Status.CLOSED, Status.MERGED),
    Status.CLOSED: (Status.REOPENED,),
    Status.REOPENED: (Status.ASSIGNED, Status.IN_PROGRESS, Status.CLOSED, Status.MERGED),
    Status.MERGED: (),
}


class TierLimit(models.Model):
    """A county's time limit for a tier from a date on (RULES.md: 12345 defaults when the county set none)."""

    county = RegionKey(verbose_name="县(市、区)")
    tier = models.CharField("等级", max_length=20, choices=Tier.choices)
    amount = models.DecimalField("时限", max_digits=6, decimal_places=1)
    unit = models.CharField("单位", max_length=20, choices=LimitUnit.choices)
    valid_from = models.DateField("起用日期")
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["county", "tier", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "tier", "valid_from"], name="requests_tierlimit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.amount}{self.get_unit_display()}"


class Category(Versioned):
    """A kind of request a county accepts (the Open311 service), routed to whoever handles it, dated."""

    county = RegionKey(verbose_name="县(市、区)")
    code = models.CharField("类别代码", max_length=30)
    name = models.CharField("类别名称", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)
    route = models.CharField("办理层级", max_length=20, choices=Route.choices)
    department = models.ForeignKey(
        "accounts.Department", verbose_name="承办部门", null=True, blank=True, on_delete=models.PROTECT
    )
    tier = models.CharField("默认等级", max_length=20, choices=Tier.choices, default=Tier.GENERAL)
    # Requests of a public category are shown to the public (anonymised); disputes between neighbours are not.
    public = models.BooleanField("公开", default=True)
    valid_from = models.DateField("起用日期")
    valid_to = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["county", "code"]
        constraints = [models.UniqueConstraint(fields=["county", "code"], name="requests_category_code_unique")]

    def __str__(self) -> str:
        return self.name


class Request(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    category = models.ForeignKey(Category, verbose_name="类别", on_delete=models.PROTECT, related_name="+")
    tier = models.CharField("等级", max_length=20, choices=Tier.choices)
    route = models.CharField("办理层级", max_length=20, choices=Route.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField("来源", max_length=20, choices=Channel.choices)
    title = models.CharField("标题", max_length=100)
    description = models.TextField("诉求内容", max_length=2000)
    address = models.CharField("地点", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    reporter_name = models.CharField("反映人", max_length=50, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20, blank=True)
    # A floating party member (流动党员) or any registered person who raised it; party work counts these.
    raised_by = models.ForeignKey(
        "people.Person", verbose_name="反映人(登记)", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_order_no = models.CharField("12345 工单号", max_length=40, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField("受理时间")
    due_at = models.DateTimeField("办理时限")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
    )
    # 团队接单: a service team of the village; assigning creates the team's order (serviceteams, external_ref
    # "requests:<id>") and the team's completion closes the request.
    assignee_team = models.ForeignKey(
        "serviceteams.ServiceTeam",
        verbose_name="承办服务队",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closing_note = models.CharField("办结情况", max_length=1000, blank=True)
    reopen_count = models.PositiveIntegerField("重新办理次数", default=0)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="重复于", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # The resident's own answer, apart from the handler's closing: closed is not solved.
    answer_solved = models.BooleanField("群众认为已解决", null=True, blank=True)
    answer_satisfaction = models.PositiveSmallIntegerField("满意度(1-5)", null=True, blank=True)
    answer_comment = models.CharField("群众评价", max_length=500, blank=True)
    answered_at = models.DateTimeField("评价时间", null=True, blank=True)
    public = models.BooleanField("公开", default=False)
    # The resident's own link to follow and answer the request (shown once, on the page after filing).
    token = models.CharField(max_length=40, unique=True)
    # A keyed hash of the filing client's address: the abuse guard counts by it (the address itself is not kept).
    client_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "民情诉求"
        verbose_name_plural = "民情诉求"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "work_order_no"],
                condition=~Q(work_order_no=""),
                name="requests_work_order_unique",
            ),
            models.CheckConstraint(
                condition=Q(answer_satisfaction__isnull=True)
                | Q(answer_satisfaction__gte=1, answer_satisfaction__lte=5),
                name="requests_satisfaction_1_5",
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "due_at"], name="requests_open_due")]

    def __str__(self) -> str:
        return f"{self.pk} {self.title}"

    @property
    def number(self) -> str:
        return f"MQ{self.pk:08d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Event(models.Model):
    """The request's own history (what happened to it, in order), kept also for a merged duplicate."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    region = RegionKey(verbose_name="村(社区)")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField("事项", max_length=30)
    status = models.CharField("状态", max_length=20, choices=Status.choices, blank=True)
    text = models.CharField("说明", max_length=1000, blank=True)
    # Shown to the resident on their follow-up page and in Open311's status_notes (no names).
    public = models.BooleanField("向群众公开", default=False)

    class Meta:
        verbose_name = "诉求办理记录"
        verbose_name_plural = "诉求办理记录"
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.what} {self.text[:20]}"


def _photo_path(photo: Photo, filename: str) -> str:
    return f"requests/{photo.region_id}/{photo.request_id}/{filename}"


class Photo(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="photos")
    region = RegionKey(verbose_name="村(社区)")
    image = models.FileField("照片", upload_to=_photo_path)
    stage = models.CharField("环节", max_length=20, default="filed")  # filed / handled
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "诉求照片"
        verbose_name_plural = "诉求照片"
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return self.image.name or ""


class ResponseTemplate(Versioned):
    """A county's wording for common answers (FixMyStreet's response templates), offered when closing."""

    county = RegionKey(verbose_name="县(市、区)")
    title = models.CharField("名称", max_length=50)
    text = models.CharField("内容", max_length=1000)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "答复模板"
        verbose_name_plural = "答复模板"
        ordering = ["county", "title"]
        constraints = [models.UniqueConstraint(fields=["county", "title"], name="requests_template_unique")]

    def __str__(self) -> str:
        return self.title


class VillageTally(models.Model):
    """Now, per village: the roll-up row the reports sum (kept by the services in each change's transaction;
    `overdue` also by the daily job, since the date alone moves it)."""

    village = RegionKey(verbose_name="村(社区)")
    received = models.PositiveIntegerField("受理", default=0)
    open = models.PositiveIntegerField("在办", default=0)
    overdue = models.PositiveIntegerField("逾期在办", default=0)
    closed = models.PositiveIntegerField("办结", default=0)
    reopened = models.PositiveIntegerField("重新办理(次)", default=0)
    rated = models.PositiveIntegerField("已评价", default=0)
    solved = models.PositiveIntegerField("群众认为已解决", default=0)
    satisfaction_sum = models.PositiveIntegerField("满意度合计", default=0)

    class Meta:
        verbose_name = "诉求汇总"
        verbose_name_plural = "诉求汇总"
        constraints = [models.UniqueConstraint(fields=["village"], name="requests_villagetally_unique")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.open}/{self.received}"


class DayTally(models.Model):
    """Per village and day: what happened that day (the daily report and the weekly review sum these)."""

    village = RegionKey(verbose_name="村(社区)")
    day = models.DateField("日期")
    received = models.PositiveIntegerField("受理", default=0)
    closed = models.PositiveIntegerField("办结", default=0)
    reopened = models.PositiveIntegerField("重新办理", default=0)
    rated = models.PositiveIntegerField("评价", default=0)
    solved = models.PositiveIntegerField("群众认为已解决", default=0)
    satisfaction_sum = models.PositiveIntegerField("满意度合计", default=0)

    class Meta:
        verbose_name = "诉求日汇总"
        verbose_name_plural = "诉求日汇总"
        constraints = [models.UniqueConstraint(fields=["village", "day"], name="requests_daytally_unique")]
        indexes = [models.Index(fields=["day", "village"], name="requests_daytally_day")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.day}"
