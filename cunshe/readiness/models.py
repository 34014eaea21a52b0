"""Readiness of a village for its election: the assessment of the election situation (选情评估表) with its history,
the village plan (一村一策), the election work plan (选务作战图) made from the county's template, and each current
cadre's intention (换届意愿排摸) for the rehearsal (沙盘推演)."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Risk(models.TextChoices):
    GREEN = "green", "绿（平稳）"
    YELLOW = "yellow", "黄（需关注）"
    RED = "red", "红（高风险）"


class Stability(models.TextChoices):
    STABLE = "stable", "团结稳定"
    FAIR = "fair", "基本稳定"
    WEAK = "weak", "软弱涣散"


class ReadinessAssessment(models.Model):
    """One filing of the village's readiness assessment; a new filing supersedes the last and the old ones stay."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    assessed_on = models.DateField("评估日期")
    stability = models.CharField("班子稳定", max_length=20, choices=Stability.choices)
    conflicts = models.TextField("矛盾纠纷", blank=True)
    petitions = models.PositiveIntegerField("近一年信访件数", default=0)
    candidates = models.TextField("人选情况", blank=True)
    risk = models.CharField("风险等级", max_length=10, choices=Risk.choices)
    note = models.TextField("研判意见", blank=True)
    assessed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="评估人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选情评估"
        verbose_name_plural = "选情评估"
        ordering = ["region", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.assessed_on:%Y-%m-%d} {self.get_risk_display()}"


class PlanItem(Versioned):
    """A line of the village plan (一村一策): a problem in the way of the election and the measure against it."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    problem = models.CharField("问题", max_length=200)
    measure = models.TextField("对策措施")
    owner = models.CharField("责任人", max_length=50)
    due_on = models.DateField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "一村一策"
        verbose_name_plural = "一村一策"
        ordering = ["region", "due_on", "id"]


class TemplateTask(Versioned):
    """A task of the county's election work plan template, dated in days after the term change opened. A task taken
    out of the template (停用) keeps its row, so the record book and the work plans already made still point at it."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    county = RegionKey(verbose_name="县(市、区)")
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("工作事项", max_length=100)
    offset_days = models.PositiveSmallIntegerField("启动后第几天完成")
    retired_on = models.DateField("停用日期", null=True, blank=True)  # None: in use

    class Meta:
        verbose_name = "选务作战图模板"
        verbose_name_plural = "选务作战图模板"
        ordering = ["term_change", "position"]
        constraints = [models.UniqueConstraint(fields=["term_change", "position"], name="readiness_template_pos")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.retired_on is None


class TaskStatus(models.TextChoices):
    TODO = "todo", "未开始"
    DOING = "doing", "进行中"
    DONE = "done", "已完成"


TASK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TaskStatus.TODO: (TaskStatus.DOING, TaskStatus.DONE),
    TaskStatus.DOING: (TaskStatus.DONE, TaskStatus.TODO),
    TaskStatus.DONE: (TaskStatus.DOING,),
}


class Task(Versioned):
    """A dated task of a village's election work plan (选务作战图)."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("工作事项", max_length=100)
    owner = models.CharField("责任人", max_length=50)
    due_on = models.DateField("完成时限")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO)
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "选务作战图事项"
        verbose_name_plural = "选务作战图事项"
        ordering = ["region", "due_on", "position"]
        indexes = [models.Index(fields=["status", "due_on"], name="readiness_task_due_idx")]
        constraints = [models.UniqueConstraint(fields=["term_change", "region", "position"], name="readiness_task_pos")]


class Intention(models.TextChoices):
    STAY = "stay", "愿意继续留任"
    RUN_FOR = "run_for", "愿意竞选其他职务"
    LEAVE = "leave", "不再参选"
    UNDECIDED = "undecided", "尚未确定"


class Intent(Versioned):
    """A current cadre's intention for the term change (换届意愿排摸)."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    member = models.ForeignKey("teams.TeamMember", on_delete=models.PROTECT, related_name="+", verbose_name="班子成员")
    intention = models.CharField("换届意愿", max_length=20, choices=Intention.choices)
    desired_post = models.CharField("意向职务", max_length=30, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    surveyed_on = models.DateField("排摸日期")

    class Meta:
        verbose_name = "换届意愿"
        verbose_name_plural = "换届意愿排摸"
        ordering = ["region", "member"]
        constraints = [models.UniqueConstraint(fields=["term_change", "member"], name="readiness_intent_unique")]

    @property
    def desired_post_label(self) -> str:
        """The post a person reads ("村(居)委会主任"), not its code ("director")."""
        from cunshe.teams.models import Post

        return Post(self.desired_post).label if self.desired_post in Post.values else self.desired_post


class Readiness(models.Model):
    """Roll-up row per village, kept by the services: the latest risk level and the work-plan progress."""

    term_change = models.ForeignKey("termchanges.TermChange", on_delete=models.PROTECT, related_name="+")
    region = RegionKey(verbose_name="村(社区)")
    risk = models.CharField("风险等级", max_length=10, choices=Risk.choices, blank=True)
    assessed_on = models.DateField("最近评估日期", null=True, blank=True)
    tasks = models.PositiveIntegerField("作战图事项", default=0)
    tasks_done = models.PositiveIntegerField("已完成事项", default=0)
    tasks_overdue = models.PositiveIntegerField("逾期事项", default=0)  # set by cunshe/readiness/overdue.py
    intents = models.PositiveIntegerField("已排摸干部", default=0)

    class Meta:
        verbose_name = "选情汇总"
        verbose_name_plural = "选情汇总"
        constraints = [models.UniqueConstraint(fields=["term_change", "region"], name="readiness_row_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.get_risk_display() or '未评估'}"
