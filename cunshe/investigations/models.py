"""Investigation teams and the six-item clearing (六清, seed 004 浙南): a town's teams of leaders and resident cadres
(联系领导+驻村组) cover its villages for dated spans; each covered village gets the six clearing items of the set in
force, each moving not started → in progress → cleared with the evidence and who cleared it; the problems an item
finds go to the issue board (cunshe/issueboard) and the item is cleared only when they are closed (问题清零).
Talks held and households visited are logged per team and village; a tally row per village feeds the tables."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey

# The six items as dated data: the set in force on the term change's opening day is copied onto each village's
# checklist (a later county rule set would be added here with its own start date, never edited in place). Seed 004
# names the action (“六清”行动) but not its items; these are the names the issue gives.
CLEARING_SETS: tuple[tuple[date, tuple[tuple[str, str], ...]], ...] = (
    (
        date(2020, 1, 1),
        (
            ("finance", "清理财务"),
            ("assets", "清理资产资源"),
            ("disputes", "清理矛盾纠纷"),
            ("petitions", "清理信访积案"),
            ("violations", "清理违规违纪"),
            ("candidates", "清理不合格人选"),
        ),
    ),
)


def clearing_set_on(day: date) -> tuple[tuple[str, str], ...]:
    """The items in force on `day` (the latest set starting on or before it)."""
    in_force = [items for starts, items in CLEARING_SETS if starts <= day]
    return in_force[-1] if in_force else CLEARING_SETS[0][1]


class MemberRole(models.TextChoices):
    LEADER = "leader", "联系领导"
    RESIDENT = "resident", "驻村干部"


class InvestigationTeam(Versioned):
    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="乡镇(街道)")
    name = models.CharField("调研组名称", max_length=60)
    formed_on = models.DateField("组建日期")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "调研组"
        verbose_name_plural = "调研组"
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["term_change", "region", "name"], name="invteam_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(InvestigationTeam, verbose_name="调研组", on_delete=models.PROTECT, related_name="members")
    name = models.CharField("姓名", max_length=30)
    post = models.CharField("职务", max_length=60, blank=True)
    role = models.CharField("组内角色", max_length=20, choices=MemberRole.choices)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    joined_on = models.DateField("加入日期")

    class Meta:
        verbose_name = "调研组成员"
        verbose_name_plural = "调研组成员"
        ordering = ["team", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="invmember_unique_name")]

    def __str__(self) -> str:
        return self.name


class Coverage(models.Model):
    """A team covers a village from a day until (open) a day; one team at a time per village."""

    team = models.ForeignKey(
        InvestigationTeam, verbose_name="调研组", on_delete=models.PROTECT, related_name="coverages"
    )
    region = RegionKey(verbose_name="村(社区)")
    from_on = models.DateField("包村起始日期")
    to_on = models.DateField("包村结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "包村范围"
        verbose_name_plural = "包村范围"
        ordering = ["region", "from_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(to_on__isnull=True), name="invcoverage_one_open"
            ),
            models.CheckConstraint(
                condition=models.Q(to_on__isnull=True) | models.Q(to_on__gte=models.F("from_on")),
                name="invcoverage_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}→{self.region_id}"


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "清理中"
    CLEARED = "cleared", "已清"


# Cleared is final: what turns up later is a new issue on the board, not an item reopened.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ItemStatus.NOT_STARTED: (ItemStatus.IN_PROGRESS,),
    ItemStatus.IN_PROGRESS: (ItemStatus.CLEARED,),
    ItemStatus.CLEARED: (),
}


class ClearingItem(Versioned):
    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    code = models.CharField("事项代码", max_length=20)
    name = models.CharField("事项", max_length=30)
    position = models.PositiveSmallIntegerField("序号")
    status = models.CharField("状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    started_on = models.DateField("开始日期", null=True, blank=True)
    cleared_on = models.DateField("清结日期", null=True, blank=True)
    evidence = models.TextField("清理情况及佐证", blank=True)
    cleared_by = models.CharField("清理责任人", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "六清事项"
        verbose_name_plural = "六清事项"
        ordering = ["region", "position"]
        constraints = [
            models.UniqueConstraint(fields=["term_change", "region", "code"], name="clearingitem_unique_code"),
            models.CheckConstraint(
                condition=~models.Q(status="cleared")
                | (models.Q(cleared_on__isnull=False) & ~models.Q(evidence="") & ~models.Q(cleared_by="")),
                name="clearingitem_cleared_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ItemIssue(models.Model):
    """A problem an item found, kept on the issue board (the one issue list): the item waits for its closing."""

    item = models.ForeignKey(ClearingItem, verbose_name="六清事项", on_delete=models.PROTECT, related_name="links")
    issue = models.OneToOneField(
        "issueboard.Issue", verbose_name="问题", on_delete=models.PROTECT, related_name="clearing_link"
    )

    class Meta:
        verbose_name = "六清发现问题"
        verbose_name_plural = "六清发现问题"

    def __str__(self) -> str:
        return f"{self.item_id}/{self.issue_id}"


class WorkLog(models.Model):
    """One day's talks and household visits by a team in a village (谈话 N 人次，走访 M 户)."""

    team = models.ForeignKey(InvestigationTeam, verbose_name="调研组", on_delete=models.PROTECT, related_name="logs")
    region = RegionKey(verbose_name="村(社区)")
    worked_on = models.DateField("日期")
    talks = models.PositiveIntegerField("谈话人次")
    households = models.PositiveIntegerField("走访户数")
    note = models.CharField("情况摘要", max_length=300, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "调研走访登记"
        verbose_name_plural = "调研走访登记"
        ordering = ["-worked_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(talks__gt=0) | models.Q(households__gt=0), name="worklog_some")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.region_id} {self.worked_on}"


class ClearingTally(models.Model):
    """Per village: the items cleared and open, talks and households, kept by the services for the tables."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    items = models.PositiveSmallIntegerField("事项数", default=0)
    cleared = models.PositiveSmallIntegerField("已清", default=0)
    talks = models.PositiveIntegerField("谈话人次", default=0)
    households = models.PositiveIntegerField("走访户数", default=0)

    class Meta:
        verbose_name = "六清汇总"
        verbose_name_plural = "六清汇总"
        constraints = [models.UniqueConstraint(fields=["term_change", "region"], name="clearingtally_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.cleared}/{self.items}"

    @property
    def all_cleared(self) -> bool:
        return self.items > 0 and self.cleared == self.items
