"""Training of the new teams (任职第一课, seed 000: 20 classes, 3,500 person-times): courses run by the county, a town
or the party school, their sessions, who was due (the new team members of cunshe/teams) and who attended, counted
in person-times per course and per village, and the follow-up of those absent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Provider(models.TextChoices):
    COUNTY = "county", "县(市、区)委组织部"
    TOWN = "town", "乡镇(街道)党(工)委"
    PARTY_SCHOOL = "party_school", "党校（基层党校）"


class Course(Versioned):
    """A course for the new teams of the villages under a county or a town."""

    region = RegionKey(verbose_name="举办单位所在区划")
    title = models.CharField("培训名称", max_length=100)
    provider = models.CharField("举办方", max_length=20, choices=Provider.choices)
    description = models.CharField("内容", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["region", "-created_at"]

    def __str__(self) -> str:
        return self.title


class Session(Versioned):
    """One class of a course on a day and at a place. Its sign-in code works only on that day: a photo of the QR
    poster passed around a chat group a day later signs nobody in."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    region = RegionKey(verbose_name="举办单位所在区划")
    held_on = models.DateField("培训日期")
    place = models.CharField("地点", max_length=100)
    code = models.CharField("签到码", max_length=40, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训场次"
        verbose_name_plural = "培训场次"
        ordering = ["course", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.course.title} {self.held_on}"


class Presence(models.TextChoices):
    DUE = "due", "未登记"
    PRESENT = "present", "出席"
    ABSENT = "absent", "缺席"
    LEAVE = "leave", "请假"


class Method(models.TextChoices):
    QR = "qr", "扫码签到"
    EXCEL = "excel", "Excel 导入"
    HAND = "hand", "手工登记"


class Attendance(Versioned):
    """A person due at a session (a member of a village's new team) and whether they came."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    village = RegionKey(verbose_name="村(社区)")
    post = models.CharField("职务", max_length=50, blank=True)
    status = models.CharField("出勤", max_length=20, choices=Presence.choices, default=Presence.DUE)
    reason = models.CharField("缺席原因", max_length=200, blank=True)
    method = models.CharField("登记方式", max_length=20, choices=Method.choices, blank=True)
    signed_at = models.DateTimeField("登记时间", null=True, blank=True)

    class Meta:
        verbose_name = "参训人员"
        verbose_name_plural = "参训人员"
        ordering = ["session", "village", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="trainings_attendance_once")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status}"


class FollowUp(models.Model):
    """What was done about an absence (a talk, a make-up class, study material handed over)."""

    attendance = models.ForeignKey(Attendance, on_delete=models.PROTECT, related_name="follow_ups")
    village = RegionKey(verbose_name="村(社区)")
    written_on = models.DateField("日期")
    note = models.CharField("跟进情况", max_length=300)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "缺训跟进"
        verbose_name_plural = "缺训跟进"
        ordering = ["attendance", "written_on", "id"]

    def __str__(self) -> str:
        return self.note[:30]


class VillageTally(models.Model):
    """Per village and course: persons due and person-times present, kept by the services with each change."""

    village = RegionKey(verbose_name="村(社区)")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    due = models.PositiveIntegerField("应参训人次", default=0)
    present = models.PositiveIntegerField("实参训人次", default=0)

    class Meta:
        verbose_name = "培训汇总"
        verbose_name_plural = "培训汇总"
        constraints = [models.UniqueConstraint(fields=["village", "course"], name="trainings_tally_unique")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.present}/{self.due}"
