"""Surveys (民意调查表, seed 004 龙湾; 三个全覆盖 满意度调查, seed 002): a county's (or a town's) versioned survey form
run in each of its villages, answered on paper (totals per question entered per village) or one by one (by staff, or
by residents through a single-use QR link), counted per village in roll-up rows. The three posts every village has
(第一书记, 联村民警, 民生代办员: 三个全覆盖) are recorded here too, since their satisfaction survey scores the holders."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Purpose(models.TextChoices):
    OPINION = "opinion", "民意调查"
    SATISFACTION = "satisfaction", "满意度测评"


class Post(models.TextChoices):
    """The three posts of 三个全覆盖 (seed 002: 第一书记驻村联户、民警联村、民生代办)."""

    FIRST_SECRETARY = "first_secretary", "第一书记"
    POLICE = "police", "联村民警"
    AGENT = "agent", "民生代办员"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "调查中"
    CLOSED = "closed", "已结束"


# A form is fixed once it opens: a change is a new version (survey_revise), so every count stays tied to the exact
# questions it answered.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.OPEN,),
    Status.OPEN: (Status.CLOSED,),
    Status.CLOSED: (),
}


class Kind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    SCALE = "scale", "打分（1-N）"
    TEXT = "text", "文字意见"


class Channel(models.TextChoices):
    PAPER = "paper", "纸质问卷汇总"
    STAFF = "staff", "干部代录"
    QR = "qr", "居民扫码填写"


class Survey(Versioned):
    region = RegionKey(verbose_name="发起单位所在区划")
    series = models.CharField("问卷编号", max_length=40)  # shared by every version of one form
    number = models.PositiveSmallIntegerField("版本", default=1)
    title = models.CharField("问卷名称", max_length=100)
    purpose = models.CharField("类型", max_length=20, choices=Purpose.choices)
    post = models.CharField("测评对象", max_length=20, choices=Post.choices, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    intro = models.CharField("说明", max_length=300, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="上年度测评"
    )
    opened_on = models.DateField("开始日期", null=True, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "调查问卷"
        verbose_name_plural = "调查问卷"
        ordering = ["-year", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="surveys_survey_version_unique")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("题型", max_length=20, choices=Kind.choices)
    text = models.CharField("题目", max_length=200)
    scale_max = models.PositiveSmallIntegerField("最高分", null=True, blank=True)

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题目"
        ordering = ["survey", "position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="surveys_question_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Choice(models.Model):
    """An option of a choice question, or one point of a scale (score 1..N): every count is a count of a choice."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField("序号")
    label = models.CharField("选项", max_length=100)
    score = models.PositiveSmallIntegerField("分值", null=True, blank=True)

    class Meta:
        verbose_name = "选项"
        verbose_name_plural = "选项"
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "position"], name="surveys_choice_position")]

    def __str__(self) -> str:
        return self.label


class Run(Versioned):
    """The survey in one village: its paper count and one-by-one answers (the village's roll-up row), and for a
    satisfaction survey the person holding the post there when it opened (whose score this village gives)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="runs")
    village = RegionKey(verbose_name="村(社区)")
    subject = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="被测评人"
    )
    papers = models.PositiveIntegerField("纸质问卷份数", default=0)
    responses = models.PositiveIntegerField("逐份录入份数", default=0)

    class Meta:
        verbose_name = "调查村(社区)"
        verbose_name_plural = "调查村(社区)"
        ordering = ["survey", "village"]
        constraints = [models.UniqueConstraint(fields=["survey", "village"], name="surveys_run_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.village_id}"

    @property
    def total(self) -> int:
        return self.papers + self.responses


class Token(models.Model):
    """A single-use link for one resident's answer, printed as a QR slip and handed out by the village's staff."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="tokens")
    batch = models.PositiveSmallIntegerField("批次")
    code = models.CharField("链接码", max_length=40, unique=True)
    issued_at = models.DateTimeField("发放时间", auto_now_add=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "扫码链接"
        verbose_name_plural = "扫码链接"
        ordering = ["run", "batch", "id"]

    def __str__(self) -> str:
        return f"{self.run_id}-{self.batch}-{self.pk}"


class Response(models.Model):
    """One answered form entered one by one; what was chosen is kept as given (ids) beside the tallies it added."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="+")
    village = RegionKey(verbose_name="村(社区)")
    channel = models.CharField("方式", max_length=20, choices=Channel.choices)
    token = models.OneToOneField(Token, null=True, blank=True, on_delete=models.PROTECT, related_name="response")
    choices = models.JSONField("所选选项", default=list)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("填写时间", auto_now_add=True)

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.run_id} {self.get_channel_display()}"


class Tally(models.Model):
    """Roll-up row: how often one choice was chosen in one village, on paper (the latest totals entered) and one by
    one (added by each response). Towns and counties sum these by code prefix."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    village = RegionKey(verbose_name="村(社区)")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    paper = models.PositiveIntegerField("纸质", default=0)
    single = models.PositiveIntegerField("逐份", default=0)

    class Meta:
        verbose_name = "选项汇总"
        verbose_name_plural = "选项汇总"
        constraints = [models.UniqueConstraint(fields=["survey", "village", "choice"], name="surveys_tally_unique")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.choice_id} {self.paper}+{self.single}"


class TextAnswer(models.Model):
    """A free-text opinion; a staff member may turn it into an issue on the board (recorded, linked here)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="texts")
    village = RegionKey(verbose_name="村(社区)")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("意见", max_length=500)
    channel = models.CharField("方式", max_length=20, choices=Channel.choices)
    issue = models.ForeignKey(
        "issueboard.Issue", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="转问题"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "文字意见"
        verbose_name_plural = "文字意见"
        ordering = ["village", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class Holder(models.Model):
    """Who holds one of the three posts in a village, since when (三个全覆盖). A change of holder ends the previous
    row. For the first secretary this row counts only where no first-secretary posting is current: there the person
    linked to the posting (firstsecretaries `Posting.person`) is the one scored."""

    village = RegionKey(verbose_name="村(社区)")
    post = models.CharField("岗位", max_length=20, choices=Post.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    unit = models.CharField("单位", max_length=100, blank=True)
    since = models.DateField("到岗日期")
    until = models.DateField("离岗日期", null=True, blank=True)

    class Meta:
        verbose_name = "三个全覆盖人员"
        verbose_name_plural = "三个全覆盖人员"
        ordering = ["village", "post", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "post"], condition=models.Q(until__isnull=True), name="surveys_holder_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.get_post_display()} {self.person_id}"
