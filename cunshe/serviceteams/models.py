"""Service teams (居民点单、社区派单、团队接单, seed 003): a village's or community's teams of volunteers, veteran cadres,
party members and 楼长 with their members, what they offer and when (the willingness list, 意愿清单), residents'
needs (the needs list, 需求清单), orders placed by a resident or dispatched by the community and accepted,
declined or completed by a team, and the hours each member served (whole minutes, never floats)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.people.models import Person
from cunshe.regions.models import RegionKey


class TeamKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿服务队"
    VETERAN = "veteran", "老干部服务队"
    PARTY = "party", "党员服务队"
    BUILDING = "building", "楼长队伍"


class Category(models.TextChoices):
    ELDERLY = "elderly", "助老助残"
    REPAIR = "repair", "家电维修"
    HYGIENE = "hygiene", "环境卫生"
    ERRAND = "errand", "代办代购"
    LEGAL = "legal", "法律咨询"
    MEDIATION = "mediation", "矛盾调解"
    HEALTH = "health", "健康义诊"
    TUTORING = "tutoring", "课业辅导"
    OTHER = "other", "其他"


WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def weekdays_text(mask: int) -> str:
    return "、".join(f"周{d}" for i, d in enumerate(WEEKDAYS) if mask & (1 << i))


class ServiceTeam(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    name = models.CharField("队名", max_length=60)
    kind = models.CharField("类型", max_length=20, choices=TeamKind.choices)
    leader = models.CharField("负责人", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    created_at = models.DateTimeField("成立登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务队"
        verbose_name_plural = "服务队"
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="serviceteam_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeamAccount(models.Model):
    """An account acting for one team (the team's leader on a phone): it sees and answers its own orders only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_teams")
    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="accounts")

    class Meta:
        verbose_name = "服务队账号"
        verbose_name_plural = "服务队账号"
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="teamaccount_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.team_id}"


class Member(models.Model):
    team = models.ForeignKey(ServiceTeam, verbose_name="服务队", on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, verbose_name="队员", on_delete=models.PROTECT, related_name="service_teams")
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        verbose_name = "服务队队员"
        verbose_name_plural = "服务队队员"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], condition=models.Q(left_on__isnull=True), name="member_unique_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.person_id}"


class Offer(models.Model):
    """One line of the willingness list: a category the team serves, on which weekdays, between which hours."""

    team = models.ForeignKey(ServiceTeam, verbose_name="服务队", on_delete=models.PROTECT, related_name="offers")
    category = models.CharField("服务类别", max_length=20, choices=Category.choices)
    weekdays = models.PositiveSmallIntegerField("服务日(周一=1位)")  # bit i = weekday i (Monday = 0)
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    note = models.CharField("说明", max_length=200, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = "服务意愿"
        verbose_name_plural = "服务意愿清单"
        constraints = [
            models.CheckConstraint(condition=models.Q(weekdays__gt=0, weekdays__lt=128), name="offer_weekdays"),
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="offer_window"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.category}"

    @property
    def weekdays_label(self) -> str:
        return weekdays_text(self.weekdays)


class NeedStatus(models.TextChoices):
    OPEN = "open", "待服务"
    ORDERED = "ordered", "已下单"
    CLOSED = "closed", "已关闭"


class Need(models.Model):
    """One line of the needs list: what a resident needs, on which day and between which hours."""

    region = RegionKey(verbose_name="村(社区)")
    resident = models.CharField("居民", max_length=30)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    person = models.ForeignKey(Person, verbose_name="居民档案", null=True, blank=True, on_delete=models.PROTECT)
    category = models.CharField("服务类别", max_length=20, choices=Category.choices)
    wanted_on = models.DateField("希望日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    description = models.CharField("需求内容", max_length=300)
    status = models.CharField("状态", max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "居民需求"
        verbose_name_plural = "需求清单"
        ordering = ["region", "wanted_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="need_window")
        ]

    def __str__(self) -> str:
        return f"{self.resident} {self.category}"


class Origin(models.TextChoices):
    RESIDENT = "resident", "居民点单"
    COMMUNITY = "community", "社区派单"


class OrderStatus(models.TextChoices):
    PLACED = "placed", "待派单"
    DISPATCHED = "dispatched", "已派单"
    ACCEPTED = "accepted", "已接单"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"


class Order(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    number = models.CharField("单号", max_length=30, unique=True)
    origin = models.CharField("来源", max_length=20, choices=Origin.choices)
    need = models.ForeignKey(Need, verbose_name="需求", null=True, blank=True, on_delete=models.PROTECT)
    # The hook for cunshe/requests: a resident request dispatched to a team names itself here ("requests:123").
    external_ref = models.CharField("外部来源编号", max_length=60, blank=True, db_index=True)
    category = models.CharField("服务类别", max_length=20, choices=Category.choices)
    resident = models.CharField("居民", max_length=30)
    description = models.CharField("服务内容", max_length=300)
    wanted_on = models.DateField("服务日期")
    # The team the resident picked from the menu (居民点单); the community's dispatch decides `team`.
    requested_team = models.ForeignKey(
        ServiceTeam, verbose_name="居民点选的服务队", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        ServiceTeam, verbose_name="承接服务队", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField("状态", max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    note = models.CharField("办理说明", max_length=300, blank=True)
    created_at = models.DateTimeField("下单时间", auto_now_add=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "服务订单"
        verbose_name_plural = "服务订单"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "status"], name="order_team_status")]

    def __str__(self) -> str:
        return self.number


class Hours(models.Model):
    """Minutes a member served on a completed order; the points module reads these (service hours earn points)."""

    order = models.ForeignKey(Order, verbose_name="订单", on_delete=models.PROTECT, related_name="hours")
    member = models.ForeignKey(Member, verbose_name="队员", on_delete=models.PROTECT, related_name="hours")
    region = RegionKey(verbose_name="村(社区)")
    worked_on = models.DateField("服务日期")
    minutes = models.PositiveIntegerField("服务时长(分钟)")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务时长"
        verbose_name_plural = "服务时长"
        constraints = [
            models.UniqueConstraint(fields=["order", "member"], name="hours_unique_member"),
            models.CheckConstraint(condition=models.Q(minutes__gt=0, minutes__lte=24 * 60), name="hours_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.member_id} {self.minutes}"
