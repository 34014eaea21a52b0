"""The liaison-cadre module's API under /api/v1/liaison: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import AliasPath

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import FIRST_PAGE, Paged, first_page, page_query
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.liaison import exports, printouts, selectors
from cunshe.liaison.exports import assignments_import
from cunshe.liaison.models import Assignment, LiaisonTalk, Matter, Rating, RatingKind, ServiceDay
from cunshe.liaison.permissions import assignment_policy, matter_policy, rating_policy, tally_policy
from cunshe.liaison.services import (
    assignment_create,
    assignment_end,
    assignment_reassign,
    matter_raise,
    matter_resolve,
    rating_record,
    serviceday_record,
    talk_add,
)
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["驻村(包村)干部"])


class LiaisonAssignmentOut(ModelOut):
    class Meta:
        model = Assignment
        fields = (
            "id", "village", ("village_name", "village__name"), "name", "unit", "level", "started_on", "ended_on",
            "end_reason", "version",
        )  # fmt: skip


class LiaisonAssignmentIn(Schema):
    village: str
    name: str
    unit: str
    level: str
    started_on: date
    account_id: int | None = None


class LiaisonEndIn(Schema):
    ended_on: date
    reason: str
    version: int


class LiaisonReassignIn(Schema):
    village: str
    moved_on: date
    unit: str = ""
    version: int


class LiaisonServiceDayIn(Schema):
    held_on: date
    work: str
    households: int = 0


class LiaisonServiceDayOut(ModelOut):
    class Meta:
        model = ServiceDay
        fields = ("id", "month", "held_on", "work", "households")


class LiaisonTalkIn(Schema):
    held_on: date
    group: str
    talked_with: str
    topic: str


class LiaisonTalkOut(ModelOut):
    class Meta:
        model = LiaisonTalk
        fields = ("id", "held_on", "group", "talked_with", "topic")


class LiaisonMatterIn(Schema):
    raised_on: date
    title: str
    detail: str = ""
    owner: str = ""
    due_on: date | None = None


class LiaisonMatterOut(ModelOut):
    """A matter with its item on the issue board, which holds its title, status and resolution."""

    title: str = Field(validation_alias=AliasPath("issue", "title"), description="问题")
    status: str = Field(validation_alias=AliasPath("issue", "status"), description="问题清单事项的状态")
    resolution: str = Field(validation_alias=AliasPath("issue", "resolution"), description="解决情况")
    closed_on: date | None = Field(validation_alias=AliasPath("issue", "closed_on"), description="办结日期")
    version: int = Field(validation_alias=AliasPath("issue", "version"), description="问题清单事项的版本号：办结时提交")

    class Meta:
        model = Matter
        fields = ("id", "issue_id", "raised_on", "title", "status", "resolution", "closed_on", "version")


class LiaisonResolveIn(Schema):
    resolution: str
    resolved_on: date
    version: int


class LiaisonAssignmentDetail(LiaisonAssignmentOut):
    """The first page of each sub-list (new ones first) with its total; GET …/service-days, …/talks and …/matters
    page through the rest."""

    service_days: list[LiaisonServiceDayOut] = Field(description="集中服务日的第一页")
    service_days_count: int = Field(description="集中服务日的总数")
    talks: list[LiaisonTalkOut] = Field(description="谈心谈话的第一页")
    talks_count: int = Field(description="谈心谈话的总数")
    matters: list[LiaisonMatterOut] = Field(description="协调事项的第一页")
    matters_count: int = Field(description="协调事项的总数")


class LiaisonRatingIn(Schema):
    village: str
    year: int
    round: int
    kind: str
    score: int
    rated_on: date
    rated_by: str
    note: str = ""


class LiaisonRatingOut(ModelOut):
    class Meta:
        model = Rating
        fields = (
            "id", "village", "year", "round", "kind", "score", "scale_low", "scale_high", "scale_rule", "rated_on",
            "rated_by",
        )  # fmt: skip


class LiaisonRatingCellOut(Schema):
    kind: str
    rated: int
    percent: str  # the mean as a share of the scale, 0-100 with one decimal; "" when none rated


class LiaisonRatingRowOut(Schema):
    code: str
    name: str
    cells: list[LiaisonRatingCellOut]


class LiaisonRatingRollupOut(Schema):
    region: str
    year: int
    round: int
    rows: list[LiaisonRatingRowOut]
    total: LiaisonRatingRowOut


class LiaisonCountRowOut(Schema):
    code: str
    name: str
    values: dict[str, int]


class LiaisonCountsOut(Schema):
    region: str
    labels: dict[str, str]
    rows: list[LiaisonCountRowOut]
    total: LiaisonCountRowOut


class LiaisonServiceRowOut(Schema):
    assignment: LiaisonAssignmentOut
    held: list[date]
    gaps: list[date]


class LiaisonServiceTableOut(Schema):
    region: str
    months: list[date]
    rows: list[LiaisonServiceRowOut] = Field(description="本页的驻村干部（limit、offset 分页）")
    count: int = Field(description="表中驻村干部的总数")


SERVICE_LIMIT, SERVICE_OFFSET = page_query(default=FIRST_PAGE)


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    return assignment_policy.get_or_404(
        request.user, queryset=Assignment.objects.select_related("village"), pk=assignment_id
    )


def _fresh(request: HttpRequest, pk: int) -> Assignment:
    return Assignment.objects.select_related("village").get(pk=pk)


@router.get("/assignments", response=list[LiaisonAssignmentOut], url_name="api_liaison_assignments", summary="联系干部")
@paginate(Paged)
def assignments(request: HttpRequest, region: str = "", current: bool = False) -> QuerySet[Assignment]:
    # Every change of cadre adds a row: a page at a time (the list stopped at 500 without saying so).
    return selectors.assignments_visible(request.user, region, current_only=current)


@router.post(
    "/assignments", response={201: LiaisonAssignmentOut}, url_name="api_liaison_assign", summary="登记联系干部"
)
def assign(request: HttpRequest, payload: LiaisonAssignmentIn) -> Status:
    d = payload.dict()
    a = assignment_create(actor=acting_user(request), village_code=d.pop("village"), **d)
    return Status(201, _fresh(request, a.pk))


@router.get(
    "/assignments/{assignment_id}",
    response=LiaisonAssignmentDetail,
    url_name="api_liaison_assignment",
    summary="联系详情（服务日、谈话、事项）",
)
def assignment(request: HttpRequest, assignment_id: int) -> WithFields:
    a = _assignment(request, assignment_id)
    service_days, service_days_count = first_page(selectors.service_days_of(request.user, a))
    talks, talks_count = first_page(selectors.talks_of(request.user, a))
    matters, matters_count = first_page(selectors.matters_of(request.user, a))
    return WithFields(
        a,
        service_days=service_days,
        service_days_count=service_days_count,
        talks=talks,
        talks_count=talks_count,
        matters=matters,
        matters_count=matters_count,
    )


# An assignment's sub-lists grow with every month it lasts: each pages (the detail stopped at 200 and 500).
@router.get(
    "/assignments/{assignment_id}/service-days",
    response=list[LiaisonServiceDayOut],
    url_name="api_liaison_service_days",
    summary="集中服务日（分页，新的在前）",
)
@paginate(Paged)
def service_days(request: HttpRequest, assignment_id: int) -> QuerySet[ServiceDay]:
    return selectors.service_days_of(request.user, _assignment(request, assignment_id))


@router.get(
    "/assignments/{assignment_id}/talks",
    response=list[LiaisonTalkOut],
    url_name="api_liaison_talks",
    summary="谈心谈话（分页，新的在前）",
)
@paginate(Paged)
def talks(request: HttpRequest, assignment_id: int) -> QuerySet[LiaisonTalk]:
    return selectors.talks_of(request.user, _assignment(request, assignment_id))


@router.get(
    "/assignments/{assignment_id}/matters",
    response=list[LiaisonMatterOut],
    url_name="api_liaison_matters",
    summary="协调事项（分页，新的在前）",
)
@paginate(Paged)
def matters(request: HttpRequest, assignment_id: int) -> QuerySet[Matter]:
    return selectors.matters_of(request.user, _assignment(request, assignment_id))


@router.post(
    "/assignments/{assignment_id}/end",
    response=LiaisonAssignmentOut,
    url_name="api_liaison_end",
    summary="结束联系",
)
def end(request: HttpRequest, assignment_id: int, payload: LiaisonEndIn) -> Assignment:
    a = _assignment(request, assignment_id)
    assignment_end(
        actor=acting_user(request),
        assignment=a,
        ended_on=payload.ended_on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _fresh(request, a.pk)


@router.post(
    "/assignments/{assignment_id}/reassign",
    response={201: LiaisonAssignmentOut},
    url_name="api_liaison_reassign",
    summary="调整联系村(社区)（原联系结束，新联系开始）",
)
def reassign(request: HttpRequest, assignment_id: int, payload: LiaisonReassignIn) -> Status:
    a = _assignment(request, assignment_id)
    new = assignment_reassign(
        actor=acting_user(request),
        assignment=a,
        village_code=payload.village,
        moved_on=payload.moved_on,
        unit=payload.unit,
        expected_version=payload.version,
    )
    return Status(201, _fresh(request, new.pk))


@router.post(
    "/assignments/{assignment_id}/service-days",
    response={201: LiaisonServiceDayOut},
    url_name="api_liaison_service_day",
    summary="登记集中服务日",
)
def service_day(request: HttpRequest, assignment_id: int, payload: LiaisonServiceDayIn) -> Status:
    a = _assignment(request, assignment_id)
    d = serviceday_record(actor=acting_user(request), assignment=a, **payload.dict())
    return Status(201, d)


@router.post(
    "/assignments/{assignment_id}/talks",
    response={201: LiaisonTalkOut},
    url_name="api_liaison_talk",
    summary="登记谈心谈话",
)
def talk(request: HttpRequest, assignment_id: int, payload: LiaisonTalkIn) -> Status:
    a = _assignment(request, assignment_id)
    return Status(201, talk_add(actor=acting_user(request), assignment=a, **payload.dict()))


@router.post(
    "/assignments/{assignment_id}/matters",
    response={201: LiaisonMatterOut},
    url_name="api_liaison_matter",
    summary="登记协调事项（列入问题清单）",
)
def matter(request: HttpRequest, assignment_id: int, payload: LiaisonMatterIn) -> Status:
    a = _assignment(request, assignment_id)
    return Status(201, matter_raise(actor=acting_user(request), assignment=a, **payload.dict()))


@router.post(
    "/matters/{matter_id}/resolve",
    response=LiaisonMatterOut,
    url_name="api_liaison_resolve",
    summary="事项解决（销号）",
)
def resolve(request: HttpRequest, matter_id: int, payload: LiaisonResolveIn) -> Matter:
    m = matter_policy.get_or_404(request.user, queryset=Matter.objects.select_related("issue"), pk=matter_id)
    matter_resolve(
        actor=acting_user(request),
        matter=m,
        resolution=payload.resolution,
        resolved_on=payload.resolved_on,
        expected_version=payload.version,
    )
    return Matter.objects.select_related("issue").get(pk=m.pk)


@router.post("/ratings", response={201: LiaisonRatingOut}, url_name="api_liaison_rate", summary="登记三察评定")
def rate(request: HttpRequest, payload: LiaisonRatingIn) -> Status:
    d = payload.dict()
    return Status(201, rating_record(actor=acting_user(request), village_code=d.pop("village"), **d))


@router.get(
    "/ratings/{code}",
    response=LiaisonRatingRollupOut,
    url_name="api_liaison_ratings",
    summary="三察评定汇总（按县、乡镇）",
)
def ratings(request: HttpRequest, code: str, year: int = 0, round: int = 1) -> dict[str, Any]:
    region = rating_policy.rollup_region(request.user, code, fallback=False)
    year = year or timezone.localdate().year
    rows, total = selectors.rating_rollup(request.user, region, year, round)

    def row(r: Any) -> dict[str, Any]:
        cells = [{"kind": k, "rated": n, "percent": p} for k, (n, p) in zip(RatingKind.values, r.cells(), strict=True)]
        return {"code": r.code, "name": r.name, "cells": cells}

    return {"region": region.code, "year": year, "round": round, "rows": [row(r) for r in rows], "total": row(total)}


@router.get("/counts/{code}", response=LiaisonCountsOut, url_name="api_liaison_counts", summary="三访三察统计")
def counts(request: HttpRequest, code: str) -> dict[str, Any]:
    region = tally_policy.rollup_region(request.user, code, fallback=False)
    rows, total = selectors.counts(request.user, region)

    def row(r: Any) -> dict[str, Any]:
        return {"code": r.code, "name": r.name, "values": r.values}

    return {
        "region": region.code,
        "labels": selectors.COUNT_LABELS,
        "rows": [row(r) for r in rows],
        "total": row(total),
    }


@router.get(
    "/counts/{code}/counts.xlsx",
    url_name="api_liaison_counts_xlsx",
    summary="导出三访三察统计（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def counts_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return exports.counts_response(request.user, tally_policy.rollup_region(request.user, code, fallback=False))


@router.get(
    "/service/{code}",
    response=LiaisonServiceTableOut,
    url_name="api_liaison_service",
    summary="集中服务日登记情况（近 6 个月，缺月列出）",
)
def service(
    request: HttpRequest, code: str, limit: int = SERVICE_LIMIT, offset: int = SERVICE_OFFSET
) -> dict[str, Any]:
    region = assignment_policy.rollup_region(request.user, code, fallback=False)
    today = timezone.localdate()
    months = selectors.month_columns(today)
    # A page of the assignments with their months, and how many there are (the table stopped at 500 silently).
    found = selectors.service_assignments(request.user, region, months)
    assignments = list(found[offset : offset + limit])
    rows = selectors.service_rows(request.user, assignments, months, today)
    return {
        "region": region.code,
        "months": months,
        "count": found.count() if offset or len(assignments) == limit else len(assignments),
        "rows": [
            {
                "assignment": r.assignment,
                "held": [m for m, mark in r.cells if mark == "✓"],
                "gaps": [m for m, mark in r.cells if mark == "缺"],
            }
            for r in rows
        ],
    }


@pdf_route(
    router,
    "/service/{code}/service.pdf",
    url_name="api_liaison_service_pdf",
    summary="打印集中服务日登记表（PDF）",
    title="集中服务日登记表",
)
def service_pdf(request: HttpRequest, code: str) -> HttpResponse:
    region = tally_policy.rollup_region(request.user, code, fallback=False)
    return printouts.service_table_response(request.user, region, timezone.localdate())


@router.get(
    "/regions/{code}/assignments.xlsx",
    url_name="api_liaison_assignments_xlsx",
    summary="导出联系干部表（Excel，可修改后导入）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def assignments_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    region = assignment_policy.rollup_region(request.user, code, fallback=False)
    return exports.assignments_response(request.user, region)


@router.post(
    "/regions/{code}/import",
    response=ImportReportOut,
    url_name="api_liaison_import",
    summary="导入联系干部表（multipart：file；任一行有误则不保存，errors 按行列出）",
)
def import_sheet(request: HttpRequest, code: str, file: File[UploadedFile]) -> dict[str, Any]:
    region = assignment_policy.rollup_region(request.user, code, fallback=False)
    return assignments_import(actor=acting_user(request), region_code=region.code, stream=cast(BinaryIO, file)).answer()
