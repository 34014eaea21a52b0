from typing import Any

from django.urls import reverse

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World
from cunshe.notifications.models import ChannelSetting, Kind, Notification, Reminder
from cunshe.notifications.services import Event, notifications_create


def setup(world: World, make_user: Any, **_: Any) -> None:
    officer_b = make_user("town_officer", TOWN_B, name="乙镇干部")
    world.extra["officer_b"] = officer_b
    world.extra["officer2_a"] = make_user("town_officer", TOWN_A, name="甲镇干部二")
    for name, user in (("a", world.officer_a), ("b", officer_b)):
        notifications_create(
            event=Event(kind=Kind.OVERDUE, title=f"通知{name}", key=f"walk-{name}", url="/deadlines/"),
            recipient_ids=[user.pk],
        )
        world.extra[f"notification_{name}"] = Notification.objects.get(recipient=user, key=f"walk-{name}")
    # The county's term change (termchanges' setup) has milestones long past: overdue on every town officer's list.
    world.extra["overdue_url"] = reverse("termchanges:detail", kwargs={"pk": world.extra["term_change_a"].pk})


def _n(key: str) -> Any:
    return lambda w: {"pk": w.extra[key].pk}


def _unread_b(w: World) -> bool:
    return Notification.objects.get(pk=w.extra["notification_b"].pk).read_at is None


def _no_reminder_b(w: World) -> bool:
    return not Reminder.objects.filter(recipient=w.extra["officer_b"]).exists()


def _remind(to: str) -> Any:
    return lambda w: {"item_url": w.extra["overdue_url"], "recipient": w.extra[to].pk, "note": "请抓紧"}


WEB_RULES = {
    "notifications:list": Rule("signed_in"),
    "notifications:read_all": Rule("signed_in", method="POST"),
    "notifications:settings": Rule("signed_in"),
    "notifications:read": Rule(
        "scoped", method="POST", a=_n("notification_a"), b=_n("notification_b"), b_unchanged=_unread_b
    ),
    "notifications:channels": Rule(
        "scoped", actor="organizer_a", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    # The form offers only accounts under the actor's town: another town's officer is an invalid choice.
    "notifications:remind": Rule(
        "scoped",
        method="POST",
        body_a=_remind("officer2_a"),
        body_b=_remind("officer_b"),
        refused_status=200,
        b_unchanged=_no_reminder_b,
    ),
}

API_RULES = {
    "GET /api/v1/notifications": Rule("signed_in"),
    "GET /api/v1/notifications/unread": Rule("signed_in"),
    "POST /api/v1/notifications/read-all": Rule("signed_in", method="POST"),
    "GET /api/v1/notifications/preference": Rule("signed_in"),
    "PUT /api/v1/notifications/preference": Rule("signed_in", method="PUT", body_a=lambda w: {"channels": []}),
    "GET /api/v1/notifications/reminders/candidates": Rule("signed_in"),
    "POST /api/v1/notifications/{notification_id}/read": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"notification_id": w.extra["notification_a"].pk},
        b=lambda w: {"notification_id": w.extra["notification_b"].pk},
        b_unchanged=_unread_b,
    ),
    "GET /api/v1/notifications/channels/{code}": Rule(
        "scoped", actor="organizer_a", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "GET /api/v1/notifications/channels/{code}/deliveries": Rule(
        "scoped", actor="organizer_a", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "PUT /api/v1/notifications/channels/{code}/{channel}": Rule(
        "scoped",
        actor="organizer_a",
        method="PUT",
        a=lambda w: {"code": COUNTY, "channel": "wecom"},
        b=lambda w: {"code": OTHER_COUNTY, "channel": "wecom"},
        body_a=lambda w: {"enabled": False, "config": {}},
        body_b=lambda w: {"enabled": False, "config": {}},
        b_unchanged=lambda w: not ChannelSetting.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
    "POST /api/v1/notifications/reminders": Rule(
        "scoped",
        method="POST",
        body_a=_remind("officer2_a"),
        body_b=_remind("officer_b"),
        b_unchanged=_no_reminder_b,
    ),
}
