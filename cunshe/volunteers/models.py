"""换届志愿服务队 (seed 004, 平阳: 453 teams, 1,640 people): a village's volunteer team for the term change, formed
by the village or by the town; its members (residents from the people register, or an outsider by name and phone)
each with a role from the dated role list, joining and leaving on a day (nothing is deleted); the team's activities
(date, kind, place, what was done, who took part, households reached); and one summary row per village kept by the
services in the same transaction, so the town and county tables sum stored rows."""

from __future__ import annotations

from datetime import date

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.people.models import Person
from cunshe.regions.models import RegionKey

# The roles (and the activity kinds, which are the same words) as dated data: a county that adds a kind from a day
# on adds a version here; members and activities are checked against the list in force on their own day.
ROLE_LISTS: tuple[tuple[date, tuple[tuple[str, str], ...]], ...] = (
    (
        date(2026, 1, 1),
        (
            ("publicity", "宣传"),
            ("sounding", "摸排"),
            ("mediation", "调解"),
            ("service", "服务"),
            ("other", "其他"),
        ),
    ),
)
ROLE_LABELS: dict[str, str] = {code: label for _, roles in ROLE_LISTS for code, label in roles}


def roles_on(day: date) -> dict[str, str]:
    """Code → label of the role list in force on the day (the earliest list before its own start)."""
    chosen = ROLE_LISTS[0][1]
    for starts, roles in ROLE_LISTS:
        if starts <= day:
            chosen = roles
    return dict(chosen)


class FormedBy(models.TextChoices):
    VILLAGE = "village", "村级组建"
    TOWN = "town", "乡镇(街道)组建"


class VolunteerTeam(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="届次", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField("队名", max_length=60)
    formed_by = models.CharField("组建方式", max_length=20, choices=FormedBy.choices)
    formed_on = models.DateField("成立日期")
    leader = models.CharField("队长", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "换届志愿服务队"
        verbose_name_plural = "换届志愿服务队"
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="volunteerteam_unique_name")]

    def __str__(self) -> str:
        return self.name


class VolunteerMember(models.Model):
    """One stay of a person in a team: leaving sets `left_on`; joining again is a new row."""

    team = models.ForeignKey(VolunteerTeam, verbose_name="服务队", on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name="人员档案", null=True, blank=True, on_delete=models.PROTECT, related_name="volunteer_teams"
    )
    # Kept for every member (copied from the register for residents): the roster and its import name people so.
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    role = models.CharField("职责", max_length=20)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    left_reason = models.CharField("退出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"
        ordering = ["team", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name", "phone"],
                condition=models.Q(left_on__isnull=True),
                name="volunteermember_unique_active",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="volunteermember_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


class VolunteerActivity(Versioned):
    team = models.ForeignKey(VolunteerTeam, verbose_name="服务队", on_delete=models.PROTECT, related_name="activities")
    region = RegionKey(verbose_name="村(社区)")  # the team's, kept for the access rule and the roll-up
    held_on = models.DateField("活动日期")
    kind = models.CharField("活动类型", max_length=20)
    place = models.CharField("地点", max_length=100)
    description = models.CharField("活动内容", max_length=500)
    households = models.PositiveIntegerField("走访覆盖户数", default=0)
    # the polling station (or box) the team served at on an election day: one of its own village's elections
    station = models.ForeignKey(
        "polling.Station",
        verbose_name="服务的投票站",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_activities",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "志愿服务活动"
        verbose_name_plural = "志愿服务活动"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    @property
    def kind_label(self) -> str:
        return ROLE_LABELS.get(self.kind, self.kind)


class VolunteerParticipation(models.Model):
    activity = models.ForeignKey(
        VolunteerActivity, verbose_name="活动", on_delete=models.PROTECT, related_name="participations"
    )
    member = models.ForeignKey(
        VolunteerMember, verbose_name="志愿者", on_delete=models.PROTECT, related_name="participations"
    )

    class Meta:
        verbose_name = "参加活动"
        verbose_name_plural = "参加活动"
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="volunteerparticipation_unique")]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.member_id}"


class VolunteerSummary(models.Model):
    """The village's counts, rewritten by every service that changes them in the same transaction; the town and
    county tables sum these rows by code prefix."""

    region = RegionKey(verbose_name="村(社区)")
    teams = models.PositiveIntegerField("服务队数", default=0)
    people = models.PositiveIntegerField("在队志愿者", default=0)
    activities = models.PositiveIntegerField("活动次数", default=0)
    turnouts = models.PositiveIntegerField("参加人次", default=0)
    households = models.PositiveIntegerField("覆盖户数", default=0)

    class Meta:
        verbose_name = "志愿服务汇总"
        verbose_name_plural = "志愿服务汇总"
        constraints = [models.UniqueConstraint(fields=["region"], name="volunteersummary_unique_region")]

    def __str__(self) -> str:
        return self.region_id
