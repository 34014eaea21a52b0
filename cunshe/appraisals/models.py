"""双评三考 (seed 004, 龙湾): before the term change the key people of a village (secretary, director, prospective
candidates) are appraised: their self-assessment and the residents' ratings (双评), the minister's inquiry, a law
exam drawn from a question bank and the special inspection ending in a written report (三考). Problems found are
listed by kind and counted per town and county. The pass mark and the kinds of problem are dated rule data."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.elections.fields import FractionField
from cunshe.regions.models import RegionKey


class ExamRule(models.Model):
    """The law exam's pass mark and paper size, national (no province) or a province's, in force from a date. A
    change is a new row; every paper keeps the row it was drawn under."""

    province = models.CharField("省份代码", max_length=2, blank=True, help_text="空为全国通用")
    name = models.CharField("名称", max_length=100)
    source = models.CharField("依据", max_length=300, blank=True)
    effective_from = models.DateField("施行日期")
    pass_mark = FractionField("及格：得分率（含本数，“以上”）", default=Fraction(3, 5))
    questions = models.PositiveSmallIntegerField("每卷题数", default=10)

    class Meta:
        verbose_name = "法律法规考规则"
        verbose_name_plural = "法律法规考规则"
        ordering = ["province", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["province", "effective_from"], name="appraisals_rule_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d} 起施行）"


def exam_rule_on(region_code: str, day: date) -> ExamRule | None:
    """The rule in force on `day` for the region: its province's latest, else the national one."""
    rules = ExamRule.objects.filter(effective_from__lte=day, province__in=("", region_code[:2]))
    return rules.order_by("-province", "-effective_from").first()


class ProblemKindQuerySet(models.QuerySet["ProblemKind"]):
    def in_force(self, on: date) -> ProblemKindQuerySet:
        return self.filter(effective_from__lte=on).filter(
            models.Q(effective_until__isnull=True) | models.Q(effective_until__gte=on)
        )


class ProblemKind(models.Model):
    """A kind of problem found (004: 6 kinds), dated: a kind retired keeps the problems filed under it."""

    code = models.CharField("编号", max_length=20)
    name = models.CharField("类别", max_length=40)
    position = models.PositiveSmallIntegerField("排序", default=0)
    effective_from = models.DateField("生效日期")
    effective_until = models.DateField("失效日期", null=True, blank=True)

    objects = ProblemKindQuerySet.as_manager()

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["position", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="appraisals_kind_unique")]

    def __str__(self) -> str:
        return self.name


