"""Visits (走访) of a term change: who is to be visited by whom by when (the plan), what each visit found, and the
coverage per village and group that the services keep up to date for the town and county tables."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Group(models.TextChoices):
    PARTY_MEMBER = "party_member", "党员"
    VILLAGER_REP = "villager_rep", "村民代表"
    CADRE = "cadre", "现任村干部"
    NOTABLE = "notable", "乡贤能人"
    HOUSEHOLD = "household", "群众户"


# The people registry knows party members and the team knows cadres; these groups are kept here.
LISTED_GROUPS = (Group.VILLAGER_REP, Group.NOTABLE, Group.HOUSEHOLD)

# Coverage a county aims for unless it sets its own (seed 004: every party member, "党员全覆盖").
DEFAULT_TARGETS: dict[str, int] = {
    Group.PARTY_MEMBER: 100,
    Group.VILLAGER_REP: 100,
    Group.CADRE: 100,
    Group.NOTABLE: 100,
    Group.HOUSEHOLD: 80,
}


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "入户走访"
    PHONE = "phone", "电话联访"


class Kind(models.TextChoices):
    """What a visit set out to do (四访四问, seed 004 鹿城): optional, so visits recorded before stay as they were."""

    NEEDS = "needs", "访民问需"
    GRIEVANCES = "grievances", "访怨问由"
    NOTABLES = "notables", "访贤问计"
    CAPABLE = "capable", "访能问效"


# 三个谈话全覆盖 (seed 004 洞头): every party member, villager representative and local notable talked to.
TALK_GROUPS = (Group.PARTY_MEMBER, Group.VILLAGER_REP, Group.NOTABLE)


class GroupMember(models.Model):
    """A person listed in a group the registry does not know (villager representative, local notable, household
    head), for the visits of one term change."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("类别", max_length=20, choices=Group.choices)
    added_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "走访对象类别"
        verbose_name_plural = "走访对象类别"
        ordering = ["region", "group", "person"]
        constraints = [
            models.UniqueConstraint(fields=["term_change", "person", "group"], name="visits_group_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_group_display()}）"


class CoverageTarget(Versioned):
    """A county's coverage target for one group in one term change, in percent."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    county = RegionKey(verbose_name="县(市、区)")
    group = models.CharField("类别", max_length=20, choices=Group.choices)
    percent = models.PositiveSmallIntegerField("目标覆盖率(%)")

    class Meta:
        verbose_name = "走访覆盖目标"
        verbose_name_plural = "走访覆盖目标"
        constraints = [models.UniqueConstraint(fields=["term_change", "group"], name="visits_target_unique")]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.percent}%"


class VisitTarget(Versioned):
    """One line of the visit plan (访前计划): this person, of this group, visited by whom, by when."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="走访对象", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("类别", max_length=20, choices=Group.choices)
    visitor = models.CharField("走访人", max_length=50)
    due_on = models.DateField("计划完成日期")
    is_away = models.BooleanField("在外（电话联访）", default=False)
    visited_on = models.DateField("首次走访日期", null=True, blank=True)
    visited_mode = models.CharField("首次走访方式", max_length=20, choices=Mode.choices, blank=True)

    class Meta:
        verbose_name = "走访计划"
        verbose_name_plural = "走访计划"
        ordering = ["region", "group", "person"]
        indexes = [models.Index(fields=["region", "visited_on"], name="visits_target_open_idx")]
        constraints = [
            models.UniqueConstraint(fields=["term_change", "person", "group"], name="visits_target_person_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_group_display()}）"


class Visit(models.Model):
    """A visit as recorded in the field; kept as written (the record book and the issue board refer to it)."""

    target = models.ForeignKey(VisitTarget, on_delete=models.PROTECT, related_name="visits")
    region = RegionKey(verbose_name="村(社区)")
    mode = models.CharField("方式", max_length=20, choices=Mode.choices)
    kind = models.CharField("类型（四访四问）", max_length=20, choices=Kind.choices, blank=True, default="")
    visited_on = models.DateField("走访日期")
    place = models.CharField("地点", max_length=100, blank=True)
    visitors = models.CharField("走访人", max_length=100)
    summary = models.TextField("谈话内容")
    opinion_team = models.TextField("对现任班子的意见", blank=True)
    opinion_election = models.TextField("对换届的意见建议", blank=True)
    intends_to_stand = models.BooleanField("有参选意向", default=False)
    intended_post = models.CharField("意向职务", max_length=50, blank=True)
    # Where the visit took place, only when the visitor chose to record it on the phone (the browser asks consent);
    # WGS 84 as the phone reports it, to six decimals (about 0.1 m).
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.target.person.name} {self.visited_on:%Y-%m-%d}"


class Stance(models.TextChoices):
    SUPPORT = "support", "支持"
    OPPOSE = "oppose", "不支持"
    UNDECIDED = "undecided", "未表态"


# Only a yes or a no counts as asked in the support rates; 未表态 is recorded but counts in neither part.
ANSWERED = (Stance.SUPPORT, Stance.OPPOSE)


class CandidateOpinion(models.Model):
    """What the visited person said of one prospective candidate of the village, recorded with the visit; the
    support rates (两率) count these."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="opinions")
    region = RegionKey(verbose_name="村(社区)")
    candidate = models.ForeignKey("people.Person", verbose_name="人选", on_delete=models.PROTECT, related_name="+")
    stance = models.CharField("态度", max_length=20, choices=Stance.choices)

    class Meta:
        verbose_name = "走访对人选的态度"
        verbose_name_plural = "走访对人选的态度"
        ordering = ["visit", "id"]
        indexes = [models.Index(fields=["region", "candidate"], name="visits_opinion_candidate_idx")]
        constraints = [
            models.UniqueConstraint(fields=["visit", "candidate"], name="visits_opinion_unique"),
            models.CheckConstraint(condition=models.Q(stance__in=Stance.values), name="visits_opinion_stance_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate.name}：{self.get_stance_display()}"


class Coverage(models.Model):
    """Roll-up row per village and group, kept by the services in the transaction of each change, so town and
    county tables sum a few rows by code prefix instead of counting visits."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    group = models.CharField("类别", max_length=20, choices=Group.choices)
    planned = models.PositiveIntegerField("应访人数", default=0)
    visited = models.PositiveIntegerField("已访人数", default=0)
    by_phone = models.PositiveIntegerField("其中电话联访", default=0)
    away = models.PositiveIntegerField("在外人数", default=0)

    class Meta:
        verbose_name = "走访覆盖汇总"
        verbose_name_plural = "走访覆盖汇总"
        constraints = [
            models.UniqueConstraint(fields=["term_change", "region", "group"], name="visits_coverage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.get_group_display()} {self.visited}/{self.planned}"
