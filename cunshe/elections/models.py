"""Elections (选举): the rule sets they run under, one election per village and kind with its posts and seats, its
election committee (村民选举委员会) and its stage. The register, the candidates, polling and the count belong to
their own apps (voters, candidates, polling, counts) and point here."""

from __future__ import annotations

from fractions import Fraction

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.elections.fields import FractionField
from cunshe.regions.models import RegionKey
from cunshe.teams.models import Committee, Post


class Kind(models.TextChoices):
    VILLAGERS = "villagers", "村民委员会选举"
    RESIDENTS = "residents", "居民委员会选举"
    SUPERVISION = "supervision", "村(居)务监督委员会选举"
    PARTY = "party", "村(社区)党组织换届选举"


# The body each kind of election fills, and the posts a voter votes for (in ballot order).
KIND_COMMITTEE: dict[str, str] = {
    Kind.VILLAGERS: Committee.VILLAGERS,
    Kind.RESIDENTS: Committee.VILLAGERS,
    Kind.SUPERVISION: Committee.SUPERVISION,
    Kind.PARTY: Committee.PARTY,
}
KIND_POSTS: dict[str, tuple[str, ...]] = {
    Kind.VILLAGERS: (Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.COMMITTEE_MEMBER),
    Kind.RESIDENTS: (Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.COMMITTEE_MEMBER),
    Kind.SUPERVISION: (Post.SUPERVISION_CHAIR, Post.SUPERVISION_MEMBER),
    # The members' meeting elects the committee; the committee then elects the secretary (and deputy) from its
    # members (assemblies app), so the ballot has one post.
    Kind.PARTY: (Post.PARTY_MEMBER,),
}
# Kinds voted by every registered voter (a register, polling stations, turnout); the others vote in a meeting.
DIRECT_KINDS = (Kind.VILLAGERS, Kind.RESIDENTS)


class WomanSeat(models.TextChoices):
    FILL_LAST_MEMBER = "fill_last_member", "无妇女当选时，得票最多的妇女委员候选人替补最后一名委员"
    SEPARATE_VOTE = "separate_vote", "无妇女当选时，保留一个委员名额在妇女候选人中另行选举"
    NONE = "none", "不设妇女专职名额"


