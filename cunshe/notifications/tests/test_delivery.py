"""Delivery outside the app: each channel against a real local server, the outbox's retries, quiet hours, the daily
digest, and what an SMS or a group message may carry."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import urllib.parse
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from cunshe.notifications.quiet import quiet_until
from cunshe.notifications.services import (
    BACKOFF_SECONDS,
    MAX_ATTEMPTS,
    Event,
    channel_setting_save,
    deliveries_send,
    notifications_create,
    notify,
    preference_save,
)
from cunshe.notifications.tests.servers import http_recorder, smtp_server
from cunshe.records.models import RecordEntry

TZ = timezone.get_current_timezone()
SMTP = "django.core.mail.backends.smtp.EmailBackend"
# A body for the app only: a name and an ID number that must never leave in an SMS or a group message.
PRIVATE = "张三 370626198001010011 13912345678"


def smtp_at(port: int) -> dict[str, Any]:
    """The production shape of the mail settings (MAILERS), pointed at the test's SMTP server."""
    return {"default": {"BACKEND": SMTP, "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10}}}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user("county_organizer", COUNTY, name="组织部")


@pytest.fixture
def officer(make_user: Any) -> Any:
    user = make_user("town_officer", TOWN_A, name="黛溪干部")
    user.email = "daixi@example.cn"
    user.save(update_fields=["email"])
    return user


def event(key: str = "e1", title: str = "选民名单收到申诉：西范村委会") -> Event:
    return Event(kind=Kind.OBJECTION_FILED, title=title, key=key, county_code=COUNTY, url="/voters/1/", body=PRIVATE)


def test_email_goes_through_a_real_smtp_server(organizer: Any, officer: Any) -> None:
    channel_setting_save(
        actor=organizer, county_code=COUNTY, channel=Channel.EMAIL, enabled=True, config={"from_email": "zzb@zp.cn"}
    )
    preference_save(actor=officer, channels=[Channel.EMAIL])
    notifications_create(event=event(), recipient_ids=[officer.pk], now=at(14, 10))
    with smtp_server() as (mailbox, port), override_settings(MAILERS=smtp_at(port)):
        report = deliveries_send(now=at(14, 10, 1))
    assert report.sent == 1
    [mail] = mailbox.messages
    assert mail["to"] == ["daixi@example.cn"] and mail["from"] == "zzb@zp.cn"
    assert "/voters/1/" in mail["data"]
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1 and delivery.sent_at == at(14, 10, 1)


def test_sms_gateway_gets_the_county_template_with_a_title_and_a_link_only(organizer: Any, officer: Any) -> None:
    with http_recorder() as gateway:
        gateway.answers = [(200, {"code": "OK"})]
        channel_setting_save(
            actor=organizer,
            county_code=COUNTY,
            channel=Channel.SMS,
            enabled=True,
            config={
                "url": gateway.url + "/send",
                "template": '{"to": "$phone", "msg": "$text", "sign": "邹平组织部"}',
                "authorization": "Bearer t0ken",
            },
        )
        preference_save(actor=officer, channels=[Channel.SMS], phone="13900001111")
        notifications_create(event=event(), recipient_ids=[officer.pk], now=at(14, 10))
        assert deliveries_send(now=at(14, 10)).sent == 1
    [request] = gateway.requests
    assert request["path"] == "/send" and request["headers"]["Authorization"] == "Bearer t0ken"
    body = request["json"]
    assert body["to"] == "13900001111" and body["sign"] == "邹平组织部"
    assert body["msg"] == "【村社】选民名单收到申诉：西范村委会\nhttp://127.0.0.1:8000/voters/1/"
    assert not any(private in body["msg"] for private in PRIVATE.split())


def test_robots_get_the_documented_json_once_per_event_whoever_chose_them(
    organizer: Any, officer: Any, make_user: Any
) -> None:
    other = make_user("town_officer", TOWN_A, name="黛溪干部二")
    secret = "SEC0123456789"
    with http_recorder() as wecom, http_recorder() as dingtalk:
        channel_setting_save(
            actor=organizer,
            county_code=COUNTY,
            channel=Channel.WECOM,
            enabled=True,
            config={"webhook": wecom.url + "/cgi-bin/webhook/send?key=abcd-1234"},
        )
        channel_setting_save(
            actor=organizer,
            county_code=COUNTY,
            channel=Channel.DINGTALK,
            enabled=True,
            config={"webhook": dingtalk.url + "/robot/send?access_token=tok", "secret": secret},
        )
        for user in (officer, other):
            preference_save(actor=user, channels=[Channel.WECOM, Channel.DINGTALK])
        notifications_create(event=event(), recipient_ids=[officer.pk, other.pk], now=at(14, 10))
        assert Notification.objects.count() == 2
        assert deliveries_send(now=at(14, 10)).sent == 2  # one per group, not one per person
    [w] = wecom.requests
    assert w["path"] == "/cgi-bin/webhook/send?key=abcd-1234"
    assert w["json"] == {
        "msgtype": "text",
        "text": {"content": "【村社】选民名单收到申诉：西范村委会\nhttp://127.0.0.1:8000/voters/1/"},
    }
    [d] = dingtalk.requests
    assert d["json"]["msgtype"] == "text" and "张三" not in d["json"]["text"]["content"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(d["path"]).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest())
    assert query["access_token"] == ["tok"] and sign == expected.decode()
    # The record book keeps the webhook's end only: its access token stays out.
    entry = RecordEntry.objects.filter(event="notifications.channel_set").order_by("-pk").first()
    assert entry is not None and "tok" not in str(entry.after) and secret not in str(entry.after)


def test_a_failure_is_kept_with_its_reason_and_retried_with_back_off_then_given_up(
    organizer: Any, officer: Any
) -> None:
    with http_recorder() as robot:
        robot.answers = [(500, {}), (200, {"errcode": 310000, "errmsg": "keywords not in content"})]
        channel_setting_save(
            actor=organizer, county_code=COUNTY, channel=Channel.WECOM, enabled=True, config={"webhook": robot.url}
        )
        preference_save(actor=officer, channels=[Channel.WECOM])
        notifications_create(event=event(), recipient_ids=[officer.pk], now=at(14, 10))
        now = at(14, 10)
        report = deliveries_send(now=now)
        delivery = Delivery.objects.get()
        assert report.retrying == 1 and delivery.status == DeliveryStatus.PENDING
        assert delivery.last_error.startswith("HTTP 500") and delivery.next_attempt_at == now + timedelta(seconds=60)
        # Not due yet: nothing is sent before the back-off has passed.
        assert deliveries_send(now=now + timedelta(seconds=59)).retrying == 0 and len(robot.requests) == 1
        for attempt in range(2, MAX_ATTEMPTS + 1):
            now = Delivery.objects.get().next_attempt_at
            deliveries_send(now=now)
            delivery = Delivery.objects.get()
            assert delivery.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert delivery.next_attempt_at == now + timedelta(seconds=BACKOFF_SECONDS * 2 ** (attempt - 1))
    assert delivery.status == DeliveryStatus.FAILED and "310000" in delivery.last_error
    assert len(robot.requests) == MAX_ATTEMPTS
    assert deliveries_send(now=now + timedelta(days=1)).failed == 0  # given up: never tried again


def test_a_retry_that_succeeds_is_sent(organizer: Any, officer: Any) -> None:
    with http_recorder() as robot:
        robot.answers = [(502, {}), (200, {"errcode": 0, "errmsg": "ok"})]
        channel_setting_save(
            actor=organizer, county_code=COUNTY, channel=Channel.DINGTALK, enabled=True, config={"webhook": robot.url}
        )
        preference_save(actor=officer, channels=[Channel.DINGTALK])
        notifications_create(event=event(), recipient_ids=[officer.pk], now=at(14, 10))
        deliveries_send(now=at(14, 10))
        deliveries_send(now=at(14, 10, 1))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")


def test_a_channel_the_county_has_not_enabled_sends_nothing(organizer: Any, officer: Any) -> None:
    preference_save(actor=officer, channels=[Channel.EMAIL])
    notifications_create(event=event(), recipient_ids=[officer.pk], now=at(14, 10))
    assert Notification.objects.count() == 1 and not Delivery.objects.exists()


def test_quiet_hours_hold_an_email_until_they_end(organizer: Any, officer: Any) -> None:
    assert quiet_until(at(14, 12, 30), time(12), time(13, 30)) == at(14, 13, 30)
    assert quiet_until(at(14, 11, 59), time(12), time(13, 30)) is None
    assert quiet_until(at(14, 6), time(22), time(7, 30)) == at(14, 7, 30)
    channel_setting_save(actor=organizer, county_code=COUNTY, channel=Channel.EMAIL, enabled=True, config={})
    preference_save(actor=officer, channels=[Channel.EMAIL], quiet_start=time(22), quiet_end=time(7, 30))
    notifications_create(event=event(), recipient_ids=[officer.pk], now=at(14, 23))
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at == at(15, 7, 30)
    with smtp_server() as (mailbox, port), override_settings(MAILERS=smtp_at(port)):
        assert deliveries_send(now=at(15, 7, 29)).sent == 0
        assert mailbox.messages == []
        assert deliveries_send(now=at(15, 7, 30)).sent == 1
    assert len(mailbox.messages) == 1
    # The in-app notification is there at once: quiet hours concern only what leaves the app.
    assert Notification.objects.get().created_at is not None


def test_quiet_hours_chosen_after_queuing_still_hold(organizer: Any, officer: Any) -> None:
    channel_setting_save(actor=organizer, county_code=COUNTY, channel=Channel.EMAIL, enabled=True, config={})
    pref = preference_save(actor=officer, channels=[Channel.EMAIL])
    notifications_create(event=event(), recipient_ids=[officer.pk], now=at(14, 21))
    preference_save(
        actor=officer, channels=[Channel.EMAIL], quiet_start=time(21), quiet_end=time(8), expected_version=pref.version
    )
    report = deliveries_send(now=at(14, 21, 30))
    assert (report.sent, report.held) == (0, 1)
    assert Delivery.objects.get().next_attempt_at == at(15, 8)


def test_the_daily_digest_sends_one_message_a_day(organizer: Any, officer: Any) -> None:
    channel_setting_save(actor=organizer, county_code=COUNTY, channel=Channel.EMAIL, enabled=True, config={})
    preference_save(actor=officer, channels=[Channel.EMAIL], digest=True)
    for n in range(3):
        notifications_create(event=event(f"e{n}"), recipient_ids=[officer.pk], now=at(14, 15))
    assert Delivery.objects.filter(for_digest=True, status=DeliveryStatus.PENDING).count() == 3
    with smtp_server() as (mailbox, port), override_settings(MAILERS=smtp_at(port)):
        assert deliveries_send(now=at(14, 16)).sent == 0  # held for the digest
        assert deliveries_send(now=at(15, 7, 59)).digests == 0  # before 08:00
        report = deliveries_send(now=at(15, 8, 5))
        assert (report.digests, report.sent) == (1, 1)
        notifications_create(event=event("e9"), recipient_ids=[officer.pk], now=at(15, 9))
        assert deliveries_send(now=at(15, 18)).digests == 0  # one digest a day
        assert deliveries_send(now=at(16, 8)).digests == 1
    assert len(mailbox.messages) == 2
    subject = str(email.message_from_string(mailbox.messages[0]["data"], policy=email.policy.default)["Subject"])
    assert subject == "【村社】每日汇总：3 条新通知"
    assert Delivery.objects.filter(status=DeliveryStatus.DIGESTED).count() == 4
    assert Delivery.objects.filter(title="每日汇总：3 条新通知", status=DeliveryStatus.SENT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_notified_for_a_rolled_back_write(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[officer], kind=Kind.OVERDUE, title="逾期", key="k1")
        raise RuntimeError("the module's write failed")
    assert not Notification.objects.exists()
    with transaction.atomic():
        notify(recipients=[officer], kind=Kind.OVERDUE, title="逾期", key="k1")
        assert not Notification.objects.exists()  # not before the commit
    assert Notification.objects.filter(recipient=officer, key="k1").count() == 1


def test_channels_are_set_by_the_county_organizer_only(organizer: Any, officer: Any, other_county: Any) -> None:
    with pytest.raises(Http404):  # a town officer does not see the county's settings
        channel_setting_save(actor=officer, county_code=COUNTY, channel=Channel.WECOM, enabled=False, config={})
    with pytest.raises(Http404):  # nor does an organizer of another county
        channel_setting_save(actor=organizer, county_code=OTHER_COUNTY, channel=Channel.WECOM, enabled=False, config={})
    with pytest.raises(DomainError, match="参数有误") as bad:
        channel_setting_save(
            actor=organizer, county_code=COUNTY, channel=Channel.WECOM, enabled=True, config={"webhook": "ftp://x"}
        )
    assert "webhook" in bad.value.field_errors
    with pytest.raises(DomainError):
        channel_setting_save(
            actor=organizer,
            county_code=COUNTY,
            channel=Channel.SMS,
            enabled=True,
            config={"url": "https://sms.example.cn", "template": '{"to": "$who"}'},
        )
    setting = channel_setting_save(
        actor=organizer, county_code=COUNTY, channel=Channel.WECOM, enabled=True, config={"webhook": "https://x.cn/a"}
    )
    assert setting.enabled and RecordEntry.objects.filter(event="notifications.channel_set").count() == 1


def test_preferences_are_checked(officer: Any, make_user: Any) -> None:
    with pytest.raises(DomainError, match="11 位手机号"):
        preference_save(actor=officer, channels=[Channel.SMS], phone="12345")
    with pytest.raises(DomainError, match="同时填写"):
        preference_save(actor=officer, channels=[], quiet_start=time(22))
    no_mail = make_user("town_officer", TOWN_A)
    with pytest.raises(DomainError, match="电子邮件地址"):
        preference_save(actor=no_mail, channels=[Channel.EMAIL])
    from cunshe.core.actors import SYSTEM

    with pytest.raises(NotPermitted):
        preference_save(actor=SYSTEM, channels=[])
