"""The service teams' API under /api/v1/serviceteams: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import Paged, RowsOfQuery
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.people.permissions import person_policy
from cunshe.serviceteams import selectors
from cunshe.serviceteams.models import Hours, Member, Need, Offer, Order, ServiceTeam
from cunshe.serviceteams.permissions import need_policy, order_or_404, team_policy
from cunshe.serviceteams.services import (
    member_add,
    need_add,
    offer_add,
    order_accept,
    order_cancel,
    order_complete,
    order_decline,
    order_dispatch,
    order_place,
    team_account_add,
    team_create,
)

router = Router(tags=["服务队"])


class ServiceTeamIn(Schema):
    region: str
    name: str
    kind: str
    leader: str = ""
    phone: str = ""


class ServiceTeamOut(ModelOut):
    members: int = Field(validation_alias="n_members", description="在队人数")
    minutes: int = Field(description="累计服务时长（分钟）")

    class Meta:
        model = ServiceTeam
        fields = ("id", "region", "name", "kind", "leader", "members", "minutes")


class ServiceMemberOut(ModelOut):
    minutes: int = Field(description="累计服务时长（分钟）")

    class Meta:
        model = Member
        fields = ("id", "person_id", ("name", "person__name"), "joined_on", "minutes")


class ServiceOfferOut(ModelOut):
    class Meta:
        model = Offer
        fields = ("id", "category", "weekdays", "starts_at", "ends_at", "note")


class ServiceTeamDetail(ServiceTeamOut):
    members_list: list[ServiceMemberOut]
    offers: list[ServiceOfferOut]


class ServiceMemberIn(Schema):
    person_id: int
    joined_on: date


class ServiceAccountIn(Schema):
    username: str


class ServiceOfferIn(Schema):
    category: str
    weekdays: int
    starts_at: time
    ends_at: time
    note: str = ""


class ServiceNeedIn(Schema):
    region: str
    resident: str
    phone: str = ""
    category: str
    wanted_on: date
    starts_at: time
    ends_at: time
    description: str


class ServiceMatchOut(Schema):
    team_id: int
    team_name: str
    offer_id: int
    overlap_minutes: int = Field(validation_alias="overlap", description="与需求时段重叠的分钟数")
    open_orders: int


class ServiceNeedOut(ModelOut):
    class Meta:
        model = Need
        fields = ("id", "region", "resident", "category", "wanted_on", "starts_at", "ends_at", "description", "status")


class ServiceNeedDetail(ServiceNeedOut):
    matches: list[ServiceMatchOut]


class ServiceOrderIn(Schema):
    region: str
    category: str
    resident: str
    description: str
    wanted_on: date
    need_id: int | None = None
    requested_team_id: int | None = None
    external_ref: str = ""


class ServiceHoursOut(ModelOut):
    class Meta:
        model = Hours
        fields = ("member_id", ("name", "member__person__name"), "minutes", "worked_on")


class ServiceOrderOut(ModelOut):
    hours: list[ServiceHoursOut]

    class Meta:
        model = Order
        fields = (
            "id", "number", "region", "origin", "status", "category", "resident", "description", "wanted_on",
            "team_id", "requested_team_id", "need_id", "external_ref", "note", "version", "hours",
        )  # fmt: skip


class ServiceDispatchIn(Schema):
    team_id: int
    version: int


class ServiceVersionIn(Schema):
    version: int


class ServiceReasonIn(Schema):
    reason: str
    version: int


class ServiceCompleteIn(Schema):
    completed_on: date
    minutes: dict[int, int]  # member id → minutes
    note: str = ""
    version: int


def team_detail(t: ServiceTeam) -> WithFields:
    members = selectors.members_of(t)
    return WithFields(
        t,
        n_members=len(members),
        minutes=sum(m.minutes for m in members),  # type: ignore[attr-defined]
        members_list=members,
        offers=selectors.offers_of(t),
    )


def order_out(o: Order, hours: bool = True) -> WithFields:
    """An order with the hours worked on it (a list's rows leave them out)."""
    return WithFields(o, hours=selectors.hours_of(o) if hours else [])


def _team(request: HttpRequest, team_id: int) -> ServiceTeam:
    return team_policy.get_or_404(request.user, pk=team_id)


@router.get("/teams", response=list[ServiceTeamOut], url_name="api_serviceteams_teams", summary="服务队")
@paginate(Paged)
def teams(request: HttpRequest) -> Any:
    return selectors.teams_visible(request.user)


@router.post("/teams", response={201: ServiceTeamDetail}, url_name="api_serviceteams_team_new", summary="成立服务队")
def team_new(request: HttpRequest, payload: ServiceTeamIn) -> Status:
    data = payload.dict()
    t = team_create(actor=acting_user(request), region_code=data.pop("region"), **data)
    return Status(201, team_detail(t))


@router.get("/teams/{team_id}", response=ServiceTeamDetail, url_name="api_serviceteams_team", summary="服务队详情")
def team(request: HttpRequest, team_id: int) -> WithFields:
    return team_detail(_team(request, team_id))


@router.post(
    "/teams/{team_id}/members",
    response={201: ServiceTeamDetail},
    url_name="api_serviceteams_member_new",
    summary="队员入队",
)
def member_new(request: HttpRequest, team_id: int, payload: ServiceMemberIn) -> Status:
    t = _team(request, team_id)
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    member_add(actor=acting_user(request), team=t, person=person, joined_on=payload.joined_on)
    return Status(201, team_detail(t))


@router.post(
    "/teams/{team_id}/accounts",
    response={201: ServiceTeamDetail},
    url_name="api_serviceteams_account_new",
    summary="授权账号为该队接单",
)
def account_new(request: HttpRequest, team_id: int, payload: ServiceAccountIn) -> Status:
    t = _team(request, team_id)
    team_account_add(actor=acting_user(request), team=t, username=payload.username)
    return Status(201, team_detail(t))


@router.post(
    "/teams/{team_id}/offers",
    response={201: ServiceTeamDetail},
    url_name="api_serviceteams_offer_new",
    summary="登记服务意愿（意愿清单）",
)
def offer_new(request: HttpRequest, team_id: int, payload: ServiceOfferIn) -> Status:
    t = _team(request, team_id)
    offer_add(actor=acting_user(request), team=t, **payload.dict())
    return Status(201, team_detail(t))


@router.get("/needs", response=list[ServiceNeedOut], url_name="api_serviceteams_needs", summary="需求清单")
@paginate(Paged)
def needs(request: HttpRequest) -> Any:
    return selectors.needs_visible(request.user)


@router.post("/needs", response={201: ServiceNeedOut}, url_name="api_serviceteams_need_new", summary="登记居民需求")
def need_new(request: HttpRequest, payload: ServiceNeedIn) -> Status:
    data = payload.dict()
    n = need_add(actor=acting_user(request), region_code=data.pop("region"), **data)
    return Status(201, n)


@router.get(
    "/needs/{need_id}", response=ServiceNeedDetail, url_name="api_serviceteams_need", summary="需求及匹配的服务队"
)
def need(request: HttpRequest, need_id: int) -> WithFields:
    n = need_policy.get_or_404(request.user, pk=need_id)
    return WithFields(n, matches=selectors.matches_for(n))


@router.get(
    "/orders",
    response=list[ServiceOrderOut],
    url_name="api_serviceteams_orders",
    summary="服务订单（服务队账号只见本队订单）",
)
@paginate(Paged)
def orders(request: HttpRequest) -> Any:
    return RowsOfQuery(selectors.orders_of(request.user), lambda o: order_out(o, hours=False))


@router.post(
    "/orders", response={201: ServiceOrderOut}, url_name="api_serviceteams_order_new", summary="居民点单 / 按需求下单"
)
def order_new(request: HttpRequest, payload: ServiceOrderIn) -> Status:
    need_obj = need_policy.get_or_404(request.user, pk=payload.need_id) if payload.need_id else None
    team_obj = team_policy.get_or_404(request.user, pk=payload.requested_team_id) if payload.requested_team_id else None
    o = order_place(
        actor=acting_user(request),
        region_code=payload.region,
        category=payload.category,
        resident=payload.resident,
        description=payload.description,
        wanted_on=payload.wanted_on,
        need=need_obj,
        requested_team=team_obj,
        external_ref=payload.external_ref,
    )
    return Status(201, order_out(o))


@router.get("/orders/{order_id}", response=ServiceOrderOut, url_name="api_serviceteams_order", summary="订单详情")
def order(request: HttpRequest, order_id: int) -> WithFields:
    return order_out(order_or_404(request.user, order_id))


@router.post(
    "/orders/{order_id}/dispatch", response=ServiceOrderOut, url_name="api_serviceteams_dispatch", summary="社区派单"
)
def dispatch(request: HttpRequest, order_id: int, payload: ServiceDispatchIn) -> WithFields:
    o = order_or_404(request.user, order_id)
    t = team_policy.get_or_404(request.user, pk=payload.team_id)
    return order_out(order_dispatch(actor=acting_user(request), order=o, team=t, expected_version=payload.version))


@router.post(
    "/orders/{order_id}/accept", response=ServiceOrderOut, url_name="api_serviceteams_accept", summary="团队接单"
)
def accept(request: HttpRequest, order_id: int, payload: ServiceVersionIn) -> WithFields:
    o = order_or_404(request.user, order_id)
    return order_out(order_accept(actor=acting_user(request), order=o, expected_version=payload.version))


@router.post(
    "/orders/{order_id}/decline",
    response=ServiceOrderOut,
    url_name="api_serviceteams_decline",
    summary="团队拒单（退回重新派单）",
)
def decline(request: HttpRequest, order_id: int, payload: ServiceReasonIn) -> WithFields:
    o = order_or_404(request.user, order_id)
    return order_out(
        order_decline(actor=acting_user(request), order=o, reason=payload.reason, expected_version=payload.version)
    )


@router.post(
    "/orders/{order_id}/complete",
    response=ServiceOrderOut,
    url_name="api_serviceteams_complete",
    summary="完成并登记队员服务时长",
)
def complete(request: HttpRequest, order_id: int, payload: ServiceCompleteIn) -> WithFields:
    o = order_or_404(request.user, order_id)
    done = order_complete(
        actor=acting_user(request),
        order=o,
        completed_on=payload.completed_on,
        minutes=payload.minutes,
        note=payload.note,
        expected_version=payload.version,
    )
    return order_out(done)


@router.post(
    "/orders/{order_id}/cancel", response=ServiceOrderOut, url_name="api_serviceteams_cancel", summary="取消订单"
)
def cancel(request: HttpRequest, order_id: int, payload: ServiceReasonIn) -> WithFields:
    o = order_or_404(request.user, order_id)
    return order_out(
        order_cancel(actor=acting_user(request), order=o, reason=payload.reason, expected_version=payload.version)
    )