class Post(models.TextChoices):
    SECRETARY = "secretary", "党组织书记"
    DIRECTOR = "director", "村(居)委会主任"
    ONE_SHOULDER = "one_shoulder", "“一肩挑”人选"
    CANDIDATE = "candidate", "拟推荐人选"
    MEMBER = "member", "两委成员"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class RatingLevel(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Appraisal(Versioned):
    """One key person of a village appraised before the term change, with the 双评 on the record itself."""

    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    post = models.CharField("考察对象类别", max_length=20, choices=Post.choices)
    opened_on = models.DateField("启动日期")
    self_grade = models.CharField("自评等次", max_length=20, choices=Grade.choices, blank=True)
    self_summary = models.TextField("自评情况", blank=True)
    self_on = models.DateField("自评日期", null=True, blank=True)
    satisfied = models.PositiveIntegerField("群众评：满意", default=0)
    basic = models.PositiveIntegerField("群众评：基本满意", default=0)
    unsatisfied = models.PositiveIntegerField("群众评：不满意", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "双评三考对象"
        verbose_name_plural = "双评三考对象"
        ordering = ["region", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "opened_on"], name="appraisals_person_once")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_post_display()}）"

    @property
    def ratings(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def rate(self) -> Fraction | None:
        """群众满意率: (满意 + 基本满意) / all ratings, exact; None before anyone rated."""
        return Fraction(self.satisfied + self.basic, self.ratings) if self.ratings else None


class InquiryGrade(models.TextChoices):
    GOOD = "good", "好"
    FAIR = "fair", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "差"


class Inquiry(models.Model):
    """问询考: the organization minister's interview, what was asked and how it was assessed."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="inquiries")
    region = RegionKey(verbose_name="村(社区)")
    held_on = models.DateField("问询日期")
    inquirer = models.CharField("问询人", max_length=50)
    questions = models.TextField("问询内容")
    assessment = models.TextField("评价意见")
    grade = models.CharField("评价等次", max_length=20, choices=InquiryGrade.choices)

    class Meta:
        verbose_name = "部长问询考"
        verbose_name_plural = "部长问询考"
        ordering = ["appraisal", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.inquirer}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"


class Question(models.Model):
    """A question of a county's or a town's law question bank. Options are lettered A, B, C…; the answer is the
    letters (sorted, "AC"), or 对/错 for true/false."""

    region = RegionKey(verbose_name="题库所属区划")
    kind = models.CharField("题型", max_length=20, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)
    answer = models.CharField("答案", max_length=10)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "法律法规题目"
        verbose_name_plural = "法律法规题目"
        ordering = ["region", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "text"], name="appraisals_question_unique")]

    def __str__(self) -> str:
        return self.text[:30]


class Paper(models.Model):
    """法律法规考: a paper drawn from the banks above the village for one person, scored when answered."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="papers")
    region = RegionKey(verbose_name="村(社区)")
    rule = models.ForeignKey(ExamRule, verbose_name="依据规则", on_delete=models.PROTECT)
    drawn_on = models.DateField("考试日期")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    score = models.PositiveSmallIntegerField("答对题数", null=True, blank=True)
    total = models.PositiveSmallIntegerField("题数")
    passed = models.BooleanField("及格", null=True)

    class Meta:
        verbose_name = "法律法规考试卷"
        verbose_name_plural = "法律法规考试卷"
        ordering = ["appraisal", "drawn_on", "id"]

    def __str__(self) -> str:
        return f"{self.drawn_on} {self.score}/{self.total}"


class PaperItem(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("题号")
    given = models.CharField("作答", max_length=10, blank=True)
    correct = models.BooleanField("正确", null=True)

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "试题"
        ordering = ["paper", "position"]
        constraints = [models.UniqueConstraint(fields=["paper", "position"], name="appraisals_item_unique")]

    def __str__(self) -> str:
        return f"{self.position}"


class Inspection(models.Model):
    """专项考: the special inspection of a key person, ending in the written report kept with the person and the
    village (004: 139 reports). One report per appraisal."""

    appraisal = models.OneToOneField(Appraisal, on_delete=models.PROTECT, related_name="inspection")
    region = RegionKey(verbose_name="村(社区)")
    inspected_on = models.DateField("考察日期")
    inspectors = models.CharField("考察组成员", max_length=200)
    findings = models.TextField("考察情况")
    conclusion = models.TextField("考察结论")
    written_at = models.DateTimeField("成文时间", auto_now_add=True)

    class Meta:
        verbose_name = "专项考察报告"
        verbose_name_plural = "专项考察报告"
        ordering = ["-inspected_on", "id"]

    def __str__(self) -> str:
        return f"{self.inspected_on} 考察报告"


class Problem(models.Model):
    """A problem found in the appraisal, by kind; a serious one may be referred to the negative list."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="problems")
    region = RegionKey(verbose_name="村(社区)")
    kind = models.ForeignKey(ProblemKind, verbose_name="类别", on_delete=models.PROTECT)
    found_on = models.DateField("发现日期")
    description = models.CharField("具体问题", max_length=300)
    serious = models.BooleanField("严重问题", default=False)
    negative_entry = models.ForeignKey(
        "negativelist.NegativeEntry", verbose_name="负面清单条目", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "发现问题"
        verbose_name_plural = "发现问题"
        ordering = ["appraisal", "found_on", "id"]

    def __str__(self) -> str:
        return self.description[:30]


class ProblemTally(models.Model):
    """Problems per kind counted for a town and for the county, kept by the services (the dashboard reads these)."""

    region = RegionKey(verbose_name="乡镇(街道)或县(市、区)")
    kind = models.ForeignKey(ProblemKind, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField("问题数", default=0)

    class Meta:
        verbose_name = "问题汇总"
        verbose_name_plural = "问题汇总"
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="appraisals_tally_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind_id} {self.count}"
