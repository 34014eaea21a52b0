"""Every write of the notification centre. Modules emit events through `notify()` from inside their services: the
notifications (and their outbox rows) are written on commit, so a rolled-back write sends nothing. The periodic
ones come from `notifications_sweep()`; `deliveries_send()` drains the outbox (the `cunshe notifications` command,
never a page)."""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cunshe.access.policy import grants_of, region_prefixes
from cunshe.access.roles import roles_with
from cunshe.accounts.models import RoleAssignment, User, shell_changed
from cunshe.core.actors import Actor, is_system
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.deadlines.calendar import add_working_days, deadline_text
from cunshe.deadlines.work_items import WorkItem, work_items_for
from cunshe.notifications.channels import ADAPTERS, DeliveryError, Message
from cunshe.notifications.models import (
    GROUP_CHANNELS,
    Channel,
    ChannelSetting,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    Preference,
    Reminder,
)
from cunshe.notifications.permissions import channel_setting_policy
from cunshe.notifications.quiet import quiet_until
from cunshe.records.services import record
from cunshe.regions.models import Level, Region

# "Due soon" means within half a working day (one half-day of working time, RULES.md "Working days").
SOON = Decimal("0.5")
# Retries: 1, 2, 4, 8, 16 minutes after each failure, then the delivery is given up as failed.
BACKOFF_SECONDS = 60
MAX_ATTEMPTS = 6
# The daily digest goes out from this local time on (quiet hours still hold it back).
DIGEST_AT = time(8, 0)
SEND_BATCH = 200
PERSONAL_CHANNELS = (Channel.EMAIL, Channel.SMS)

_LEVEL_LENGTHS = (2, 4, 6, 9, 12)


# Recipients --------------------------------------------------------------------------------------------------------


def holders(capability: str, region_code: str, *, department_id: int | None = None, nearest: bool = True) -> list[User]:
    """Active accounts holding `capability` at the region or above it. With `nearest`, only those at the closest
    level that has any (a town's objection goes to the town's officers, to the county only when the town has none)."""
    codes = [region_code[:n] for n in _LEVEL_LENGTHS if n <= len(region_code)]
    assignments = RoleAssignment.objects.filter(
        is_active=True, user__is_active=True, role__in=roles_with(capability), region_id__in=codes
    )
    if department_id is not None:
        assignments = assignments.filter(department_id=department_id)
    rows = list(assignments.select_related("user").order_by("user_id"))
    if nearest and rows:
        closest = max(len(a.region_id) for a in rows)
        rows = [a for a in rows if len(a.region_id) == closest]
    seen: dict[int, User] = {}
    for a in rows:
        seen.setdefault(a.user_id, a.user)
    return list(seen.values())


def _county_of(user: User) -> str:
    grants = grants_of(user)
    return grants[0].region_code[:6] if grants else ""


# Emitting ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: str
    title: str  # what may leave the system: no names, ID numbers or phones
    key: str
    county_code: str = ""
    url: str = ""
    body: str = ""  # in the app only


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    key: str,
    county_code: str = "",
    url: str = "",
    body: str = "",
    exclude: Any = None,
) -> None:
    """The one way a module emits an event. Called inside the module's service: the notifications are written when
    its transaction commits (nothing for a rolled-back write); one per recipient, kind and key, whatever the repeats."""
    ids = [u.pk for u in recipients if u.pk is not None and (exclude is None or u.pk != getattr(exclude, "pk", None))]
    if not ids:
        return
    event = Event(kind=kind, title=title[:200], key=key[:200], county_code=county_code[:6], url=url, body=body)
    transaction.on_commit(lambda: notifications_create(event=event, recipient_ids=ids))


