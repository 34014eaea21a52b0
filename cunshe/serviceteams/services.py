"""Every write of the service teams: teams and their accounts and members, the willingness list (offers), the needs
list, and orders through their transition table (居民点单 → 社区派单 → 团队接单 → 完成 with each member's minutes).
Each service checks the access rule, validates everything first, saves in one transaction and records."""

from __future__ import annotations

import secrets
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import Actor, user_of
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text, text_field
from cunshe.core.transitions import move
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.serviceteams import hooks
from cunshe.serviceteams.models import (
    Category,
    Hours,
    Member,
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderStatus,
    Origin,
    ServiceTeam,
    TeamAccount,
    TeamKind,
    weekdays_text,
)
from cunshe.serviceteams.permissions import check_team_answer, need_policy, order_policy, team_policy

# An order moves only along these edges; a declined order goes back to the community to dispatch again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.PLACED: (OrderStatus.DISPATCHED, OrderStatus.CANCELLED),
    OrderStatus.DISPATCHED: (OrderStatus.ACCEPTED, OrderStatus.PLACED, OrderStatus.CANCELLED),
    OrderStatus.ACCEPTED: (OrderStatus.COMPLETED, OrderStatus.CANCELLED),
    OrderStatus.COMPLETED: (),
    OrderStatus.CANCELLED: (),
}


def _village(code: str) -> Region:
    region = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if region is None:
        raise DomainError("请选择村(社区)。", {"region": ["须为村(社区)。"]})
    return region


def _window(errors: dict[str, list[str]], starts_at: time, ends_at: time) -> None:
    if starts_at >= ends_at:
        errors["ends_at"] = ["结束时间须晚于开始时间。"]


@transaction.atomic
def team_create(
    *, actor: Actor, region_code: str, name: str, kind: str, leader: str = "", phone: str = ""
) -> ServiceTeam:
    village = _village(region_code)
    team_policy.check_in_region(actor, "change", village.code)
    errors: dict[str, list[str]] = {}
    name = text_field(errors, "name", name, "队名", 60, required=True)
    leader = text_field(errors, "leader", leader, "负责人", 30, required=False)
    phone = text_field(errors, "phone", phone, "联系电话", 20, required=False)
    if kind not in TeamKind.values:
        errors["kind"] = ["请选择服务队类型。"]
    if name and ServiceTeam.objects.filter(region=village, name=name).exists():
        errors["name"] = ["本村(社区)已有同名服务队。"]
    if errors:
        raise DomainError("服务队信息有误，未保存。", errors)
    team = ServiceTeam.objects.create(region=village, name=name, kind=kind, leader=leader, phone=phone)
    record(
        actor=actor,
        region_code=village.code,
        event="serviceteams.team_created",
        summary=f"{village.name}成立{team.get_kind_display()}：{name}",
        obj=team,
        after={"队名": name, "类型": team.get_kind_display(), "负责人": leader},
    )
    return team


def existing_account(username: str) -> User:
    """The active account a team or a merchant is given (accounts are made by the account managers)."""
    user = User.objects.filter(username=clean_text(username), is_active=True).first()
    if user is None:
        raise DomainError("未找到该账号。", {"username": ["请填写已有的账号名。"]})
    return user


@transaction.atomic
def team_account_add(*, actor: Actor, team: ServiceTeam, username: str) -> TeamAccount:
    """Let an existing account answer the team's orders (the team leader's phone)."""
    team_policy.check(actor, "change", team)
    user = existing_account(username)
    account, created = TeamAccount.objects.get_or_create(user=user, team=team)
    if created:
        record(
            actor=actor,
            region_code=team.region_id,
            event="serviceteams.account_added",
            summary=f"{team.name}：账号 {user.username} 可接单",
            obj=team,
            after={"账号": user.username},
        )
    return account


@transaction.atomic
def member_add(*, actor: Actor, team: ServiceTeam, person: Person, joined_on: date) -> Member:
    team_policy.check(actor, "change", team)
    if Member.objects.filter(team=team, person=person, left_on__isnull=True).exists():
        raise DomainError("此人已在队中。", {"person": ["此人已在队中。"]})
    member = Member.objects.create(team=team, person=person, joined_on=joined_on)
    record(
        actor=actor,
        region_code=team.region_id,
        event="serviceteams.member_added",
        summary=f"{team.name}：{person.name}入队",
        obj=team,
        after={"队员": person.name, "加入日期": joined_on},
    )
    return member


