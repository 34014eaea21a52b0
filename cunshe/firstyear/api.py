"""The first-year programme's API under /api/v1/firstyear: every operation of the pages, through the same services,
policies and files."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO, cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema
from cunshe.firstyear import downloads, selectors
from cunshe.firstyear.downloads import ledger_import
from cunshe.firstyear.models import ProgrammeItem, Progress
from cunshe.firstyear.permissions import item_policy, progress_policy
from cunshe.firstyear.services import item_save, progress_mark, progress_undo
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["开门七件事"])


class FirstYearItemOut(ModelOut):
    class Meta:
        model = ProgrammeItem
        fields = (
            "id", "county", "key", "position", "name", "description", "due_amount", "due_unit", "source", "is_active",
            "version",
        )  # fmt: skip


class FirstYearItemIn(Schema):
    name: str
    description: str = ""
    due_amount: int
    due_unit: str = "calendar_days"
    source: str = "manual"
    is_active: bool = True


class FirstYearItemEditIn(FirstYearItemIn):
    version: int


class FirstYearProgressOut(ModelOut):
    late: bool = Field(description="完成晚于期限")
    overdue: str = Field(description="未完成时的逾期说明")
    has_attachment: bool = Field(description="附有完成佐证")

    class Meta:
        model = Progress
        fields = (
            "id", "item_id", ("item", "item__name"), ("source", "item__source"), "due_at", "done_on", "late", "overdue",
            "evidence", "done_source", "has_attachment", "version",
        )  # fmt: skip

    @staticmethod
    def resolve_late(p: Progress) -> bool:
        return selectors.is_late(p)

    @staticmethod
    def resolve_overdue(p: Progress) -> str:
        return selectors.overdue_text(p)

    @staticmethod
    def resolve_has_attachment(p: Progress) -> bool:
        return bool(p.attachment)


class FirstYearVillageOut(Schema):
    code: str
    name: str
    elected_on: date | None
    progress: list[FirstYearProgressOut]


class FirstYearUndoIn(Schema):
    reason: str
    version: int


class FirstYearCellOut(Schema):
    item_id: int
    villages: int
    done: int
    overdue: int
    done_share: str  # exact fraction, e.g. "3/4"


class FirstYearRowOut(Schema):
    code: str
    name: str
    opened: bool
    cells: list[FirstYearCellOut]


class FirstYearRollupOut(Schema):
    code: str
    name: str
    items: list[FirstYearItemOut]
    rows: list[FirstYearRowOut]
    total: list[FirstYearCellOut]


def _county(request: HttpRequest, code: str) -> Region:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not item_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    return county


@router.get(
    "/items/{code}", response=list[FirstYearItemOut], url_name="api_firstyear_items", summary="县的开门七件事事项"
)
def items(request: HttpRequest, code: str) -> list[ProgrammeItem]:
    county = _county(request, code)
    return list(selectors.county_items(request.user, county.code))


@router.post(
    "/items/{code}",
    response={201: FirstYearItemOut},
    url_name="api_firstyear_item_new",
    summary="增加事项（县委组织部）",
)
def item_new(request: HttpRequest, code: str, payload: FirstYearItemIn) -> Status:
    county = _county(request, code)
    item = item_save(actor=acting_user(request), county_code=county.code, **payload.dict())
    return Status(201, item)


@router.put(
    "/item/{item_id}", response=FirstYearItemOut, url_name="api_firstyear_item_edit", summary="修改事项（县委组织部）"
)
def item_edit(request: HttpRequest, item_id: int, payload: FirstYearItemEditIn) -> ProgrammeItem:
    item = item_policy.get_or_404(request.user, pk=item_id)
    data = payload.dict()
    version = data.pop("version")
    return item_save(
        actor=acting_user(request), county_code=item.county_id, item=item, expected_version=version, **data
    )


@router.get(
    "/village/{code}", response=FirstYearVillageOut, url_name="api_firstyear_village", summary="村(社区)开门七件事进度"
)
def village(request: HttpRequest, code: str) -> dict[str, Any]:
    region = progress_policy.village_or_404(request.user, code)
    programme = selectors.programme_of(request.user, code)
    rows = selectors.progress_of(request.user, programme) if programme else []
    return {
        "code": region.code,
        "name": region.name,
        "elected_on": programme.elected_on if programme else None,
        "progress": rows,
    }


def _progress(request: HttpRequest, progress_id: int) -> Progress:
    return progress_policy.get_or_404(
        request.user, queryset=Progress.objects.select_related("item", "region"), pk=progress_id
    )


@router.post(
    "/progress/{progress_id}/done",
    response=FirstYearProgressOut,
    url_name="api_firstyear_done",
    summary="登记事项完成（multipart：done_on、evidence、version，可附 attachment）",
)
def done(
    request: HttpRequest,
    progress_id: int,
    done_on: Form[date],
    evidence: Form[str],
    version: Form[int],
    attachment: File[UploadedFile] | None = None,
) -> Progress:
    progress = progress_mark(
        actor=acting_user(request),
        progress=_progress(request, progress_id),
        done_on=done_on,
        evidence=evidence,
        attachment=attachment,
        expected_version=version,
    )
    return progress


@router.post(
    "/progress/{progress_id}/undo",
    response=FirstYearProgressOut,
    url_name="api_firstyear_undo",
    summary="撤销手工登记的完成",
)
def undo(request: HttpRequest, progress_id: int, payload: FirstYearUndoIn) -> Progress:
    progress = progress_undo(
        actor=acting_user(request),
        progress=_progress(request, progress_id),
        reason=payload.reason,
        expected_version=payload.version,
    )
    return progress


@router.get(
    "/progress/{progress_id}/attachment",
    url_name="api_firstyear_attachment",
    summary="完成佐证附件",
    openapi_extra=file_answer("application/octet-stream", "附件"),
)
def attachment(request: HttpRequest, progress_id: int) -> FileResponse:
    return downloads.attachment_response(_progress(request, progress_id))


def _cell(item_id: int, c: selectors.Cell) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "villages": c.villages,
        "done": c.done,
        "overdue": c.overdue,
        "done_share": str(c.share),
    }


@router.get(
    "/rollup/{code}", response=FirstYearRollupOut, url_name="api_firstyear_rollup", summary="按县、乡镇(街道)汇总"
)
def rollup(request: HttpRequest, code: str) -> dict[str, Any]:
    region = progress_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("汇总按县或乡镇(街道)。")
    table = selectors.rollup(request.user, region)
    return {
        "code": region.code,
        "name": region.name,
        "items": table.items,
        "rows": [
            {
                "code": row.code,
                "name": row.name,
                "opened": row.opened,
                "cells": [_cell(i.pk, c) for i, c in zip(table.items, cells, strict=True)],
            }
            for row, cells in table.grid()
        ],
        "total": [_cell(i.pk, c) for i, c in zip(table.items, table.total_cells(), strict=True)],
    }


@router.get(
    "/rollup/{code}/ledger.xlsx",
    url_name="api_firstyear_ledger",
    summary="导出进度台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.ledger_response(request.user, progress_policy.rollup_region(request.user, code, fallback=False))


class FirstYearImportOut(Schema):
    updated: int
    unchanged: int


@router.post(
    "/rollup/{code}/ledger/import",
    response=FirstYearImportOut,
    url_name="api_firstyear_ledger_import",
    summary="导入进度台账（multipart：file；村(社区)登记事项的完成日期和佐证）",
)
def ledger_upload(request: HttpRequest, code: str, file: File[UploadedFile]) -> dict[str, int]:
    region = progress_policy.rollup_region(request.user, code, fallback=False)
    report = ledger_import(actor=acting_user(request), region_code=region.code, stream=cast(BinaryIO, file))
    return {"updated": report.updated, "unchanged": report.unchanged}


@pdf_route(
    router,
    "/rollup/{code}/report.pdf",
    url_name="api_firstyear_report",
    summary="推进情况报告（PDF）",
    title="推进情况报告",
)
def report(request: HttpRequest, code: str) -> HttpResponse:
    region = progress_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("报告按县或乡镇(街道)打印。")
    return downloads.report_response(request.user, region)
