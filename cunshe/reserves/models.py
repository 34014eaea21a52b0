"""Reserve cadres (后备干部) of a village and the candidate pool (人选库) of the term change.

A reserve cadre is evaluated by a panel (三度测评: loyalty, satisfaction, competence), at one evaluation meeting,
then publicly noticed once, then tried in village work for two months with a mentor (RULES.md, seed 004). Those who
pass enter the candidate pool, from which the joint review takes the people it checks."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey

TRIAL_MONTHS = 2


class Source(models.TextChoices):
    RETURNING_GRADUATE = "returning_graduate", "返乡大学生"
    VETERAN = "veteran", "退役军人"
    ENTREPRENEUR = "entrepreneur", "致富能手"
    RETURNING_WORKER = "returning_worker", "返乡创业人员"
    YOUNG_PARTY_MEMBER = "young_party_member", "青年党员"
    NOTABLE = "notable", "乡贤能人"
    OTHER = "other", "其他"


class Stage(models.TextChoices):
    POOLED = "pooled", "已入库"
    EVALUATED = "evaluated", "已测评"
    NOTICED = "noticed", "已公示"
    ON_TRIAL = "on_trial", "试岗中"
    PASSED = "passed", "试岗合格"
    FAILED = "failed", "试岗不合格"
    WITHDRAWN = "withdrawn", "已退出"


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.POOLED: (Stage.EVALUATED, Stage.WITHDRAWN),
    Stage.EVALUATED: (Stage.NOTICED, Stage.WITHDRAWN),
    Stage.NOTICED: (Stage.ON_TRIAL, Stage.WITHDRAWN),
    Stage.ON_TRIAL: (Stage.PASSED, Stage.FAILED, Stage.WITHDRAWN),
    Stage.PASSED: (),
    Stage.FAILED: (),
    Stage.WITHDRAWN: (),
}


class ReserveCadre(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey("termchanges.TermChange", verbose_name="换届", on_delete=models.PROTECT)
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=30, choices=Source.choices)
    note = models.CharField("简要情况", max_length=200, blank=True)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.POOLED)
    added_on = models.DateField("入库日期")
    # The one evaluation meeting (测评会).
    meeting_on = models.DateField("测评会日期", null=True, blank=True)
    meeting_place = models.CharField("测评会地点", max_length=100, blank=True)
    # The one public notice (公示).
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_until = models.DateField("公示结束", null=True, blank=True)
    notice_feedback = models.TextField("公示反映情况", blank=True)
    # The trial post (试岗), two months.
    trial_post = models.CharField("试岗岗位", max_length=100, blank=True)
    mentor = models.ForeignKey(
        "people.Person", verbose_name="帮带导师", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trial_from = models.DateField("试岗开始", null=True, blank=True)
    trial_until = models.DateField("试岗结束", null=True, blank=True)
    outcome_on = models.DateField("考察日期", null=True, blank=True)
    outcome_note = models.TextField("考察意见", blank=True)

    class Meta:
        verbose_name = "后备干部"
        verbose_name_plural = "后备干部"
        ordering = ["region", "added_on", "id"]
        constraints = [models.UniqueConstraint(fields=["term_change", "person"], name="reserve_person_once_per_term")]

    def __str__(self) -> str:
        return self.person.name


class Evaluation(models.Model):
    """One panel member's 三度测评 of a reserve cadre, 0-100 on each degree, with a comment."""

    reserve = models.ForeignKey(ReserveCadre, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.CharField("测评人", max_length=50)
    loyalty = models.PositiveSmallIntegerField("忠诚度")
    satisfaction = models.PositiveSmallIntegerField("满意度")
    competence = models.PositiveSmallIntegerField("胜任度")
    comment = models.TextField("评语", blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "三度测评"
        verbose_name_plural = "三度测评"
        ordering = ["reserve", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(loyalty__lte=100, satisfaction__lte=100, competence__lte=100),
                name="evaluation_scores_le_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator}：{self.loyalty}/{self.satisfaction}/{self.competence}"


class Origin(models.TextChoices):
    RESERVE = "reserve", "后备干部试岗合格"
    INCUMBENT = "incumbent", "现任班子成员"
    RECOMMENDED = "recommended", "群众推荐"


class CandidateEntry(Versioned):
    """A person in the term change's candidate pool (人选库)."""

    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey("termchanges.TermChange", verbose_name="换届", on_delete=models.PROTECT)
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField("来源", max_length=20, choices=Origin.choices)
    reserve = models.OneToOneField(
        ReserveCadre, null=True, blank=True, on_delete=models.PROTECT, related_name="candidate_entry"
    )
    added_on = models.DateField("入选日期")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "人选库"
        verbose_name_plural = "人选库"
        ordering = ["region", "added_on", "id"]
        constraints = [models.UniqueConstraint(fields=["term_change", "person"], name="candidate_once_per_term")]

    def __str__(self) -> str:
        return self.person.name
