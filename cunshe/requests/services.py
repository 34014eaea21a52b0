"""Every write of the request pipeline (查访收集 → 分级办理 → 结果反馈 → 效果评价): the county's categories, time
limits and answer templates; a request filed by a resident without an account (the public page, Open311) or entered
by staff (a visit, a call, a 12345 work order, one by one or from Excel); assignment, handling and closing through
the transition table; the resident's own answer, which reopens a disputed closing; duplicates merged; photos.
Each service checks the access rule, validates everything first, keeps the roll-up rows and records."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cunshe.accounts.models import Department, User
from cunshe.core.actors import SYSTEM, Actor, is_system, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.core.transitions import check_move
from cunshe.deadlines.calendar import add_working_days, due_at
from cunshe.notifications.models import Kind
from cunshe.notifications.services import notify
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.requests import hooks
from cunshe.requests.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Category,
    Channel,
    DayTally,
    Event,
    LimitUnit,
    Photo,
    Request,
    ResponseTemplate,
    Route,
    Status,
    Tier,
    TierLimit,
    VillageTally,
)
from cunshe.requests.permissions import category_policy, request_policy, template_policy, tier_policy
from cunshe.serviceteams.models import Category as ServiceCategory
from cunshe.serviceteams.models import Order, OrderStatus, ServiceTeam
from cunshe.serviceteams.services import order_cancel, order_dispatch, order_place

# RULES.md "Resident service" (12345 defaults): emergencies 2 h, time-critical utilities 24 h, general 7 days,
# complex 15 days. The hours run on the clock (a burst pipe does not wait for Monday); the days are working days,
# as 12345 counts them, so a request filed before a holiday is not late because of it.
DEFAULT_LIMITS: dict[str, tuple[Decimal, str]] = {
    Tier.EMERGENCY: (Decimal(2), LimitUnit.HOURS),
    Tier.URGENT: (Decimal(24), LimitUnit.HOURS),
    Tier.GENERAL: (Decimal(7), LimitUnit.WORKING_DAYS),
    Tier.COMPLEX: (Decimal(15), LimitUnit.WORKING_DAYS),
}
# The abuse guard of filing without an account: at most this many requests per client address and hour, and per
# village and hour from anywhere (a script cannot bury a village's board).
PUBLIC_PER_CLIENT_HOUR = 5
PUBLIC_PER_VILLAGE_HOUR = 60
PHONE_CHARS = set("0123456789-+ ")


def _now() -> datetime:
    return timezone.now()


# Settings of the county ---------------------------------------------------------------------------------------------


def limit_for(county_code: str, tier: str, on: date) -> tuple[Decimal, str]:
    """The time limit of a tier on a day: the county's latest setting in force, else the default."""
    row = TierLimit.objects.filter(county_id=county_code, tier=tier, valid_from__lte=on).order_by("-valid_from").first()
    return (row.amount, row.unit) if row else DEFAULT_LIMITS[tier]


def compute_due(start: datetime, county_code: str, tier: str) -> datetime:
    amount, unit = limit_for(county_code, tier, timezone.localdate(start))
    if unit == LimitUnit.HOURS:
        return start + timedelta(hours=float(amount))
    if unit == LimitUnit.WORKING_DAYS:
        return add_working_days(start, amount)
    return due_at(start, amount, unit)


def _county(code: str) -> Region:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise Http404("未找到该县。")
    return county


@transaction.atomic
def tier_limit_set(*, actor: Actor, county_code: str, tier: str, amount: Any, unit: str, valid_from: date) -> TierLimit:
    county = _county(county_code)
    tier_policy.check_in_region(actor, "change", county.code, missing="未找到该县。")
    errors: dict[str, list[str]] = {}
    if tier not in Tier.values:
        errors["tier"] = ["请选择等级。"]
    if unit not in LimitUnit.values:
        errors["unit"] = ["请选择小时、自然日或工作日。"]
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0 or value > 365:
        errors["amount"] = ["时限须大于 0 且不超过 365。"]
    elif unit != LimitUnit.WORKING_DAYS and unit in LimitUnit.values and value != value.to_integral_value():
        errors["amount"] = ["小时和自然日须为整数；半天请用工作日（如 2.5 个工作日）。"]
    elif unit == LimitUnit.WORKING_DAYS and (value * 2) != (value * 2).to_integral_value():
        errors["amount"] = ["工作日以半天为单位（如 2.5）。"]
    # Dated data: a change is a new row from a day on, never an edit of what was in force. Only the system (the
    # demo, a migration of a county's old settings) writes history; a person sets today or later, and may replace
    # only a row not yet in force.
    today = timezone.localdate()
    if not is_system(actor) and tier in Tier.values:
        if valid_from < today:
            errors["valid_from"] = ["起用日期不能早于今天：已施行的时限不改，新时限从今天或以后起用。"]
        elif TierLimit.objects.filter(county=county, tier=tier, valid_from=valid_from, valid_from__lte=today).exists():
            errors["valid_from"] = ["该日起用的时限已施行，不能修改；请从明天或以后起用新的时限。"]
    if errors:
        raise DomainError("办理时限有误，未保存。", errors)
    row, _ = TierLimit.objects.update_or_create(
        county=county, tier=tier, valid_from=valid_from, defaults={"amount": value, "unit": unit}
    )
    record(
        actor=actor,
        region_code=county.code,
        event="requests.limit_set",
        summary=f"{county.name}诉求办理时限：{row.get_tier_display()} {value}{row.get_unit_display()}，"
        f"{valid_from:%Y-%m-%d} 起",
        obj=row,
        after={"等级": row.get_tier_display(), "时限": f"{value}{row.get_unit_display()}", "起用日期": valid_from},
    )
    return row


