from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import pdf_route
from cunshe.core.printing import pdf_response
from cunshe.core.schema import ModelOut, Schema
from cunshe.elections.models import Election
from cunshe.elections.permissions import election_for
from cunshe.people.permissions import person_policy
from cunshe.polling import printouts
from cunshe.polling.models import MobileVoter, Proxy, StaffMember, Station
from cunshe.polling.permissions import station_policy
from cunshe.polling.selectors import overview, voters_of
from cunshe.polling.services import (
    list_publish,
    mobile_voter_add,
    polling_open,
    proxy_add,
    scrutineer_problems,
    staff_add,
    staff_remove,
    station_add,
)
from cunshe.voters.models import Voter

router = Router(tags=["投票"])


class PollingStaffOut(ModelOut):
    role_label: str = Field(validation_alias="get_role_display", description="职责名称")

    class Meta:
        model = StaffMember
        fields = ("id", "person_id", ("name", "person__name"), "role", "role_label")


class PollingMobileVoterOut(ModelOut):
    class Meta:
        model = MobileVoter
        fields = ("id", "voter_id", ("name", "voter__person__name"), ("group", "voter__group"), "reason")


class PollingStationOut(ModelOut):
    kind_label: str = Field(validation_alias="get_kind_display", description="投票站类别名称")
    staff: list[PollingStaffOut]
    mobile_voters: list[PollingMobileVoterOut]
    problems: list[str] = Field(description="监票人员配备的问题（为空则符合规定）")

    class Meta:
        model = Station
        fields = (
            "id", "kind", "kind_label", "name", "place", "booths", "position", "staff", "mobile_voters", "problems",
        )  # fmt: skip

    @staticmethod
    def resolve_problems(s: Station) -> list[str]:
        return scrutineer_problems(s)


class PollingProxyOut(ModelOut):
    class Meta:
        model = Proxy
        fields = (
            "id", ("principal_voter_id", "principal"), ("principal", "principal__person__name"),
            ("trustee_voter_id", "trustee"), ("trustee", "trustee__person__name"), "written_on", "approved_on",
        )  # fmt: skip


class PollingOut(Schema):
    election_id: int
    status: str
    election_day: date
    stations: list[PollingStationOut]
    proxies: list[PollingProxyOut]
    mobile_list_published_on: date | None
    proxy_list_published_on: date | None


class PollingStationIn(Schema):
    kind: str
    name: str
    place: str = ""
    booths: int = 1


class PollingStaffIn(Schema):
    person_id: int
    role: str


class PollingMobileVoterIn(Schema):
    voter_id: int
    reason: str


class PollingProxyIn(Schema):
    principal_voter_id: int
    trustee_voter_id: int
    written_on: date
    approved_on: date


class PollingPublishIn(Schema):
    what: str
    on: date


class PollingOpenIn(Schema):
    on: date | None = None
    version: int | None = None


def _out(election: Election) -> dict[str, Any]:
    o = overview(election)
    return {
        "election_id": election.pk,
        "status": election.status,
        "election_day": election.election_day,
        "stations": o.stations,
        "proxies": o.proxies,
        "mobile_list_published_on": o.published["mobile"].published_on if "mobile" in o.published else None,
        "proxy_list_published_on": o.published["proxy"].published_on if "proxy" in o.published else None,
    }


def _station(request: HttpRequest, station_id: int) -> Station:
    return station_policy.get_or_404(request.user, queryset=Station.objects.select_related("election"), pk=station_id)


def _voter(election: Election, voter_id: int) -> Voter:
    return get_object_or_404(voters_of(election), pk=voter_id)


