"""Handover (交接) between an outgoing and an incoming team or leader: items handed over one by one, signed off by
every party, printed and followed up. Seeds 000 (committee handovers run by town working groups) and 003 (a leader
leaving a post hands over one list and one table within 3 days, accounts frozen, five copies filed)."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey

# 民政部《村民委员会选举规程》: the old committee hands over within 10 days of the new one being formed.
LEGAL_FLOOR_DAYS = 10


class Kind(models.TextChoices):
    COMMITTEE = "committee", "村(社区)两委换届交接"
    LEADER = "leader", "主要负责人离任交接"
    # Seed 003 (汶上): a leader leaving a post in a town or a county unit (乡镇党委书记, a county department's head).
    UNIT = "unit", "领导干部离任交接（乡镇、县直单位）"


class ItemKind(models.TextChoices):
    COUNT = "count", "实物（件数）"
    DOCUMENT = "document", "文件资料"
    MONEY = "money", "款项（元）"
    TEXT = "text", "文字说明"


class HandoverSettings(Versioned):
    """A county's handover rules; stricter than the law is allowed, looser is refused by the service."""

    county = RegionKey(verbose_name="县(市、区)")
    leader_days = models.PositiveSmallIntegerField("离任交接期限（自然日）", default=3)
    committee_days = models.PositiveSmallIntegerField("换届交接期限（自然日）", default=LEGAL_FLOOR_DAYS)
    copies = models.PositiveSmallIntegerField("交接书份数", default=5)

    class Meta:
        verbose_name = "交接设置"
        verbose_name_plural = "交接设置"
        constraints = [models.UniqueConstraint(fields=["county"], name="handover_settings_county_unique")]

    def __str__(self) -> str:
        return f"{self.county_id} 交接设置"


class Template(models.Model):
    """The list of items a handover of one kind goes through, kept per county."""

    county = RegionKey(verbose_name="县(市、区)")
    kind = models.CharField("交接类型", max_length=20, choices=Kind.choices)
    name = models.CharField("模板名称", max_length=100)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "交接模板"
        verbose_name_plural = "交接模板"
        ordering = ["county", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="handover_template_name_unique")]

    def __str__(self) -> str:
        return self.name


class TemplateItem(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    section = models.CharField("类别", max_length=50)
    title = models.CharField("事项", max_length=100)
    item_kind = models.CharField("形式", max_length=20, choices=ItemKind.choices)
    expected = models.CharField("应交内容", max_length=300, blank=True)

    class Meta:
        verbose_name = "模板事项"
        verbose_name_plural = "模板事项"
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "position"], name="handover_tpl_item_unique")]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    OPEN = "open", "交接中"
    COMPLETED = "completed", "已完成"


# Completion happens only through the last confirmation; a completed handover is closed for good.
TRANSITIONS: dict[str, tuple[str, ...]] = {Status.OPEN: (Status.COMPLETED,), Status.COMPLETED: ()}


