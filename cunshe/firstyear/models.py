"""The new team's first-year programme (开门七件事, seed 000): the items a county sets for every village whose
committee has been elected, each due a number of days after the election day, and each village's progress on
them. Items that other modules already record (the handover, the first commitments, 六个一) are marked done from
those modules' facts by `services.progress_sync`, never by hand."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.deadlines.calendar import Unit
from cunshe.regions.models import RegionKey


class Source(models.TextChoices):
    """Where an item's completion comes from: a cadre's entry with evidence, or another module's facts."""

    MANUAL = "manual", "村(社区)登记"
    HANDOVER = "handover", "工作交接全部完成（交接模块）"
    COMMITMENTS_MADE = "commitments_made", "开门一件事达到县定件数（开门一件事台账）"
    COMMITMENT_DONE = "commitment_done", "首件开门一件事办结（开门一件事台账）"
    CARE = "care", "离任干部“六个一”全部完成（交接模块）"
    TRAINING = "training", "新一届班子成员全部参加任职培训（任职培训模块）"
    CARE_LIST = "care_list", "暖心清单各户完成首次“3+N”慰问（暖心清单模块）"
    BREAKTHROUGH = "breakthrough", "书记突破项目经乡镇(街道)审定（书记突破项目模块）"
    ANNUAL_LIST = "annual_list", "初心清单在主题党日公开承诺（初心清单模块）"


class DueUnit(models.TextChoices):
    CALENDAR_DAYS = Unit.CALENDAR_DAYS.value, "自然日"
    WORKING_DAYS = Unit.WORKING_DAYS.value, "工作日"


# The seven things of seed 000 (邹平市“开门七件事”). The issue gives no deadlines: these are defaults a county
# changes. The handover keeps the legal floor of 10 days (RULES.md); the rest follow the order of the seed.
DEFAULT_ITEMS: tuple[tuple[str, str, str, int, str], ...] = (
    (
        "handover",
        "接好第一棒：全面交接",
        "党务、村务、财务资料核对，印章、账册交接，纪委和监委会全程监督。",
        10,
        Source.HANDOVER,
    ),
    (
        "first_lesson",
        "开好任职第一课：任职培训",
        "新一届两委干部和村(居)务监督委员会成员全员轮训。",
        30,
        Source.TRAINING,
    ),
    (
        "first_promise",
        "立好履职第一诺：入户走访后公开承诺",
        "入户率100%征求意见，制定初心清单和五年规划，结合主题党日公开承诺。",
        60,
        Source.ANNUAL_LIST,
    ),
    ("first_thing", "办好开门第一事：民生微实事", "认定3至5件民生微实事并立即落实。", 90, Source.COMMITMENT_DONE),
    ("retirement_care", "传递情暖第一线：“六个一”荣退", "对离任村干部开展“六个一”关爱活动。", 30, Source.CARE),
    (
        "care_list",
        "锻造服务第一军：暖心清单",
        "摸排困难群众，制定暖心清单，每月开展“3+N”慰问帮扶。",
        30,
        Source.CARE_LIST,
    ),
    (
        "breakthrough",
        "打好振兴第一仗：书记突破项目",
        "筛选一项重点工作任务作为党组织书记突破项目。",
        60,
        Source.BREAKTHROUGH,
    ),
)


class ProgrammeItem(Versioned):
    """One item of a county's programme. Set by the county's organization department; seeded from DEFAULT_ITEMS."""

    county = RegionKey(verbose_name="县(市、区)")
    key = models.SlugField("代码", max_length=40)
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("事项", max_length=60)
    description = models.CharField("内容", max_length=300, blank=True)
    due_amount = models.PositiveSmallIntegerField("完成时限（选举日后）")
    due_unit = models.CharField("时限单位", max_length=20, choices=DueUnit.choices, default=DueUnit.CALENDAR_DAYS)
    source = models.CharField("完成依据", max_length=30, choices=Source.choices, default=Source.MANUAL)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "开门七件事事项"
        verbose_name_plural = "开门七件事事项"
        ordering = ["county", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["county", "key"], name="firstyear_item_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def due_label(self) -> str:
        return f"选举日后 {self.due_amount} 个{self.get_due_unit_display()}"


class Programme(models.Model):
    """A village's programme, opened once its villagers' (residents') committee election is certified; it counts
    from the day that committee was elected."""

    region = RegionKey(verbose_name="村(社区)")
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="所属换届", on_delete=models.PROTECT, related_name="+"
    )
    election = models.ForeignKey("elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="+")
    elected_on = models.DateField("选举日")
    opened_at = models.DateTimeField("开始时间", auto_now_add=True)

    class Meta:
        verbose_name = "村(社区)开门七件事"
        verbose_name_plural = "村(社区)开门七件事"
        ordering = ["region", "-elected_on"]
        constraints = [
            models.UniqueConstraint(fields=["term_change", "region"], name="firstyear_programme_once_per_term")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.elected_on}"


def _attachment_path(instance: Progress, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"firstyear/{instance.region_id}/{instance.item_id}.{suffix}"


class Progress(Versioned):
    """One village's progress on one item: due at a moment counted from the election day; done on a day with
    evidence (a note and, for items marked by hand, an optional attachment)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="progress")
    region = RegionKey(verbose_name="村(社区)")
    item = models.ForeignKey(ProgrammeItem, verbose_name="事项", on_delete=models.PROTECT, related_name="progress")
    due_at = models.DateTimeField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    evidence = models.TextField("完成佐证", blank=True)
    attachment = models.FileField("附件", upload_to=_attachment_path, blank=True)
    done_source = models.CharField("完成依据", max_length=30, choices=Source.choices, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "开门七件事进度"
        verbose_name_plural = "开门七件事进度"
        ordering = ["region", "item__position"]
        indexes = [models.Index(fields=["done_on", "due_at"], name="firstyear_progress_due_idx")]
        constraints = [models.UniqueConstraint(fields=["programme", "item"], name="firstyear_progress_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.item_id}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class TownTally(models.Model):
    """The roll-up row of one town and one item, kept by the services in the transaction of each change: how many of
    its villages have the item and how many have done it (on time or late). The county table sums these rows;
    overdue depends on the clock and is counted from the open progress rows' indexed due moment."""

    region = RegionKey(verbose_name="乡镇(街道)")
    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="+")
    villages = models.PositiveIntegerField("村(社区)数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    done_late = models.PositiveIntegerField("逾期完成", default=0)

    class Meta:
        verbose_name = "开门七件事汇总"
        verbose_name_plural = "开门七件事汇总"
        constraints = [models.UniqueConstraint(fields=["region", "item"], name="firstyear_tally_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.item_id} {self.done}/{self.villages}"