@transaction.atomic
def notifications_create(*, event: Event, recipient_ids: list[int], now: datetime | None = None) -> int:
    """Write the notifications that do not exist yet, and their outbox rows. Returns how many were new."""
    now = now or timezone.now()
    existing = set(
        Notification.objects.filter(kind=event.kind, key=event.key, recipient_id__in=recipient_ids).values_list(
            "recipient_id", flat=True
        )
    )
    users = User.objects.filter(pk__in=[i for i in recipient_ids if i not in existing], is_active=True)
    created: list[Notification] = []
    for user in users:
        notification = Notification(
            recipient=user,
            kind=event.kind,
            key=event.key,
            county_code=event.county_code or _county_of(user),
            title=event.title,
            body=event.body,
            url=event.url,
        )
        created.append(notification)
    Notification.objects.bulk_create(created, ignore_conflicts=True)
    shell_changed(*(n.recipient_id for n in created))  # their bell
    # Re-read: ignore_conflicts leaves no primary keys, and a concurrent sweep may have written some meanwhile.
    fresh = list(
        Notification.objects.filter(
            kind=event.kind, key=event.key, recipient_id__in=[n.recipient_id for n in created], deliveries__isnull=True
        ).select_related("recipient", "recipient__notification_preference")
    )
    _enqueue(fresh, now=now)
    return len(fresh)


def _preference(user: User) -> Preference | None:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return None


def _enqueue(notifications: list[Notification], *, now: datetime) -> None:
    counties = {n.county_code for n in notifications}
    enabled = {(s.county_id, s.channel) for s in ChannelSetting.objects.filter(county_id__in=counties, enabled=True)}
    rows: list[Delivery] = []
    posted: set[tuple[str, str, str]] = set()
    for n in notifications:
        pref = _preference(n.recipient)
        if pref is None:
            continue
        for channel in pref.channels:
            if (n.county_code, channel) not in enabled:
                continue
            if channel in GROUP_CHANNELS:
                # A group is not a person: one message per event and county, at once, however many chose it.
                group = (channel, n.county_code, f"{n.kind}:{n.key}")
                if (
                    group in posted
                    or Delivery.objects.filter(
                        channel=channel, county_code=n.county_code, title=n.title, url=n.url
                    ).exists()
                ):
                    continue
                posted.add(group)
                rows.append(_delivery(n, channel, at=now, for_digest=False))
                continue
            at = quiet_until(now, pref.quiet_start, pref.quiet_end) or now
            rows.append(_delivery(n, channel, at=at, for_digest=pref.digest))
    Delivery.objects.bulk_create(rows)


def _delivery(n: Notification, channel: str, *, at: datetime, for_digest: bool) -> Delivery:
    return Delivery(
        notification=n,
        recipient=n.recipient,
        county_code=n.county_code,
        channel=channel,
        title=n.title,
        url=n.url,
        next_attempt_at=at,
        for_digest=for_digest,
    )


# Reading -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def notification_read(*, actor: Actor, notification: Notification) -> Notification:
    """Mark one's own notification read (personal state: not in the record book)."""
    if is_system(actor) or notification.recipient_id != getattr(actor, "pk", None):
        raise Http404("未找到该记录。")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        shell_changed(actor if isinstance(actor, User) else notification.recipient_id)
    return notification


@transaction.atomic
def notifications_read_all(*, actor: Actor) -> int:
    if is_system(actor) or not isinstance(actor, User):
        raise NotPermitted("只有本人可以标记自己的通知。")
    read = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    if read:
        shell_changed(actor)
    return read


