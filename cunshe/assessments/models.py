"""两票一度 (trust assessment) of a village team before the term change: the party members' trust vote, the
villager representatives' trust vote and the satisfaction survey, each a poll over the current team members, combined
with the county's weights (3:5:2 in seed 004). After OpenSlides' paper polls, each poll stores how it was counted
(paper totals or individual ballots) and its 100% base, so a result can be recomputed and explained later."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class AssessmentWeights(Versioned):
    """The county's weights and flag thresholds, as a setting with an effective date (RULES.md: rules change by
    date). The newest row in force on an assessment's date applies."""

    county = RegionKey(verbose_name="县(市、区)")
    effective_from = models.DateField("生效日期")
    party_weight = models.PositiveSmallIntegerField("党员信任票权重", default=3)
    representative_weight = models.PositiveSmallIntegerField("村民代表信任票权重", default=5)
    satisfaction_weight = models.PositiveSmallIntegerField("满意度权重", default=2)
    flag_below = models.DecimalField("综合得分低于(分)则预警", max_digits=5, decimal_places=2, default=Decimal("70"))
    flag_distrust_over = models.DecimalField(
        "任一项不信任(不满意)率超过(%)则预警", max_digits=5, decimal_places=2, default=Decimal("33.33")
    )

    class Meta:
        verbose_name = "两票一度权重"
        verbose_name_plural = "两票一度权重"
        ordering = ["county", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["county", "effective_from"], name="weights_county_date_unique")]

    def __str__(self) -> str:
        return f"{self.party_weight}:{self.representative_weight}:{self.satisfaction_weight}（{self.effective_from}起）"


class Status(models.TextChoices):
    OPEN = "open", "计票中"
    CLOSED = "closed", "已完成"


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.OPEN: (Status.CLOSED,),
    Status.CLOSED: (Status.OPEN,),  # reopened to correct a count; the record book keeps both moves
}