class ElectionRules(models.Model):
    """A rule set (选举办法/规程) for one kind of election, in force from a date: national (no province), a
    province's, or a county's own tightening of its province's. Never edited once used: a change is a new row with a
    later effective date, and every election keeps the row it ran under."""

    kind = models.CharField("选举类别", max_length=20, choices=Kind.choices)
    province = models.CharField("省份代码", max_length=2, blank=True, help_text="空为全国通用")
    county = RegionKey(verbose_name="县(市、区)", null=True, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name="依据", on_delete=models.PROTECT, null=True, blank=True, related_name="tightened_by"
    )
    name = models.CharField("名称", max_length=100)
    source = models.CharField("依据文件", max_length=300)
    effective_from = models.DateField("施行日期")

    seats_min = models.PositiveSmallIntegerField("职数下限")
    seats_max = models.PositiveSmallIntegerField("职数上限")
    # 差额: how many more candidates than seats, per post (director and deputy +1, members +1 to +3)
    extra_head_min = models.PositiveSmallIntegerField("正职候选人多于应选人数（至少）", default=1)
    extra_deputy_min = models.PositiveSmallIntegerField("副职候选人多于应选人数（至少）", default=1)
    extra_member_min = models.PositiveSmallIntegerField("委员候选人多于应选人数（至少）", default=1)
    extra_member_max = models.PositiveSmallIntegerField("委员候选人多于应选人数（至多）", default=3)
    party_margin = FractionField("党组织委员差额比例（不少于）", default=Fraction(1, 5))

    register_days_before = models.PositiveSmallIntegerField("选民名单于选举日前公布（日，以上）", default=20)
    objection_days = models.PositiveSmallIntegerField("公布后申诉期（日）", default=5)
    objection_decision_days = models.PositiveSmallIntegerField("申诉处理期（日）", default=3)
    candidates_days_before = models.PositiveSmallIntegerField("正式候选人于选举日前公布（日，以上）", default=5)
    election_committee_min = models.PositiveSmallIntegerField("选举委员会人数下限", default=5)
    election_committee_max = models.PositiveSmallIntegerField("选举委员会人数上限", default=9)
    scrutineers_min = models.PositiveSmallIntegerField("每个投票站(票箱)监票人（以上）", default=3)
    proxy_cap = models.PositiveSmallIntegerField("每名受托人受托人数（以下）", default=3)

    turnout = FractionField("投票有效：参加投票人数须超过登记选民的", default=Fraction(1, 2))
    win = FractionField("当选：得票须超过参加投票人数的", default=Fraction(1, 2))
    further_floor = FractionField("另行选举：得票不得少于参加投票人数的", default=Fraction(1, 3))
    further_turnout_required = models.BooleanField("另行选举仍须过半数投票", default=True)
    vacancy_min_members = models.PositiveSmallIntegerField("另行选举后仍缺额时，成员不少于（可空缺）", default=3)
    aggregation = models.BooleanField("一票制：正职得票计入副职和委员，副职得票计入委员", default=False)
    woman_seat = models.CharField(
        "妇女名额", max_length=30, choices=WomanSeat.choices, default=WomanSeat.FILL_LAST_MEMBER
    )
    # Elections held in a meeting (party members' meeting, representatives' meeting): how many of those due must
    # be present. The party rule is "超过4/5" (strict); the representatives' meeting "2/3以上" (inclusive).
    meeting_quorum = FractionField("会议有效：实到人数占应到人数", default=Fraction(4, 5))
    meeting_quorum_inclusive = models.BooleanField("会议有效门槛含本数（“以上”）", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选举办法"
        verbose_name_plural = "选举办法"
        ordering = ["kind", "province", "county", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "province", "county", "effective_from"], name="elections_rules_version_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "province", "effective_from"],
                condition=models.Q(county__isnull=True),
                name="elections_rules_version_unique_above_county",
            ),
            models.CheckConstraint(condition=models.Q(seats_min__lte=models.F("seats_max")), name="elections_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d} 起施行）"

    @property
    def scope_label(self) -> str:
        if self.county_id:
            return "本县"
        return "本省" if self.province else "全国"


class Status(models.TextChoices):
    PREPARING = "preparing", "筹备中"
    REGISTER_PUBLISHED = "register_published", "选民名单已公布"
    CANDIDATES_PUBLISHED = "candidates_published", "正式候选人已公布"
    VOTING = "voting", "投票中"
    COUNTED = "counted", "计票完成"
    CERTIFIED = "certified", "结果已确认"
    VOID = "void", "选举无效"


# The allowed moves, by kind: elections voted in a meeting have no voter register. Moving back is a recorded
# correction (a register published too early and withdrawn); a void election stays void: a rerun is a new election.
_DIRECT: dict[str, tuple[str, ...]] = {
    Status.PREPARING: (Status.REGISTER_PUBLISHED,),
    Status.REGISTER_PUBLISHED: (Status.CANDIDATES_PUBLISHED, Status.PREPARING),
    Status.CANDIDATES_PUBLISHED: (Status.VOTING, Status.REGISTER_PUBLISHED),
    Status.VOTING: (Status.COUNTED,),
    Status.COUNTED: (Status.CERTIFIED, Status.VOID, Status.VOTING),
    Status.CERTIFIED: (),
    Status.VOID: (),
}
_MEETING: dict[str, tuple[str, ...]] = {
    Status.PREPARING: (Status.CANDIDATES_PUBLISHED,),
    Status.CANDIDATES_PUBLISHED: (Status.VOTING, Status.PREPARING),
    Status.VOTING: (Status.COUNTED,),
    Status.COUNTED: (Status.CERTIFIED, Status.VOID, Status.VOTING),
    Status.CERTIFIED: (),
    Status.VOID: (),
}
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Kind.VILLAGERS: _DIRECT,
    Kind.RESIDENTS: _DIRECT,
    Kind.SUPERVISION: _MEETING,
    Kind.PARTY: _MEETING,
}


class Round(models.TextChoices):
    MAIN = "main", "正式选举"
    FURTHER = "further", "另行选举"
    RERUN = "rerun", "重新选举"