# Settings ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def preference_save(
    *,
    actor: Actor,
    channels: list[str],
    phone: str = "",
    quiet_start: time | None = None,
    quiet_end: time | None = None,
    digest: bool = False,
    expected_version: int | None = None,
) -> Preference:
    """One's own channels, quiet hours and digest choice (personal settings: not in the record book)."""
    if is_system(actor) or not isinstance(actor, User):
        raise NotPermitted("只有本人可以设置自己的通知方式。")
    errors: dict[str, list[str]] = {}
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        errors["channels"] = [f"没有这种渠道：{'、'.join(unknown)}。"]
    phone = phone.strip()
    if Channel.SMS in channels and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        errors["phone"] = ["选择短信须填写 11 位手机号。"]
    elif phone and not (len(phone) == 11 and phone.isdigit()):
        errors["phone"] = ["手机号须为 11 位数字。"]
    if Channel.EMAIL in channels and not actor.email:
        errors["channels"] = ["您的账号没有电子邮件地址，请联系县委组织部补充后再选择电子邮件。"]
    if (quiet_start is None) != (quiet_end is None):
        errors["quiet_end"] = ["免打扰须同时填写开始和结束时间。"]
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = ["免打扰的开始和结束不能相同。"]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors)
    pref, created = Preference.objects.get_or_create(user=actor)
    if not created:
        bump_version(pref, expected_version=expected_version)
    pref.channels = sorted(set(channels))
    pref.phone = phone
    pref.quiet_start, pref.quiet_end, pref.digest = quiet_start, quiet_end, digest
    pref.save(update_fields=["channels", "phone", "quiet_start", "quiet_end", "digest"])
    return pref


@transaction.atomic
def channel_setting_save(
    *,
    actor: Actor,
    county_code: str,
    channel: str,
    enabled: bool,
    config: dict[str, Any],
    expected_version: int | None = None,
) -> ChannelSetting:
    """A county's delivery channel, by its organization department; recorded (addresses and secrets masked)."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise Http404("未找到该记录。")
    channel_setting_policy.check_in_region(actor, "change", county_code)
    if channel not in ADAPTERS:
        raise DomainError("没有这种渠道。", {"channel": ["请选择渠道。"]})
    adapter = ADAPTERS[channel]
    clean = {str(k): str(v).strip() for k, v in config.items() if v is not None and str(v).strip()}
    errors = adapter.check(clean) if enabled or clean else {}
    if errors:
        raise DomainError("渠道参数有误，未保存。", errors)
    setting, created = ChannelSetting.objects.get_or_create(county=county, channel=channel)
    before = {"启用": setting.enabled, "参数": _masked(setting.config)}
    if not created:
        bump_version(setting, expected_version=expected_version)
    setting.enabled = enabled
    setting.config = clean
    setting.save(update_fields=["enabled", "config", "updated_at"])
    record(
        actor=actor,
        region_code=county.code,
        event="notifications.channel_set",
        summary=f"{county.name}通知渠道“{setting.get_channel_display()}”{'启用' if enabled else '停用'}",
        obj=setting,
        before=None if created else before,
        after={"启用": enabled, "参数": _masked(clean)},
    )
    return setting


def _masked(config: dict[str, Any]) -> dict[str, str]:
    """Webhook and gateway addresses carry access tokens, a secret signs: the book keeps the host and "已设置"."""
    shown: dict[str, str] = {}
    for key, value in config.items():
        if key in ("from_email", "template"):
            shown[key] = str(value)
        elif key in ("url", "webhook"):
            parts = urllib.parse.urlsplit(str(value))
            shown[key] = f"{parts.scheme}://{parts.netloc}/…"
        else:
            shown[key] = "已设置"
    return shown


# 催办 --------------------------------------------------------------------------------------------------------------


def overdue_item(user: User, url: str) -> WorkItem | None:
    return next((i for i in work_items_for(user) if i.overdue and i.url == url), None)


# How many accounts the 催办 form asks (each is one to-do list read).
CANDIDATES_ASKED = 40


def remind_candidates(actor: User, item: WorkItem) -> list[User]:
    """Accounts under the actor's regions that are responsible for the item: those whose own list holds it overdue
    (the service checks again). Those at a region of the item's name are asked first, CANDIDATES_ASKED at most."""
    prefixes = region_prefixes(actor, "notifications.remind")
    if not prefixes:
        return []
    scope = Q()
    for p in prefixes:
        scope |= Q(region_id__startswith=p)
    rows = (
        RoleAssignment.objects.filter(scope, is_active=True, user__is_active=True)
        .exclude(user_id=actor.pk)
        .select_related("user", "region")
        .order_by("region_id", "user_id")
    )
    users: dict[int, User] = {}
    for a in sorted(rows[:500], key=lambda a: a.region.name != item.region_name):
        users.setdefault(a.user_id, a.user)
    return [u for u in list(users.values())[:CANDIDATES_ASKED] if overdue_item(u, item.url) is not None]


