"""The new team's annual list (初心清单) and five-year plan (五年规划), seed 000's "立好履职第一诺": after a 100%
household visit round of the new term (its own round and coverage target), the village drafts the list, the town
reviews it, and the village commits to it publicly at a theme party day; only then is it public. Items then move
through the year with dated progress entries; a roll-up row per village feeds the town and county tables."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey

# The new team visits every household before it drafts its list (seed 000: "入户率100%征求意见"). Dated so a later
# county rule is a new line; the share is "以上", so reaching it exactly is enough.
COVERAGE_RULES: tuple[tuple[date, Fraction], ...] = ((date(2021, 1, 1), Fraction(1)),)


def coverage_rule(on: date) -> Fraction:
    """The coverage share in force on `on` (the latest line dated on or before it)."""
    share = COVERAGE_RULES[0][1]
    for since, value in COVERAGE_RULES:
        if since <= on:
            share = value
    return share


class VisitRound(Versioned):
    """The new term's household visit round (新任期入户走访) of one village: how many households it has and how
    many the team visited (kept by the services), against the target share fixed when it opened."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    opened_on = models.DateField("开始日期")
    households = models.PositiveIntegerField("应访户数")
    visited = models.PositiveIntegerField("已访户数", default=0)
    target_num = models.PositiveIntegerField("目标覆盖率分子", default=1)
    target_den = models.PositiveIntegerField("目标覆盖率分母", default=1)
    reached_on = models.DateField("达到目标日期", null=True, blank=True)

    class Meta:
        verbose_name = "新任期入户走访"
        verbose_name_plural = "新任期入户走访"
        constraints = [models.UniqueConstraint(fields=["term_change", "region"], name="annuallists_round_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.visited}/{self.households}"

    @property
    def target(self) -> Fraction:
        return Fraction(self.target_num, self.target_den)

    @property
    def coverage(self) -> Fraction:
        return Fraction(self.visited, self.households) if self.households else Fraction(0)

    @property
    def reached(self) -> bool:
        return self.households > 0 and self.coverage >= self.target

    @property
    def percent(self) -> str:
        return f"{float(self.coverage * 100):.1f}%"

    @property
    def target_percent(self) -> str:
        return f"{float(self.target * 100):g}%"


class RoundVisit(models.Model):
    """One household visited in the round, with what it asked for (the opinions the list's items answer)."""

    round = models.ForeignKey(VisitRound, on_delete=models.PROTECT, related_name="visits")
    region = RegionKey(verbose_name="村(社区)")
    household = models.CharField("户主", max_length=40)
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人", max_length=100)
    opinion = models.TextField("意见建议", max_length=1000, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "新任期入户走访记录"
        verbose_name_plural = "新任期入户走访记录"
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="annuallists_round_household_unique")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on:%Y-%m-%d}"


class Status(models.TextChoices):
    DRAFT = "draft", "草拟中"
    SUBMITTED = "submitted", "已报乡镇(街道)审核"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "审核通过"
    PUBLIC = "public", "已公开承诺"


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.SUBMITTED,),
    Status.RETURNED: (Status.SUBMITTED,),
    Status.SUBMITTED: (Status.APPROVED, Status.RETURNED),
    Status.APPROVED: (Status.PUBLIC,),
    Status.PUBLIC: (),
}
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _evidence_path(instance: AnnualList, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"annuallists/{instance.region_id}/{instance.year}-pledge.{suffix}"


class AnnualList(Versioned):
    """A village's 初心清单 for one year, with its five-year plan, review and public commitment."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    drafted_on = models.DateField("起草日期")
    return_reason = models.TextField("退回原因", blank=True)
    approved_on = models.DateField("审核通过日期", null=True, blank=True)
    pledged_on = models.DateField("公开承诺日期（主题党日）", null=True, blank=True)
    pledge_place = models.CharField("承诺地点", max_length=100, blank=True)
    pledge_attendance = models.PositiveIntegerField("参加人数", null=True, blank=True)
    pledge_evidence = models.FileField("承诺佐证（照片或文件）", upload_to=_evidence_path, blank=True)
    party_meeting = models.ForeignKey(
        "partywork.PartyMeeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="主题党日会议记录",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "初心清单"
        verbose_name_plural = "初心清单"
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="annuallists_list_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}年初心清单"

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLIC


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "未开始"
    DOING = "doing", "推进中"
    DONE = "done", "已完成"
    DROPPED = "dropped", "已调整取消"


ITEM_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ItemStatus.PLANNED: (ItemStatus.DOING, ItemStatus.DONE, ItemStatus.DROPPED),
    ItemStatus.DOING: (ItemStatus.DONE, ItemStatus.DROPPED),
    ItemStatus.DONE: (),
    ItemStatus.DROPPED: (),
}


class ListItem(Versioned):
    """One thing the list promises this year: what, who is responsible, by when, and the visits it answers."""

    annual_list = models.ForeignKey(AnnualList, on_delete=models.CASCADE, related_name="items")
    region = RegionKey(verbose_name="村(社区)")
    title = models.CharField("事项", max_length=200)
    responsible = models.CharField("责任人（职务）", max_length=60)
    due_on = models.DateField("完成时限")
    answers = models.ManyToManyField(RoundVisit, blank=True, related_name="+", verbose_name="回应的走访意见")
    status = models.CharField("进展状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "初心清单事项"
        verbose_name_plural = "初心清单事项"
        ordering = ["annual_list", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ItemEntry(models.Model):
    """A dated progress note of an item (kept as written)."""

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="entries")
    region = RegionKey(verbose_name="村(社区)")
    written_on = models.DateField("日期")
    note = models.TextField("进展", max_length=1000)
    status = models.CharField("进展后状态", max_length=20, choices=ItemStatus.choices)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "初心清单事项进展"
        verbose_name_plural = "初心清单事项进展"
        ordering = ["item", "written_on", "id"]

    def __str__(self) -> str:
        return f"{self.written_on:%Y-%m-%d} {self.note[:20]}"


class Area(models.TextChoices):
    PARTY = "party", "党的建设"
    ECONOMY = "economy", "产业发展"
    LIVELIHOOD = "livelihood", "民生服务"
    ENVIRONMENT = "environment", "人居环境"
    GOVERNANCE = "governance", "乡村治理"
    CULTURE = "culture", "乡风文明"


class PlanGoal(models.Model):
    """A goal of the five-year plan in one area, with its yearly milestones (one line per year of the term)."""

    annual_list = models.ForeignKey(AnnualList, on_delete=models.CASCADE, related_name="goals")
    region = RegionKey(verbose_name="村(社区)")
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    goal = models.CharField("任期目标", max_length=300)
    milestones = models.JSONField("年度节点", default=list)  # [{"year": 2027, "text": "..."}], years in order

    class Meta:
        verbose_name = "五年规划目标"
        verbose_name_plural = "五年规划目标"
        ordering = ["annual_list", "area", "id"]

    def __str__(self) -> str:
        return self.goal


class Tally(models.Model):
    """Roll-up row per village and year, kept by the services in the transaction of each change."""

    region = RegionKey(verbose_name="村(社区)")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    items = models.PositiveIntegerField("事项数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    goals = models.PositiveIntegerField("规划目标数", default=0)

    class Meta:
        verbose_name = "初心清单汇总"
        verbose_name_plural = "初心清单汇总"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="annuallists_tally_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.done}/{self.items}"