@transaction.atomic
def category_create(
    *,
    actor: Actor,
    county_code: str,
    code: str,
    name: str,
    route: str,
    valid_from: date,
    tier: str = Tier.GENERAL,
    department_id: int | None = None,
    public: bool = True,
    description: str = "",
    valid_to: date | None = None,
) -> Category:
    county = _county(county_code)
    category_policy.check_in_region(actor, "change", county.code, missing="未找到该县。")
    code, name, description = clean_text(code), clean_text(name), clean_text(description)
    errors: dict[str, list[str]] = {}
    if not code or len(code) > 30 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
        errors["code"] = ["类别代码为字母、数字、- 或 _（不超过 30 位）。"]
    elif Category.objects.filter(county=county, code=code).exists():
        errors["code"] = ["该县已有此类别代码。"]
    department = _category_errors(county, name, description, route, tier, department_id, errors)
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = ["停用日期不能早于起用日期。"]
    if errors:
        raise DomainError("诉求类别有误，未保存。", errors)
    category = Category.objects.create(
        county=county,
        code=code,
        name=name,
        description=description,
        route=route,
        department=department,
        tier=tier,
        public=public,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    record(
        actor=actor,
        region_code=county.code,
        event="requests.category_created",
        summary=f"{county.name}新增诉求类别：{name}（{category.get_route_display()}）",
        obj=category,
        after=_category_after(category),
    )
    return category


def _category_errors(
    county: Region,
    name: str,
    description: str,
    route: str,
    tier: str,
    department_id: int | None,
    errors: dict[str, list[str]],
) -> Department | None:
    """The checks a category's name, routing and tier pass on creating and on editing; the department it routes to."""
    if not name or len(name) > 50:
        errors["name"] = ["请填写类别名称（不超过 50 字）。"]
    if len(description) > 200:
        errors["description"] = ["说明不超过 200 字。"]
    if route not in Route.values:
        errors["route"] = ["请选择办理层级。"]
    if tier not in Tier.values:
        errors["tier"] = ["请选择等级。"]
    department = None
    if route == Route.DEPARTMENT:
        department = Department.objects.filter(pk=department_id or 0, county=county, is_active=True).first()
        if department is None:
            errors["department"] = ["县直部门办理须选择本县的承办部门。"]
    elif department_id:
        errors["department"] = ["只有县直部门办理的类别才选承办部门。"]
    return department


def _category_after(c: Category) -> dict[str, Any]:
    return {
        "类别": f"{c.code} {c.name}",
        "说明": c.description,
        "办理层级": c.get_route_display(),
        "承办部门": c.department.name if c.department else "",
        "默认等级": c.get_tier_display(),
        "公开": "是" if c.public else "否",
        "起用日期": c.valid_from,
        "停用日期": c.valid_to,
    }


@transaction.atomic
def category_update(
    *,
    actor: Actor,
    category: Category,
    expected_version: int | None,
    name: str,
    route: str,
    tier: str,
    department_id: int | None = None,
    public: bool = True,
    description: str = "",
) -> Category:
    """A category's name, routing, default tier and publicity (its code is what requests and Open311 clients name
    it by, and its dates are changed only by retiring it). Requests already filed keep the routing they got."""
    category_policy.check(actor, "change", category)
    county = _county(category.county_id)
    name, description = clean_text(name), clean_text(description)
    errors: dict[str, list[str]] = {}
    department = _category_errors(county, name, description, route, tier, department_id, errors)
    if errors:
        raise DomainError("诉求类别有误，未保存。", errors)
    c = Category.objects.select_related("department").get(pk=category.pk)
    before = _category_after(c)
    bump_version(c, expected_version=expected_version)
    c.name, c.description, c.route, c.department, c.tier, c.public = name, description, route, department, tier, public
    c.save(update_fields=["name", "description", "route", "department", "tier", "public"])
    record(
        actor=actor,
        region_code=county.code,
        event="requests.category_changed",
        summary=f"{county.name}修改诉求类别：{name}（{c.get_route_display()}）",
        obj=c,
        before=before,
        after=_category_after(c),
    )
    return c


@transaction.atomic
def category_retire(*, actor: Actor, category: Category, valid_to: date, expected_version: int | None) -> Category:
    """Stop offering a category from a day on (停用): requests that name it keep it, so it is never deleted. The
    day is today or later (what was offered in the past stays as it was); the last day it is offered is valid_to."""
    category_policy.check(actor, "change", category)
    c = Category.objects.select_related("department", "county").get(pk=category.pk)
    errors: dict[str, list[str]] = {}
    if valid_to < timezone.localdate():
        errors["valid_to"] = ["停用日期不能早于今天（过去已受理的类别不改）。"]
    elif valid_to < c.valid_from:
        errors["valid_to"] = ["停用日期不能早于起用日期。"]
    elif c.valid_to is not None and c.valid_to < timezone.localdate():
        errors["valid_to"] = ["该类别已停用。"]
    if errors:
        raise DomainError("停用日期有误，未保存。", errors)
    before = _category_after(c)
    bump_version(c, expected_version=expected_version)
    c.valid_to = valid_to
    c.save(update_fields=["valid_to"])
    record(
        actor=actor,
        region_code=c.county_id,
        event="requests.category_retired",
        summary=f"{c.county.name}停用诉求类别：{c.name}（{valid_to:%Y-%m-%d} 后不再受理）",
        obj=c,
        before=before,
        after=_category_after(c),
    )
    return c


def categories_in_force(county_code: str, on: date) -> list[Category]:
    return list(
        Category.objects.filter(county_id=county_code, valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .select_related("department")
        .order_by("code")
    )


@transaction.atomic
def template_create(*, actor: Actor, county_code: str, title: str, text: str) -> ResponseTemplate:
    county = _county(county_code)
    template_policy.check_in_region(actor, "change", county.code, missing="未找到该县。")
    title, text = clean_text(title), clean_text(text)
    errors = _template_errors(county, title, text)
    if errors:
        raise DomainError("答复模板有误，未保存。", errors)
    template = ResponseTemplate.objects.create(county=county, title=title, text=text)
    record(
        actor=actor,
        region_code=county.code,
        event="requests.template_created",
        summary=f"{county.name}新增诉求答复模板：{title}",
        obj=template,
        after={"名称": title, "内容": text},
    )
    return template


def _template_errors(county: Region, title: str, text: str, *, exclude: int | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 50:
        errors["title"] = ["请填写名称（不超过 50 字）。"]
    elif ResponseTemplate.objects.filter(county=county, title=title).exclude(pk=exclude or 0).exists():
        errors["title"] = ["已有同名模板。"]
    if not text or len(text) > 1000:
        errors["text"] = ["请填写内容（不超过 1000 字）。"]
    return errors


@transaction.atomic
def template_update(
    *, actor: Actor, template: ResponseTemplate, title: str, text: str, expected_version: int | None
) -> ResponseTemplate:
    """A template's wording (closings already made keep the words they were closed with: the note is copied)."""
    template_policy.check(actor, "change", template)
    county = _county(template.county_id)
    title, text = clean_text(title), clean_text(text)
    errors = _template_errors(county, title, text, exclude=template.pk)
    if errors:
        raise DomainError("答复模板有误，未保存。", errors)
    t = ResponseTemplate.objects.get(pk=template.pk)
    before = {"名称": t.title, "内容": t.text}
    bump_version(t, expected_version=expected_version)
    t.title, t.text = title, text
    t.save(update_fields=["title", "text"])
    record(
        actor=actor,
        region_code=county.code,
        event="requests.template_changed",
        summary=f"{county.name}修改诉求答复模板：{title}",
        obj=t,
        before=before,
        after={"名称": title, "内容": text},
    )
    return t


@transaction.atomic
def template_activate(
    *, actor: Actor, template: ResponseTemplate, active: bool, expected_version: int | None
) -> ResponseTemplate:
    """Retire a template (no longer offered when closing) or bring it back; never deleted, since closings and the
    record book name it."""
    template_policy.check(actor, "change", template)
    county = _county(template.county_id)
    t = ResponseTemplate.objects.get(pk=template.pk)
    bump_version(t, expected_version=expected_version)
    before = "是" if t.is_active else "否"
    t.is_active = active
    t.save(update_fields=["is_active"])
    record(
        actor=actor,
        region_code=county.code,
        event="requests.template_activated" if active else "requests.template_retired",
        summary=f"{county.name}{'恢复' if active else '停用'}诉求答复模板：{t.title}",
        obj=t,
        before={"启用": before},
        after={"启用": "是" if active else "否"},
    )
    return t


# Roll-up rows -------------------------------------------------------------------------------------------------------


def _tally(village: str, **changes: int) -> None:
    VillageTally.objects.get_or_create(village_id=village)
    VillageTally.objects.filter(village_id=village).update(**{k: F(k) + v for k, v in changes.items()})


def _day(village: str, at: datetime, **changes: int) -> None:
    day = timezone.localdate(at)
    DayTally.objects.get_or_create(village_id=village, day=day)
    DayTally.objects.filter(village_id=village, day=day).update(**{k: F(k) + v for k, v in changes.items()})


def overdue_recount(village: str, *, now: datetime | None = None) -> None:
    late = Request.objects.filter(region_id=village, status__in=OPEN_STATUSES, due_at__lt=now or _now()).count()
    VillageTally.objects.get_or_create(village_id=village)
    VillageTally.objects.filter(village_id=village).update(overdue=late)


def daily_snapshot(today: date) -> str:
    """The daily job: recount what the date alone changed (open requests past their limit) for every village that
    has any request."""
    now = _now()
    villages = list(VillageTally.objects.values_list("village_id", flat=True))
    counts: dict[str, int] = dict.fromkeys(villages, 0)
    for village in (
        Request.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now).values_list("region_id", flat=True).iterator()
    ):
        counts[village] = counts.get(village, 0) + 1
    changed = 0
    for village, late in counts.items():
        changed += VillageTally.objects.filter(village_id=village).exclude(overdue=late).update(overdue=late)
    return f"诉求逾期数已重算：{changed} 个村(社区)有变化"


# Filing -------------------------------------------------------------------------------------------------------------


def client_key_of(address: str) -> str:
    """A keyed hash of a client address: enough to count repeats, useless to find the person."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _event(
    request: Request,
    *,
    actor: Actor,
    what: str,
    text: str = "",
    status: str = "",
    public: bool = False,
    at: datetime | None = None,
) -> Event:
    return Event.objects.create(
        request=request,
        region_id=request.region_id,
        at=at or _now(),
        actor=user_of(actor),
        what=what,
        status=status,
        text=text[:1000],
        public=public,
    )


def _validate_fields(
    *,
    village_code: str,
    category_code: str,
    title: str,
    description: str,
    address: str,
    reporter_name: str,
    reporter_phone: str,
    tier: str | None,
    lat: Any,
    long: Any,
    on: date,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    category = None
    if village is None:
        errors["village"] = ["请选择村(社区)。"]
    else:
        category = (
            Category.objects.filter(county_id=village.code[:6], code=category_code, valid_from__lte=on)
            .exclude(valid_to__lt=on)
            .select_related("department")
            .first()
        )
        if category is None:
            errors["category"] = ["请选择本县在用的诉求类别。"]
    if not title or len(title) > 100:
        errors["title"] = ["请填写标题（不超过 100 字）。"]
    if not description or len(description) > 2000:
        errors["description"] = ["请写明诉求内容（不超过 2000 字）。"]
    if len(address) > 200:
        errors["address"] = ["地点不超过 200 字。"]
    if len(reporter_name) > 50:
        errors["reporter_name"] = ["姓名不超过 50 字。"]
    if reporter_phone and (len(reporter_phone) > 20 or not set(reporter_phone) <= PHONE_CHARS):
        errors["reporter_phone"] = ["电话号码只含数字（不超过 20 位）。"]
    if tier is not None and tier not in Tier.values:
        errors["tier"] = ["请选择等级。"]
    coords: dict[str, Decimal | None] = {"lat": None, "long": None}
    for key, value, bound in (("lat", lat, 90), ("long", long, 180)):
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value)).quantize(Decimal("0.000001"))
        except InvalidOperation:
            number = Decimal(999)
        if not number.is_finite() or abs(number) > bound:
            errors[key] = ["坐标有误。"]
        else:
            coords[key] = number
    return {"village": village, "category": category, **coords}, errors


def _create(
    *,
    actor: Actor,
    village: Region,
    category: Category,
    channel: str,
    title: str,
    description: str,
    address: str,
    reporter_name: str,
    reporter_phone: str,
    tier: str | None,
    lat: Decimal | None,
    long: Decimal | None,
    submitted_at: datetime,
    raised_by: Person | None = None,
    work_order_no: str = "",
    client_key: str = "",
) -> Request:
    tier = tier or category.tier
    request = Request.objects.create(
        region=village,
        category=category,
        tier=tier,
        route=category.route,
        department=category.department,
        channel=channel,
        title=title,
        description=description,
        address=address,
        lat=lat,
        long=long,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        raised_by=raised_by,
        work_order_no=work_order_no,
        submitted_at=submitted_at,
        due_at=compute_due(submitted_at, village.code[:6], tier),
        public=category.public,
        token=secrets.token_urlsafe(24),
        client_key=client_key,
    )
    _event(request, actor=actor, what="受理", text=f"{request.get_channel_display()}受理", public=True, at=submitted_at)
    _tally(village.code, received=1, open=1)
    _day(village.code, submitted_at, received=1)
    if request.due_at < _now():
        overdue_recount(village.code)
    return request


def _after(r: Request) -> dict[str, Any]:
    # Names and phones stay out of the record book: it says only whether the resident left a way to follow up.
    return {
        "村(社区)": r.region_id,
        "类别": r.category.name,
        "等级": r.get_tier_display(),
        "来源": r.get_channel_display(),
        "标题": r.title,
        "办理层级": r.get_route_display(),
        "承办部门": r.department.name if r.department else "",
        "办理时限": r.due_at,
        "可回访": "是" if r.reporter_phone else "否（未留电话）",
        "12345 工单号": r.work_order_no,
    }


@transaction.atomic
def request_submit_public(
    *,
    village_code: str,
    category_code: str,
    title: str,
    description: str,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    lat: Any = None,
    long: Any = None,
    client_key: str = "",
    channel: str = Channel.PUBLIC,
) -> Request:
    """A resident files without an account (the village's public page through its QR poster, or Open311). Name and
    phone are optional; without a phone nobody can call back, the resident follows it by the link shown once."""
    now = _now()
    title, description, address = clean_text(title), clean_text(description), clean_text(address)
    reporter_name, reporter_phone = clean_text(reporter_name), clean_text(reporter_phone)
    found, errors = _validate_fields(
        village_code=village_code,
        category_code=category_code,
        title=title,
        description=description,
        address=address,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        tier=None,
        lat=lat,
        long=long,
        on=timezone.localdate(now),
    )
    if errors:
        raise DomainError("诉求信息有误，未提交。", errors)
    hour_ago = now - timedelta(hours=1)
    if client_key and (
        Request.objects.filter(client_key=client_key, submitted_at__gte=hour_ago).count() >= PUBLIC_PER_CLIENT_HOUR
    ):
        raise DomainError("提交过于频繁，请一小时后再试，或直接联系村(社区)干部。")
    recent = Request.objects.filter(region_id=village_code, channel=channel, submitted_at__gte=hour_ago)
    if recent.count() >= PUBLIC_PER_VILLAGE_HOUR:
        raise DomainError("本村(社区)一小时内收到的网上诉求已达上限，请稍后再试，或直接联系村(社区)干部。")
    request = _create(
        actor=SYSTEM,
        village=found["village"],
        category=found["category"],
        channel=channel,
        title=title,
        description=description,
        address=address,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        tier=None,
        lat=found["lat"],
        long=found["long"],
        submitted_at=now,
        client_key=client_key,
    )
    record(
        actor=SYSTEM,
        region_code=request.region_id,
        event="requests.filed",
        summary=f"群众反映诉求（{request.get_channel_display()}）：{title}",
        obj=request,
        after=_after(request),
    )
    return request


@transaction.atomic
def request_create(
    *,
    actor: Actor,
    village_code: str,
    category_code: str,
    channel: str,
    title: str,
    description: str,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    tier: str | None = None,
    lat: Any = None,
    long: Any = None,
    raised_by_id: int | None = None,
    work_order_no: str = "",
    submitted_at: datetime | None = None,
) -> Request:
    """Staff enter a request from a visit, a call, a 12345 work order or a floating party member's message."""
    request_policy.check_in_region(actor, "handle", village_code)
    request = _staff_create(
        actor=actor,
        values={
            "village": village_code,
            "category": category_code,
            "channel": channel,
            "title": title,
            "description": description,
            "address": address,
            "reporter_name": reporter_name,
            "reporter_phone": reporter_phone,
            "tier": tier,
            "lat": lat,
            "long": long,
            "raised_by": raised_by_id,
            "work_order_no": work_order_no,
            "submitted_at": submitted_at,
        },
    )
    record(
        actor=actor,
        region_code=request.region_id,
        event="requests.filed",
        summary=f"登记诉求（{request.get_channel_display()}）：{request.title}",
        obj=request,
        after=_after(request),
    )
    return request


def _staff_errors(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    now = _now()
    submitted_at = values.get("submitted_at") or now
    text = {
        k: clean_text(values.get(k)) for k in ("title", "description", "address", "reporter_name", "reporter_phone")
    }
    found, errors = _validate_fields(
        village_code=str(values.get("village") or ""),
        category_code=clean_text(values.get("category")),
        tier=values.get("tier") or None,
        lat=values.get("lat"),
        long=values.get("long"),
        on=timezone.localdate(submitted_at),
        **text,
    )
    channel = values.get("channel")
    if channel not in (Channel.VISIT, Channel.CALL, Channel.HOTLINE, Channel.FLOATING):
        errors["channel"] = ["请选择来源：入户走访、来电、12345 热线工单或流动党员反映。"]
    work_order_no = clean_text(values.get("work_order_no"))
    if channel == Channel.HOTLINE and not work_order_no:
        errors["work_order_no"] = ["12345 工单须填工单号。"]
    if len(work_order_no) > 40:
        errors["work_order_no"] = ["工单号不超过 40 位。"]
    if submitted_at > now + timedelta(minutes=5):
        errors["submitted_at"] = ["受理时间不能晚于现在。"]
    raised_by = None
    if values.get("raised_by"):
        raised_by = Person.objects.filter(pk=values["raised_by"]).first()
        village = found["village"]
        if raised_by is None or village is None or raised_by.region_id[:6] != village.code[:6]:
            errors["raised_by"] = ["反映人须为本县登记人员。"]
    return {
        **found,
        **text,
        "channel": channel,
        "work_order_no": work_order_no,
        "submitted_at": submitted_at,
        "raised_by": raised_by,
        "tier": values.get("tier") or None,
    }, errors


def _staff_create(*, actor: Actor, values: dict[str, Any]) -> Request:
    data, errors = _staff_errors(values)
    number, village = data["work_order_no"], data["village"]
    if (
        number
        and village is not None
        and "work_order_no" not in errors
        and Request.objects.filter(region_id__startswith=village.code[:6], work_order_no=number).exists()
    ):
        errors["work_order_no"] = ["该工单号已登记。"]
    if errors:
        raise DomainError("诉求信息有误，未保存。", errors)
    return _create(
        actor=actor,
        village=data["village"],
        category=data["category"],
        channel=data["channel"],
        title=data["title"],
        description=data["description"],
        address=data["address"],
        reporter_name=data["reporter_name"],
        reporter_phone=data["reporter_phone"],
        tier=data["tier"],
        lat=data["lat"],
        long=data["long"],
        submitted_at=data["submitted_at"],
        raised_by=data["raised_by"],
        work_order_no=data["work_order_no"],
    )


# Handling -----------------------------------------------------------------------------------------------------------


def _locked(request: Request, expected_version: int | None) -> Request:
    r = Request.objects.select_related("category", "department", "region").get(pk=request.pk)
    bump_version(r, expected_version=expected_version)
    r.refresh_from_db(fields=["version"])
    return r


def _moment(r: Request, at: datetime | None) -> datetime:
    """When it happened: now, or earlier when staff enter what was done on paper or by phone (not before the
    request's last step, not in the future)."""
    now = _now()
    if at is None:
        return now
    last = r.events.order_by("-at").values_list("at", flat=True).first() or r.submitted_at
    if at > now + timedelta(minutes=5) or at < last:
        raise DomainError("时间有误，未保存。", {"at": ["时间不能早于上一步办理，也不能晚于现在。"]})
    return at


def _move(r: Request, target: str) -> None:
    check_move(TRANSITIONS, r.status, target, Status, what="诉求")


def _team_order(actor: Actor, r: Request, team: ServiceTeam, note: str) -> None:
    """The team's order for this request, placed and dispatched in the same transaction as the assignment; an order
    of the request still waiting for a team is reused, not doubled."""
    ref = f"requests:{r.pk}"
    order = Order.objects.filter(external_ref=ref, status=OrderStatus.PLACED).order_by("-pk").first()
    if order is None:
        order = order_place(
            actor=actor,
            region_code=r.region_id,
            category=ServiceCategory.OTHER,
            resident=r.reporter_name or "群众",
            description=f"{r.number} {r.title}。{note}".strip()[:300],
            wanted_on=timezone.localdate(r.due_at),
            requested_team=team,
            external_ref=ref,
        )
    order_dispatch(actor=actor, order=order, team=team, expected_version=order.version)


REASSIGNED, CLOSED = "诉求已改派", "诉求已办结"


def _withdraw_team_orders(r: Request, reason: str = REASSIGNED) -> None:
    """A request assigned anew or closed by its handler takes its open order back from the team that had it (the
    team's queue must not keep work nobody waits for); the cancellation is the system's, as the consequence of the
    handler's act, and it is marked withdrawn so that team_order_done does not hand the request back."""
    for order in Order.objects.filter(
        external_ref=f"requests:{r.pk}", status__in=(OrderStatus.DISPATCHED, OrderStatus.ACCEPTED)
    ):
        order_cancel(actor=SYSTEM, order=order, reason=reason, expected_version=order.version, withdrawn=True)


def team_order_done(order: Order, team: str, withdrawn: bool) -> None:
    """Called by serviceteams (hook) when the team finishes or gives back a request's order: a completion closes
    the request with the team's note (the resident then answers whether it is solved); a declined or cancelled
    order puts the request back to the handlers with the reason on its history."""
    r = Request.objects.select_for_update().filter(pk=int(order.external_ref.split(":", 1)[1])).first()
    if r is None or not r.is_open or withdrawn:
        return
    team = team or "服务队"
    if order.status == OrderStatus.COMPLETED:
        request_close(
            actor=SYSTEM,
            request=r,
            note=f"{team}已完成服务（{order.number}）：{order.note or '已办理'}",
            expected_version=r.version,
        )
        return
    r.assignee_team = None
    r.save(update_fields=["assignee_team"])
    _event(
        r,
        actor=SYSTEM,
        what="服务队退单",
        status=r.status,
        text=f"{team}未能承接（{order.number}）：{order.note or order.get_status_display()}，请重新派单。",
        at=timezone.now(),
    )


def request_url(r: Request) -> str:
    return reverse("requests:detail", kwargs={"pk": r.pk})


@transaction.atomic
def request_assign(
    *,
    actor: Actor,
    request: Request,
    assignee_id: int | None = None,
    team_id: int | None = None,
    note: str = "",
    expected_version: int | None,
    at: datetime | None = None,
) -> Request:
    """社区派单: to a person who may handle it (a cadre of the village, the town's officer, the department's
    account), or to one of the village's service teams (团队接单): the team gets an order in its own queue
    (serviceteams, external_ref "requests:<id>", dispatched to it at once) and its completion closes the request."""
    request_policy.check(actor, "handle", request)
    note = clean_text(note)
    errors: dict[str, list[str]] = {}
    assignee = None
    if assignee_id:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None or not request_policy.can(assignee, "handle", request):
            errors["assignee"] = ["承办人须为有权办理该诉求的账号（本村、本乡镇或承办部门）。"]
    team = None
    if team_id is not None:
        team = ServiceTeam.objects.filter(pk=team_id, region_id=request.region_id).first() if team_id > 0 else None
        if team is None:
            errors["team"] = ["请选择本村(社区)的服务队。"]
    if assignee is None and team_id is None and "assignee" not in errors:
        errors["assignee"] = ["请选择承办人或服务团队。"]
    if len(note) > 500:
        errors["note"] = ["说明不超过 500 字。"]
    if errors:
        raise DomainError("派单有误，未保存。", errors)
    r = _locked(request, expected_version)
    _move(r, Status.ASSIGNED)
    when = _moment(r, at)
    before = {"状态": r.get_status_display(), "承办人": r.assignee.display_name if r.assignee else ""}
    _withdraw_team_orders(r)
    r.status, r.assignee, r.assignee_team = Status.ASSIGNED, assignee, team
    r.save(update_fields=["status", "assignee", "assignee_team"])
    if team is not None:
        _team_order(actor, r, team, note)
    who = assignee.display_name if assignee else (team.name if team else "")
    # The resident's page says it was dispatched; to whom stays inside (staff names are not the public's).
    _event(r, actor=actor, what="派单", status=Status.ASSIGNED, text="已派单办理", public=True, at=when)
    event = _event(r, actor=actor, what="派单", status=Status.ASSIGNED, text=f"派给{who}。{note}".strip(), at=when)
    if assignee is not None:
        notify(
            recipients=[assignee],
            kind=Kind.REQUEST_ASSIGNED,
            title=f"民情诉求派给您办理：{r.number}（{r.get_tier_display()}）",
            key=f"requests.assigned.{r.pk}.{event.pk}",
            county_code=r.region_id[:6],
            url=request_url(r),
            body=r.title,
            exclude=user_of(actor),
        )
    record(
        actor=actor,
        region_code=r.region_id,
        event="requests.assigned",
        summary=f"诉求 {r.number} 派给{who}",
        obj=r,
        before=before,
        after={"状态": r.get_status_display(), "承办人": who, "说明": note},
    )
    return r


@transaction.atomic
def request_start(
    *, actor: Actor, request: Request, note: str = "", expected_version: int | None, at: datetime | None = None
) -> Request:
    request_policy.check(actor, "handle", request)
    r = _locked(request, expected_version)
    _move(r, Status.IN_PROGRESS)
    when = _moment(r, at)
    before = r.get_status_display()
    r.status = Status.IN_PROGRESS
    r.save(update_fields=["status"])
    _event(r, actor=actor, what="开始办理", status=r.status, text=clean_text(note)[:500], public=True, at=when)
    record(
        actor=actor,
        region_code=r.region_id,
        event="requests.started",
        summary=f"诉求 {r.number} 开始办理",
        obj=r,
        before={"状态": before},
        after={"状态": r.get_status_display()},
    )
    return r


@transaction.atomic
def request_close(
    *,
    actor: Actor,
    request: Request,
    note: str = "",
    template_id: int | None = None,
    expected_version: int | None,
    at: datetime | None = None,
) -> Request:
    """The handler's closing (办结) with what was done; a template gives the wording. Whether it is solved is the
    resident's to say (request_answer)."""
    request_policy.check(actor, "handle", request)
    note = clean_text(note)
    if template_id:
        template = ResponseTemplate.objects.filter(
            pk=template_id, county_id=request.region_id[:6], is_active=True
        ).first()
        if template is None:
            raise DomainError("答复模板有误，未保存。", {"template": ["请选择本县在用的答复模板。"]})
        note = f"{template.text}{note and '　' + note}"
    if not note or len(note) > 1000:
        raise DomainError("办结情况有误，未保存。", {"note": ["请写明办理结果（不超过 1000 字）。"]})
    r = _locked(request, expected_version)
    _move(r, Status.CLOSED)
    _withdraw_team_orders(r, CLOSED)
    now = _moment(r, at)
    before = r.get_status_display()
    was_late = r.due_at < now
    r.status, r.closed_at, r.closing_note = Status.CLOSED, now, note
    r.answer_solved, r.answer_satisfaction, r.answer_comment, r.answered_at = None, None, "", None
    r.save(
        update_fields=[
            "status",
            "closed_at",
            "closing_note",
            "answer_solved",
            "answer_satisfaction",
            "answer_comment",
            "answered_at",
        ]
    )
    _event(r, actor=actor, what="办结", status=r.status, text=note, public=True, at=now)
    _tally(r.region_id, open=-1, closed=1)
    _day(r.region_id, now, closed=1)
    if r.due_at < _now():
        overdue_recount(r.region_id)
    record(
        actor=actor,
        region_code=r.region_id,
        event="requests.closed",
        summary=f"诉求 {r.number} 办结" + ("（超过办理时限）" if was_late else ""),
        obj=r,
        before={"状态": before},
        after={"状态": r.get_status_display(), "办结情况": note},
    )
    return r


def _answer(
    r: Request,
    *,
    actor: Actor,
    solved: bool,
    satisfaction: int | None,
    comment: str,
    by_staff: bool,
    bump: bool,
    at: datetime | None = None,
) -> Request:
    comment = clean_text(comment)
    errors: dict[str, list[str]] = {}
    if satisfaction is not None and not 1 <= int(satisfaction) <= 5:
        errors["satisfaction"] = ["满意度为 1 到 5 分。"]
    if len(comment) > 500:
        errors["comment"] = ["评价不超过 500 字。"]
    if errors:
        raise DomainError("评价有误，未保存。", errors)
    if r.status != Status.CLOSED:
        raise DomainError("诉求办结后才能评价。")
    if r.answered_at is not None:
        raise DomainError("本次办结已评价过。")
    now = _moment(r, at)
    r.answer_solved, r.answer_satisfaction, r.answer_comment, r.answered_at = solved, satisfaction, comment, now
    fields = ["answer_solved", "answer_satisfaction", "answer_comment", "answered_at"]
    rated = 1 if satisfaction is not None else 0
    _tally(r.region_id, rated=rated, solved=int(solved), satisfaction_sum=satisfaction or 0)
    _day(r.region_id, now, rated=rated, solved=int(solved), satisfaction_sum=satisfaction or 0)
    how = "（工作人员回访登记）" if by_staff else ""
    verdict = "已解决" if solved else "未解决，申请重新办理"
    score = f"，满意度 {satisfaction} 分" if satisfaction is not None else ""
    _event(r, actor=actor, what="群众评价", text=f"{verdict}{score}{how}", public=True, at=now)
    after: dict[str, Any] = {"群众认为已解决": "是" if solved else "否", "满意度": satisfaction, "评价": comment}
    if not solved:
        # A disputed closing reopens: counted, and given a fresh time limit from now.
        check_move(TRANSITIONS, r.status, Status.REOPENED, Status, what="诉求")
        r.status, r.reopen_count, r.closed_at = Status.REOPENED, r.reopen_count + 1, None
        r.due_at = compute_due(now, r.region_id[:6], r.tier)
        fields += ["status", "reopen_count", "closed_at", "due_at"]
        _event(
            r,
            actor=SYSTEM,
            what="重新办理",
            status=r.status,
            text=f"第 {r.reopen_count} 次重新办理",
            public=True,
            at=now,
        )
        _tally(r.region_id, reopened=1, open=1, closed=-1)
        _day(r.region_id, now, reopened=1)
        after.update({"状态": Status.REOPENED.label, "重新办理次数": r.reopen_count})
    if bump:  # the resident's link has no version to claim; staff's answer has claimed it (bump_version)
        r.version += 1
    r.save(update_fields=[*fields, "version"])
    if not solved and r.due_at < _now():  # reopened on an answer entered late: already past its fresh limit
        overdue_recount(r.region_id)
    record(
        actor=actor,
        region_code=r.region_id,
        event="requests.answered",
        summary=f"诉求 {r.number} 群众评价：{verdict}{score}{how}",
        obj=r,
        after=after,
    )
    if solved:
        hooks.request_solved(r)
    return r


@transaction.atomic
def request_answer(*, token: str, solved: bool, satisfaction: int | None = None, comment: str = "") -> Request:
    """The resident's own answer, through the link they were given when filing (no account)."""
    r = Request.objects.select_for_update().filter(token=token).first() if token else None
    if r is None:
        raise Http404("未找到该记录。")
    return _answer(
        r, actor=SYSTEM, solved=solved, satisfaction=satisfaction, comment=comment, by_staff=False, bump=True
    )


@transaction.atomic
def request_answer_record(
    *,
    actor: Actor,
    request: Request,
    solved: bool,
    satisfaction: int | None = None,
    comment: str = "",
    expected_version: int | None,
    at: datetime | None = None,
) -> Request:
    """回访: staff write down what the resident said on the phone (only when the resident left a phone)."""
    request_policy.check(actor, "handle", request)
    r = _locked(request, expected_version)
    if not r.reporter_phone:
        raise DomainError("反映人未留电话，无法回访；请群众通过提交时的链接自行评价。")
    return _answer(
        r, actor=actor, solved=solved, satisfaction=satisfaction, comment=comment, by_staff=True, bump=False, at=at
    )


@transaction.atomic
def request_merge(*, actor: Actor, request: Request, original_id: int, expected_version: int | None) -> Request:
    """Mark a request as a duplicate of another and merge it: it keeps its history, points at the original and
    leaves the open counts; the original's history says what was merged into it."""
    request_policy.check(actor, "handle", request)
    original = (
        request_policy.visible_to(actor).filter(pk=original_id).first()
        if actor is not SYSTEM
        else (Request.objects.filter(pk=original_id).first())
    )
    errors: dict[str, list[str]] = {}
    if original is None or original.pk == request.pk:
        errors["original"] = ["请填写另一件可见诉求的编号。"]
    elif original.status == Status.MERGED:
        errors["original"] = ["原诉求本身已合并，请合并到它所指向的诉求。"]
    elif original.region_id[:6] != request.region_id[:6]:
        errors["original"] = ["只能合并到本县的诉求。"]
    if errors:
        raise DomainError("合并有误，未保存。", errors)
    assert original is not None
    r = _locked(request, expected_version)
    _move(r, Status.MERGED)
    was_open = r.status in OPEN_STATUSES
    before = r.get_status_display()
    r.status, r.duplicate_of = Status.MERGED, original
    r.save(update_fields=["status", "duplicate_of"])
    _event(r, actor=actor, what="合并", status=r.status, text=f"与 {original.number} 重复，已合并", public=True)
    _event(original, actor=actor, what="合并", text=f"重复诉求 {r.number} 并入本件")
    if was_open:
        _tally(r.region_id, open=-1)
        overdue_recount(r.region_id)
    record(
        actor=actor,
        region_code=r.region_id,
        event="requests.merged",
        summary=f"诉求 {r.number} 与 {original.number} 重复，已合并",
        obj=r,
        before={"状态": before},
        after={"状态": r.get_status_display(), "重复于": original.number},
    )
    return r


@transaction.atomic
def request_publish(*, actor: Actor, request: Request, public: bool, expected_version: int | None) -> Request:
    request_policy.check(actor, "handle", request)
    r = _locked(request, expected_version)
    before = "是" if r.public else "否"
    r.public = public
    r.save(update_fields=["public"])
    record(
        actor=actor,
        region_code=r.region_id,
        event="requests.published" if public else "requests.unpublished",
        summary=f"诉求 {r.number} {'公开' if public else '不公开'}",
        obj=r,
        before={"公开": before},
        after={"公开": "是" if public else "否"},
    )
    return r


MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 9


def photo_check(upload: Any) -> None:
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_PHOTO_BYTES:
        raise DomainError("照片有误，未保存。", {"photo": ["照片不超过 8 MB。"]})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError("照片有误，未保存。", {"photo": ["请上传 JPEG 或 PNG 照片。"]}) from exc
    if kind not in ("JPEG", "PNG"):
        raise DomainError("照片有误，未保存。", {"photo": ["请上传 JPEG 或 PNG 照片。"]})
    upload.seek(0)


def _photo_save(r: Request, upload: Any, stage: str) -> Photo:
    if r.photos.count() >= MAX_PHOTOS:
        raise DomainError(f"每件诉求最多 {MAX_PHOTOS} 张照片。")
    photo_check(upload)
    suffix = ".png" if str(upload.name).lower().endswith(".png") else ".jpg"
    photo = Photo(request=r, region_id=r.region_id, stage=stage)
    photo.image.save(f"{secrets.token_hex(8)}{suffix}", upload, save=False)
    photo.save()
    return photo


@transaction.atomic
def photo_add(*, actor: Actor, request: Request, upload: Any, stage: str = "handled") -> Photo:
    request_policy.check(actor, "handle", request)
    if stage not in ("filed", "handled"):
        raise DomainError("照片有误，未保存。", {"stage": ["请选择反映时或办理后的照片。"]})
    photo = _photo_save(request, upload, stage)
    record(
        actor=actor,
        region_code=request.region_id,
        event="requests.photo_added",
        summary=f"诉求 {request.number} 上传照片（{'办理后' if stage == 'handled' else '反映时'}）",
        obj=request,
        after={"照片": photo.image.name},
    )
    return photo


@transaction.atomic
def photo_add_public(*, request: Request, upload: Any) -> Photo:
    """The resident's photo sent with the filing (the public page), within minutes of it."""
    if _now() - request.submitted_at > timedelta(minutes=30):
        raise DomainError("照片须在提交诉求时一并上传。")
    photo = _photo_save(request, upload, "filed")
    record(
        actor=SYSTEM,
        region_code=request.region_id,
        event="requests.photo_added",
        summary=f"诉求 {request.number} 群众上传照片",
        obj=request,
        after={"照片": photo.image.name},
    )
    return photo