class TrustAssessment(Versioned):
    """A village team's 两票一度 in one term change: three polls over its current members, scored with the weights
    in force on the day it was held."""

    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="换届", on_delete=models.PROTECT, related_name="assessments"
    )
    held_on = models.DateField("测评日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    # The weights in force on held_on, copied when the assessment is made so a later change does not rewrite history.
    party_weight = models.PositiveSmallIntegerField("党员信任票权重")
    representative_weight = models.PositiveSmallIntegerField("村民代表信任票权重")
    satisfaction_weight = models.PositiveSmallIntegerField("满意度权重")
    flag_below = models.DecimalField("预警得分线", max_digits=5, decimal_places=2)
    flag_distrust_over = models.DecimalField("预警不信任率(%)", max_digits=5, decimal_places=2)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "两票一度测评"
        verbose_name_plural = "两票一度测评"
        ordering = ["region", "-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["region", "term_change"], name="assessment_one_per_village_term")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} 两票一度（{self.held_on}）"

    @property
    def weights_text(self) -> str:
        return f"{self.party_weight}:{self.representative_weight}:{self.satisfaction_weight}"


class PollKind(models.TextChoices):
    PARTY = "party", "党员信任票"
    REPRESENTATIVE = "representative", "村民代表信任票"
    SATISFACTION = "satisfaction", "班子成员满意度"


class Method(models.TextChoices):
    TOTALS = "totals", "纸质汇总录入"
    BALLOTS = "ballots", "逐张录入选票"


class Base(models.TextChoices):
    """The 100% base of a poll's rates (OpenSlides' onehundred_percent_base)."""

    VALID = "valid", "有效票"
    CAST = "cast", "投出票"
    ENTITLED = "entitled", "应参加人数"


class Poll(Versioned):
    assessment = models.ForeignKey(TrustAssessment, on_delete=models.CASCADE, related_name="polls")
    kind = models.CharField("测评项目", max_length=20, choices=PollKind.choices)
    method = models.CharField("录入方式", max_length=10, choices=Method.choices)
    base = models.CharField("百分比基数", max_length=10, choices=Base.choices, default=Base.VALID)
    entitled = models.PositiveIntegerField("应参加人数")
    cast = models.PositiveIntegerField("收回票数", default=0)
    invalid = models.PositiveIntegerField("无效票", default=0)

    class Meta:
        verbose_name = "测评票"
        verbose_name_plural = "测评票"
        ordering = ["assessment", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="poll_kind_unique"),
            models.CheckConstraint(condition=models.Q(cast__lte=models.F("entitled")), name="poll_cast_le_entitled"),
            models.CheckConstraint(condition=models.Q(invalid__lte=models.F("cast")), name="poll_invalid_le_cast"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def valid(self) -> int:
        return self.cast - self.invalid

    @property
    def base_count(self) -> int:
        return {Base.VALID: self.valid, Base.CAST: self.cast, Base.ENTITLED: self.entitled}[Base(self.base)]


class Tally(models.Model):
    """One member's counts in one poll: 满意(信任) / 基本满意(基本信任) / 不满意(不信任)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="tallies")
    member = models.ForeignKey("teams.TeamMember", verbose_name="班子成员", on_delete=models.PROTECT)
    good = models.PositiveIntegerField("满意(信任)", default=0)
    fair = models.PositiveIntegerField("基本满意(基本信任)", default=0)
    poor = models.PositiveIntegerField("不满意(不信任)", default=0)

    class Meta:
        verbose_name = "得票"
        verbose_name_plural = "得票"
        ordering = ["id"]  # the team's order at opening (services.assessment_open), as on the printed ballot
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="tally_member_unique")]

    def __str__(self) -> str:
        return f"{self.good}/{self.fair}/{self.poor}"


class Ballot(models.Model):
    """An individually entered ballot, kept so the totals of a ballot-entered poll can be checked against paper."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    number = models.PositiveIntegerField("票号")
    is_valid = models.BooleanField("有效", default=True)
    marks = models.JSONField("选项", default=dict)  # {member id: "good" | "fair" | "poor"}

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        constraints = [models.UniqueConstraint(fields=["poll", "number"], name="ballot_number_unique")]

    def __str__(self) -> str:
        return f"第 {self.number} 张"


class MemberResult(models.Model):
    """The computed result of one member, rewritten by the services whenever a count changes, so the results
    table and the roll-ups read stored numbers instead of recomputing from tallies per request."""

    assessment = models.ForeignKey(TrustAssessment, on_delete=models.CASCADE, related_name="results")
    member = models.ForeignKey("teams.TeamMember", verbose_name="班子成员", on_delete=models.PROTECT)
    party_rate = models.DecimalField("党员信任率(%)", max_digits=5, decimal_places=2, null=True)
    representative_rate = models.DecimalField("代表信任率(%)", max_digits=5, decimal_places=2, null=True)
    satisfaction_rate = models.DecimalField("满意率(%)", max_digits=5, decimal_places=2, null=True)
    combined = models.DecimalField("综合得分", max_digits=5, decimal_places=2, null=True)
    flagged = models.BooleanField("预警", default=False)
    flag_reason = models.CharField("预警原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "测评结果"
        verbose_name_plural = "测评结果"
        ordering = ["assessment", "-combined"]
        constraints = [models.UniqueConstraint(fields=["assessment", "member"], name="result_member_unique")]

    def __str__(self) -> str:
        return f"{self.member_id}：{self.combined}"


class VillageSummary(models.Model):
    """Per village and term change: the roll-up row the town and county tables sum by code prefix."""

    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.CASCADE, related_name="+")
    assessed = models.PositiveSmallIntegerField("已完成测评", default=0)  # 0 or 1
    members = models.PositiveIntegerField("测评成员数", default=0)
    flagged = models.PositiveIntegerField("预警成员数", default=0)
    score_total = models.DecimalField("综合得分合计", max_digits=9, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = "两票一度汇总"
        verbose_name_plural = "两票一度汇总"
        constraints = [models.UniqueConstraint(fields=["region", "term_change"], name="assessment_summary_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} 两票一度汇总"


class SupportKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "推荐票"
    PARTY_SUPPORT = "party_support", "党内支持"
    PUBLIC_SUPPORT = "public_support", "党外支持"
    SATISFACTION = "satisfaction", "满意度调查"


class SupportPoll(Versioned):
    """A recorded sounding about one prospective candidate: a recommendation vote at a meeting, or how many party
    members / other villagers asked said they would support them, or a satisfaction survey about a non-member. The
    three rates (三率) and the support rates (两率) sum these with what visits collect."""

    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey("termchanges.TermChange", verbose_name="换届", on_delete=models.PROTECT)
    person = models.ForeignKey("people.Person", verbose_name="人选", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=20, choices=SupportKind.choices)
    held_on = models.DateField("日期")
    asked = models.PositiveIntegerField("参加(受访)人数")
    in_favour = models.PositiveIntegerField("推荐(支持、满意)人数")
    note = models.CharField("方式与说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "推荐与支持情况"
        verbose_name_plural = "推荐与支持情况"
        ordering = ["region", "person", "kind", "held_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(in_favour__lte=models.F("asked")), name="support_favour_le_asked")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.in_favour}/{self.asked}"
