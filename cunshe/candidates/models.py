"""Nominations (海选) and formal candidates (正式候选人) of an election, per post, ranked by their nominations. A
withdrawal is kept with its written reason and the scanned letter; the gap is filled from the nomination ranking.
Party elections add the 两推 recommendation counts per nominee and the town party committee's approval of the list."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.teams.models import Post


class NominationSheet(Versioned):
    """The tally sheet of the nomination vote (提名票统计表): how many nomination ballots were returned. Each voter
    nominates at most as many people per post as there are seats, so a post's votes never exceed ballots × seats."""

    election = models.OneToOneField(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="nomination_sheet"
    )
    ballots = models.PositiveIntegerField("收回提名票数")
    entered_on = models.DateField("提名日期")
    entered_by_name = models.CharField("录入人", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "提名统计表"
        verbose_name_plural = "提名统计表"

    def __str__(self) -> str:
        return f"{self.election} 提名统计（{self.ballots} 张）"


class Nomination(models.Model):
    """A nominee of a post with the votes from the tally sheet; for party elections also the 两推 counts."""

    sheet = models.ForeignKey(NominationSheet, verbose_name="提名统计表", on_delete=models.CASCADE, related_name="rows")
    post = models.CharField("职务", max_length=30, choices=Post.choices)
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField("提名票数")
    residents_recommendations = models.PositiveIntegerField("群众推荐票（一户一票）", null=True, blank=True)
    members_recommendations = models.PositiveIntegerField("党员推荐票", null=True, blank=True)

    class Meta:
        verbose_name = "提名"
        verbose_name_plural = "提名"
        ordering = ["sheet", "post", "-votes", "person__name", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "post", "person"], name="candidates_nomination_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_post_display()} {self.votes} 票"


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
    replaces = models.ForeignKey(
        "self", verbose_name="递补谁", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
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


class WithdrawalLetter(models.Model):
    """The scanned written withdrawal (书面退出申请). Kept in the database like the handover scans, so the backup
    holds it with the record; the service caps the size."""

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="letter")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    content = models.BinaryField("内容")
    size = models.PositiveIntegerField("大小")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "书面退出申请"
        verbose_name_plural = "书面退出申请"

    def __str__(self) -> str:
        return self.name


class ListApproval(models.Model):
    """The town party committee's approval (乡镇党委审批) of a party election's candidate list, before publication."""

    election = models.OneToOneField(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="candidate_approval"
    )
    approved_on = models.DateField("批复日期")
    document = models.CharField("批复文号", max_length=100)
    approved_by_name = models.CharField("登记人", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "候选人名单批复"
        verbose_name_plural = "候选人名单批复"

    def __str__(self) -> str:
        return f"{self.election} 候选人名单批复（{self.document}）"


class VoterMeeting(models.Model):
    """候选人与选民见面: a meeting where formal candidates present themselves and answer the voters (RULES.md:
    "Candidates meet voters"), recorded with its day, place, the candidates present and a note."""

    election = models.ForeignKey(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="voter_meetings"
    )
    held_on = models.DateField("见面日期")
    place = models.CharField("地点", max_length=200)
    candidates = models.ManyToManyField(Candidate, verbose_name="到场候选人", related_name="voter_meetings")
    note = models.CharField("情况记录", max_length=1000, blank=True)
    recorded_by_name = models.CharField("登记人", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "候选人与选民见面"
        verbose_name_plural = "候选人与选民见面"
        ordering = ["election", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.place}"
