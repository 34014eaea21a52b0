"""The notification centre (通知): what reached a person in the app, how it is delivered outside it (the outbox),
the county's delivery channels, each person's choices, and 催办 (a recorded reminder about an overdue item)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.regions.models import RegionKey


class Kind(models.TextChoices):
    DEADLINE_SOON = "deadline_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    OBJECTION_FILED = "objection_filed", "选民名单申诉"
    COUNT_DIFFERS = "count_differs", "计票单两次录入不一致"
    BATCH_RELEASED = "batch_released", "联审批次已发布"
    REMINDER = "reminder", "催办"
    DIGEST = "digest", "每日汇总"
    REQUEST_ASSIGNED = "request_assigned", "民情诉求派给我"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


# Group robots post into a county's group chat: one message per event, however many people in it chose the channel.
GROUP_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    # The county whose channels deliver it (the event's region, or the recipient's first assignment).
    county_code = models.CharField("县级代码", max_length=6, blank=True)
    # What an SMS or a group message may carry: a title without names, ID numbers or phones, and a link.
    title = models.CharField("标题", max_length=200)
    # Shown only inside the app, to the recipient.
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    # The event's identity: one notification per recipient, kind and key (the sweep runs again and again).
    key = models.CharField("事件标识", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_once_per_event"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    DIGESTED = "digested", "已并入每日汇总"


class Delivery(models.Model):
    """The outbox: one row per notification and channel, written in the transaction of the event, drained by
    `cunshe notifications send` (never by a page), retried with exponential back-off until MAX_ATTEMPTS."""

    notification = models.ForeignKey(
        Notification, verbose_name="通知", on_delete=models.CASCADE, related_name="deliveries", null=True, blank=True
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="+"
    )
    county_code = models.CharField("县级代码", max_length=6, blank=True)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    title = models.CharField("标题", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True)
    # Held for the recipient's daily digest instead of going out one by one.
    for_digest = models.BooleanField("并入每日汇总", default=False)
    status = models.CharField("状态", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.CharField("失败原因", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.title}"


class ChannelSetting(Versioned):
    """A county's delivery channel, set by its organization department (the administrator of the county)."""

    county = RegionKey(verbose_name="县(市、区)")
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    enabled = models.BooleanField("启用", default=False)
    # email: sender; sms: gateway URL, body template, authorization header; robots: webhook URL (DingTalk: secret).
    config = models.JSONField("参数", default=dict, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "发送渠道"
        verbose_name_plural = "发送渠道"
        constraints = [models.UniqueConstraint(fields=["county", "channel"], name="channel_setting_once_per_county")]


class Preference(Versioned):
    """One person's choices: channels, quiet hours (held until they end), a daily digest instead of each message."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="notification_preference"
    )
    channels = models.JSONField("接收渠道", default=list, blank=True)
    phone = models.CharField("短信手机号", max_length=11, blank=True)
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)
    digest = models.BooleanField("每日汇总", default=False)
    last_digest_on = models.DateField("上次汇总日期", null=True, blank=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"


class Reminder(models.Model):
    """催办: a county or town user reminds the person responsible of one overdue item; recorded."""

    region = RegionKey(verbose_name="区域")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="催办人", on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="被催办人", on_delete=models.PROTECT, related_name="reminders_received"
    )
    item_title = models.CharField("事项", max_length=300)
    item_url = models.CharField("事项链接", max_length=300)
    note = models.CharField("附言", max_length=200, blank=True)
    created_at = models.DateTimeField("催办时间", auto_now_add=True)

    class Meta:
        verbose_name = "催办"
        verbose_name_plural = "催办"

    def __str__(self) -> str:
        return f"催办：{self.item_title}"
