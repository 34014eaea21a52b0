"""Centralized education's API under /api/v1/education: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema
from cunshe.education import selectors, views
from cunshe.education.models import Campaign, VillageTask
from cunshe.education.permissions import task_policy
from cunshe.education.services import campaign_create, task_complete
from cunshe.regions.models import Level
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["集中教育"])


class EducationCampaignIn(Schema):
    region: str
    title: str
    starts_on: date
    ends_on: date
    kinds: list[str]


class EducationCampaignOut(ModelOut):
    kinds: list[str] = Field(description="要求村(社区)完成的规定动作")

    class Meta:
        model = Campaign
        fields = ("id", "region", "title", "starts_on", "ends_on", "kinds")


class EducationCellOut(Schema):
    kind: str
    total: int
    done: int
    overdue: int


class EducationRowOut(Schema):
    code: str
    name: str
    cells: list[EducationCellOut]


class EducationTaskOut(ModelOut):
    class Meta:
        model = VillageTask
        fields = ("id", "region", "kind", "done_on", "note", "version")


class EducationRollupOut(Schema):
    campaign: EducationCampaignOut
    region: str
    rows: list[EducationRowOut]
    total: EducationRowOut
    tasks: list[EducationTaskOut]


class EducationDoneIn(Schema):
    done_on: date
    note: str
    version: int


def _row_out(row: Any) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "cells": [{"kind": k, **c.__dict__} for k, c in row.cells.items()]}


@router.get("/campaigns", response=list[EducationCampaignOut], url_name="api_education_campaigns", summary="集中教育")
@paginate(Paged)
def campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    # Campaigns add up over the years and towns: a page at a time (the list stopped at 100 without saying so).
    return selectors.campaigns_visible(request.user)


@router.post(
    "/campaigns", response={201: EducationCampaignOut}, url_name="api_education_campaign_new", summary="开展集中教育"
)
def campaign_new(request: HttpRequest, payload: EducationCampaignIn) -> Status:
    data = payload.dict()
    c = campaign_create(actor=acting_user(request), region_code=data.pop("region"), **data)
    return Status(201, c)


@router.get(
    "/campaign/{campaign_id}/{code}",
    response=EducationRollupOut,
    url_name="api_education_campaign",
    summary="完成情况（乡镇、县汇总；村(社区)的任务）",
)
def campaign(request: HttpRequest, campaign_id: int, code: str) -> dict[str, Any]:
    c, region = views.campaign_and_region(request.user, campaign_id, code, fallback=False)
    if region.level == Level.VILLAGE:
        return {
            "campaign": c,
            "region": region.code,
            "rows": [],
            "total": {"code": region.code, "name": region.name, "cells": []},
            "tasks": selectors.tasks_of(request.user, c, region.code),
        }
    rows, total = selectors.rollup(request.user, c, region)
    return {
        "campaign": c,
        "region": region.code,
        "rows": [_row_out(r) for r in rows],
        "total": _row_out(total),
        "tasks": [],
    }


@router.get(
    "/campaign/{campaign_id}/{code}/ledger.xlsx",
    url_name="api_education_ledger",
    summary="台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def ledger(request: HttpRequest, campaign_id: int, code: str) -> HttpResponse:
    c, region = views.campaign_and_region(request.user, campaign_id, code, fallback=False)
    return views.ledger_response(request.user, c, region)


@pdf_route(
    router,
    "/campaign/{campaign_id}/{code}/sheet.pdf",
    url_name="api_education_sheet",
    summary="村(社区)签到及记录表（打印）",
    title="集中教育签到及记录表",
)
def sheet(request: HttpRequest, campaign_id: int, code: str) -> HttpResponse:
    return views.sheet_response(request.user, campaign_id, code)


@router.post("/task/{task_id}/done", response=EducationTaskOut, url_name="api_education_done", summary="登记完成")
def done(request: HttpRequest, task_id: int, payload: EducationDoneIn) -> VillageTask:
    task = task_policy.get_or_404(request.user, pk=task_id)
    got = task_complete(
        actor=acting_user(request),
        task=task,
        done_on=payload.done_on,
        note=payload.note,
        expected_version=payload.version,
    )
    return got
