"""Formal candidates (正式候选人) of an election, per post, ranked by their nominations. A withdrawal is kept with
its written reason; the gap is filled from the nomination ranking."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.teams.models import Post


class CandidateStatus(models.TextChoices):
    FORMAL = "formal", "正式候选人"
    WITHDRAWN = "withdrawn", "已书面退出"


class Candidate(Versioned):
    election = models.ForeignKey(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="candidates"
    )
    post = models.CharField("职务", max_length=30, choices=Post.choices)
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    nomination_votes = models.PositiveIntegerField("提名票数", default=0)
    rank = models.PositiveSmallIntegerField("提名排序")
    position = models.PositiveSmallIntegerField("选票排列顺序", default=0)
    status = models.CharField("状态", max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.FORMAL)
    withdrawn_on = models.DateField("退出日期", null=True, blank=True)
    withdraw_reason = models.CharField("退出原因", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["election", "post", "position", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                condition=models.Q(status="formal"),
                name="candidates_one_post_per_election",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_post_display()}候选人）"
