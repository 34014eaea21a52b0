"""What follows a count (选举结果): who certified it and the party committee's own vote for its secretary and
deputy (书记、副书记由新一届支(党)委选举产生，报乡镇党委审批). The result itself is elections.ElectionResult (written by
the counts app); the team changes, the handover and the term-change stages are written through their own apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.teams.models import Post


class Certification(models.Model):
    """The town's certification of a round (or its confirmation as void): who did it, so the handover's working
    group can be the officer who certified, and what it changed."""

    election = models.OneToOneField(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="certification"
    )
    outcome = models.CharField("确认结论", max_length=20, choices=[("certified", "确认有效"), ("void", "确认无效")])
    on = models.DateField("确认日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by_name = models.CharField("确认人姓名", max_length=50)
    handover = models.OneToOneField(
        "handovers.Handover", verbose_name="交接", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "选举结果确认"
        verbose_name_plural = "选举结果确认"

    def __str__(self) -> str:
        return f"{self.election}：{self.get_outcome_display()}"


class PartyPostVote(Versioned):
    """The new party committee's vote for its secretary (or deputy): votes per member, the winner needing more than
    half of the committee; the party posts change in the team only after the town party committee approves."""

    election = models.ForeignKey(
        "elections.Election", verbose_name="党组织选举", on_delete=models.PROTECT, related_name="party_post_votes"
    )
    post = models.CharField(
        "职务", max_length=30, choices=[(Post.SECRETARY, "书记"), (Post.DEPUTY_SECRETARY, "副书记")]
    )
    held_on = models.DateField("选举日期")
    committee_size = models.PositiveSmallIntegerField("委员会人数")
    votes = models.JSONField("得票")  # {person pk (str): votes}
    person = models.ForeignKey("people.Person", verbose_name="当选人", on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("乡镇党委批复日期", null=True, blank=True)
    approval_ref = models.CharField("批复文号", max_length=100, blank=True)
    approved_by_name = models.CharField("批复登记人", max_length=50, blank=True)

    class Meta:
        verbose_name = "书记(副书记)选举"
        verbose_name_plural = "书记(副书记)选举"
        ordering = ["election", "post"]
        constraints = [models.UniqueConstraint(fields=["election", "post"], name="results_party_post_once")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_post_display()}）"