@router.get("/elections/{election_id}", response=PollingOut, url_name="api_polling_detail", summary="选举的投票安排")
def polling_detail(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return _out(election_for(request.user, election_id))


@router.post(
    "/elections/{election_id}/stations",
    response={201: PollingStationOut},
    url_name="api_polling_station_add",
    summary="设投票站(中心会场、投票站、流动票箱)",
)
def station_create(request: HttpRequest, election_id: int, payload: PollingStationIn) -> Status:
    election = election_for(request.user, election_id)
    station = station_add(actor=acting_user(request), election=election, **payload.dict())
    return Status(201, _station(request, station.pk))


@router.post(
    "/stations/{station_id}/staff",
    response={201: PollingStationOut},
    url_name="api_polling_staff_add",
    summary="安排投票工作人员（发票、唱票、计票、监票）",
)
def staff_create(request: HttpRequest, station_id: int, payload: PollingStaffIn) -> Status:
    station = _station(request, station_id)
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    staff_add(actor=acting_user(request), station=station, person=person, role=payload.role)
    return Status(201, _station(request, station_id))


@router.delete(
    "/staff/{staff_id}", response=PollingStationOut, url_name="api_polling_staff_remove", summary="撤下投票工作人员"
)
def staff_delete(request: HttpRequest, staff_id: int) -> Station:
    member = get_object_or_404(StaffMember.objects.select_related("station__election", "person"), pk=staff_id)
    station = _station(request, member.station_id)  # invisible stations do not exist for the caller
    staff_remove(actor=acting_user(request), member=member)
    return _station(request, station.pk)


@router.post(
    "/stations/{station_id}/mobile-voters",
    response={201: PollingStationOut},
    url_name="api_polling_mobile_add",
    summary="登记流动票箱服务的选民",
)
def mobile_create(request: HttpRequest, station_id: int, payload: PollingMobileVoterIn) -> Status:
    station = _station(request, station_id)
    voter = _voter(station.election, payload.voter_id)
    mobile_voter_add(actor=acting_user(request), station=station, voter=voter, reason=payload.reason)
    return Status(201, _station(request, station_id))


@router.post(
    "/elections/{election_id}/proxies",
    response={201: PollingOut},
    url_name="api_polling_proxy_add",
    summary="登记委托投票",
)
def proxy_create(request: HttpRequest, election_id: int, payload: PollingProxyIn) -> Status:
    election = election_for(request.user, election_id)
    proxy_add(
        actor=acting_user(request),
        election=election,
        principal=_voter(election, payload.principal_voter_id),
        trustee=_voter(election, payload.trustee_voter_id),
        written_on=payload.written_on,
        approved_on=payload.approved_on,
    )
    return Status(201, _out(election))


@router.post(
    "/elections/{election_id}/publish",
    response=PollingOut,
    url_name="api_polling_publish",
    summary="公布流动票箱服务选民名单或委托投票名单",
)
def publish(request: HttpRequest, election_id: int, payload: PollingPublishIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    list_publish(actor=acting_user(request), election=election, what=payload.what, on=payload.on)
    return _out(election)


@router.post(
    "/elections/{election_id}/open", response=PollingOut, url_name="api_polling_open", summary="选举日开始投票"
)
def open_poll(request: HttpRequest, election_id: int, payload: PollingOpenIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    polling_open(
        actor=acting_user(request),
        election=election,
        on=payload.on or timezone.localdate(),
        expected_version=payload.version,
    )
    return _out(election_for(request.user, election_id))


@pdf_route(
    router, "/elections/{election_id}/ballots.pdf", url_name="api_polling_ballots", summary="选票（PDF）", title="选票"
)
def ballots(request: HttpRequest, election_id: int, copies: int = 4) -> HttpResponse:
    election = election_for(request.user, election_id)
    return pdf_response(printouts.ballots_pdf(election, copies=copies), "选票.pdf")


@pdf_route(
    router,
    "/elections/{election_id}/voter-cards.pdf",
    url_name="api_polling_cards",
    summary="选民证（PDF）",
    title="选民证",
)
def voter_cards(request: HttpRequest, election_id: int) -> HttpResponse:
    return pdf_response(printouts.voter_cards_pdf(election_for(request.user, election_id)), "选民证.pdf")


@pdf_route(
    router,
    "/stations/{station_id}/count-sheet.pdf",
    url_name="api_polling_count_sheet",
    summary="计票单（PDF）",
    title="计票单",
)
def count_sheet(request: HttpRequest, station_id: int) -> HttpResponse:
    return pdf_response(printouts.count_sheet_pdf(_station(request, station_id)), "计票单.pdf")


@pdf_route(
    router,
    "/elections/{election_id}/mobile-list.pdf",
    url_name="api_polling_mobile_list",
    summary="流动票箱服务选民名单（PDF）",
    title="流动票箱服务选民名单",
)
def mobile_list(request: HttpRequest, election_id: int) -> HttpResponse:
    return pdf_response(printouts.mobile_list_pdf(election_for(request.user, election_id)), "流动票箱服务选民名单.pdf")


@pdf_route(
    router,
    "/elections/{election_id}/proxy-list.pdf",
    url_name="api_polling_proxy_list",
    summary="委托投票名单（PDF）",
    title="委托投票名单",
)
def proxy_list(request: HttpRequest, election_id: int) -> HttpResponse:
    return pdf_response(printouts.proxy_list_pdf(election_for(request.user, election_id)), "委托投票名单.pdf")