@transaction.atomic
def reminder_send(*, actor: Actor, recipient: User, item_url: str, note: str = "") -> Reminder:
    """催办: a county or town user reminds the person responsible of one of the actor's overdue items that is
    overdue on the recipient's own list too. Recorded; the recipient is notified."""
    if is_system(actor) or not isinstance(actor, User):
        raise NotPermitted("催办须由县、乡镇(街道)干部本人发出。")
    prefixes = region_prefixes(actor, "notifications.remind")
    if not prefixes:
        raise NotPermitted("只有县委组织部和乡镇(街道)干部可以催办。")
    where = RoleAssignment.objects.filter(user=recipient, is_active=True).values_list("region_id", flat=True)
    regions = [code for code in where if any(code.startswith(p) for p in prefixes)]
    if not regions or recipient.pk == actor.pk or not recipient.is_active:
        raise Http404("未找到该账号。")
    note = note.strip()
    errors: dict[str, list[str]] = {}
    item = overdue_item(actor, item_url)
    if item is None:
        errors["item_url"] = ["该事项不在您的逾期事项中。"]
    elif overdue_item(recipient, item_url) is None:
        errors["recipient"] = ["该账号的待办中没有这项逾期事项，请选择其责任人。"]
    if len(note) > 200:
        errors["note"] = ["附言不超过 200 字。"]
    if errors or item is None:
        raise DomainError(next(iter(errors.values()))[0], errors)
    region = Region.objects.get(code=sorted(regions, key=len)[-1])
    reminder = Reminder.objects.create(
        region=region, sender=actor, recipient=recipient, item_title=item.title[:300], item_url=item.url, note=note
    )
    record(
        actor=actor,
        region_code=region.code,
        event="notifications.reminded",
        summary=f"催办{recipient.display_name}：{item.title}",
        obj=reminder,
        after={"事项": item.title, "截止": deadline_text(item.due_at), "附言": note},
    )
    notify(
        recipients=[recipient],
        kind=Kind.REMINDER,
        title=f"催办：{item.module_label}逾期事项（{item.region_name}）",
        key=f"reminder:{reminder.pk}",
        county_code=region.code[:6],
        url=item.url,
        body=f"{actor.display_name}催办：{item.title}（截止 {deadline_text(item.due_at)}）。{note}",
    )
    return reminder


# The sweep ---------------------------------------------------------------------------------------------------------


def _item_key(item: WorkItem) -> str:
    """The same item with the same deadline is the same event, whatever its changing title says."""
    raw = f"{item.module}|{item.url}|{item.due_at.isoformat() if item.due_at else ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def notifications_sweep(*, now: datetime | None = None) -> int:
    """Deadlines within half a working day and overdue items, for every active account with a role: one
    notification per account, item and kind, however often it runs. Returns how many were new."""
    now = now or timezone.now()
    soon = add_working_days(now, SOON)
    made = 0
    users = User.objects.filter(is_active=True, role_assignments__is_active=True).distinct().order_by("pk")
    for user in users:
        county = _county_of(user)
        for item in work_items_for(user):
            if item.due_at is None:
                continue
            if item.due_at < now:
                kind, state = Kind.OVERDUE, "已逾期"
            elif item.due_at <= soon:
                kind, state = Kind.DEADLINE_SOON, "即将到期"
            else:
                continue
            event = Event(
                kind=kind,
                title=f"{item.module_label}事项{state}（{item.region_name}，截止 {deadline_text(item.due_at)}）",
                key=_item_key(item),
                county_code=county,
                url=item.url,
                body=item.title,
            )
            made += notifications_create(event=event, recipient_ids=[user.pk], now=now)
    return made


