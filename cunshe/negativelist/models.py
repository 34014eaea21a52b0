"""The negative list (负面清单): adverse information about a prospective candidate, each entry tied to the exclusion
rule (十不选) it would fall under, as that rule read on the entry's date. Entries are verified, never deleted: the
joint review and the record book need to know what was reported and how it was settled."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Source(models.TextChoices):
    VISIT = "visit", "走访了解"
    PETITION = "petition", "信访举报"
    DEPARTMENT = "department", "部门反馈"
    ASSESSMENT = "assessment", "两票一度测评"
    OTHER = "other", "其他"


class State(models.TextChoices):
    PENDING = "pending", "待核实"
    CONFIRMED = "confirmed", "经核属实"
    DISMISSED = "dismissed", "经核不实"
    CLEARED = "cleared", "已整改消除"


# Who is flagged: anything not yet verified, or verified and not cleared.
UNRESOLVED = (State.PENDING, State.CONFIRMED)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.PENDING: (State.CONFIRMED, State.DISMISSED),
    State.CONFIRMED: (State.CLEARED,),
    State.DISMISSED: (State.PENDING,),  # new evidence reopens it
    State.CLEARED: (),
}


class NegativeEntry(Versioned):
    region = RegionKey(verbose_name="村(社区)")  # the person's village when entered: what the access rule needs
    term_change = models.ForeignKey("termchanges.TermChange", verbose_name="换届", on_delete=models.PROTECT)
    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="negative_entries"
    )
    rule = models.ForeignKey("eligibility.ExclusionRule", verbose_name="对应情形", on_delete=models.PROTECT)
    source = models.CharField("信息来源", max_length=20, choices=Source.choices)
    source_detail = models.CharField("来源说明", max_length=200, blank=True)
    found_on = models.DateField("发现日期")
    details = models.TextField("具体情况")
    state = models.CharField("核实状态", max_length=20, choices=State.choices, default=State.PENDING)
    conclusion = models.TextField("核实结论", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "负面清单条目"
        verbose_name_plural = "负面清单条目"
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["person", "state"], name="negative_person_state_idx")]

    def __str__(self) -> str:
        return f"{self.person.name}：{self.rule}"

    @property
    def is_unresolved(self) -> bool:
        return self.state in UNRESOLVED
