"""The volunteer teams' API under /api/v1/volunteers: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO, cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.people.permissions import person_policy
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut
from cunshe.volunteers import downloads, printouts, selectors
from cunshe.volunteers.downloads import roster_import
from cunshe.volunteers.models import VolunteerActivity, VolunteerMember, VolunteerSummary, VolunteerTeam
from cunshe.volunteers.permissions import activity_policy, member_policy, team_policy
from cunshe.volunteers.services import (
    ActivityInput,
    activity_add,
    activity_points_award,
    activity_update,
    member_join,
    member_leave,
    team_create,
    team_update,
)

router = Router(tags=["换届志愿服务队"])


class VolunteerTeamIn(Schema):
    region: str
    name: str
    formed_by: str
    formed_on: date
    leader: str = ""
    phone: str = ""
    note: str = ""


class VolunteerTeamEditIn(Schema):
    name: str
    leader: str = ""
    phone: str = ""
    note: str = ""
    version: int


class VolunteerTeamOut(ModelOut):
    members: int = Field(description="在队人数")

    class Meta:
        model = VolunteerTeam
        fields = ("id", "region", "name", "formed_by", "formed_on", "leader", "phone", "note", "members", "version")

    @staticmethod
    def resolve_members(t: VolunteerTeam) -> int:
        return getattr(t, "n_members", None) or t.members.filter(left_on__isnull=True).count()


class VolunteerMemberOut(ModelOut):
    class Meta:
        model = VolunteerMember
        fields = ("id", "person_id", "name", "phone", "role", "joined_on", "left_on", "left_reason")


class VolunteerActivityOut(ModelOut):
    member_ids: list[int] = Field(description="参加的队员")
    station: str = Field(description="服务站点（未指定为空）")

    class Meta:
        model = VolunteerActivity
        fields = (
            "id", "team_id", "region", "held_on", "kind", "place", "description", "households", "member_ids",
            "station_id", "station", "version",
        )  # fmt: skip

    @staticmethod
    def resolve_member_ids(a: VolunteerActivity) -> list[int]:
        return sorted(p.member_id for p in a.participations.all())

    @staticmethod
    def resolve_station(a: VolunteerActivity) -> str:
        return selectors.station_label(a.station) if a.station else ""


class VolunteerTeamDetail(VolunteerTeamOut):
    members_list: list[VolunteerMemberOut]
    activities: list[VolunteerActivityOut]


class VolunteerMemberIn(Schema):
    person_id: int | None = None
    name: str = ""
    phone: str = ""
    role: str
    joined_on: date


class VolunteerLeaveIn(Schema):
    left_on: date
    reason: str = ""


class VolunteerActivityIn(Schema):
    held_on: date
    kind: str
    place: str
    description: str
    households: int = 0
    member_ids: list[int]
    station_id: int | None = None


class VolunteerActivityEditIn(VolunteerActivityIn):
    version: int


class VolunteerPointsOut(Schema):
    credited: int
    points: int
    skipped: int


class VolunteerRowOut(ModelOut):
    code: str
    name: str

    class Meta:
        model = VolunteerSummary
        fields = ("code", "name", "teams", "people", "activities", "turnouts", "households")


class VolunteerRollupOut(Schema):
    code: str
    name: str
    rows: list[VolunteerRowOut]
    total: VolunteerRowOut


def _detail(t: VolunteerTeam) -> WithFields:
    return WithFields(t, members_list=selectors.members_of(t), activities=selectors.activities_of(t))


def _team(request: HttpRequest, team_id: int) -> VolunteerTeam:
    return team_policy.get_or_404(request.user, pk=team_id)


def _activity(request: HttpRequest, activity_id: int) -> VolunteerActivity:
    return activity_policy.get_or_404(
        request.user, queryset=VolunteerActivity.objects.select_related("team", "station__election"), pk=activity_id
    )


def _input(payload: VolunteerActivityIn) -> ActivityInput:
    return ActivityInput(
        held_on=payload.held_on,
        kind=payload.kind,
        place=payload.place,
        description=payload.description,
        households=payload.households,
        member_ids=list(payload.member_ids),
        station_id=payload.station_id,
    )


@router.get("/teams", response=list[VolunteerTeamOut], url_name="api_volunteers_teams", summary="换届志愿服务队")
@paginate(Paged)
def teams(request: HttpRequest, region: str = "") -> Any:
    return selectors.teams_visible(request.user, region)


@router.post("/teams", response={201: VolunteerTeamDetail}, url_name="api_volunteers_team_new", summary="成立服务队")
def team_new(request: HttpRequest, payload: VolunteerTeamIn) -> Status:
    data = payload.dict()
    t = team_create(actor=acting_user(request), region_code=data.pop("region"), **data)
    return Status(201, _detail(t))


@router.get("/teams/{team_id}", response=VolunteerTeamDetail, url_name="api_volunteers_team", summary="服务队详情")
def team(request: HttpRequest, team_id: int) -> WithFields:
    return _detail(_team(request, team_id))


@pdf_route(
    router,
    "/teams/{team_id}/roster.pdf",
    url_name="api_volunteers_team_roster_pdf",
    summary="打印服务队花名册（PDF，on=某日在队人员，默认今天）",
    title="服务队花名册",
)
def team_roster_pdf(request: HttpRequest, team_id: int, on: date | None = None) -> HttpResponse:
    return printouts.roster_response(_team(request, team_id), on or timezone.localdate())


@router.put(
    "/teams/{team_id}", response=VolunteerTeamDetail, url_name="api_volunteers_team_edit", summary="修改服务队信息"
)
def team_edit(request: HttpRequest, team_id: int, payload: VolunteerTeamEditIn) -> WithFields:
    data = payload.dict()
    version = data.pop("version")
    t = team_update(actor=acting_user(request), team=_team(request, team_id), expected_version=version, **data)
    return _detail(t)


@router.post(
    "/teams/{team_id}/members",
    response={201: VolunteerMemberOut},
    url_name="api_volunteers_member_new",
    summary="志愿者入队（本村居民 person_id，或村外人员姓名、电话）",
)
def member_new(request: HttpRequest, team_id: int, payload: VolunteerMemberIn) -> Status:
    t = _team(request, team_id)
    person = person_policy.get_or_404(request.user, pk=payload.person_id) if payload.person_id else None
    m = member_join(
        actor=acting_user(request),
        team=t,
        person=person,
        name=payload.name,
        phone=payload.phone,
        role=payload.role,
        joined_on=payload.joined_on,
    )
    return Status(201, m)


@router.post(
    "/members/{member_id}/leave",
    response=VolunteerMemberOut,
    url_name="api_volunteers_member_leave",
    summary="志愿者退出",
)
def leave(request: HttpRequest, member_id: int, payload: VolunteerLeaveIn) -> VolunteerMember:
    m = member_policy.get_or_404(request.user, queryset=VolunteerMember.objects.select_related("team"), pk=member_id)
    return member_leave(actor=acting_user(request), member=m, left_on=payload.left_on, reason=payload.reason)


@router.post(
    "/teams/{team_id}/activities",
    response={201: VolunteerActivityOut},
    url_name="api_volunteers_activity_new",
    summary="登记活动",
)
def activity_new(request: HttpRequest, team_id: int, payload: VolunteerActivityIn) -> Status:
    a = activity_add(actor=acting_user(request), team=_team(request, team_id), data=_input(payload))
    return Status(201, a)


@router.get(
    "/activities/{activity_id}", response=VolunteerActivityOut, url_name="api_volunteers_activity", summary="活动"
)
def activity(request: HttpRequest, activity_id: int) -> VolunteerActivity:
    return _activity(request, activity_id)


@router.put(
    "/activities/{activity_id}",
    response=VolunteerActivityOut,
    url_name="api_volunteers_activity_edit",
    summary="修改活动",
)
def activity_edit(request: HttpRequest, activity_id: int, payload: VolunteerActivityEditIn) -> VolunteerActivity:
    a = activity_update(
        actor=acting_user(request),
        activity=_activity(request, activity_id),
        data=_input(payload),
        expected_version=payload.version,
    )
    return a


@router.post(
    "/activities/{activity_id}/points",
    response=VolunteerPointsOut,
    url_name="api_volunteers_activity_points",
    summary="参加活动计入积分（幂等）",
)
def activity_points(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    result = activity_points_award(actor=acting_user(request), activity=_activity(request, activity_id))
    return vars(result)


@router.get("/rollup/{code}", response=VolunteerRollupOut, url_name="api_volunteers_rollup", summary="换届志愿服务汇总")
def rollup(request: HttpRequest, code: str) -> dict[str, Any]:
    region = team_policy.rollup_region(request.user, code, fallback=False)
    rows, total = selectors.rollup(request.user, region)
    return {"code": region.code, "name": region.name, "rows": [vars(r) for r in rows], "total": vars(total)}


@router.get(
    "/rollup/{code}/rollup.xlsx",
    url_name="api_volunteers_rollup_xlsx",
    summary="导出换届志愿服务汇总（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def rollup_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.rollup_response(request.user, team_policy.rollup_region(request.user, code, fallback=False))


@router.get(
    "/rollup/{code}/roster.xlsx",
    url_name="api_volunteers_roster_xlsx",
    summary="导出志愿者花名册（Excel，导入格式）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def roster_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.roster_response(request.user, team_policy.rollup_region(request.user, code, fallback=False))


@router.post(
    "/rollup/{code}/import",
    response=ImportReportOut,
    url_name="api_volunteers_roster_import",
    summary="乡镇(街道)导入志愿者花名册（multipart：file）",
)
def roster_upload(request: HttpRequest, code: str, file: File[UploadedFile]) -> dict[str, Any]:
    region = team_policy.rollup_region(request.user, code, fallback=False)
    report = roster_import(actor=acting_user(request), town_code=region.code, stream=cast(BinaryIO, file))
    return report.answer()
