"""Reads: a person's own notifications; a county's channels and 催办 through their policies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cunshe.notifications.models import ChannelSetting, Delivery, Notification, Reminder
from cunshe.notifications.permissions import channel_setting_policy, reminder_policy
from cunshe.regions.models import Level, Region


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notifications_of(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_or_404(user: Any, pk: int) -> Notification:
    found = Notification.objects.filter(recipient_id=user.pk, pk=pk).first()
    if found is None:
        raise Http404("未找到该记录。")
    return found


def county_or_404(user: Any, code: str) -> Region:
    """A county whose channels the user administers; any other does not exist for them."""
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not channel_setting_policy.can_in_region(user, "view", code):
        raise Http404("未找到该记录。")
    return county


def channel_settings_of(user: Any, county_code: str) -> list[ChannelSetting]:
    return list(channel_setting_policy.visible_to(user).filter(county_id=county_code).order_by("channel"))


def deliveries_of_county(user: Any, county_code: str, *, limit: int = 100) -> list[Delivery]:
    """The county's outbox, newest first, for its administrators (what was sent, failed and why)."""
    if not channel_setting_policy.can_in_region(user, "view", county_code):
        return []
    return list(
        Delivery.objects.filter(county_code=county_code)
        .select_related("recipient")
        .order_by("-created_at", "-pk")[:limit]
    )


def reminders_visible(user: Any) -> QuerySet[Reminder]:
    return reminder_policy.visible_to(user).select_related("sender", "recipient", "region").order_by("-created_at")
