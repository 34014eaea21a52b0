"""四议两公开 (four-step decision): a village matter proposed by the branch committee, consulted by both
committees, reviewed by the party members' meeting, resolved by the villagers' (representatives') meeting, then the
resolution and the result of its implementation disclosed. Each meeting step is a meeting record; the two disclosure
steps are disclosures of kind "major item" (cunshe.disclosures), which hold the link (one source of truth)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Step(models.TextChoices):
    PROPOSAL = "proposal", "党组织提议"
    CONSULTATION = "consultation", "“两委”会议商议"
    PARTY_REVIEW = "party_review", "党员大会审议"
    RESOLUTION = "resolution", "村民(代表)会议决议"
    RESOLUTION_DISCLOSURE = "resolution_disclosure", "决议公开"
    RESULT_DISCLOSURE = "result_disclosure", "实施结果公开"


MEETING_STEPS = (Step.PROPOSAL, Step.CONSULTATION, Step.PARTY_REVIEW, Step.RESOLUTION)
DISCLOSURE_STEPS = (Step.RESOLUTION_DISCLOSURE, Step.RESULT_DISCLOSURE)


class Status(models.TextChoices):
    """Where a decision stands: the step it waits for, then done (or withdrawn)."""

    PROPOSAL = "proposal", "待党组织提议"
    CONSULTATION = "consultation", "待“两委”商议"
    PARTY_REVIEW = "party_review", "待党员大会审议"
    RESOLUTION = "resolution", "待村民(代表)会议决议"
    RESOLUTION_DISCLOSURE = "resolution_disclosure", "待公开决议"
    RESULT_DISCLOSURE = "result_disclosure", "实施中，待公开结果"
    DONE = "done", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


# Which status may follow which. PROPOSAL → PARTY_REVIEW is the merged first two steps (一肩挑 only).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSAL: (Status.CONSULTATION, Status.PARTY_REVIEW, Status.WITHDRAWN),
    Status.CONSULTATION: (Status.PARTY_REVIEW, Status.WITHDRAWN),
    Status.PARTY_REVIEW: (Status.RESOLUTION, Status.WITHDRAWN),
    Status.RESOLUTION: (Status.RESOLUTION_DISCLOSURE, Status.WITHDRAWN),
    Status.RESOLUTION_DISCLOSURE: (Status.RESULT_DISCLOSURE,),
    Status.RESULT_DISCLOSURE: (Status.DONE,),
    Status.DONE: (),
    Status.WITHDRAWN: (),
}


class Base(models.TextChoices):
    """What "more than half" is counted of."""

    PRESENT = "present", "实到人数"
    DUE = "due", "应到人数（全体）"


class DecisionRules(models.Model):
    """A province's or county's dated rule set for the four meetings. Fractions are exact ("2/3"); a quorum is
    "以上" (≥, includes the number) unless marked 过半数 (strictly more); approval is always 过半数 of the base.
    Without a row the defaults of RULES.md apply (services.DEFAULT_RULES)."""

    region = RegionKey(verbose_name="省或县(市、区)")
    effective_from = models.DateField("施行日期")
    basis = models.CharField("依据", max_length=200, blank=True)
    committee_quorum = models.CharField("支委会、“两委”会议到会比例", max_length=10, default="1/2")
    committee_quorum_strict = models.BooleanField("支委会到会须超过该比例（过半数）", default=True)
    committee_base = models.CharField(
        "支委会、“两委”会议表决基数", max_length=10, choices=Base.choices, default=Base.DUE
    )
    party_quorum = models.CharField("党员大会到会比例", max_length=10, default="2/3")
    party_quorum_strict = models.BooleanField("党员大会到会须超过该比例", default=False)
    party_base = models.CharField("党员大会表决基数", max_length=10, choices=Base.choices, default=Base.DUE)
    party_notice_days = models.PositiveSmallIntegerField("方案提前送达党员天数", default=3)
    villagers_quorum = models.CharField("村民(代表)会议到会比例", max_length=10, default="2/3")
    villagers_quorum_strict = models.BooleanField("村民(代表)会议到会须超过该比例", default=False)
    villagers_base = models.CharField(
        "村民(代表)会议表决基数", max_length=10, choices=Base.choices, default=Base.PRESENT
    )

    class Meta:
        verbose_name = "四议两公开规则"
        verbose_name_plural = "四议两公开规则"
        ordering = ["region", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["region", "effective_from"], name="decisions_rules_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.effective_from}"


class Decision(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    title = models.CharField("事项名称", max_length=100)
    matter = models.TextField("事项内容")
    proposer = models.CharField("提议人", max_length=60)
    status = models.CharField("状态", max_length=30, choices=Status.choices, default=Status.PROPOSAL)
    merged = models.BooleanField("一肩挑合并提议与商议", default=False)
    resolved_on = models.DateField("决议日期", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "四议两公开事项"
        verbose_name_plural = "四议两公开事项"
        ordering = ["region", "-created_at"]
        indexes = [models.Index(fields=["region", "created_at"], name="decisions_region_created_idx")]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """One meeting held for a step, with its record (会议记录). A meeting that missed its quorum or majority stays on
    file (passed = False) and the step can be held again."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="meetings")
    region = RegionKey(verbose_name="村(社区)")
    step = models.CharField("步骤", max_length=30, choices=Step.choices)
    merged = models.BooleanField("提议与商议合并召开（一肩挑）", default=False)
    number = models.PositiveSmallIntegerField("会议序号")
    held_at = models.DateTimeField("会议时间")
    place = models.CharField("地点", max_length=100)
    chair = models.CharField("主持人", max_length=40)
    recorder = models.CharField("记录人", max_length=40)
    due = models.PositiveIntegerField("应到人数")
    present = models.PositiveIntegerField("实到人数")
    absentees = models.JSONField("缺席人员及原因", default=list)
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对")
    votes_abstain = models.PositiveIntegerField("弃权")
    notice_sent_on = models.DateField("方案送达党员日期", null=True, blank=True)
    discussion = models.TextField("发言情况（含不同意见）")
    outcome = models.TextField("会议决定")
    quorum_met = models.BooleanField("到会人数符合规定")
    passed = models.BooleanField("通过")
    rule_text = models.CharField("适用规则", max_length=300)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "四议两公开会议记录"
        verbose_name_plural = "四议两公开会议记录"
        ordering = ["decision", "number"]
        constraints = [models.UniqueConstraint(fields=["decision", "number"], name="decisions_meeting_number_unique")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.get_step_display()} #{self.number}"
