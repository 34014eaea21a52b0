"""The secretary's breakthrough project (书记突破项目, seed 000: 打好振兴第一仗): one per village party secretary and
term change, chosen from the county's task list, proposed with its milestones, approved by the town, followed by
progress reports with photos, finished with its result and rated by the town."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Task(Versioned):
    """A key task on the county's list (重点工作任务清单) a secretary may take on as their project."""

    county = RegionKey(verbose_name="县(市、区)")
    title = models.CharField("任务", max_length=80)
    description = models.CharField("说明", max_length=300, blank=True)
    is_active = models.BooleanField("可选", default=True)

    class Meta:
        verbose_name = "突破项目任务清单"
        verbose_name_plural = "突破项目任务清单"
        ordering = ["county", "id"]
        constraints = [models.UniqueConstraint(fields=["county", "title"], name="breakthroughs_task_unique")]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    PROPOSED = "proposed", "待乡镇审定"
    APPROVED = "approved", "推进中"
    FINISHED = "finished", "已完成待评价"
    RATED = "rated", "已评价"


# a proposal sent back is simply proposed again after editing: the town approves or the village withdraws nothing
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.APPROVED,),
    Status.APPROVED: (Status.FINISHED,),
    Status.FINISHED: (Status.RATED,),
    Status.RATED: (),
}


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


class Project(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="所属换届", on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        "people.Person", verbose_name="党组织书记", on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(Task, verbose_name="任务清单事项", on_delete=models.PROTECT, related_name="projects")
    title = models.CharField("项目名称", max_length=100)
    goal = models.TextField("目标")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_on = models.DateField("申报日期")
    approved_on = models.DateField("审定日期", null=True, blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)
    result = models.TextField("成效", blank=True)
    rating = models.CharField("评价等次", max_length=20, choices=Rating.choices, blank=True)
    rating_note = models.CharField("评价意见", max_length=300, blank=True)
    rated_on = models.DateField("评价日期", null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "书记突破项目"
        verbose_name_plural = "书记突破项目"
        ordering = ["region", "-proposed_on"]
        constraints = [
            models.UniqueConstraint(fields=["term_change", "secretary"], name="breakthroughs_one_per_secretary"),
            models.UniqueConstraint(fields=["term_change", "region"], name="breakthroughs_one_per_village"),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    region = RegionKey(verbose_name="村(社区)")
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("节点", max_length=100)
    due_on = models.DateField("计划完成")
    done_on = models.DateField("实际完成", null=True, blank=True)

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["project", "position"]

    def __str__(self) -> str:
        return self.title


def _photo_path(instance: Report, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"breakthroughs/{instance.region_id}/{instance.project_id}-{instance.reported_on:%Y%m%d}.{suffix}"


class Report(models.Model):
    """A progress report: what was done, with an optional photo."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    region = RegionKey(verbose_name="村(社区)")
    reported_on = models.DateField("日期")
    text = models.TextField("进展")
    photo = models.FileField("照片", upload_to=_photo_path, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "项目进展"
        verbose_name_plural = "项目进展"
        ordering = ["project", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.reported_on}"
