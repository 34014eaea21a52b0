"""The breakthrough projects' API under /api/v1/breakthroughs: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.breakthroughs import printouts, selectors, views
from cunshe.breakthroughs.models import Milestone, Project, Report, Task
from cunshe.breakthroughs.permissions import milestone_policy, project_policy, task_policy
from cunshe.breakthroughs.services import (
    milestone_done,
    project_approve,
    project_finish,
    project_propose,
    project_rate,
    report_add,
    task_add,
)
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["书记突破项目"])


class BreakthroughTaskIn(Schema):
    title: str
    description: str = ""


class BreakthroughTaskOut(ModelOut):
    class Meta:
        model = Task
        fields = ("id", "county", "title", "description", "is_active")


class BreakthroughMilestoneIn(Schema):
    title: str
    due_on: date


class BreakthroughMilestoneOut(ModelOut):
    class Meta:
        model = Milestone
        fields = ("id", "position", "title", "due_on", "done_on")


class BreakthroughReportOut(ModelOut):
    has_photo: bool = Field(description="附有照片")

    class Meta:
        model = Report
        fields = ("id", "reported_on", "text", "has_photo")

    @staticmethod
    def resolve_has_photo(r: Report) -> bool:
        return bool(r.photo)


class BreakthroughProposeIn(Schema):
    task_id: int
    title: str
    goal: str
    milestones: list[BreakthroughMilestoneIn]
    proposed_on: date


class BreakthroughProjectOut(ModelOut):
    milestones: list[BreakthroughMilestoneOut]
    reports: list[BreakthroughReportOut]

    class Meta:
        model = Project
        fields = (
            "id", "region", ("secretary", "secretary__name"), ("task", "task__title"), "title", "goal", "status",
            "proposed_on", "approved_on", "finished_on", "result", "rating", "rating_note", "version", "milestones",
            "reports",
        )  # fmt: skip


class BreakthroughDayIn(Schema):
    day: date
    version: int | None = None


class BreakthroughFinishIn(Schema):
    finished_on: date
    result: str
    version: int


class BreakthroughRateIn(Schema):
    rating: str
    note: str
    rated_on: date
    version: int


def _project_out(p: Project) -> Project:
    """The project read again with what its answer shows (after a write, its milestones and reports changed)."""
    return Project.objects.select_related("task", "secretary").prefetch_related("milestones", "reports").get(pk=p.pk)


def _county(request: HttpRequest, code: str) -> Region:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not task_policy.can_in_region(request.user, "view", county.code):
        raise Http404("未找到该县。")
    return county


@router.get("/tasks/{code}", response=list[BreakthroughTaskOut], url_name="api_breakthroughs_tasks", summary="任务清单")
def tasks(request: HttpRequest, code: str) -> QuerySet[Task]:
    return selectors.tasks_of(request.user, _county(request, code).code)


@router.post(
    "/tasks/{code}", response={201: BreakthroughTaskOut}, url_name="api_breakthroughs_task_new", summary="增加任务"
)
def task_new(request: HttpRequest, code: str, payload: BreakthroughTaskIn) -> Status:
    task = task_add(actor=acting_user(request), county_code=_county(request, code).code, **payload.dict())
    return Status(201, task)


@router.get(
    "/region/{code}", response=list[BreakthroughProjectOut], url_name="api_breakthroughs_region", summary="项目列表"
)
@paginate(Paged)
def region(request: HttpRequest, code: str) -> QuerySet[Project]:
    # A county's projects grow each term: a page at a time (the list stopped at 500 and read each project's
    # milestones and reports row by row).
    place = project_policy.rollup_region(request.user, code, fallback=False)
    projects = selectors.projects_under(request.user, place.code)
    return projects.prefetch_related("milestones", "reports").order_by("region_id", "pk")


@router.get(
    "/region/{code}/ledger.xlsx",
    url_name="api_breakthroughs_ledger",
    summary="项目台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return views.ledger_response(request.user, project_policy.rollup_region(request.user, code, fallback=False))


@router.post(
    "/village/{code}/propose",
    response={201: BreakthroughProjectOut},
    url_name="api_breakthroughs_propose",
    summary="申报书记突破项目",
)
def propose(request: HttpRequest, code: str, payload: BreakthroughProposeIn) -> Status:
    place = project_policy.village_or_404(request.user, code)
    task = selectors.tasks_of(request.user, place.code).filter(pk=payload.task_id).first()
    if task is None:
        raise Http404("未找到该任务。")
    p = project_propose(
        actor=acting_user(request),
        village_code=place.code,
        task=task,
        title=payload.title,
        goal=payload.goal,
        milestones=[(m.title, m.due_on) for m in payload.milestones],
        proposed_on=payload.proposed_on,
    )
    return Status(201, _project_out(p))


def _project(request: HttpRequest, project_id: int) -> Project:
    return project_policy.get_or_404(request.user, pk=project_id)


@router.get(
    "/project/{project_id}", response=BreakthroughProjectOut, url_name="api_breakthroughs_project", summary="项目"
)
def project(request: HttpRequest, project_id: int) -> Project:
    return _project_out(_project(request, project_id))


@pdf_route(
    router,
    "/project/{project_id}/sheet.pdf",
    url_name="api_breakthroughs_project_sheet",
    summary="项目书（打印）",
    title="书记突破项目书",
)
def project_sheet(request: HttpRequest, project_id: int) -> HttpResponse:
    return printouts.project_sheet_response(
        project_policy.get_or_404(
            request.user, queryset=Project.objects.select_related("region", "task", "secretary"), pk=project_id
        )
    )


@router.post(
    "/project/{project_id}/approve",
    response=BreakthroughProjectOut,
    url_name="api_breakthroughs_approve",
    summary="审定（乡镇）",
)
def approve(request: HttpRequest, project_id: int, payload: BreakthroughDayIn) -> Project:
    p = project_approve(
        actor=acting_user(request),
        project=_project(request, project_id),
        approved_on=payload.day,
        expected_version=payload.version,
    )
    return _project_out(p)


@router.post(
    "/milestone/{milestone_id}/done",
    response=BreakthroughProjectOut,
    url_name="api_breakthroughs_milestone",
    summary="节点完成",
)
def milestone(request: HttpRequest, milestone_id: int, payload: BreakthroughDayIn) -> Project:
    m = milestone_policy.get_or_404(request.user, pk=milestone_id)
    milestone_done(actor=acting_user(request), milestone=m, done_on=payload.day)
    return _project_out(m.project)


@router.post(
    "/project/{project_id}/reports",
    response={201: BreakthroughProjectOut},
    url_name="api_breakthroughs_report",
    summary="报告进展（multipart：reported_on、text、photo）",
)
def report(
    request: HttpRequest,
    project_id: int,
    reported_on: Form[date],
    text: Form[str],
    photo: File[UploadedFile] | None = None,
) -> Status:
    p = _project(request, project_id)
    report_add(actor=acting_user(request), project=p, reported_on=reported_on, text=text, photo=photo)
    return Status(201, _project_out(p))


@router.get(
    "/photo/{report_id}",
    url_name="api_breakthroughs_photo",
    summary="进展照片",
    openapi_extra=file_answer("image/*", "照片"),
)
def photo(request: HttpRequest, report_id: int) -> FileResponse:
    return views.photo_response(request.user, report_id)


@router.post(
    "/project/{project_id}/finish",
    response=BreakthroughProjectOut,
    url_name="api_breakthroughs_finish",
    summary="报告完成（成效）",
)
def finish(request: HttpRequest, project_id: int, payload: BreakthroughFinishIn) -> Project:
    p = project_finish(
        actor=acting_user(request),
        project=_project(request, project_id),
        finished_on=payload.finished_on,
        result=payload.result,
        expected_version=payload.version,
    )
    return _project_out(p)


@router.post(
    "/project/{project_id}/rate",
    response=BreakthroughProjectOut,
    url_name="api_breakthroughs_rate",
    summary="评价（乡镇）",
)
def rate(request: HttpRequest, project_id: int, payload: BreakthroughRateIn) -> Project:
    p = project_rate(
        actor=acting_user(request),
        project=_project(request, project_id),
        rating=payload.rating,
        note=payload.note,
        rated_on=payload.rated_on,
        expected_version=payload.version,
    )
    return _project_out(p)
