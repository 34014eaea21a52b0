"""The notification centre's JSON API: the same services and selectors as the pages."""

from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate

from cunshe.access.policy import region_prefixes
from cunshe.accounts.models import User
from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import Paged, RowsOfQuery
from cunshe.core.schema import Schema
from cunshe.notifications.models import ChannelSetting, Delivery, Notification, Preference, Reminder
from cunshe.notifications.selectors import (
    channel_settings_of,
    county_or_404,
    deliveries_of_county,
    notification_or_404,
    notifications_of,
    unread_count,
)
from cunshe.notifications.services import (
    channel_setting_save,
    notification_read,
    notifications_read_all,
    overdue_item,
    preference_save,
    remind_candidates,
    reminder_send,
)

router = Router(tags=["通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationFilter(Schema):
    unread: bool = False


class UnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    channels: list[str]
    phone: str
    quiet_start: time | None
    quiet_end: time | None
    digest: bool
    version: int


class PreferenceIn(Schema):
    channels: list[str] = Field(default_factory=list, description="email、sms、wecom、dingtalk 中的若干个")
    phone: str = ""
    quiet_start: time | None = None
    quiet_end: time | None = None
    digest: bool = False
    version: int | None = Field(None, description="读取时的版本号；他人已修改时返回 409")


class ChannelSettingOut(Schema):
    channel: str
    channel_label: str
    enabled: bool
    config: dict[str, str]
    version: int


class ChannelSettingIn(Schema):
    enabled: bool
    config: dict[str, str] = Field(
        default_factory=dict,
        description="email: from_email；sms: url、template、authorization；wecom: webhook；dingtalk: webhook、secret",
    )
    version: int | None = None


class NotificationDeliveryOut(Schema):
    id: int
    channel: str
    recipient: str
    title: str
    status: str
    status_label: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class ReminderIn(Schema):
    recipient: int
    item_url: str
    note: str = ""


class ReminderOut(Schema):
    id: int
    region: str
    recipient: int
    item_title: str
    item_url: str
    note: str
    created_at: datetime


class RemindCandidateOut(Schema):
    id: int
    name: str


class RemindQuery(Schema):
    item_url: str = ""


def _notification(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("", response=list[NotificationOut], url_name="api_notifications_list", summary="我的通知（新的在前）")
@paginate(Paged)
def notification_list(request: HttpRequest, filters: Query[NotificationFilter]) -> Any:
    return RowsOfQuery(notifications_of(request.user, unread_only=filters.unread), _notification)


@router.get("/unread", response=UnreadOut, url_name="api_notifications_unread", summary="未读通知数")
def notification_unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": unread_count(request.user)}


@router.post(
    "/{notification_id}/read", response=NotificationOut, url_name="api_notifications_read", summary="标记为已读"
)
def notification_mark_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    notification = notification_or_404(request.user, notification_id)
    return _notification(notification_read(actor=acting_user(request), notification=notification))


@router.post("/read-all", response=UnreadOut, url_name="api_notifications_read_all", summary="全部标记为已读")
def notification_mark_all_read(request: HttpRequest) -> dict[str, int]:
    notifications_read_all(actor=acting_user(request))
    return {"unread": unread_count(request.user)}


def _preference(p: Preference | None) -> dict[str, Any]:
    if p is None:
        return {"channels": [], "phone": "", "quiet_start": None, "quiet_end": None, "digest": False, "version": 0}
    return {
        "channels": p.channels,
        "phone": p.phone,
        "quiet_start": p.quiet_start,
        "quiet_end": p.quiet_end,
        "digest": p.digest,
        "version": p.version,
    }


@router.get("/preference", response=PreferenceOut, url_name="api_notifications_preference", summary="我的通知设置")
def preference_get(request: HttpRequest) -> dict[str, Any]:
    return _preference(Preference.objects.filter(user_id=acting_user(request).pk).first())


@router.put(
    "/preference", response=PreferenceOut, url_name="api_notifications_preference_put", summary="修改我的通知设置"
)
def preference_put(request: HttpRequest, payload: PreferenceIn) -> dict[str, Any]:
    return _preference(
        preference_save(
            actor=acting_user(request),
            channels=payload.channels,
            phone=payload.phone,
            quiet_start=payload.quiet_start,
            quiet_end=payload.quiet_end,
            digest=payload.digest,
            expected_version=payload.version,
        )
    )


def _setting(s: ChannelSetting) -> dict[str, Any]:
    return {
        "channel": s.channel,
        "channel_label": s.get_channel_display(),
        "enabled": s.enabled,
        "config": s.config,
        "version": s.version,
    }


@router.get(
    "/channels/{code}",
    response=list[ChannelSettingOut],
    url_name="api_notifications_channels",
    summary="本县的通知发送渠道",
)
def channel_list(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    county_or_404(request.user, code)
    return [_setting(s) for s in channel_settings_of(request.user, code)]


@router.get(
    "/channels/{code}/deliveries",
    response=list[NotificationDeliveryOut],
    url_name="api_notifications_deliveries",
    summary="本县最近的发送记录（已发送、失败及原因）",
)
def delivery_list(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    county_or_404(request.user, code)
    return [_delivery(d) for d in deliveries_of_county(request.user, code)]


@router.put(
    "/channels/{code}/{channel}",
    response=ChannelSettingOut,
    url_name="api_notifications_channel_put",
    summary="设置本县的一个通知发送渠道",
)
def channel_put(request: HttpRequest, code: str, channel: str, payload: ChannelSettingIn) -> dict[str, Any]:
    county_or_404(request.user, code)
    return _setting(
        channel_setting_save(
            actor=acting_user(request),
            county_code=code,
            channel=channel,
            enabled=payload.enabled,
            config=payload.config,
            expected_version=payload.version,
        )
    )


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "channel": d.channel,
        "recipient": d.recipient.display_name,
        "title": d.title,
        "status": d.status,
        "status_label": d.get_status_display(),
        "attempts": d.attempts,
        "last_error": d.last_error,
        "created_at": d.created_at,
        "sent_at": d.sent_at,
    }


def _reminder(r: Reminder) -> dict[str, Any]:
    return {
        "id": r.pk,
        "region": r.region_id,
        "recipient": r.recipient_id,
        "item_title": r.item_title,
        "item_url": r.item_url,
        "note": r.note,
        "created_at": r.created_at,
    }


@router.get(
    "/reminders/candidates",
    response=list[RemindCandidateOut],
    url_name="api_notifications_remind_candidates",
    summary="可催办的责任人（其待办中有该逾期事项）",
)
def remind_candidate_list(request: HttpRequest, query: Query[RemindQuery]) -> list[dict[str, Any]]:
    actor = acting_user(request)
    item = overdue_item(actor, query.item_url) if query.item_url else None
    if item is None:
        return []
    return [{"id": u.pk, "name": u.display_name or u.username} for u in remind_candidates(actor, item)]


@router.post("/reminders", response={201: ReminderOut}, url_name="api_notifications_remind", summary="催办")
def reminder_create(request: HttpRequest, payload: ReminderIn) -> Status:
    actor = acting_user(request)
    if not region_prefixes(actor, "notifications.remind"):
        raise PermissionDenied("只有县委组织部和乡镇(街道)干部可以催办。")
    recipient = User.objects.filter(pk=payload.recipient).first()
    if recipient is None:
        raise Http404("未找到该账号。")
    reminder = reminder_send(actor=actor, recipient=recipient, item_url=payload.item_url, note=payload.note)
    return Status(201, _reminder(reminder))