class Handover(Versioned):
    # A village for committee and village-leader handovers; a town or the county for a unit's leader (Kind.UNIT).
    region = RegionKey(verbose_name="村(社区)或单位所在区域")
    kind = models.CharField("交接类型", max_length=20, choices=Kind.choices)
    unit_name = models.CharField("离任单位", max_length=100, blank=True)
    post = models.CharField("岗位", max_length=100, blank=True)
    term_change = models.ForeignKey(
        "termchanges.TermChange", verbose_name="所属换届", on_delete=models.PROTECT, null=True, blank=True
    )
    template = models.ForeignKey(Template, verbose_name="模板", on_delete=models.PROTECT)
    outgoing = models.ForeignKey(
        "people.Person", verbose_name="移交人", on_delete=models.PROTECT, related_name="handovers_out"
    )
    incoming = models.ForeignKey(
        "people.Person", verbose_name="接收人", on_delete=models.PROTECT, related_name="handovers_in"
    )
    working_group = models.ForeignKey(
        "accounts.User", verbose_name="交接工作组", on_delete=models.PROTECT, related_name="handovers_led"
    )
    working_group_members = models.CharField("工作组成员", max_length=300, blank=True)
    supervisor = models.ForeignKey(
        "accounts.User", verbose_name="监交人", on_delete=models.PROTECT, related_name="handovers_supervised"
    )
    starts_on = models.DateField("起算日期")
    due_at = models.DateTimeField("交接期限")
    meeting_at = models.DateTimeField("交接会时间")
    meeting_place = models.CharField("交接会地点", max_length=200)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    accounts_frozen = models.BooleanField("账户冻结", default=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "交接"
        verbose_name_plural = "交接"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="handover_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.outgoing.name} → {self.incoming.name}（{self.get_kind_display()}）"

    @property
    def unit_label(self) -> str:
        """Who hands over: the unit (黛溪街道党工委, 县财政局) or the village."""
        return self.unit_name or self.region.name


class ItemStatus(models.TextChoices):
    PENDING = "pending", "待交接"
    HANDED = "handed", "已交接"
    DISCREPANCY = "discrepancy", "有差异"
    NOT_HANDED = "not_handed", "应交未交"


class HandoverItem(Versioned):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    section = models.CharField("类别", max_length=50)
    title = models.CharField("事项", max_length=100)
    item_kind = models.CharField("形式", max_length=20, choices=ItemKind.choices)
    expected = models.CharField("应交内容", max_length=300, blank=True)
    status = models.CharField("交接情况", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    count = models.PositiveIntegerField("件数/册数", null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    details = models.TextField("交接明细", blank=True, help_text="印章编号、账簿册数、文件清单等")
    discrepancy = models.TextField("差异说明", blank=True)

    class Meta:
        verbose_name = "交接事项"
        verbose_name_plural = "交接事项"
        ordering = ["handover", "position"]
        constraints = [models.UniqueConstraint(fields=["handover", "position"], name="handover_item_unique")]

    def __str__(self) -> str:
        return self.title


class Scan(models.Model):
    """A photo or scan of what was handed over. Kept in the database so the backup holds it with the record and a
    county needs no separate file store; the service caps the size."""

    item = models.ForeignKey(HandoverItem, on_delete=models.PROTECT, related_name="scans")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    content = models.BinaryField("内容")
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "照片/扫描件"
        verbose_name_plural = "照片/扫描件"
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.name


class Party(models.TextChoices):
    OUTGOING = "outgoing", "移交人"
    INCOMING = "incoming", "接收人"
    WORKING_GROUP = "working_group", "交接工作组"
    SUPERVISOR = "supervisor", "监交人"


class GroupParty(models.TextChoices):
    """Seed 003: the joint supervising group (监交单位联合小组) of a unit's handover, one member per department."""

    ORGANIZATION = "group_organization", "监交组（组织部门）"
    DISCIPLINE = "group_discipline", "监交组（纪委监委）"
    FINANCE = "group_finance", "监交组（财政）"
    AUDIT = "group_audit", "监交组（审计）"


PARTY_LABELS: dict[str, str] = dict(Party.choices) | dict(GroupParty.choices)
GROUP_PARTIES: tuple[str, ...] = tuple(GroupParty.values)
VILLAGE_PARTIES: tuple[str, ...] = tuple(Party.values)
UNIT_PARTIES: tuple[str, ...] = (Party.OUTGOING, Party.INCOMING, Party.WORKING_GROUP, *GROUP_PARTIES)


def parties_of(kind: str) -> tuple[str, ...]:
    """Whose sign-off completes a handover of this kind: a unit's is signed by the whole supervising group."""
    return UNIT_PARTIES if kind == Kind.UNIT else VILLAGE_PARTIES


class GroupMember(models.Model):
    """One member of a unit handover's joint supervising group: an account and the department it speaks for."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="group")
    party = models.CharField("所属方", max_length=20, choices=GroupParty.choices)
    user = models.ForeignKey("accounts.User", verbose_name="成员", on_delete=models.PROTECT)
    department = models.CharField("所在部门", max_length=100)

    class Meta:
        verbose_name = "监交组成员"
        verbose_name_plural = "监交组成员"
        ordering = ["handover", "id"]
        constraints = [models.UniqueConstraint(fields=["handover", "party"], name="handover_group_party_unique")]

    def __str__(self) -> str:
        return f"{self.department} {self.user.display_name}"


class NoticeKind(models.TextChoices):
    FREEZE = "freeze", "账户冻结通知"
    LIFT = "lift", "账户解冻通知"


class FreezeNotice(models.Model):
    """The notice sent to the finance bureau to freeze the leaving unit's accounts, and the one lifting it at
    completion (seed 003: 同步通知财政局冻结离任单位账户，待交接完毕后解封)."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="freeze_notices")
    kind = models.CharField("通知类型", max_length=10, choices=NoticeKind.choices)
    addressed_to = models.CharField("送达单位", max_length=100)
    sent_at = models.DateTimeField("发送时间")
    sent_by = models.ForeignKey("accounts.User", verbose_name="发送人", on_delete=models.PROTECT, null=True)

    class Meta:
        verbose_name = "账户冻结通知"
        verbose_name_plural = "账户冻结通知"
        ordering = ["handover", "sent_at"]
        constraints = [models.UniqueConstraint(fields=["handover", "kind"], name="handover_notice_kind_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.addressed_to}"


class ConductRecord(models.Model):
    """执行力档案: the leaver's handover and conduct filed with the person, read later (政声人去后, 任期经济责任审计).
    The region is the handover's, so the same people who saw the handover read the entry."""

    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="conduct")
    handover = models.OneToOneField(Handover, on_delete=models.PROTECT, related_name="conduct_record")
    region = RegionKey(verbose_name="区域")
    unit_name = models.CharField("单位", max_length=100)
    post = models.CharField("岗位", max_length=100)
    handover_summary = models.TextField("交接情况")
    conduct = models.TextField("现实表现")
    filed_by = models.ForeignKey("accounts.User", verbose_name="归档人", on_delete=models.PROTECT, null=True)
    filed_at = models.DateTimeField("归档时间")

    class Meta:
        verbose_name = "执行力档案"
        verbose_name_plural = "执行力档案"
        ordering = ["person", "-filed_at"]

    def __str__(self) -> str:
        return f"{self.person.name} {self.unit_name}{self.post}"


class Confirmation(models.Model):
    """One party's sign-off. A change to the handover after it voids it (voided_at set); history is kept."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="confirmations")
    party = models.CharField("签字方", max_length=20, choices=[*Party.choices, *GroupParty.choices])
    confirmed_by = models.ForeignKey("accounts.User", verbose_name="确认人", on_delete=models.PROTECT)
    confirmed_at = models.DateTimeField("确认时间")
    # The outgoing and incoming persons hold no account: they sign the paper letter, and the working group records
    # that signature here, saying so, rather than anyone pressing "confirm" in their name.
    on_paper = models.BooleanField("纸质签字（由交接工作组登记）", default=False)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_because = models.CharField("作废原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "签字确认"
        verbose_name_plural = "签字确认"
        ordering = ["handover", "confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "party"], condition=models.Q(voided_at__isnull=True), name="handover_party_live"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.confirmed_at:%Y-%m-%d %H:%M}"


class Accountability(models.TextChoices):
    NONE = "", "无"
    NOT_HANDED = "not_handed", "应交未交"
    MISSTATED = "misstated", "交接失实"
    NEGLECTED = "neglected", "接后失管"


class LeftoverStatus(models.TextChoices):
    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"


LEFTOVER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    LeftoverStatus.OPEN: (LeftoverStatus.CLOSED,),
    LeftoverStatus.CLOSED: (LeftoverStatus.OPEN,),
}


class Leftover(Versioned):
    """遗留事项: an open matter carried past the handover, supervised until closed."""

    region = RegionKey(verbose_name="村(社区)")
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="leftovers")
    item = models.ForeignKey(HandoverItem, on_delete=models.PROTECT, null=True, blank=True, related_name="leftovers")
    title = models.CharField("遗留事项", max_length=200)
    owner = models.CharField("责任人", max_length=50)
    supervisor = models.ForeignKey("accounts.User", verbose_name="督办人", on_delete=models.PROTECT, null=True)
    due_on = models.DateField("办结期限")
    status = models.CharField("状态", max_length=20, choices=LeftoverStatus.choices, default=LeftoverStatus.OPEN)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    accountability = models.CharField(
        "问责情形", max_length=20, choices=Accountability.choices, default=Accountability.NONE, blank=True
    )
    accountability_note = models.TextField("问责说明", blank=True)
    # 询问追问 (seed 003): a question the successor puts about a leftover matter, answered by the leaver or the unit.
    is_inquiry = models.BooleanField("询问追问", default=False)
    answer = models.TextField("答复", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        verbose_name = "遗留事项"
        verbose_name_plural = "遗留事项"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["region", "status"], name="leftover_region_status_idx")]

    def __str__(self) -> str:
        return self.title


class LeftoverNote(models.Model):
    leftover = models.ForeignKey(Leftover, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField("进展")
    written_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    written_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "进展记录"
        verbose_name_plural = "进展记录"
        ordering = ["leftover", "written_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class CareAct(models.TextChoices):
    """邹平市“六个一”荣退机制 (seed 000)."""

    LETTER = "letter", "送一封感谢信"
    GIFT = "gift", "送一份暖心礼"
    APPOINTMENT = "appointment", "送一张聘任书"
    HEART_TALK = "heart_talk", "召开一次敞心恳谈会"
    OPINIONS = "opinions", "召开一次意见征求会"
    SITE_MEETING = "site_meeting", "召开一次新村发展现场会"


class CareRecord(models.Model):
    """One of the six acts of care for the departing cadre of a handover, with the date it was done."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="care")
    act = models.CharField("关爱事项", max_length=20, choices=CareAct.choices)
    done_on = models.DateField("完成日期")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "荣退关爱"
        verbose_name_plural = "荣退关爱"
        ordering = ["handover", "act"]
        constraints = [models.UniqueConstraint(fields=["handover", "act"], name="handover_care_act_unique")]

    def __str__(self) -> str:
        return self.get_act_display()


class VillageSummary(models.Model):
    """The roll-up row of one village, kept by the services in the same transaction as the change it counts, so
    town and county figures are one SUM over a code prefix. Overdue depends on the clock, so it is counted from
    the open handovers' indexed due moment instead."""

    region = RegionKey(verbose_name="村(社区)")
    planned = models.PositiveIntegerField("计划交接", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    frozen = models.PositiveIntegerField("账户冻结中", default=0)
    leftovers_open = models.PositiveIntegerField("遗留事项未办结", default=0)

    class Meta:
        verbose_name = "交接汇总"
        verbose_name_plural = "交接汇总"
        constraints = [models.UniqueConstraint(fields=["region"], name="handover_summary_region_unique")]

    def __str__(self) -> str:
        return str(self.region_id)
