"""The voter register (选民登记 / 参加选举的村民名单) of a direct election: who may vote, by which route, with the
roll changes against the previous register (四增四减). A voter who leaves the register is kept with the reason:
the total decides whether the election is valid, so nothing about it is ever deleted."""

from __future__ import annotations

from datetime import date

from django.db import models

from cunshe.core.concurrency import Versioned


class Route(models.TextChoices):
    """The four routes of registration (RULES.md; the fourth since 2025)."""

    RESIDENT = "resident", "户籍在本村并在本村居住"
    AWAY = "away", "户籍在本村、不在本村居住，本人表示参加选举"
    NON_HUKOU = "non_hukou", "户籍不在本村、在本村居住一年以上，本人申请并经村民会议或村民代表会议同意"
    SERVICE = "service", "户籍不在本村、在本村担任职务或从事村务一年以上，经村民同意"


class Register(Versioned):
    election = models.OneToOneField(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="register"
    )
    built_on = models.DateField("编制日期")
    previous = models.ForeignKey(
        "self", verbose_name="上届选民名单", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    frozen_on = models.DateField("锁定日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民名单"
        verbose_name_plural = "选民名单"

    def __str__(self) -> str:
        return f"{self.election}选民名单"


class Voter(Versioned):
    register = models.ForeignKey(Register, verbose_name="选民名单", on_delete=models.PROTECT, related_name="voters")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("村(居)民小组", max_length=50, blank=True)
    route = models.CharField("登记方式", max_length=20, choices=Route.choices, default=Route.RESIDENT)
    # Absent villagers who neither registered nor objected in time may be left out of the registered total
    # (RULES.md): the rule and the decision are kept per person.
    counted = models.BooleanField("计入登记选民总数", default=True)
    removed_on = models.DateField("除名日期", null=True, blank=True)
    removed_reason = models.CharField("除名原因", max_length=200, blank=True)
    # routes 3 and 4 need the meeting's consent (村民会议或村民代表会议同意)
    consent = models.CharField("会议同意情况", max_length=200, blank=True)
    left_out_rule = models.CharField("不计入依据", max_length=200, blank=True)
    left_out_decision = models.CharField("不计入决定", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民"
        verbose_name_plural = "选民"
        ordering = ["register", "group", "pk"]
        constraints = [models.UniqueConstraint(fields=["register", "person"], name="voters_once_per_register")]

    def __str__(self) -> str:
        return self.person.name


class ChangeKind(models.TextChoices):
    ADD = "add", "增加"
    REMOVE = "remove", "减少"
    CORRECT = "correct", "更正"


class ChangeReason(models.TextChoices):
    """四增四减 against the previous register (the fourth of each, 'other', covers a recorded decision)."""

    NEWLY_ADULT = "newly_adult", "新满十八周岁"
    MOVED_IN = "moved_in", "迁入"
    RIGHTS_RESTORED = "rights_restored", "恢复政治权利"
    MOVED_OUT = "moved_out", "迁出"
    DIED = "died", "死亡"
    RIGHTS_LOST = "rights_lost", "被剥夺政治权利"
    FIRST = "first", "首次登记"
    DECISION = "decision", "申诉处理或选举委员会决定"
    EDIT = "edit", "公布前编辑"


ADD_REASONS = (ChangeReason.NEWLY_ADULT, ChangeReason.MOVED_IN, ChangeReason.RIGHTS_RESTORED)
REMOVE_REASONS = (ChangeReason.MOVED_OUT, ChangeReason.DIED, ChangeReason.RIGHTS_LOST)


class Deprivation(models.Model):
    """A person deprived of political rights (被依法剥夺政治权利): kept in the register's app, with its reason and
    term, because the people registry has no such field and only the register reads it."""

    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("依据（判决书等）", max_length=200)
    since = models.DateField("起始日期")
    until = models.DateField("恢复日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "剥夺政治权利"
        verbose_name_plural = "剥夺政治权利"
        ordering = ["person", "-since"]

    def __str__(self) -> str:
        return f"{self.person.name}：{self.reason}"

    def in_force_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day < self.until)


class RollChange(models.Model):
    """One line of the register's change book: who was added, removed or corrected, why, on what evidence and,
    after the freeze, by which recorded decision."""

    register = models.ForeignKey(Register, verbose_name="选民名单", on_delete=models.CASCADE, related_name="changes")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("变动", max_length=10, choices=ChangeKind.choices)
    reason = models.CharField("原因", max_length=20, choices=ChangeReason.choices)
    evidence = models.CharField("依据材料", max_length=300, blank=True)
    decision_ref = models.CharField("决定文号", max_length=100, blank=True)
    on = models.DateField("日期")
    by_name = models.CharField("经办人", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民名单变动"
        verbose_name_plural = "选民名单变动"
        ordering = ["register", "pk"]

    def __str__(self) -> str:
        return f"{self.person.name}{self.get_kind_display()}（{self.get_reason_display()}）"


class ObjectionClaim(models.TextChoices):
    ADD = "add", "应登记而未登记"
    REMOVE = "remove", "不应登记而登记"
    CORRECT = "correct", "登记信息有误"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉不成立"


class Objection(Versioned):
    """申诉: anyone may object to the published register within the objection period; the election committee decides
    within the decision period and publishes its decision."""

    register = models.ForeignKey(Register, verbose_name="选民名单", on_delete=models.CASCADE, related_name="objections")
    person = models.ForeignKey("people.Person", verbose_name="所涉人员", on_delete=models.PROTECT, related_name="+")
    claim = models.CharField("申诉事项", max_length=10, choices=ObjectionClaim.choices)
    filed_by = models.CharField("申诉人", max_length=50)
    filed_on = models.DateField("申诉日期")
    grounds = models.CharField("申诉理由", max_length=500)
    # what an upheld 'correct' objection changes
    group = models.CharField("更正后小组", max_length=50, blank=True)
    route = models.CharField("更正后登记方式", max_length=20, choices=Route.choices, blank=True)
    outcome = models.CharField("处理结果", max_length=10, choices=ObjectionOutcome.choices, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_ref = models.CharField("决定文号", max_length=100, blank=True)
    decision_text = models.CharField("处理意见", max_length=500, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民名单申诉"
        verbose_name_plural = "选民名单申诉"
        ordering = ["register", "pk"]

    def __str__(self) -> str:
        return f"{self.filed_by}：{self.person.name}{self.get_claim_display()}"
