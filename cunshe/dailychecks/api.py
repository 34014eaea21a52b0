"""The daily checks' API under /api/v1/dailychecks: every operation of the pages, same services and files."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.months import month_end, parse_month
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema
from cunshe.dailychecks import downloads, printouts, selectors
from cunshe.dailychecks.models import Checklist, ChecklistItem, CheckResult, DailyCheck, Measure, MeasureProgress
from cunshe.dailychecks.permissions import check_policy, checklist_policy, measure_policy, result_policy
from cunshe.dailychecks.services import (
    ItemAnswer,
    check_submit,
    checklist_publish,
    measure_add,
    measure_move,
    measure_progress_add,
    result_close,
)
from cunshe.offline.submissions import submit_once
from cunshe.people.models import Person
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["每日必查"])


class DailyChecklistItemOut(ModelOut):
    label: str = Field(validation_alias="get_key_display", description="必查项名称")

    class Meta:
        model = ChecklistItem
        fields = ("key", "label", "guidance")


class DailyChecklistOut(ModelOut):
    items: list[DailyChecklistItemOut]

    class Meta:
        model = Checklist
        fields = ("id", "county", "valid_from", "note", "items")


class DailyChecklistIn(Schema):
    valid_from: date
    guidance: dict[str, str] = Field(description="必查项 → 查什么：environment、visits、pending、grid")
    note: str = ""


class DailyCheckAnswerIn(Schema):
    key: str = Field(description="environment 环境卫生、visits 群众走访、pending 待办事项、grid 微网格民情")
    ok: bool
    note: str = ""
    to_board: bool = Field(False, description="问题转入问题清单")


class DailyCheckIn(Schema):
    person_id: int
    day: date
    answers: list[DailyCheckAnswerIn]
    client_id: UUID | None = Field(
        None, description="客户端为本条记录生成的 UUID：重复提交同一编号只保存一次（离线重发）"
    )


class DailyCheckResultOut(ModelOut):
    label: str = Field(validation_alias="get_key_display", description="必查项名称")

    class Meta:
        model = CheckResult
        fields = ("id", "key", "label", "ok", "note", "issue_id", "closed_on", "closing_note")


class DailyCheckOut(ModelOut):
    results: list[DailyCheckResultOut]

    class Meta:
        model = DailyCheck
        fields = ("id", "region", "person_id", ("person", "person__name"), "day", "checklist_id", "problems", "results")

    @staticmethod
    def resolve_results(c: DailyCheck) -> list[CheckResult]:
        return list(c.results.order_by("pk"))


class DailyCadreDayOut(Schema):
    person_id: int
    name: str
    posts: list[str]
    check_id: int | None
    problems: int | None


class DailyCheckCloseIn(Schema):
    closed_on: date
    note: str


class DailyUnitOut(Schema):
    code: str
    name: str
    cadres: int
    due: int
    done: int
    rate: str
    found: int
    closed: int


class DailyRollupOut(Schema):
    month: date
    rows: list[DailyUnitOut]
    total: DailyUnitOut


class DailyCadreLineOut(Schema):
    code: str
    village: str
    person_id: int
    name: str
    due: int
    done: int
    rate: str
    found: int
    closed: int


class DailyMissedOut(Schema):
    code: str
    village: str
    name: str
    posts: str


class DailyMissedListOut(Schema):
    day: date
    cadres: list[DailyMissedOut]


class DailyMeasureIn(Schema):
    number: int
    area: str
    title: str
    target: str
    unit: str
    due_on: date | None = None


class DailyMeasureProgressOut(ModelOut):
    class Meta:
        model = MeasureProgress
        fields = ("id", "reported_on", "text")


class DailyMeasureOut(ModelOut):
    area_label: str = Field(validation_alias="get_area_display", description="领域名称")
    status_label: str = Field(validation_alias="get_status_display", description="状态名称")
    progress: list[DailyMeasureProgressOut]

    class Meta:
        model = Measure
        fields = (
            "id", "county", "number", "area", "area_label", "title", "target", "unit", "due_on", "status",
            "status_label", "version", "progress",
        )  # fmt: skip


class DailyMeasureProgressIn(Schema):
    reported_on: date
    text: str


class DailyMeasureMoveIn(Schema):
    to: str
    version: int


def _county(request: HttpRequest, code: str) -> str:
    checklist_policy.check_in_region(request.user, "view", code, missing="未找到该县(市、区)。")
    if not Region.objects.filter(code=code, level=Level.COUNTY).exists():
        raise Http404("未找到该县(市、区)。")
    return code


@router.get(
    "/checklist/{code}",
    response=list[DailyChecklistOut],
    url_name="api_dailychecks_checklist",
    summary="每日必查清单各版本",
)
def checklist(request: HttpRequest, code: str) -> list[Checklist]:
    return list(selectors.checklists_of(request.user, _county(request, code)))


@router.post(
    "/checklist/{code}",
    response={201: DailyChecklistOut},
    url_name="api_dailychecks_checklist_publish",
    summary="发布每日必查清单新版本",
)
def checklist_new(request: HttpRequest, code: str, payload: DailyChecklistIn) -> Status:
    made = checklist_publish(actor=acting_user(request), county_code=_county(request, code), **payload.dict())
    return Status(201, made)


@router.get(
    "/village/{code}", response=list[DailyCadreDayOut], url_name="api_dailychecks_village", summary="村干部当日必查情况"
)
def village(request: HttpRequest, code: str, day: date | None = None) -> list[dict[str, Any]]:
    place = check_policy.village_or_404(request.user, code)
    return [
        {
            "person_id": line.person.pk,
            "name": line.person.name,
            "posts": line.posts,
            "check_id": line.check.pk if line.check else None,
            "problems": line.check.problems if line.check else None,
        }
        for line in selectors.village_day(request.user, place.code, day or timezone.localdate())
    ]


@router.post(
    "/village/{code}/checks",
    response={200: DailyCheckOut, 201: DailyCheckOut},
    url_name="api_dailychecks_check_submit",
    summary="提交每日必查（四个必查）",
    description="201：已保存；200：同一 client_id 已保存过（离线重发），不重复保存。",
)
def check_new(request: HttpRequest, code: str, payload: DailyCheckIn) -> Status:
    place = check_policy.village_or_404(request.user, code, "change")
    person = Person.objects.filter(pk=payload.person_id, posts__region_id=place.code).distinct().first()
    if person is None:
        raise Http404("未找到该村干部。")
    answers = [ItemAnswer(a.key, a.ok, a.note, a.to_board) for a in payload.answers]
    made, first = submit_once(
        actor=acting_user(request),
        client_id=payload.client_id,
        kind="dailychecks.check",
        create=lambda: check_submit(
            actor=acting_user(request), village_code=place.code, person=person, day=payload.day, answers=answers
        ),
    )
    return Status(201 if first else 200, made)


@router.get("/checks/{check_id}", response=DailyCheckOut, url_name="api_dailychecks_check", summary="一次每日必查")
def check(request: HttpRequest, check_id: int) -> DailyCheck:
    return check_policy.get_or_404(request.user, queryset=DailyCheck.objects.select_related("person"), pk=check_id)


@router.post(
    "/results/{result_id}/close",
    response=DailyCheckOut,
    url_name="api_dailychecks_close",
    summary="登记必查问题整改",
)
def close(request: HttpRequest, result_id: int, payload: DailyCheckCloseIn) -> DailyCheck:
    result = result_policy.get_or_404(
        request.user, queryset=CheckResult.objects.select_related("check_record__person"), pk=result_id
    )
    done = result_close(actor=acting_user(request), result=result, **payload.dict())
    return done.check_record


def _rollup_region(request: HttpRequest, code: str) -> Region:
    region = check_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("汇总按县或乡镇(街道)查看。")
    return region


def _month(month: str) -> tuple[date, date]:
    today = timezone.localdate()
    first = parse_month(month, today)
    return first, min(month_end(first), today)


@router.get("/rollup/{code}", response=DailyRollupOut, url_name="api_dailychecks_rollup", summary="每日必查汇总")
def rollup(request: HttpRequest, code: str, month: str = "") -> dict[str, Any]:
    region = _rollup_region(request, code)
    first, as_of = _month(month)
    rows, total = selectors.rollup(request.user, region, first, as_of)
    unit = lambda r: {**{k: v for k, v in r.__dict__.items() if k != "missed"}, "rate": r.rate}  # noqa: E731
    return {"month": first, "rows": [unit(r) for r in rows], "total": unit(total)}


@router.get(
    "/rollup/{code}/cadres",
    response=list[DailyCadreLineOut],
    url_name="api_dailychecks_cadres",
    summary="村干部每日必查月度指标",
)
def cadres(request: HttpRequest, code: str, month: str = "") -> list[dict[str, Any]]:
    region = check_policy.rollup_region(request.user, code, fallback=False)
    first, as_of = _month(month)
    return [{**line.__dict__, "rate": line.rate} for line in selectors.cadre_lines(request.user, region, first, as_of)]


@router.get(
    "/rollup/{code}/indicators.xlsx",
    url_name="api_dailychecks_indicators_xlsx",
    summary="导出村干部每日必查月度指标（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def indicators_xlsx(request: HttpRequest, code: str, month: str = "") -> HttpResponse:
    region = check_policy.rollup_region(request.user, code, fallback=False)
    first, as_of = _month(month)
    return downloads.indicators_response(request.user, region, first, as_of)


@pdf_route(
    router,
    "/rollup/{code}/month.pdf",
    url_name="api_dailychecks_region_month_pdf",
    summary="打印每日必查月度汇总表（PDF）",
    title="每日必查月度汇总表",
)
def region_month_pdf(request: HttpRequest, code: str, month: str = "") -> HttpResponse:
    first, as_of = _month(month)
    return printouts.region_month_response(request.user, _rollup_region(request, code), first, as_of)


@pdf_route(
    router,
    "/village/{code}/cadres/{person_id}/month.pdf",
    url_name="api_dailychecks_cadre_month_pdf",
    summary="打印村干部每日必查月度情况（PDF）",
    title="村干部每日必查月度情况",
)
def cadre_month_pdf(request: HttpRequest, code: str, person_id: int, month: str = "") -> HttpResponse:
    first, as_of = _month(month)
    return printouts.cadre_month_response(request.user, code, person_id, first, as_of)


@router.get(
    "/missed/{code}",
    response=DailyMissedListOut,
    url_name="api_dailychecks_missed",
    summary="未完成必查的村干部（默认上一个工作日）",
)
def missed(request: HttpRequest, code: str, day: date | None = None) -> dict[str, Any]:
    region = check_policy.rollup_region(request.user, code, fallback=False)
    asked = day or selectors.last_working_day(timezone.localdate())
    return {"day": asked, "cadres": [m.__dict__ for m in selectors.missed_on(request.user, region, asked)]}


@router.get(
    "/measures/{code}", response=list[DailyMeasureOut], url_name="api_dailychecks_measures", summary="县举措清单"
)
def measures(request: HttpRequest, code: str) -> list[Measure]:
    return list(selectors.measures_of(request.user, _county(request, code)))


@router.post(
    "/measures/{code}", response={201: DailyMeasureOut}, url_name="api_dailychecks_measure_add", summary="登记举措"
)
def measure_new(request: HttpRequest, code: str, payload: DailyMeasureIn) -> Status:
    made = measure_add(actor=acting_user(request), county_code=_county(request, code), **payload.dict())
    return Status(201, made)


def _measure(request: HttpRequest, measure_id: int) -> Measure:
    return measure_policy.get_or_404(request.user, pk=measure_id)


@router.get("/measure/{measure_id}", response=DailyMeasureOut, url_name="api_dailychecks_measure", summary="举措及进展")
def measure(request: HttpRequest, measure_id: int) -> Measure:
    return _measure(request, measure_id)


@router.post(
    "/measure/{measure_id}/progress",
    response={201: DailyMeasureOut},
    url_name="api_dailychecks_measure_progress",
    summary="登记举措进展",
)
def measure_progress(request: HttpRequest, measure_id: int, payload: DailyMeasureProgressIn) -> Status:
    m = _measure(request, measure_id)
    measure_progress_add(actor=acting_user(request), measure=m, **payload.dict())
    return Status(201, m)


@router.post(
    "/measure/{measure_id}/move",
    response=DailyMeasureOut,
    url_name="api_dailychecks_measure_move",
    summary="改变举措状态",
)
def measure_status(request: HttpRequest, measure_id: int, payload: DailyMeasureMoveIn) -> Measure:
    m = measure_move(
        actor=acting_user(request),
        measure=_measure(request, measure_id),
        to=payload.to,
        expected_version=payload.version,
    )
    return m
