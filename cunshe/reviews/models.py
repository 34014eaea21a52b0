"""The joint qualification review (云联审, seed 004): a town submits a batch of candidates for a county's round, the
county releases it to all reviewing departments at once with a working-day deadline, each department answers for
every candidate and its head signs the department's conclusion, and the candidate's result follows from the answers.

Who sees what is the heart of it: a reviewer sees only the batches released to their own department and only that
department's answers (permissions.reviewer_policy); reasons are for county organizers and supervisors."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class ReviewRound(Versioned):
    """One round of joint review in a county (usually the term change's; mid-term replacements get their own)."""

    county = RegionKey(verbose_name="县(市、区)")
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="所属换届", null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField("名称", max_length=100)
    opened_on = models.DateField("启动日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "联审轮次"
        verbose_name_plural = "联审轮次"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class BatchStatus(models.TextChoices):
    SUBMITTED = "submitted", "待发布"
    RELEASED = "released", "审查中"
    COMPLETED = "completed", "已出结果"


# Released to every department at once; completed when the last department signs; back under review on a reopening.
BATCH_TRANSITIONS: dict[str, tuple[str, ...]] = {
    BatchStatus.SUBMITTED: (BatchStatus.RELEASED,),
    BatchStatus.RELEASED: (BatchStatus.COMPLETED,),
    BatchStatus.COMPLETED: (BatchStatus.RELEASED,),
}


class ReviewBatch(Versioned):
    round = models.ForeignKey(ReviewRound, verbose_name="联审轮次", on_delete=models.PROTECT, related_name="batches")
    town = RegionKey(verbose_name="报送乡镇(街道)")
    title = models.CharField("批次名称", max_length=100)
    status = models.CharField("状态", max_length=20, choices=BatchStatus.choices, default=BatchStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间")
    released_at = models.DateTimeField("发布时间", null=True, blank=True)
    deadline_days = models.DecimalField("审查时限(工作日)", max_digits=4, decimal_places=1, null=True, blank=True)
    due_at = models.DateTimeField("截止时间", null=True, blank=True)
    completed_at = models.DateTimeField("出结果时间", null=True, blank=True)
    # Roll-up kept by the services, so round pages never count raw rows.
    candidate_count = models.PositiveIntegerField("人数", default=0)
    cleared_count = models.PositiveIntegerField("通过", default=0)
    excluded_count = models.PositiveIntegerField("不通过", default=0)
    doubtful_count = models.PositiveIntegerField("存疑待定", default=0)
    department_count = models.PositiveIntegerField("联审单位数", default=0)
    signed_count = models.PositiveIntegerField("已签署单位数", default=0)
    turnaround_minutes = models.PositiveIntegerField("用时(工作分钟)", null=True, blank=True)

    class Meta:
        verbose_name = "联审批次"
        verbose_name_plural = "联审批次"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["round", "status"], name="reviewbatch_round_status_idx")]

    def __str__(self) -> str:
        return self.title


class Outcome(models.TextChoices):
    PENDING = "pending", "审查中"
    CLEARED = "cleared", "通过"
    EXCLUDED = "excluded", "不通过"
    DOUBTFUL = "doubtful", "存疑待定"


class Candidate(Versioned):
    """A person in a batch. The (round, ID number) constraint is the rule "nobody is checked twice in a round"."""

    batch = models.ForeignKey(ReviewBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="candidates")
    round = models.ForeignKey(ReviewRound, verbose_name="联审轮次", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", verbose_name="人员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = RegionKey(verbose_name="村(社区)", related_name="+")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18)
    post = models.CharField("拟任职务", max_length=50, blank=True)
    position = models.PositiveIntegerField("序号")
    # Set when the last department signs: any 不通过 excludes, else any 存疑 goes to the county, else 通过.
    result = models.CharField("联审结论", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    # The county organizer's decision on a 存疑 result.
    decision = models.CharField("县级研判", max_length=20, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField("研判理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="研判人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("研判时间", null=True, blank=True)

    class Meta:
        verbose_name = "联审人选"
        verbose_name_plural = "联审人选"
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "id_number"], name="candidate_once_per_round"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def outcome(self) -> str:
        """What the town sees: the result, or the county's decision on a 存疑 one."""
        if self.result == Outcome.DOUBTFUL and self.decision:
            return self.decision
        return self.result

    def get_outcome_display(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def id_number_masked(self) -> str:
        from cunshe.people.id_numbers import mask

        return mask(self.id_number)


class DepartmentReviewStatus(models.TextChoices):
    OPEN = "open", "审查中"
    SIGNED = "signed", "已签署"


DEPARTMENT_REVIEW_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DepartmentReviewStatus.OPEN: (DepartmentReviewStatus.SIGNED,),
    # Only through a reopening recorded by the county.
    DepartmentReviewStatus.SIGNED: (DepartmentReviewStatus.OPEN,),
}


class DepartmentReview(Versioned):
    """One department's part of a batch: its answers, and the written conclusion its head signs."""

    batch = models.ForeignKey(ReviewBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="departments")
    department = models.ForeignKey("accounts.Department", verbose_name="联审单位", on_delete=models.PROTECT)
    status = models.CharField(
        "状态", max_length=20, choices=DepartmentReviewStatus.choices, default=DepartmentReviewStatus.OPEN
    )
    answered_count = models.PositiveIntegerField("已审人数", default=0)
    conclusion = models.TextField("书面结论", blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签署人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)
    turnaround_minutes = models.PositiveIntegerField("用时(工作分钟)", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新打开次数", default=0)

    class Meta:
        verbose_name = "单位审查"
        verbose_name_plural = "单位审查"
        ordering = ["batch", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "department"], name="department_review_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.batch}"


class Verdict(models.TextChoices):
    CLEAR = "clear", "通过"
    EXCLUDED = "excluded", "不通过"
    DOUBTFUL = "doubtful", "存疑"


class Answer(Versioned):
    department_review = models.ForeignKey(
        DepartmentReview, verbose_name="单位审查", on_delete=models.PROTECT, related_name="answers"
    )
    candidate = models.ForeignKey(Candidate, verbose_name="人选", on_delete=models.PROTECT, related_name="answers")
    verdict = models.CharField("审查意见", max_length=20, choices=Verdict.choices)
    rule = models.ForeignKey(
        "eligibility.ExclusionRule", verbose_name="排除规则", null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField("理由", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审查人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("审查时间")

    class Meta:
        verbose_name = "审查意见"
        verbose_name_plural = "审查意见"
        ordering = ["department_review", "candidate__position"]
        constraints = [
            models.UniqueConstraint(fields=["department_review", "candidate"], name="answer_once_per_department"),
            models.CheckConstraint(
                condition=~models.Q(verdict="excluded") | models.Q(rule__isnull=False),
                name="answer_excluded_names_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.get_verdict_display()}"


class DepartmentHead(Versioned):
    """The responsible head of a reviewing department, who signs its conclusions (the Department model is shared)."""

    department = models.OneToOneField(
        "accounts.Department", verbose_name="联审单位", on_delete=models.PROTECT, related_name="review_head"
    )
    county = RegionKey(verbose_name="县(市、区)", related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="负责人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "联审单位负责人"
        verbose_name_plural = "联审单位负责人"

    def __str__(self) -> str:
        return f"{self.department} · {self.user}"


class CandidateView(models.Model):
    """Who looked at a candidate's detail, when and how. Kept apart from the record book so that reading does not
    queue behind the county's record-book lock; append-only like it."""

    candidate = models.ForeignKey(Candidate, verbose_name="人选", on_delete=models.PROTECT, related_name="views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.CharField("途径", max_length=10)
    at = models.DateTimeField("查看时间", auto_now_add=True)

    class Meta:
        verbose_name = "人选查看记录"
        verbose_name_plural = "人选查看记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.candidate} · {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("查看记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("查看记录只能追加，不能删除。")
