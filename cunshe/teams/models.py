"""The team (班子) of a village: who holds which post in its two committees (and the affairs supervision
committee), from when to when. Past members are kept: the term change, the handover and the record book need them."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Committee(models.TextChoices):
    PARTY = "party", "村(社区)党组织"
    VILLAGERS = "villagers", "村(居)民委员会"
    SUPERVISION = "supervision", "村(居)务监督委员会"


class Post(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    PARTY_MEMBER = "party_member", "支(党)委委员"
    DIRECTOR = "director", "主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    COMMITTEE_MEMBER = "committee_member", "委员"
    SUPERVISION_CHAIR = "supervision_chair", "监委会主任"
    SUPERVISION_MEMBER = "supervision_member", "监委会委员"


# Which posts belong to which committee; a post outside its committee is refused.
COMMITTEE_POSTS: dict[str, tuple[str, ...]] = {
    Committee.PARTY: (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.PARTY_MEMBER),
    Committee.VILLAGERS: (Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.COMMITTEE_MEMBER),
    Committee.SUPERVISION: (Post.SUPERVISION_CHAIR, Post.SUPERVISION_MEMBER),
}
# Posts held by one person at a time in a village.
SINGLE_POSTS = (Post.SECRETARY, Post.DIRECTOR, Post.SUPERVISION_CHAIR)


# How a post's body is named before it on ballots and sheets.
_BODY_SHORT = {Committee.PARTY: "党组织", Committee.VILLAGERS: "村(居)委会", Committee.SUPERVISION: ""}


class TeamMember(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="posts")
    committee = models.CharField("组织", max_length=20, choices=Committee.choices)
    post = models.CharField("职务", max_length=30, choices=Post.choices)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)
    end_reason = models.CharField("离任原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "班子成员"
        verbose_name_plural = "班子成员"
        ordering = ["region", "committee", "post", "started_on"]
        indexes = [models.Index(fields=["region", "ended_on"], name="team_current_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "post"],
                condition=models.Q(ended_on__isnull=True, post__in=["secretary", "director", "supervision_chair"]),
                name="team_single_post_current",
            ),
            models.UniqueConstraint(
                fields=["person", "committee", "post"],
                condition=models.Q(ended_on__isnull=True),
                name="team_person_post_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_post_display()}）"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @property
    def post_title(self) -> str:
        """党组织书记, 村(居)委会主任, 监委会主任: the post with its body, unless its name already says it (支(党)委委员)."""
        label = str(self.get_post_display())
        return label if self.post == Post.PARTY_MEMBER else f"{_BODY_SHORT[Committee(self.committee)]}{label}"

    @property
    def rank(self) -> tuple[int, int]:
        """Where the member stands in the team: the party organisation, the committee, supervision, each by post."""
        return Committee.values.index(self.committee), Post.values.index(self.post)
