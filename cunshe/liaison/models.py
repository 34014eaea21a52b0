"""Liaison cadres (驻村/包村干部, 三访三察, seed 004 龙港: 134 cadres for 102 communities): a county department's or a
town's cadre assigned to a village for a time, the monthly service day (每月集中一天到社区开展服务), the three 察
ratings per village and round (班子胜任度/战斗力, 干部满意度, 村社融合度), the talks held (访班子、访党员、访群众)
and the matters resolved (kept on the issue board, cunshe/issueboard, linked here), counted in roll-up rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class CadreLevel(models.TextChoices):
    COUNTY = "county", "县直部门干部"
    TOWN = "town", "乡镇(街道)干部"


class Assignment(Versioned):
    """One cadre's assignment to one village. A reassignment ends this one and opens another: nothing is deleted,
    so the village's history of its liaison cadres stays readable."""

    village = RegionKey(verbose_name="联系村(社区)")
    # A department's cadre is rarely a resident of the village: a name with their unit (and the account they sign
    # in with, if any), not a row of the village's people registry.
    name = models.CharField("干部姓名", max_length=50)
    unit = models.CharField("所在单位及职务", max_length=100)
    level = models.CharField("干部类别", max_length=20, choices=CadreLevel.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_assignments",
    )
    started_on = models.DateField("联系起始日期")
    ended_on = models.DateField("联系结束日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "驻村(包村)干部联系"
        verbose_name_plural = "驻村(包村)干部联系"
        ordering = ["village", "-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"], condition=models.Q(ended_on__isnull=True), name="liaison_assignment_current"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="liaison_assignment_dates",
            ),
        ]
        indexes = [models.Index(fields=["village", "ended_on"], name="liaison_assignment_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class ServiceDay(models.Model):
    """The month's service day of one assignment; kept as written (one per assignment and month)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="service_days")
    village = RegionKey(verbose_name="村(社区)")
    month = models.DateField("月份")  # the first day of the month
    held_on = models.DateField("服务日期")
    work = models.CharField("服务内容", max_length=1000)
    households = models.PositiveIntegerField("走访户数", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "集中服务日"
        verbose_name_plural = "集中服务日"
        ordering = ["assignment", "month"]
        constraints = [models.UniqueConstraint(fields=["assignment", "month"], name="liaison_serviceday_month")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.work[:20]}"


class RatingKind(models.TextChoices):
    COMPETENCE = "competence", "班子战斗力（胜任度）"
    SATISFACTION = "satisfaction", "干部满意度"
    INTEGRATION = "integration", "村社融合度"


class Rating(models.Model):
    """One 察 rating of one village in one round. The scale in force that day is copied onto the row (lowest,
    highest, its wording), so a later change of the county's scale leaves earlier ratings readable as given."""

    village = RegionKey(verbose_name="村(社区)")
    year = models.PositiveSmallIntegerField("年度")
    round = models.PositiveSmallIntegerField("轮次")
    kind = models.CharField("察看项目", max_length=20, choices=RatingKind.choices)
    score = models.PositiveSmallIntegerField("评定")
    scale_low = models.PositiveSmallIntegerField("量表最低")
    scale_high = models.PositiveSmallIntegerField("量表最高")
    scale_rule = models.CharField("评定规则", max_length=200)
    rated_on = models.DateField("评定日期")
    rated_by = models.CharField("评定人", max_length=50)
    note = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "三察评定"
        verbose_name_plural = "三察评定"
        ordering = ["village", "-year", "-round", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "round", "kind"], name="liaison_rating_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=models.F("scale_low")) & models.Q(score__lte=models.F("scale_high")),
                name="liaison_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.round} {self.get_kind_display()} {self.score}"


class TalkGroup(models.TextChoices):
    TEAM = "team", "访班子"
    MEMBER = "member", "访党员"
    RESIDENT = "resident", "访群众"


class LiaisonTalk(models.Model):
    """One talk (谈心谈话) a liaison cadre held; kept as written. Not cunshe/talks: that is the town secretary's
    点评谈心 with the village secretary, counted per town for seed 002; these are a cadre's talks with the team,
    party members and residents (三访), counted per assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="talks")
    village = RegionKey(verbose_name="村(社区)")
    held_on = models.DateField("谈话日期")
    group = models.CharField("三访类别", max_length=20, choices=TalkGroup.choices)
    talked_with = models.CharField("谈话对象", max_length=100)
    topic = models.CharField("谈话内容", max_length=1000)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "驻村干部谈心谈话"
        verbose_name_plural = "驻村干部谈心谈话"
        ordering = ["assignment", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.talked_with}"


class Matter(models.Model):
    """A matter a liaison cadre took up: the item itself lives on the issue board (its owner, deadline, status and
    resolution move there, through its transition table); this row says which assignment raised it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="matters")
    village = RegionKey(verbose_name="村(社区)")
    issue = models.OneToOneField(
        "issueboard.Issue", on_delete=models.PROTECT, related_name="liaison_matter", verbose_name="问题清单事项"
    )
    raised_on = models.DateField("提出日期")

    class Meta:
        verbose_name = "驻村干部协调事项"
        verbose_name_plural = "驻村干部协调事项"
        ordering = ["assignment", "-raised_on", "-id"]

    def __str__(self) -> str:
        return f"{self.raised_on} {self.issue_id}"


class Tally(models.Model):
    """Roll-up row per village, refreshed by the services: what the town and county tables sum."""

    village = RegionKey(verbose_name="村(社区)")
    cadres = models.PositiveIntegerField("在岗联系干部", default=0)
    service_days = models.PositiveIntegerField("集中服务日", default=0)
    households = models.PositiveIntegerField("走访户数", default=0)
    talks = models.PositiveIntegerField("谈心谈话", default=0)
    matters = models.PositiveIntegerField("协调事项", default=0)
    matters_resolved = models.PositiveIntegerField("已解决事项", default=0)

    class Meta:
        verbose_name = "驻村干部统计"
        verbose_name_plural = "驻村干部统计"
        constraints = [models.UniqueConstraint(fields=["village"], name="liaison_tally_village")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.cadres}"
