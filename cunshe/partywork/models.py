"""Party work of a village's party branch (党支部) in the first year, seeds 002 and 003: its meetings (三会一课 and
theme party days) with their minutes, checked against the cadence of RULES.md; model posts (党员示范岗) rated each
quarter; floating party members (流动党员) with their cards (流动党员活动证), temporary and boat party groups
(船头党小组) and their yearly report home.

Who is a party member is `people.Person.is_party_member` (no second membership record); a branch is the party
organisation of one village (its committee is the `teams` party committee)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Branch(models.Model):
    """A village's party organisation as far as its party work is tracked: from the day its committee was elected
    (`formed_on`), its meetings are checked against the cadence."""

    region = RegionKey(verbose_name="村(社区)")
    name = models.CharField("党组织名称", max_length=100)
    formed_on = models.DateField("本届支部委员会产生日期")

    class Meta:
        verbose_name = "党支部"
        verbose_name_plural = "党支部"
        ordering = ["region"]
        constraints = [models.UniqueConstraint(fields=["region"], name="partywork_branch_one_per_village")]

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    MEMBERS = "members", "支部党员大会"
    COMMITTEE = "committee", "支部委员会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    LIFE = "life", "组织生活会"
    APPRAISAL = "appraisal", "民主评议党员"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "记录中"
    SIGNED = "signed", "已签字确认"


# A record is edited while being written; once the recorder and the chair have both confirmed it, it is closed for
# good (corrections are addenda).
MEETING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeetingStatus.DRAFT: (MeetingStatus.SIGNED,),
    MeetingStatus.SIGNED: (),
}


class PartyMeeting(Versioned):
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="meetings")
    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    number = models.PositiveIntegerField("编号（本年本类第几次）")
    held_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=100)
    chair = models.ForeignKey("people.Person", verbose_name="主持人", on_delete=models.PROTECT, related_name="+")
    recorder = models.ForeignKey("people.Person", verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    by_secretary = models.BooleanField("书记主持（讲授）", default=False)
    topic = models.CharField("主题", max_length=200, blank=True)
    agenda = models.TextField("议程", max_length=2000)
    discussion = models.TextField("发言情况（含不同意见）", max_length=10000, blank=True)
    votes = models.TextField("表决情况", max_length=2000, blank=True)
    status = models.CharField("状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    recorder_signed_at = models.DateTimeField("记录人确认时间", null=True, blank=True)
    recorder_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chair_signed_at = models.DateTimeField("主持人确认时间", null=True, blank=True)
    chair_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "党内会议记录"
        verbose_name_plural = "党内会议记录"
        ordering = ["region", "-held_at", "id"]
        indexes = [models.Index(fields=["region", "kind", "held_at"], name="partywork_meeting_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.held_at:%Y}年第{self.number}次"

    @property
    def title(self) -> str:
        return f"{self.branch.name}{self}"


class Presence(models.TextChoices):
    DUE = "due", "未登记"
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(PartyMeeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("出席", max_length=20, choices=Presence.choices, default=Presence.DUE)
    reason = models.CharField("缺席原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "参会党员"
        verbose_name_plural = "参会党员"
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="partywork_attendance_once")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status}"


class Decision(models.Model):
    meeting = models.ForeignKey(PartyMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField("决定事项", max_length=500)
    owner = models.CharField("责任人", max_length=50)
    due_on = models.DateField("完成时限")

    class Meta:
        verbose_name = "会议决定"
        verbose_name_plural = "会议决定"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class Addendum(models.Model):
    """A correction or addition to a signed record: the record itself is never changed."""

    meeting = models.ForeignKey(PartyMeeting, on_delete=models.PROTECT, related_name="addenda")
    region = RegionKey(verbose_name="村(社区)")
    written_on = models.DateField("日期")
    text = models.CharField("补充更正内容", max_length=1000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "会议记录补充说明"
        verbose_name_plural = "会议记录补充说明"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class CadenceStatus(models.Model):
    """The roll-up row of one branch and one kind of meeting, kept by the services with each signed record: the end
    of the latest period with a signed meeting and the day the next one is due (the end of the following period).
    Overdue is `due_on` < today, read from this indexed column; a town's table groups these rows."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="cadence")
    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    held = models.PositiveIntegerField("已召开（已确认）次数", default=0)
    last_held_on = models.DateField("最近召开日期", null=True, blank=True)
    due_on = models.DateField("下次应召开截止日期")

    class Meta:
        verbose_name = "会议频次情况"
        verbose_name_plural = "会议频次情况"
        ordering = ["region", "kind"]
        indexes = [models.Index(fields=["region", "due_on"], name="partywork_cadence_due_idx")]
        constraints = [models.UniqueConstraint(fields=["branch", "kind"], name="partywork_cadence_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.due_on}"


# Model posts (党员示范岗)


class ModelPost(Versioned):
    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("示范岗名称", max_length=100)
    duty = models.CharField("岗位职责与承诺", max_length=500)
    set_up_on = models.DateField("设岗日期")
    ended_on = models.DateField("撤岗日期", null=True, blank=True)
    end_reason = models.CharField("撤岗原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "党员示范岗"
        verbose_name_plural = "党员示范岗"
        ordering = ["region", "id"]

    def __str__(self) -> str:
        return self.title


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class PostRating(models.Model):
    """One quarter's rating of a model post by the town: the score per criterion (as the criteria stood on the
    quarter's last day), the total and the grade."""

    post = models.ForeignKey(ModelPost, on_delete=models.PROTECT, related_name="ratings")
    region = RegionKey(verbose_name="村(社区)")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    scores = models.JSONField("各项得分")
    total = models.PositiveSmallIntegerField("总分")
    grade = models.CharField("评定结果", max_length=20, choices=Grade.choices)
    note = models.CharField("评语", max_length=300, blank=True)
    rated_on = models.DateField("评比日期")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "示范岗季度评比"
        verbose_name_plural = "示范岗季度评比"
        ordering = ["region", "-year", "-quarter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "year", "quarter"], name="partywork_rating_once_a_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.total}"


# Floating party members (流动党员)


class FloatingMember(Versioned):
    """A party member of the village working away. `report_due_on` is the last day of the first year without a
    report home (kept by the services); past it the member is overdue."""

    region = RegionKey(verbose_name="村(社区)")
    person = models.ForeignKey("people.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    whereabouts = models.CharField("流入地（所在地）", max_length=200)
    work = models.CharField("从事工作", max_length=100, blank=True)
    phone = models.CharField("联系方式", max_length=20, blank=True)
    left_on = models.DateField("外出日期")
    expected_back_on = models.DateField("预计返回日期", null=True, blank=True)
    cannot_transfer = models.BooleanField("无法转移组织关系", default=False)
    cannot_transfer_reason = models.CharField("无法转移的原因", max_length=200, blank=True)
    returned_on = models.DateField("返回日期", null=True, blank=True)
    report_due_on = models.DateField("年度报告截止日期")

    class Meta:
        verbose_name = "流动党员"
        verbose_name_plural = "流动党员"
        ordering = ["region", "id"]
        indexes = [models.Index(fields=["region", "report_due_on"], name="partywork_floating_report_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(returned_on__isnull=True), name="partywork_floating_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.whereabouts}"


class FloatingCard(models.Model):
    """流动党员活动证: issued by the home branch; valid from `issued_on` to `valid_until`."""

    member = models.ForeignKey(FloatingMember, on_delete=models.PROTECT, related_name="cards")
    region = RegionKey(verbose_name="村(社区)")
    number = models.CharField("证号", max_length=40, unique=True)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")
    revoked_on = models.DateField("收回日期", null=True, blank=True)

    class Meta:
        verbose_name = "流动党员活动证"
        verbose_name_plural = "流动党员活动证"
        ordering = ["member", "-issued_on"]

    def __str__(self) -> str:
        return self.number


class FloatingReport(models.Model):
    """The yearly report home (向党组织报告) of a floating member."""

    member = models.ForeignKey(FloatingMember, on_delete=models.PROTECT, related_name="reports")
    region = RegionKey(verbose_name="村(社区)")
    year = models.PositiveSmallIntegerField("年度")
    reported_on = models.DateField("报告日期")
    content = models.CharField("报告内容", max_length=1000)

    class Meta:
        verbose_name = "流动党员年度报告"
        verbose_name_plural = "流动党员年度报告"
        ordering = ["member", "year"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="partywork_report_once_a_year")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"


class GroupKind(models.TextChoices):
    BOAT = "boat", "船头党小组"
    TEMPORARY = "temporary", "临时党小组"


class FloatingGroup(Versioned):
    """A temporary party group of floating members going out together (≥ 3), set up by their town; on a fishing or
    transport fleet it is a boat party group (船头党小组). Who belonged when is its memberships (never deleted); a
    group no longer active is dissolved on a day, its memberships ended that day."""

    region = RegionKey(verbose_name="乡镇(街道)")
    kind = models.CharField("类型", max_length=20, choices=GroupKind.choices)
    name = models.CharField("名称", max_length=100)
    whereabouts = models.CharField("活动地点（船队）", max_length=200)
    formed_on = models.DateField("成立日期")
    leader = models.ForeignKey("people.Person", verbose_name="组长", on_delete=models.PROTECT, related_name="+")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        verbose_name = "流动党员临时党组织"
        verbose_name_plural = "流动党员临时党组织"
        ordering = ["region", "id"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """One floating member's time in one temporary group: joined on a day, and (once they left, returned home or
    the group was dissolved) left on a day with the reason. A member is in at most one group at a time."""

    group = models.ForeignKey(FloatingGroup, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(FloatingMember, on_delete=models.PROTECT, related_name="memberships")
    region = RegionKey(verbose_name="村(社区)")
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    left_reason = models.CharField("退出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "临时党小组成员"
        verbose_name_plural = "临时党小组成员"
        ordering = ["group", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(left_on__isnull=True), name="partywork_one_group_at_a_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.member_id} {self.joined_on}"