@transaction.atomic
def offer_add(
    *,
    actor: Actor,
    team: ServiceTeam,
    category: str,
    weekdays: int,
    starts_at: time,
    ends_at: time,
    note: str = "",
) -> Offer:
    team_policy.check(actor, "change", team)
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = ["请选择服务类别。"]
    if not 0 < weekdays < 128:
        errors["weekdays"] = ["请至少选择一个服务日。"]
    _window(errors, starts_at, ends_at)
    note = text_field(errors, "note", note, "说明", 200, required=False)
    if errors:
        raise DomainError("服务意愿有误，未保存。", errors)
    offer = Offer.objects.create(
        team=team, category=category, weekdays=weekdays, starts_at=starts_at, ends_at=ends_at, note=note
    )
    record(
        actor=actor,
        region_code=team.region_id,
        event="serviceteams.offer_added",
        summary=f"{team.name}认领：{offer.get_category_display()}（{weekdays_text(weekdays)} "
        f"{starts_at:%H:%M}-{ends_at:%H:%M}）",
        obj=offer,
        after={"服务类别": offer.get_category_display(), "服务日": weekdays_text(weekdays)},
    )
    return offer


@transaction.atomic
def need_add(
    *,
    actor: Actor,
    region_code: str,
    resident: str,
    category: str,
    wanted_on: date,
    starts_at: time,
    ends_at: time,
    description: str,
    phone: str = "",
) -> Need:
    village = _village(region_code)
    need_policy.check_in_region(actor, "change", village.code)
    errors: dict[str, list[str]] = {}
    resident = text_field(errors, "resident", resident, "居民姓名", 30, required=True)
    phone = text_field(errors, "phone", phone, "联系电话", 20, required=False)
    description = text_field(errors, "description", description, "需求内容", 300, required=True)
    if category not in Category.values:
        errors["category"] = ["请选择服务类别。"]
    _window(errors, starts_at, ends_at)
    if errors:
        raise DomainError("需求信息有误，未保存。", errors)
    need = Need.objects.create(
        region=village,
        resident=resident,
        phone=phone,
        category=category,
        wanted_on=wanted_on,
        starts_at=starts_at,
        ends_at=ends_at,
        description=description,
    )
    record(
        actor=actor,
        region_code=village.code,
        event="serviceteams.need_added",
        summary=f"{village.name}需求清单：{resident}，{need.get_category_display()}，{wanted_on:%Y-%m-%d}",
        obj=need,
        after={"居民": resident, "服务类别": need.get_category_display(), "需求内容": description},
    )
    return need


@transaction.atomic
def order_place(
    *,
    actor: Actor,
    region_code: str,
    category: str,
    resident: str,
    description: str,
    wanted_on: date,
    need: Need | None = None,
    requested_team: ServiceTeam | None = None,
    external_ref: str = "",
) -> Order:
    """居民点单 (with the team the resident picked from the menu) or an order for a need of the needs list, or one
    another module hands over (`external_ref`, e.g. "requests:123" from the resident requests)."""
    village = _village(region_code)
    order_policy.check_in_region(actor, "change", village.code)
    errors: dict[str, list[str]] = {}
    resident = text_field(errors, "resident", resident, "居民姓名", 30, required=True)
    description = text_field(errors, "description", description, "服务内容", 300, required=True)
    external_ref = text_field(errors, "external_ref", external_ref, "外部来源编号", 60, required=False)
    if category not in Category.values:
        errors["category"] = ["请选择服务类别。"]
    if need is not None and (need.region_id != village.code or need.status != NeedStatus.OPEN):
        errors["need"] = ["该需求不在本村(社区)或已下单。"]
    if requested_team is not None and requested_team.region_id != village.code:
        errors["requested_team"] = ["只能点选本村(社区)的服务队。"]
    if errors:
        raise DomainError("订单信息有误，未保存。", errors)
    order = Order.objects.create(
        region=village,
        number=f"FW{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}",
        origin=Origin.RESIDENT if need is None else Origin.COMMUNITY,
        need=need,
        external_ref=external_ref,
        category=category,
        resident=resident,
        description=description,
        wanted_on=wanted_on,
        requested_team=requested_team,
    )
    if need is not None:
        Need.objects.filter(pk=need.pk).update(status=NeedStatus.ORDERED)
    record(
        actor=actor,
        region_code=village.code,
        event="serviceteams.order_placed",
        summary=f"{order.get_origin_display()} {order.number}：{resident}，{order.get_category_display()}",
        obj=order,
        after={"单号": order.number, "服务内容": description, "外部来源编号": external_ref},
    )
    return order


def _move(actor: Actor, order: Order, to: str, expected_version: int, event: str, summary: str, **after: Any) -> Order:
    before = move(order, to, table=TRANSITIONS, labels=OrderStatus, what="订单", expected_version=expected_version)
    order.save(update_fields=["status", "team", "note", "completed_on"])
    record(
        actor=actor,
        region_code=order.region_id,
        event=f"serviceteams.{event}",
        summary=f"订单 {order.number}{summary}",
        obj=order,
        before={"状态": before},
        after={"状态": order.get_status_display(), **after},
    )
    return order


