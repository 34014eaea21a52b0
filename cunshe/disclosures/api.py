"""党务村务财务公开 under /api/v1/disclosures: every operation of the pages, same services and files."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer
from cunshe.core.paging import Paged, first_page
from cunshe.core.schema import ModelOut, Schema
from cunshe.deadlines.calendar import deadline_day
from cunshe.decisions.models import Decision
from cunshe.decisions.permissions import decision_policy
from cunshe.disclosures import downloads, selectors
from cunshe.disclosures.models import Disclosure, Kind, Obligation, Photo, TownTally
from cunshe.disclosures.permissions import disclosure_policy, photo_policy, schedule_policy
from cunshe.disclosures.services import (
    disclosure_create,
    disclosure_publish,
    period_label,
    photo_add,
    rule_for,
    schedule_save,
)
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["党务村务财务公开"])


class DisclosureScheduleOut(Schema):
    kind: str
    kind_display: str
    rule: str
    source: str


class DisclosureScheduleIn(Schema):
    kind: str
    effective_from: date
    due_day: int | None = None
    due_working_days: int | None = None


class DisclosurePhotoOut(ModelOut):
    class Meta:
        model = Photo
        fields = ("id", "caption")


class DisclosureOut(ModelOut):
    period: str = Field(description="所属期间，如 2026年11月")
    channels: list[str] = Field(description="公开渠道")
    photos: list[DisclosurePhotoOut]

    class Meta:
        model = Disclosure
        fields = (
            "id", ("village", "region"), ("village_name", "region__name"), "kind", "period", "title", "content", "channels", "published_on", "late",
            "decision_id", "decision_step", "photos", "version",
        )  # fmt: skip

    @staticmethod
    def resolve_period(d: Disclosure) -> str:
        return period_label(d.kind, d.period_start)


class DisclosureIn(Schema):
    village: str
    kind: str
    title: str
    content: str
    channels: list[str]
    period_day: date | None = None
    decision_id: int | None = None
    decision_step: str = ""


class DisclosurePublishIn(Schema):
    published_on: date
    version: int


class DisclosureObligationOut(ModelOut):
    due_on: date = Field(description="公开期限（当日）")
    overdue: bool = Field(description="未公开且已过期限")

    class Meta:
        model = Obligation
        fields = ("id", ("village", "region"), "kind", "title", "due_on", "overdue")

    @staticmethod
    def resolve_due_on(o: Obligation) -> date:
        return deadline_day(o.due_at)

    @staticmethod
    def resolve_overdue(o: Obligation) -> bool:
        return o.done_on is None and o.due_at < timezone.now()


class DisclosureVillageOut(Schema):
    code: str
    name: str
    obligations: list[DisclosureObligationOut]
    disclosures: list[DisclosureOut] = Field(
        description="公开记录的第一页（新的在前）；全部见 GET …/disclosures（分页）"
    )
    disclosures_count: int = Field(description="公开记录的总条数")


class DisclosureCellOut(ModelOut):
    overdue: int

    class Meta:
        model = TownTally
        fields = ("kind", "due", "done", "done_late", "overdue", "published")


class DisclosureRollupRow(Schema):
    code: str
    name: str
    cells: list[DisclosureCellOut]


class DisclosureRollupOut(Schema):
    code: str
    name: str
    rows: list[DisclosureRollupRow]


def _county(request: HttpRequest, code: str) -> Region:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not schedule_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    return county


@router.get(
    "/schedule/{code}",
    response=list[DisclosureScheduleOut],
    url_name="api_disclosures_schedule",
    summary="县的公开时限",
)
def schedule(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    county = _county(request, code)
    today = timezone.localdate()
    rules = [rule_for(county.code, k, today) for k in Kind.values]
    return [{"kind": r.kind, "kind_display": Kind(r.kind).label, "rule": r.label, "source": r.source} for r in rules]


@router.post(
    "/schedule/{code}",
    response={201: DisclosureScheduleOut},
    url_name="api_disclosures_schedule_save",
    summary="制定公开时限（县委组织部）",
)
def schedule_new(request: HttpRequest, code: str, payload: DisclosureScheduleIn) -> Status:
    county = _county(request, code)
    row = schedule_save(actor=acting_user(request), county_code=county.code, **payload.dict())
    return Status(
        201,
        {
            "kind": row.kind,
            "kind_display": row.get_kind_display(),
            "rule": row.label,
            "source": f"{row.effective_from:%Y-%m-%d} 起施行",
        },
    )


@router.get(
    "/village/{code}", response=DisclosureVillageOut, url_name="api_disclosures_village", summary="村(社区)公开记录"
)
def village(request: HttpRequest, code: str) -> dict[str, Any]:
    place = disclosure_policy.village_or_404(request.user, code)
    disclosures, count = first_page(selectors.disclosures_in(request.user, place.code))
    return {
        "code": place.code,
        "name": place.name,
        "obligations": selectors.obligations_in(request.user, place.code),
        "disclosures": disclosures,
        "disclosures_count": count,
    }


@router.get(
    "/village/{code}/disclosures",
    response=list[DisclosureOut],
    url_name="api_disclosures_village_list",
    summary="村(社区)公开记录（分页，新的在前）",
)
@paginate(Paged)
def village_disclosures(request: HttpRequest, code: str) -> QuerySet[Disclosure]:
    # Every month adds disclosures of each kind: a page at a time (the village's answer stopped at 200).
    return selectors.disclosures_in(request.user, disclosure_policy.village_or_404(request.user, code).code)


@router.post("", response={201: DisclosureOut}, url_name="api_disclosures_create", summary="登记公开（拟公开）")
def create(request: HttpRequest, payload: DisclosureIn) -> Status:
    decision = None
    if payload.decision_id is not None:
        decision = decision_policy.get_or_404(request.user, queryset=Decision.objects.all(), pk=payload.decision_id)
    disclosure = disclosure_create(
        actor=acting_user(request),
        village_code=payload.village,
        kind=payload.kind,
        title=payload.title,
        content=payload.content,
        channels=payload.channels,
        period_day=payload.period_day,
        decision=decision,
        decision_step=payload.decision_step,
    )
    return Status(201, selectors.disclosure_detail(request.user, disclosure.pk))


@router.get("/{disclosure_id}", response=DisclosureOut, url_name="api_disclosures_detail", summary="公开记录")
def detail(request: HttpRequest, disclosure_id: int) -> Disclosure:
    return selectors.disclosure_detail(request.user, disclosure_id)


@router.post(
    "/{disclosure_id}/publish",
    response=DisclosureOut,
    url_name="api_disclosures_publish",
    summary="登记公开日期（公开页可见；满足应公开事项；关联的四议两公开步骤随之完成）",
)
def publish(request: HttpRequest, disclosure_id: int, payload: DisclosurePublishIn) -> Disclosure:
    disclosure = disclosure_policy.get_or_404(request.user, pk=disclosure_id)
    disclosure_publish(
        actor=acting_user(request),
        disclosure=disclosure,
        published_on=payload.published_on,
        expected_version=payload.version,
    )
    return selectors.disclosure_detail(request.user, disclosure_id)


@router.post(
    "/{disclosure_id}/photos",
    response={201: DisclosureOut},
    url_name="api_disclosures_photo_add",
    summary="上传公开栏照片（multipart：image，可附 caption；jpg/png/webp，不超过 10 MB）",
)
def photo_new(request: HttpRequest, disclosure_id: int, image: File[UploadedFile], caption: Form[str] = "") -> Status:
    disclosure = disclosure_policy.get_or_404(request.user, pk=disclosure_id)
    photo_add(actor=acting_user(request), disclosure=disclosure, image=image, caption=caption)
    return Status(201, selectors.disclosure_detail(request.user, disclosure_id))


@router.get(
    "/photos/{photo_id}",
    url_name="api_disclosures_photo",
    summary="公开栏照片",
    openapi_extra=file_answer("image/*", "照片"),
)
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    return downloads.photo_response(photo_policy.get_or_404(request.user, queryset=Photo.objects.all(), pk=photo_id))


@router.get(
    "/rollup/{code}", response=DisclosureRollupOut, url_name="api_disclosures_rollup", summary="按县、乡镇(街道)汇总"
)
def rollup(request: HttpRequest, code: str) -> dict[str, Any]:
    region = disclosure_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("汇总按县或乡镇(街道)。")
    return {
        "code": region.code,
        "name": region.name,
        "rows": [
            {"code": r.code, "name": r.name, "cells": [{"kind": k, **vars(c)} for k, c in r.cells.items()]}
            for r in selectors.rollup(request.user, region)
        ],
    }


@router.get(
    "/rollup/{code}/ledger.xlsx",
    url_name="api_disclosures_ledger",
    summary="导出公开台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.ledger_response(request.user, disclosure_policy.rollup_region(request.user, code, fallback=False))