# Sending -----------------------------------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    held: int = 0
    digests: int = 0


def _link(url: str) -> str:
    base = str(getattr(settings, "CUNSHE_SITE_URL", "")).rstrip("/")
    return f"{base}{url}" if url.startswith("/") else (url or base + "/")


def digests_prepare(*, now: datetime) -> int:
    """Once a day from DIGEST_AT: what a person's channels held until that moment (queued before today's DIGEST_AT)
    becomes one digest per channel; what comes later waits for tomorrow's."""
    local = timezone.localtime(now)
    if local.time() < DIGEST_AT:
        return 0
    cutoff = datetime.combine(local.date(), DIGEST_AT, local.tzinfo)
    made = 0
    held = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, for_digest=True, next_attempt_at__lt=cutoff)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    prefs = Preference.objects.filter(user_id__in=list(held)).exclude(last_digest_on=local.date())
    for pref in prefs.select_related("user"):
        with transaction.atomic():
            rows = list(
                Delivery.objects.select_for_update()
                .filter(
                    recipient_id=pref.user_id,
                    status=DeliveryStatus.PENDING,
                    for_digest=True,
                    next_attempt_at__lt=cutoff,
                )
                .order_by("created_at")
            )
            for channel in sorted({r.channel for r in rows}):
                of_channel = [r for r in rows if r.channel == channel]
                Delivery.objects.create(
                    recipient_id=pref.user_id,
                    county_code=of_channel[-1].county_code,
                    channel=channel,
                    title=f"每日汇总：{len(of_channel)} 条新通知",
                    url=reverse("notifications:list"),
                    next_attempt_at=now,
                )
                made += 1
            Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(status=DeliveryStatus.DIGESTED, sent_at=now)
            pref.last_digest_on = local.date()
            pref.save(update_fields=["last_digest_on"])
    return made


def deliveries_send(*, now: datetime | None = None, limit: int = SEND_BATCH) -> SendReport:
    """Drain the outbox: each due delivery goes through its channel's adapter, in its own transaction; a failure is
    kept with its reason and retried with exponential back-off, then given up as failed."""
    now = now or timezone.now()
    report = SendReport(digests=digests_prepare(now=now))
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, for_digest=False, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        with transaction.atomic():
            rows = Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            delivery = rows.select_related("recipient").first()
            if delivery is None:  # another sender took it
                continue
            _send_one(delivery, now=now, report=report)
    return report


def _send_one(delivery: Delivery, *, now: datetime, report: SendReport) -> None:
    pref = _preference(delivery.recipient)
    if delivery.channel in PERSONAL_CHANNELS and pref is not None:
        until = quiet_until(now, pref.quiet_start, pref.quiet_end)
        if until is not None:  # the person chose quiet hours since it was queued
            delivery.next_attempt_at = until
            delivery.save(update_fields=["next_attempt_at"])
            report.held += 1
            return
    setting = ChannelSetting.objects.filter(
        county_id=delivery.county_code, channel=delivery.channel, enabled=True
    ).first()
    delivery.attempts += 1
    try:
        if setting is None:
            raise DeliveryError("本县未启用该渠道。")
        address = ""
        if delivery.channel == Channel.EMAIL:
            address = delivery.recipient.email
        elif delivery.channel == Channel.SMS:
            address = pref.phone if pref else ""
        ADAPTERS[delivery.channel].send(
            Message(title=delivery.title, link=_link(delivery.url)), config=setting.config, address=address
        )
    except DeliveryError as exc:
        delivery.last_error = str(exc)[:500]
        if delivery.attempts >= MAX_ATTEMPTS or setting is None:
            delivery.status = DeliveryStatus.FAILED
            report.failed += 1
        else:
            delivery.next_attempt_at = now + timedelta(seconds=BACKOFF_SECONDS * 2 ** (delivery.attempts - 1))
            report.retrying += 1
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.last_error = ""
        report.sent += 1
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
