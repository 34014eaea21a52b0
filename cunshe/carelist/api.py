"""The care list's API under /api/v1/carelist: every operation of the pages, same services and files."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO, cast
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile

from cunshe.accounts.selectors import acting_user
from cunshe.carelist import downloads, selectors
from cunshe.carelist.downloads import households_import
from cunshe.carelist.models import CareMonth, CareVisit, Household
from cunshe.carelist.permissions import household_policy
from cunshe.carelist.services import household_add, household_remove, visit_record
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.offline.submissions import submit_once
from cunshe.regions.models import Level
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["暖心清单"])


class CareHouseholdIn(Schema):
    name: str
    address: str = ""
    poor: bool = False
    dibao: bool = False
    wubao: bool = False
    alone: bool = False
    carer: str = ""
    listed_on: date


class CareHouseholdOut(ModelOut):
    class Meta:
        model = Household
        fields = (
            "id", "region", "name", "address", "poor", "dibao", "wubao", "alone", "carer", "listed_on", "removed_on",
            "removed_reason", "version",
        )  # fmt: skip


class CareListLineOut(Schema):
    household: CareHouseholdOut
    this_month_done_on: date | None
    overdue_months: int


class CareVisitOut(ModelOut):
    problems: list[str] = Field(validation_alias="problem_list", description="解决的问题（每行一件）")

    class Meta:
        model = CareVisit
        fields = ("id", "visited_on", "visitors", "chat", "meal", "cleaning", "problems", "note")


class CareMonthOut(ModelOut):
    visits: list[CareVisitOut]

    class Meta:
        model = CareMonth
        fields = ("month", "done_on", "solved", "visits")


class CareHouseholdDetail(CareHouseholdOut):
    months: list[CareMonthOut]


class CareVisitIn(Schema):
    visited_on: date
    visitors: str
    chat: bool = False
    meal: bool = False
    cleaning: bool = False
    problems: str = ""
    note: str = ""
    client_id: UUID | None = Field(
        None, description="客户端为本条记录生成的 UUID：重复提交同一编号只保存一次（离线重发）"
    )


class CareRemoveIn(Schema):
    removed_on: date
    reason: str
    version: int


class CareRollupRowOut(Schema):
    code: str
    name: str
    households: int
    due: int
    done: int
    overdue: int
    solved: int


class CareRollupOut(Schema):
    rows: list[CareRollupRowOut]
    total: CareRollupRowOut


class CareImportOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.get(
    "/village/{code}", response=list[CareListLineOut], url_name="api_carelist_village", summary="村(社区)暖心清单"
)
def village(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    place = household_policy.village_or_404(request.user, code)
    return [
        {
            "household": line.household,
            "this_month_done_on": line.this_month.done_on if line.this_month else None,
            "overdue_months": line.overdue,
        }
        for line in selectors.village_list(request.user, place)
    ]


@router.post(
    "/village/{code}/households",
    response={201: CareHouseholdOut},
    url_name="api_carelist_household_new",
    summary="列入暖心清单",
)
def household_new(request: HttpRequest, code: str, payload: CareHouseholdIn) -> Status:
    place = household_policy.village_or_404(request.user, code)
    h = household_add(actor=acting_user(request), village_code=place.code, **payload.dict())
    return Status(201, h)


@router.post(
    "/village/{code}/import",
    response=CareImportOut,
    url_name="api_carelist_import",
    summary="导入暖心清单（multipart：file）",
)
def households_upload(request: HttpRequest, code: str, file: File[UploadedFile]) -> dict[str, int]:
    place = household_policy.village_or_404(request.user, code)
    report = households_import(actor=acting_user(request), village_code=place.code, stream=cast(BinaryIO, file))
    return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}


@router.get(
    "/village/{code}/households.xlsx",
    url_name="api_carelist_households_xlsx",
    summary="导出暖心清单（Excel，导入格式）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def households_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.households_response(request.user, household_policy.village_or_404(request.user, code))


@pdf_route(
    router, "/village/{code}/list.pdf", url_name="api_carelist_list_pdf", summary="暖心清单（PDF）", title="暖心清单"
)
def list_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.list_response(request.user, household_policy.village_or_404(request.user, code))


def _household(request: HttpRequest, household_id: int) -> Household:
    return household_policy.get_or_404(request.user, pk=household_id)


@router.get(
    "/household/{household_id}",
    response=CareHouseholdDetail,
    url_name="api_carelist_household",
    summary="清单户及各月走访",
)
def household(request: HttpRequest, household_id: int) -> WithFields:
    h = _household(request, household_id)
    return WithFields(h, months=selectors.months_of(request.user, h))


@router.post(
    "/household/{household_id}/visits",
    response={200: CareHouseholdDetail, 201: CareHouseholdDetail},
    url_name="api_carelist_visit",
    summary="登记暖心走访（3+N）",
    description="201：已保存；200：同一 client_id 已保存过（离线重发），不重复保存。",
)
def visit(request: HttpRequest, household_id: int, payload: CareVisitIn) -> Status:
    h = _household(request, household_id)
    fields = payload.dict(exclude={"client_id"})
    _, first = submit_once(
        actor=acting_user(request),
        client_id=payload.client_id,
        kind="carelist.visit",
        create=lambda: visit_record(actor=acting_user(request), household=h, **fields),
    )
    return Status(201 if first else 200, household(request, household_id))


@router.post(
    "/household/{household_id}/remove",
    response=CareHouseholdOut,
    url_name="api_carelist_remove",
    summary="移出暖心清单",
)
def remove(request: HttpRequest, household_id: int, payload: CareRemoveIn) -> Household:
    h = household_remove(
        actor=acting_user(request),
        household=_household(request, household_id),
        removed_on=payload.removed_on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return h


@router.get("/rollup/{code}", response=CareRollupOut, url_name="api_carelist_rollup", summary="暖心清单汇总")
def rollup(request: HttpRequest, code: str) -> dict[str, Any]:
    region = household_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        from django.http import Http404

        raise Http404("汇总按县或乡镇(街道)查看。")
    rows, total = selectors.rollup(request.user, region)
    return {"rows": [r.__dict__ for r in rows], "total": total.__dict__}


@router.get(
    "/rollup/{code}/visits.xlsx",
    url_name="api_carelist_visits_xlsx",
    summary="导出暖心走访台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def visits_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.visits_response(request.user, household_policy.rollup_region(request.user, code, fallback=False))
