"""The annual lists' API under /api/v1/annuallists: every operation of the pages, same services and files."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from cunshe.accounts.selectors import acting_user
from cunshe.annuallists import downloads, selectors
from cunshe.annuallists.models import AnnualList, ListItem, RoundVisit, VisitRound
from cunshe.annuallists.permissions import item_policy, list_policy, round_policy
from cunshe.annuallists.services import (
    goal_add,
    item_add,
    item_progress,
    list_draft,
    list_pledge,
    list_review,
    list_submit,
    round_open,
    round_visit_record,
)
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import Schema
from cunshe.regions.models import Level
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["初心清单"])


class AnnualRoundIn(Schema):
    opened_on: date
    households: int


class AnnualRoundOut(Schema):
    id: int
    region: str
    opened_on: date
    households: int
    visited: int
    coverage: str
    target: str
    reached_on: date | None
    version: int


class AnnualVisitIn(Schema):
    household: str
    visited_on: date
    visitors: str
    opinion: str = ""


class AnnualVisitOut(Schema):
    id: int
    household: str
    visited_on: date
    visitors: str
    opinion: str


class AnnualListIn(Schema):
    year: int
    drafted_on: date


class AnnualEntryOut(Schema):
    written_on: date
    note: str
    status: str


class AnnualItemOut(Schema):
    id: int
    title: str
    responsible: str
    due_on: date
    status: str
    status_label: str
    done_on: date | None
    answers: list[int]
    entries: list[AnnualEntryOut]
    version: int


class AnnualMilestone(Schema):
    year: int
    text: str


class AnnualGoalOut(Schema):
    id: int
    area: str
    area_label: str
    goal: str
    milestones: list[AnnualMilestone]


class AnnualListOut(Schema):
    id: int
    region: str
    year: int
    status: str
    status_label: str
    drafted_on: date
    return_reason: str
    approved_on: date | None
    pledged_on: date | None
    pledge_place: str
    pledge_attendance: int | None
    has_evidence: bool
    party_meeting: int | None
    version: int


class AnnualListDetail(AnnualListOut):
    items: list[AnnualItemOut]
    goals: list[AnnualGoalOut]


class AnnualVillageOut(Schema):
    code: str
    name: str
    round: AnnualRoundOut | None
    lists: list[AnnualListOut]


class AnnualItemIn(Schema):
    title: str
    responsible: str
    due_on: date
    answers: list[int] = []
    version: int


class AnnualGoalIn(Schema):
    area: str
    goal: str
    milestones: list[AnnualMilestone]
    version: int


class AnnualVersionIn(Schema):
    version: int


class AnnualReviewIn(Schema):
    approve: bool
    reason: str = ""
    reviewed_on: date | None = None
    version: int


class AnnualProgressIn(Schema):
    written_on: date
    note: str
    status: str
    version: int


class AnnualRollupRowOut(Schema):
    code: str
    name: str
    villages: int
    approved: int
    public: int
    items: int
    done: int


class AnnualRollupOut(Schema):
    year: int
    rows: list[AnnualRollupRowOut]
    total: AnnualRollupRowOut


def round_out(r: VisitRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "region": r.region_id,
        "opened_on": r.opened_on,
        "households": r.households,
        "visited": r.visited,
        "coverage": r.percent,
        "target": r.target_percent,
        "reached_on": r.reached_on,
        "version": r.version,
    }


def visit_out(v: RoundVisit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "household": v.household,
        "visited_on": v.visited_on,
        "visitors": v.visitors,
        "opinion": v.opinion,
    }


def list_out(a: AnnualList) -> dict[str, Any]:
    return {
        "id": a.pk,
        "region": a.region_id,
        "year": a.year,
        "status": a.status,
        "status_label": a.get_status_display(),
        "drafted_on": a.drafted_on,
        "return_reason": a.return_reason,
        "approved_on": a.approved_on,
        "pledged_on": a.pledged_on,
        "pledge_place": a.pledge_place,
        "pledge_attendance": a.pledge_attendance,
        "has_evidence": bool(a.pledge_evidence),
        "party_meeting": a.party_meeting_id,
        "version": a.version,
    }


def item_out(i: ListItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "responsible": i.responsible,
        "due_on": i.due_on,
        "status": i.status,
        "status_label": i.get_status_display(),
        "done_on": i.done_on,
        "answers": [v.pk for v in i.answers.all()],
        "entries": [{"written_on": e.written_on, "note": e.note, "status": e.status} for e in i.entries.all()],
        "version": i.version,
    }


def detail_out(a: AnnualList) -> dict[str, Any]:
    return {
        **list_out(a),
        "items": [item_out(i) for i in selectors.items_of(a)],
        "goals": [
            {"id": g.pk, "area": g.area, "area_label": g.get_area_display(), "goal": g.goal, "milestones": g.milestones}
            for g in a.goals.all()
        ],
    }


def _list(request: HttpRequest, list_id: int) -> AnnualList:
    return list_policy.get_or_404(request.user, pk=list_id)


@router.get(
    "/village/{code}", response=AnnualVillageOut, url_name="api_annuallists_village", summary="村(社区)初心清单"
)
def village(request: HttpRequest, code: str) -> dict[str, Any]:
    place = list_policy.village_or_404(request.user, code)
    visit_round = selectors.round_of(request.user, place)
    return {
        "code": place.code,
        "name": place.name,
        "round": round_out(visit_round) if visit_round else None,
        "lists": [list_out(a) for a in selectors.lists_of(request.user, place)],
    }


@router.post(
    "/village/{code}/round",
    response={201: AnnualRoundOut},
    url_name="api_annuallists_round_open",
    summary="开始新任期入户走访",
)
def round_new(request: HttpRequest, code: str, payload: AnnualRoundIn) -> Status:
    place = list_policy.village_or_404(request.user, code)
    r = round_open(actor=acting_user(request), village_code=place.code, **payload.dict())
    return Status(201, round_out(r))


@router.get(
    "/round/{round_id}/visits",
    response=list[AnnualVisitOut],
    url_name="api_annuallists_visits",
    summary="新任期入户走访记录",
)
def visits(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    r = round_policy.get_or_404(request.user, pk=round_id)
    return [visit_out(v) for v in selectors.round_visits(r)]


@router.post(
    "/round/{round_id}/visits",
    response={201: AnnualVisitOut},
    url_name="api_annuallists_visit",
    summary="登记新任期入户走访",
)
def visit(request: HttpRequest, round_id: int, payload: AnnualVisitIn) -> Status:
    r = round_policy.get_or_404(request.user, pk=round_id)
    v = round_visit_record(actor=acting_user(request), visit_round=r, **payload.dict())
    return Status(201, visit_out(v))


@router.post(
    "/village/{code}/lists",
    response={201: AnnualListDetail},
    url_name="api_annuallists_draft",
    summary="制定初心清单（入户走访达到目标后）",
)
def draft(request: HttpRequest, code: str, payload: AnnualListIn) -> Status:
    place = list_policy.village_or_404(request.user, code)
    a = list_draft(actor=acting_user(request), village_code=place.code, **payload.dict())
    return Status(201, detail_out(a))


@router.get("/list/{list_id}", response=AnnualListDetail, url_name="api_annuallists_list", summary="初心清单详情")
def detail(request: HttpRequest, list_id: int) -> dict[str, Any]:
    return detail_out(_list(request, list_id))


@router.post(
    "/list/{list_id}/items", response={201: AnnualItemOut}, url_name="api_annuallists_item_new", summary="添加清单事项"
)
def item_new(request: HttpRequest, list_id: int, payload: AnnualItemIn) -> Status:
    fields = payload.dict(exclude={"version"})
    i = item_add(
        actor=acting_user(request), annual_list=_list(request, list_id), expected_version=payload.version, **fields
    )
    return Status(201, item_out(i))


@router.post(
    "/list/{list_id}/goals",
    response={201: AnnualGoalOut},
    url_name="api_annuallists_goal_new",
    summary="添加五年规划目标",
)
def goal_new(request: HttpRequest, list_id: int, payload: AnnualGoalIn) -> Status:
    g = goal_add(
        actor=acting_user(request),
        annual_list=_list(request, list_id),
        area=payload.area,
        goal=payload.goal,
        milestones=[m.dict() for m in payload.milestones],
        expected_version=payload.version,
    )
    return Status(
        201,
        {"id": g.pk, "area": g.area, "area_label": g.get_area_display(), "goal": g.goal, "milestones": g.milestones},
    )


@router.post(
    "/list/{list_id}/submit", response=AnnualListOut, url_name="api_annuallists_submit", summary="报乡镇(街道)审核"
)
def submit(request: HttpRequest, list_id: int, payload: AnnualVersionIn) -> dict[str, Any]:
    a = list_submit(actor=acting_user(request), annual_list=_list(request, list_id), expected_version=payload.version)
    return list_out(a)


@router.post(
    "/list/{list_id}/review", response=AnnualListOut, url_name="api_annuallists_review", summary="审核（通过或退回）"
)
def review(request: HttpRequest, list_id: int, payload: AnnualReviewIn) -> dict[str, Any]:
    a = list_review(
        actor=acting_user(request),
        annual_list=_list(request, list_id),
        approve=payload.approve,
        reason=payload.reason,
        reviewed_on=payload.reviewed_on,
        expected_version=payload.version,
    )
    return list_out(a)


@router.post(
    "/list/{list_id}/pledge",
    response=AnnualListOut,
    url_name="api_annuallists_pledge",
    summary="主题党日公开承诺（multipart：pledged_on、place、attendance、version、evidence，可选 party_meeting）",
)
def pledge(
    request: HttpRequest,
    list_id: int,
    pledged_on: Form[date],
    place: Form[str],
    attendance: Form[int],
    version: Form[int],
    evidence: File[UploadedFile],
    party_meeting: Form[int | None] = None,
) -> dict[str, Any]:
    a = list_pledge(
        actor=acting_user(request),
        annual_list=_list(request, list_id),
        pledged_on=pledged_on,
        place=place,
        attendance=attendance,
        evidence=evidence,
        party_meeting=party_meeting,
        expected_version=version,
    )
    return list_out(a)


@pdf_route(
    router,
    "/list/{list_id}/list.pdf",
    url_name="api_annuallists_list_pdf",
    summary="初心清单（PDF，张贴公开栏）",
    title="初心清单",
)
def list_pdf(request: HttpRequest, list_id: int) -> HttpResponse:
    return downloads.list_response(_list(request, list_id))


@router.post(
    "/item/{item_id}/progress",
    response={201: AnnualItemOut},
    url_name="api_annuallists_progress",
    summary="登记清单事项进展",
)
def progress(request: HttpRequest, item_id: int, payload: AnnualProgressIn) -> Status:
    item = item_policy.get_or_404(request.user, pk=item_id)
    item_progress(
        actor=acting_user(request),
        item=item,
        written_on=payload.written_on,
        note=payload.note,
        status=payload.status,
        expected_version=payload.version,
    )
    return Status(201, item_out(ListItem.objects.prefetch_related("answers", "entries").get(pk=item.pk)))


def _rollup_region(request: HttpRequest, code: str) -> Any:
    region = list_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("汇总按县或乡镇(街道)查看。")
    return region


@router.get("/rollup/{code}", response=AnnualRollupOut, url_name="api_annuallists_rollup", summary="初心清单汇总")
def rollup(request: HttpRequest, code: str, year: int | None = None) -> dict[str, Any]:
    region = _rollup_region(request, code)
    year = year or selectors.default_year()
    rows, total = selectors.rollup(request.user, region, year)
    return {"year": year, "rows": [r.__dict__ for r in rows], "total": total.__dict__}


@router.get(
    "/rollup/{code}/lists.xlsx",
    url_name="api_annuallists_rollup_xlsx",
    summary="导出初心清单汇总表（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def rollup_xlsx(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    return downloads.rollup_response(request.user, _rollup_region(request, code), year or selectors.default_year())
