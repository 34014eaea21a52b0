"""Every write of the public directory: entries (name, post, duties, office phone), the person's consent to show a
private number (recorded, and withdrawn), and filling a village's entries from its team's current posts. Each
service checks the access rule, validates everything first, saves and records."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.directory.models import Entry
from cunshe.directory.permissions import entry_policy
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.models import TeamMember

# Office numbers: area code and number (0543-4321234), an extension allowed; mobiles: 11 digits starting with 1.
OFFICE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _errors(name: str, post: str, duties: str, office_phone: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 50:
        errors["name"] = ["请填写姓名（不超过 50 字）。"]
    if not post or len(post) > 60:
        errors["post"] = ["请填写职务（不超过 60 字）。"]
    if len(duties) > 300:
        errors["duties"] = ["分工职责不超过 300 字。"]
    if office_phone and not OFFICE.match(office_phone):
        errors["office_phone"] = ["办公电话格式如 0543-4321234。手机号码须经本人同意后另行登记。"]
    return errors


@transaction.atomic
def entry_create(
    *,
    actor: Actor,
    region_code: str,
    name: str,
    post: str,
    duties: str = "",
    office_phone: str = "",
    sort: int = 100,
) -> Entry:
    entry_policy.check_in_region(actor, "change", region_code, missing="未找到该区域。")
    region = Region.objects.filter(code=region_code, level__in=(Level.COUNTY, Level.TOWN, Level.VILLAGE)).first()
    if region is None:
        raise DomainError("电话公开按县、乡镇(街道)、村(社区)登记。", {"region": ["须为县、乡镇(街道)或村(社区)。"]})
    name, post, duties, office_phone = clean_text(name), clean_text(post), clean_text(duties), clean_text(office_phone)
    if errors := _errors(name, post, duties, office_phone):
        raise DomainError("登记信息有误，未保存。", errors)
    entry = Entry.objects.create(
        region=region, name=name, post=post, duties=duties, office_phone=office_phone, sort=max(0, int(sort))
    )
    record(
        actor=actor,
        region_code=region_code,
        event="directory.entry_added",
        summary=f"{region.name}电话公开：{name}（{post}）",
        obj=entry,
        after={"姓名": name, "职务": post, "分工职责": duties, "办公电话": office_phone},
    )
    return entry


@transaction.atomic
def entry_update(
    *,
    actor: Actor,
    entry: Entry,
    name: str,
    post: str,
    duties: str,
    office_phone: str,
    sort: int,
    published: bool,
    expected_version: int | None,
) -> Entry:
    entry_policy.check(actor, "change", entry)
    name, post, duties, office_phone = clean_text(name), clean_text(post), clean_text(duties), clean_text(office_phone)
    if errors := _errors(name, post, duties, office_phone):
        raise DomainError("登记信息有误，未保存。", errors)
    e = Entry.objects.get(pk=entry.pk)
    bump_version(e, expected_version=expected_version)
    labels = {
        "name": "姓名",
        "post": "职务",
        "duties": "分工职责",
        "office_phone": "办公电话",
        "sort": "排序",
        "published": "公开",
    }
    new = {
        "name": name,
        "post": post,
        "duties": duties,
        "office_phone": office_phone,
        "sort": max(0, int(sort)),
        "published": published,
    }
    before = {labels[k]: getattr(e, k) for k in new if getattr(e, k) != new[k]}
    after = {labels[k]: v for k, v in new.items() if getattr(e, k) != v}
    for k, v in new.items():
        setattr(e, k, v)
    e.save()
    record(
        actor=actor,
        region_code=e.region_id,
        event="directory.entry_changed",
        summary=f"电话公开：{name}（{post}）信息变更",
        obj=e,
        before=before,
        after=after,
    )
    return e


@transaction.atomic
def consent_record(
    *, actor: Actor, entry: Entry, mobile: str, consent_on: date, note: str, expected_version: int | None
) -> Entry:
    """The person agreed to publish their mobile number: the number, the day and how they agreed (a signed form,
    in a meeting) are kept; without this no private number is ever shown."""
    entry_policy.check(actor, "change", entry)
    mobile, note = clean_text(mobile), clean_text(note)
    errors: dict[str, list[str]] = {}
    if not MOBILE.match(mobile):
        errors["mobile"] = ["请填写 11 位手机号码。"]
    if consent_on > timezone.localdate():
        errors["consent_on"] = ["同意日期不能晚于今天。"]
    if not note or len(note) > 200:
        errors["note"] = ["请写明本人如何同意公开（如签字同意书），不超过 200 字。"]
    if errors:
        raise DomainError("同意公开信息有误，未保存。", errors)
    e = Entry.objects.get(pk=entry.pk)
    bump_version(e, expected_version=expected_version)
    e.mobile, e.mobile_consent_on, e.mobile_consent_note = mobile, consent_on, note
    e.save(update_fields=["mobile", "mobile_consent_on", "mobile_consent_note", "version"])
    record(
        actor=actor,
        region_code=e.region_id,
        event="directory.consent_given",
        summary=f"电话公开：{e.name}同意公开手机号码（{consent_on:%Y-%m-%d}，{note}）",
        obj=e,
        after={"同意日期": consent_on, "同意方式": note, "手机号码": mobile[:3] + "****" + mobile[-4:]},
    )
    return e


@transaction.atomic
def consent_withdraw(*, actor: Actor, entry: Entry, expected_version: int | None) -> Entry:
    """The person withdrew: the number is removed at once (it is not kept hidden)."""
    entry_policy.check(actor, "change", entry)
    e = Entry.objects.get(pk=entry.pk)
    if not e.mobile:
        raise DomainError("该条目未公开手机号码。")
    bump_version(e, expected_version=expected_version)
    e.mobile, e.mobile_consent_on, e.mobile_consent_note = "", None, ""
    e.save(update_fields=["mobile", "mobile_consent_on", "mobile_consent_note", "version"])
    record(
        actor=actor,
        region_code=e.region_id,
        event="directory.consent_withdrawn",
        summary=f"电话公开：{e.name}撤回公开手机号码的同意",
        obj=e,
        after={"手机号码": "已删除"},
    )
    return e


@transaction.atomic
def fill_from_team(*, actor: Actor, village_code: str) -> tuple[int, int]:
    """A village's entries from its team's current posts: members not yet listed are added (name and post, no
    phone: the office number is filled in by hand, never the registry's private one); entries of members who have
    left are taken off the public page. Returns (added, withdrawn); running it twice changes nothing."""
    entry_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    members = list(
        TeamMember.objects.filter(region_id=village_code, ended_on__isnull=True)
        .select_related("person")
        .order_by("committee", "post", "started_on", "id")
    )
    members.sort(key=lambda m: m.rank)
    listed = set(
        Entry.objects.filter(region_id=village_code, team_member__isnull=False).values_list("team_member_id", flat=True)
    )
    new = [m for m in members if m.pk not in listed]
    current = {m.pk for m in members}
    gone = list(
        Entry.objects.filter(region_id=village_code, team_member__isnull=False, published=True).exclude(
            team_member_id__in=current
        )
    )
    Entry.objects.bulk_create(
        Entry(region=village, name=m.person.name, post=m.post_title, team_member=m, sort=10 + n)
        for n, m in enumerate(new)
    )
    for e in gone:
        e.published, e.version = False, e.version + 1
        e.save(update_fields=["published", "version"])
    if new or gone:
        record(
            actor=actor,
            region_code=village_code,
            event="directory.filled_from_team",
            summary=f"{village.name}电话公开按班子现任职务更新：新增 {len(new)} 人，撤下 {len(gone)} 人",
            after={
                "新增": "、".join(f"{m.person.name}（{m.post_title}）" for m in new),
                "撤下": "、".join(e.name for e in gone),
            },
        )
    return len(new), len(gone)
