"""The pages and the API: the bell (one query), my list, mark read, settings, a county's channels, 催办."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.notifications.models import ChannelSetting, Kind, Notification, Preference, Reminder
from cunshe.notifications.services import Event, notifications_create
from cunshe.termchanges.services import term_change_open


def _notify(user: Any, key: str, title: str = "联审批次已发布") -> Notification:
    notifications_create(
        event=Event(kind=Kind.BATCH_RELEASED, title=title, key=key, url="/deadlines/"), recipient_ids=[user.pk]
    )
    return Notification.objects.get(recipient=user, key=key)


def test_the_bell_shows_the_unread_count_with_one_query(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    for n in range(3):
        _notify(officer, f"k{n}")
    client = web_as(officer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("deadlines:holidays")).content.decode()
    assert 'aria-label="通知，3 条未读"' in page
    assert sum("notifications_notification" in q["sql"] for q in queries.captured_queries) == 1


def test_my_list_and_marking_read(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    other = make_user("town_officer", TOWN_B)
    mine, theirs = _notify(officer, "a", "甲的事项"), _notify(other, "b", "别人的事项")
    _notify(officer, "c")
    client = web_as(officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "甲的事项" in page and "别人的事项" not in page and "未读 2" in page
    assert client.post(reverse("notifications:read", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(reverse("notifications:read", kwargs={"pk": mine.pk}), {"go": "1"})
    assert response.status_code == 302 and response["Location"] == "/deadlines/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "甲的事项" not in client.get(reverse("notifications:list") + "?unread=1").content.decode()
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_the_api_lists_and_marks_only_my_own(make_user: Any, api_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    other = make_user("town_officer", TOWN_B)
    mine, theirs = _notify(officer, "a"), _notify(other, "b")
    client = api_as(officer)
    listed = client.get("/api/v1/notifications?unread=true").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == mine.pk
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 1}
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert client.post(f"/api/v1/notifications/{mine.pk}/read").json()["read_at"] is not None
    assert client.post("/api/v1/notifications/read-all").json() == {"unread": 0}


def test_settings_page_and_api(make_user: Any, web_as: Any, api_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    assert "免打扰开始" in client.get(reverse("notifications:settings")).content.decode()
    bad = client.post(reverse("notifications:settings"), {"channels": ["sms"], "phone": "123"})
    assert bad.status_code == 200 and "11 位手机号" in bad.content.decode()
    ok = client.post(
        reverse("notifications:settings"),
        {"channels": ["sms", "wecom"], "phone": "13900001111", "quiet_start": "22:00", "quiet_end": "07:30"},
    )
    assert ok.status_code == 302
    pref = Preference.objects.get(user=officer)
    assert pref.channels == ["sms", "wecom"] and str(pref.quiet_end) == "07:30:00"
    api = api_as(officer)
    assert api.get("/api/v1/notifications/preference").json()["phone"] == "13900001111"
    stale = api.put(
        "/api/v1/notifications/preference",
        json.dumps({"channels": [], "digest": True, "version": pref.version + 5}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    done = api.put(
        "/api/v1/notifications/preference",
        json.dumps({"channels": [], "digest": True, "version": pref.version}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["digest"] is True


def test_channels_page_for_the_county_organizer_only(make_user: Any, web_as: Any, other_county: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    officer = make_user("town_officer", TOWN_A)
    url = reverse("notifications:channels", kwargs={"code": COUNTY})
    assert web_as(officer).get(url).status_code == 404
    assert web_as(organizer).get(reverse("notifications:channels", kwargs={"code": OTHER_COUNTY})).status_code == 404
    client = web_as(organizer)
    page = client.get(url).content.decode()
    assert "企业微信群机器人" in page and "钉钉群机器人" in page and "短信网关地址" in page
    bad = client.post(url, {"channel": "dingtalk", "enabled": "on", "webhook": "not a url"})
    assert bad.status_code == 200 and "完整地址" in bad.content.decode()
    saved = client.post(
        url, {"channel": "dingtalk", "enabled": "on", "webhook": "https://oapi.dingtalk.com/robot/send"}
    )
    assert saved.status_code == 302
    assert ChannelSetting.objects.get(county_id=COUNTY, channel="dingtalk").enabled


def test_remind_button_and_page(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A, name="催办人")
    colleague = make_user("town_officer", TOWN_A, name="责任同事")
    cadre = make_user("village_cadre", VILLAGE_A)
    tc = term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    item_url = reverse("termchanges:detail", kwargs={"pk": tc.pk})
    client = web_as(officer)
    overdue = client.get(reverse("deadlines:overdue")).content.decode()
    assert reverse("notifications:remind") in overdue  # the button on the overdue list
    assert reverse("notifications:remind") not in web_as(cadre).get(reverse("deadlines:overdue")).content.decode()
    page = client.get(reverse("notifications:remind") + f"?url={item_url}").content.decode()
    assert "责任同事" in page
    assert web_as(cadre).get(reverse("notifications:remind") + f"?url={item_url}").status_code == 403
    sent = client.post(reverse("notifications:remind"), {"item_url": item_url, "recipient": colleague.pk})
    assert sent.status_code == 302
    assert Reminder.objects.get().recipient == colleague