class Election(Versioned):
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="换届", on_delete=models.PROTECT, related_name="elections"
    )
    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("选举类别", max_length=20, choices=Kind.choices)
    round = models.CharField("轮次", max_length=10, choices=Round.choices, default=Round.MAIN)
    parent = models.ForeignKey(
        "self", verbose_name="上一轮", on_delete=models.PROTECT, null=True, blank=True, related_name="rounds"
    )
    rules = models.ForeignKey(ElectionRules, verbose_name="选举办法", on_delete=models.PROTECT, related_name="+")
    election_day = models.DateField("选举日")
    status = models.CharField("状态", max_length=30, choices=Status.choices, default=Status.PREPARING)
    register_published_on = models.DateField("选民名单公布日期", null=True, blank=True)
    candidates_published_on = models.DateField("正式候选人公布日期", null=True, blank=True)
    opened_by_name = models.CharField("发起人", max_length=50, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "选举"
        verbose_name_plural = "选举"
        ordering = ["region", "kind", "election_day", "pk"]
        indexes = [
            models.Index(fields=["election_day", "region"], name="elections_day_region_idx"),
            models.Index(fields=["region", "kind", "status"], name="elections_region_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["term_change", "region", "kind"],
                condition=models.Q(round="main"),
                name="elections_one_main_per_village_kind",
            ),
        ]

    def __str__(self) -> str:
        suffix = "" if self.round == Round.MAIN else f"（{self.get_round_display()}）"
        return f"{self.get_kind_display()}{suffix}"

    @property
    def heading(self) -> str:
        """The election as its printouts name it: 西范村村民委员会选举, 西范村党组织换届选举（另行选举）."""
        return self.region.named(str(self))

    @property
    def committee(self) -> str:
        return KIND_COMMITTEE[self.kind]

    @property
    def is_direct(self) -> bool:
        return self.kind in DIRECT_KINDS

    @property
    def moves(self) -> tuple[str, ...]:
        return TRANSITIONS[self.kind][self.status]

    def seats_total(self) -> int:
        return sum(p.seats for p in self.posts.all())


class ElectionPost(models.Model):
    """A post on the ballot and how many are to be elected to it (应选人数)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="posts")
    post = models.CharField("职务", max_length=30, choices=Post.choices)
    seats = models.PositiveSmallIntegerField("应选人数")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "应选职位"
        verbose_name_plural = "应选职位"
        ordering = ["election", "position"]
        constraints = [models.UniqueConstraint(fields=["election", "post"], name="elections_post_unique")]

    def __str__(self) -> str:
        return f"{self.get_post_display()} {self.seats} 名"


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", "主任"
    VICE_CHAIR = "vice_chair", "副主任"
    MEMBER = "member", "委员"
    ALTERNATE = "alternate", "递补人选"


class CommitteeMember(Versioned):
    """A member of the election committee (村民选举委员会). One who is nominated, or whose close relative is, leaves
    it; the first alternate in order fills the place (RULES.md, 2025 amendment)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="committee_members")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职务", max_length=20, choices=CommitteeRole.choices)
    position = models.PositiveSmallIntegerField("推选顺序")
    chosen_by = models.CharField("推选方式", max_length=100)
    chosen_on = models.DateField("推选日期")
    withdrawn_on = models.DateField("退出日期", null=True, blank=True)
    withdraw_reason = models.CharField("退出原因", max_length=200, blank=True)
    replaces = models.ForeignKey(
        "self", verbose_name="递补谁", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )

    class Meta:
        verbose_name = "选举委员会成员"
        verbose_name_plural = "选举委员会成员"
        ordering = ["election", "withdrawn_on", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="elections_committee_person_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_role_display()}）"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None and self.role != CommitteeRole.ALTERNATE


class ResultStatus(models.TextChoices):
    """What the count of a round decided (elections.tally.Outcome.status)."""

    ELECTED = "elected", "全部当选"
    FURTHER_ROUND = "further_round", "须另行选举"
    TIE = "tie", "票数相同须再次投票"
    VACANT = "vacant", "部分职位空缺"
    RERUN = "rerun", "选举无效须重新选举"


class ElectionResult(models.Model):
    """The outcome of one round's count, as the tally decided it (counts app writes it, results app certifies it):
    the figures it was computed from and every line with the rule behind it, kept as they were."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="result")
    status = models.CharField("结果", max_length=20, choices=ResultStatus.choices)
    valid = models.BooleanField("选举有效")
    registered = models.PositiveIntegerField("登记选民")
    issued = models.PositiveIntegerField("发出选票")
    returned = models.PositiveIntegerField("收回选票")
    invalid = models.PositiveIntegerField("无效票")
    count = models.JSONField("计票数据")  # the count-sheet JSON of docs/elections.md
    outcome = models.JSONField("计票结果")  # elections.tally.outcome_to_json
    counted_at = models.DateTimeField("计票时间")
    certified_on = models.DateField("确认日期", null=True, blank=True)
    certified_by_name = models.CharField("确认人", max_length=50, blank=True)

    class Meta:
        verbose_name = "选举结果"
        verbose_name_plural = "选举结果"

    def __str__(self) -> str:
        return f"{self.election}：{self.get_status_display()}"


class ElectedMember(models.Model):
    """A person elected to a post in a round (当选), in the order of the result report."""

    result = models.ForeignKey(ElectionResult, on_delete=models.PROTECT, related_name="elected")
    post = models.CharField("职务", max_length=30, choices=Post.choices)
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField("得票")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "当选人"
        verbose_name_plural = "当选人"
        ordering = ["result", "position"]
        constraints = [models.UniqueConstraint(fields=["result", "person", "post"], name="elections_elected_once")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_post_display()}）"
