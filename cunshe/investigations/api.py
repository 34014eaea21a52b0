"""The investigation teams' and 六清 API under /api/v1/investigations: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged, first_page
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.investigations import selectors
from cunshe.investigations.exports import table_response
from cunshe.investigations.models import ClearingItem, Coverage, InvestigationTeam, TeamMember, WorkLog
from cunshe.investigations.permissions import item_policy, tally_policy, team_policy
from cunshe.investigations.printouts import checklist_response
from cunshe.investigations.services import (
    coverage_add,
    coverage_end,
    item_clear,
    item_find,
    item_start,
    log_add,
    member_add,
    team_create,
)
from cunshe.issueboard.models import Issue
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["调研组与六清"])


class InvestigationTeamIn(Schema):
    town: str
    name: str
    formed_on: date | None = None


class InvestigationTeamOut(ModelOut):
    members: int = Field(validation_alias="n_members", description="成员数")
    villages: int = Field(validation_alias="n_villages", description="正在包的村(社区)数")

    class Meta:
        model = InvestigationTeam
        fields = ("id", ("town", "region"), "name", "formed_on", "members", "villages")


class InvestigationMemberIn(Schema):
    name: str
    role: str
    joined_on: date | None = None
    post: str = ""
    phone: str = ""


class InvestigationMemberOut(ModelOut):
    class Meta:
        model = TeamMember
        fields = ("id", "name", "role", "post", "phone", "joined_on")


class InvestigationCoverageIn(Schema):
    village: str
    from_on: date | None = None


class InvestigationCoverageEndIn(Schema):
    to_on: date | None = None


class InvestigationCoverageOut(ModelOut):
    class Meta:
        model = Coverage
        fields = ("id", ("village", "region"), "from_on", "to_on")


class InvestigationLogIn(Schema):
    village: str
    worked_on: date | None = None
    talks: int = 0
    households: int = 0
    note: str = ""


class InvestigationLogOut(ModelOut):
    class Meta:
        model = WorkLog
        fields = ("id", ("village", "region"), "worked_on", "talks", "households", "note")


class InvestigationTeamDetail(InvestigationTeamOut):
    members_list: list[InvestigationMemberOut]
    coverages: list[InvestigationCoverageOut]
    logs: list[InvestigationLogOut] = Field(description="谈话走访登记的第一页（新的在前）；全部见 GET …/logs（分页）")
    logs_count: int = Field(description="谈话走访登记的总数")


class ClearingIssueOut(ModelOut):
    class Meta:
        model = Issue
        fields = ("id", "title", "owner", "due_on", "status")


class ClearingItemOut(ModelOut):
    issues: list[ClearingIssueOut] = Field(description="清理中发现的问题（问题清单）")

    class Meta:
        model = ClearingItem
        fields = (
            "id", ("village", "region"), "code", "name", "position", "status", "started_on", "cleared_on", "evidence",
            "cleared_by", "version", "issues",
        )  # fmt: skip

    @staticmethod
    def resolve_issues(i: ClearingItem) -> list[Issue]:
        return [link.issue for link in i.links.all()]


class ClearingChecklistOut(Schema):
    village: str
    name: str
    is_difficult: bool
    board_open: int
    talks: int
    households: int
    items: list[ClearingItemOut]


class ClearingRowOut(Schema):
    code: str
    name: str
    villages: int
    all_cleared: int
    items: int
    cleared: int
    open_items: int
    talks: int
    households: int
    difficult: int
    difficult_clear: int


class ClearingStartIn(Schema):
    started_on: date | None = None
    version: int


class ClearingFindIn(Schema):
    title: str
    owner: str
    due_on: date | None = None
    detail: str = ""
    found_on: date | None = None


class ClearingClearIn(Schema):
    cleared_on: date | None = None
    evidence: str
    cleared_by: str
    version: int


def _team_detail(t: InvestigationTeam) -> WithFields:
    coverages = selectors.coverages_of(t)
    members = list(t.members.order_by("role", "pk"))
    logs, logs_count = first_page(selectors.logs_of(t))  # it stopped at 200 without saying so
    return WithFields(
        t,
        n_members=len(members),
        n_villages=sum(1 for c in coverages if c.to_on is None),
        members_list=members,
        coverages=coverages,
        logs=logs,
        logs_count=logs_count,
    )


def _team(request: HttpRequest, team_id: int) -> InvestigationTeam:
    return team_policy.get_or_404(
        request.user, queryset=InvestigationTeam.objects.select_related("term_change"), pk=team_id
    )


def _item(request: HttpRequest, item_id: int) -> ClearingItem:
    return item_policy.get_or_404(request.user, pk=item_id)


def _fresh_item(request: HttpRequest, item_id: int) -> ClearingItem:
    return item_policy.get_or_404(
        request.user, queryset=ClearingItem.objects.prefetch_related("links__issue"), pk=item_id
    )


@router.get(
    "/table", response=list[ClearingRowOut], url_name="api_investigations_table", summary="六清进度（下级汇总）"
)
def table(request: HttpRequest, under: str = "") -> list[dict[str, Any]]:
    code = tally_policy.rollup_region(request.user, under, fallback=False).code
    t = selectors.table(request.user, code)
    return [{**r.__dict__, "open_items": r.open_items} for r in [*t.rows, t.total]]


@router.get(
    "/table.xlsx",
    url_name="api_investigations_export",
    summary="下载六清进度表（Excel）",
    openapi_extra=file_answer(XLSX, "六清进度表"),
)
def table_download(request: HttpRequest, under: str = "") -> HttpResponse:
    return table_response(request.user, tally_policy.rollup_region(request.user, under, fallback=False))


@router.get("/teams", response=list[InvestigationTeamOut], url_name="api_investigations_teams", summary="调研组")
@paginate(Paged)
def teams(request: HttpRequest) -> Any:
    return selectors.teams_visible(request.user)


@router.post(
    "/teams", response={201: InvestigationTeamDetail}, url_name="api_investigations_team_new", summary="组建调研组"
)
def team_new(request: HttpRequest, payload: InvestigationTeamIn) -> Status:
    t = team_create(actor=acting_user(request), town_code=payload.town, name=payload.name, formed_on=payload.formed_on)
    return Status(201, _team_detail(t))


@router.get(
    "/teams/{team_id}", response=InvestigationTeamDetail, url_name="api_investigations_team", summary="调研组详情"
)
def team(request: HttpRequest, team_id: int) -> WithFields:
    return _team_detail(_team(request, team_id))


@router.post(
    "/teams/{team_id}/members",
    response={201: InvestigationTeamDetail},
    url_name="api_investigations_member_new",
    summary="成员入组",
)
def member_new(request: HttpRequest, team_id: int, payload: InvestigationMemberIn) -> Status:
    t = _team(request, team_id)
    member_add(actor=acting_user(request), team=t, **payload.dict())
    return Status(201, _team_detail(t))


@router.post(
    "/teams/{team_id}/villages",
    response={201: InvestigationCoverageOut},
    url_name="api_investigations_coverage_new",
    summary="包村（建立六清清单）",
)
def coverage_new(request: HttpRequest, team_id: int, payload: InvestigationCoverageIn) -> Status:
    t = _team(request, team_id)
    c = coverage_add(actor=acting_user(request), team=t, village_code=payload.village, from_on=payload.from_on)
    return Status(201, c)


@router.post(
    "/coverages/{coverage_id}/end",
    response=InvestigationCoverageOut,
    url_name="api_investigations_coverage_end",
    summary="结束包村",
)
def coverage_close(request: HttpRequest, coverage_id: int, payload: InvestigationCoverageEndIn) -> Coverage:
    coverage = (
        Coverage.objects.filter(pk=coverage_id, team_id__in=team_policy.visible_to(request.user).values("pk"))
        .select_related("team")
        .first()
    )
    if coverage is None:
        raise Http404("未找到该记录。")
    return coverage_end(actor=acting_user(request), coverage=coverage, to_on=payload.to_on)


@router.get(
    "/teams/{team_id}/logs",
    response=list[InvestigationLogOut],
    url_name="api_investigations_logs",
    summary="调研组的谈话走访登记（分页，新的在前）",
)
@paginate(Paged)
def logs(request: HttpRequest, team_id: int) -> QuerySet[WorkLog]:
    return selectors.logs_of(_team(request, team_id))


@router.post(
    "/teams/{team_id}/logs",
    response={201: InvestigationLogOut},
    url_name="api_investigations_log_new",
    summary="登记谈话走访",
)
def log_new(request: HttpRequest, team_id: int, payload: InvestigationLogIn) -> Status:
    t = _team(request, team_id)
    data = payload.dict()
    lg = log_add(actor=acting_user(request), team=t, village_code=data.pop("village"), **data)
    return Status(201, lg)


@router.get(
    "/villages/{code}",
    response=ClearingChecklistOut,
    url_name="api_investigations_village",
    summary="某村(社区)六清清单",
)
def village(request: HttpRequest, code: str) -> dict[str, Any]:
    place = item_policy.village_or_404(request.user, code)
    c = selectors.checklist_of(request.user, place)
    return {
        "village": place.code,
        "name": place.name,
        "is_difficult": bool(c.board and c.board.is_difficult),
        "board_open": c.board.open if c.board else 0,
        "talks": c.tally.talks if c.tally else 0,
        "households": c.tally.households if c.tally else 0,
        "items": c.items,
    }


@pdf_route(
    router,
    "/villages/{code}/checklist.pdf",
    url_name="api_investigations_village_print",
    summary="打印某村(社区)六清清单（PDF）",
    title="六清清单",
)
def village_print(request: HttpRequest, code: str) -> HttpResponse:
    return checklist_response(request.user, item_policy.village_or_404(request.user, code))


@router.post(
    "/items/{item_id}/start", response=ClearingItemOut, url_name="api_investigations_item_start", summary="开始清理"
)
def item_start_api(request: HttpRequest, item_id: int, payload: ClearingStartIn) -> ClearingItem:
    item_start(
        actor=acting_user(request),
        item=_item(request, item_id),
        started_on=payload.started_on,
        expected_version=payload.version,
    )
    return _fresh_item(request, item_id)


@router.post(
    "/items/{item_id}/find",
    response={201: ClearingItemOut},
    url_name="api_investigations_item_find",
    summary="发现问题（列入问题清单）",
)
def item_find_api(request: HttpRequest, item_id: int, payload: ClearingFindIn) -> Status:
    item_find(actor=acting_user(request), item=_item(request, item_id), **payload.dict())
    return Status(201, _fresh_item(request, item_id))


@router.post(
    "/items/{item_id}/clear", response=ClearingItemOut, url_name="api_investigations_item_clear", summary="清结"
)
def item_clear_api(request: HttpRequest, item_id: int, payload: ClearingClearIn) -> ClearingItem:
    data = payload.dict()
    item_clear(actor=acting_user(request), item=_item(request, item_id), expected_version=data.pop("version"), **data)
    return _fresh_item(request, item_id)