@transaction.atomic
def order_dispatch(*, actor: Actor, order: Order, team: ServiceTeam, expected_version: int) -> Order:
    """社区派单: the community hands the order to one of its teams."""
    order_policy.check(actor, "change", order)
    if team.region_id != order.region_id:
        raise DomainError("只能派给本村(社区)的服务队。", {"team": ["只能派给本村(社区)的服务队。"]})
    order.team = team
    return _move(
        actor,
        order,
        OrderStatus.DISPATCHED,
        expected_version,
        "order_dispatched",
        f"派给{team.name}",
        承接服务队=team.name,
    )


@transaction.atomic
def order_accept(*, actor: Actor, order: Order, expected_version: int) -> Order:
    """团队接单."""
    check_team_answer(actor, order)
    assert order.team is not None or order.status != OrderStatus.DISPATCHED
    return _move(actor, order, OrderStatus.ACCEPTED, expected_version, "order_accepted", "已接单")


@transaction.atomic
def order_decline(*, actor: Actor, order: Order, reason: str, expected_version: int) -> Order:
    """The team cannot take it: back to the community to dispatch again, with the reason."""
    check_team_answer(actor, order)
    reason = clean_text(reason)
    if not reason or len(reason) > 300:
        raise DomainError("请说明拒单原因。", {"reason": ["请填写拒单原因（不超过 300 字）。"]})
    team_name = order.team.name if order.team else ""
    order.team = None
    order.note = reason
    moved = _move(
        actor,
        order,
        OrderStatus.PLACED,
        expected_version,
        "order_declined",
        f"被{team_name}拒单：{reason}",
        拒单原因=reason,
    )
    hooks.order_changed(moved, team_name)
    return moved


@transaction.atomic
def order_complete(
    *,
    actor: Actor,
    order: Order,
    completed_on: date,
    minutes: dict[int, int],
    note: str = "",
    expected_version: int,
) -> Order:
    """The team reports the work done and each member's minutes (member id → minutes)."""
    check_team_answer(actor, order)
    errors: dict[str, list[str]] = {}
    members = {m.pk: m for m in Member.objects.filter(team_id=order.team_id, pk__in=list(minutes))}
    if not minutes:
        errors["minutes"] = ["请登记至少一名队员的服务时长。"]
    for member_id, value in minutes.items():
        if member_id not in members:
            errors["minutes"] = ["只能登记本队队员的服务时长。"]
        elif not 0 < value <= 24 * 60:
            errors["minutes"] = ["每人服务时长须在 1 至 1440 分钟之间。"]
        elif members[member_id].joined_on > completed_on or (
            members[member_id].left_on and members[member_id].left_on < completed_on  # type: ignore[operator]
        ):
            errors["minutes"] = [f"{members[member_id].person.name}在服务日期不在队中。"]
    if completed_on > timezone.localdate():
        errors["completed_on"] = ["完成日期不能晚于今天。"]
    note = text_field(errors, "note", note, "办理说明", 300, required=False)
    if errors:
        raise DomainError("完成登记有误，未保存。", errors)
    order.completed_on = completed_on
    order.note = note
    _move(
        actor,
        order,
        OrderStatus.COMPLETED,
        expected_version,
        "order_completed",
        f"完成，{len(minutes)} 人共 {sum(minutes.values())} 分钟",
        服务分钟=sum(minutes.values()),
    )
    Hours.objects.bulk_create(
        Hours(
            order=order,
            member_id=mid,
            region_id=order.region_id,
            worked_on=completed_on,
            minutes=value,
            recorded_by=user_of(actor),
        )
        for mid, value in sorted(minutes.items())
    )
    if order.need_id:
        Need.objects.filter(pk=order.need_id).update(status=NeedStatus.CLOSED)
    hooks.order_changed(order, order.team.name if order.team else "")
    return order


@transaction.atomic
def order_cancel(*, actor: Actor, order: Order, reason: str, expected_version: int, withdrawn: bool = False) -> Order:
    """`withdrawn`: the module that placed the order takes it back (its own record moved on), so its hook must not
    treat the cancellation as the team handing the work back."""
    order_policy.check(actor, "change", order)
    reason = clean_text(reason)
    if not reason or len(reason) > 300:
        raise DomainError("请说明取消原因。", {"reason": ["请填写取消原因（不超过 300 字）。"]})
    order.note = reason
    moved = _move(
        actor, order, OrderStatus.CANCELLED, expected_version, "order_cancelled", f"取消：{reason}", 取消原因=reason
    )
    if order.need_id:
        Need.objects.filter(pk=order.need_id).update(status=NeedStatus.OPEN)
    hooks.order_changed(moved, order.team.name if order.team else "", withdrawn=withdrawn)
    return moved
