from datetime import date
from typing import Any, BinaryIO, cast

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema
from cunshe.readiness.exports import intents_import, intents_response, readiness_response
from cunshe.readiness.models import Intent, PlanItem, ReadinessAssessment, Task, TemplateTask
from cunshe.readiness.permissions import (
    assessment_policy,
    intent_policy,
    plan_item_policy,
    task_policy,
    template_county_or_404,
    template_task_or_404,
)
from cunshe.readiness.printouts import village_file_response
from cunshe.readiness.selectors import (
    assessments_of,
    intents_of,
    plan_items_of,
    readiness_table,
    rehearsal,
    tasks_of,
    template_tasks_of,
)
from cunshe.readiness.services import (
    DEFAULT_TEMPLATE,
    assessment_file,
    intent_record,
    plan_item_add,
    plan_item_done,
    plan_item_update,
    task_move,
    template_task_add,
    template_task_set_active,
    template_task_update,
    work_plan_make,
)
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut
from cunshe.teams.models import TeamMember
from cunshe.teams.permissions import team_policy
from cunshe.teams.selectors import current_members
from cunshe.termchanges.selectors import current_term_change

router = Router(tags=["选情评估"])


class RowOut(Schema):
    code: str
    name: str
    red: int
    yellow: int
    green: int
    tasks: int
    tasks_done: int
    tasks_overdue: int
    intents: int


class ReadinessCandidateOut(Schema):
    name: str
    gender: str
    post: str
    source: str


class RehearsalOut(Schema):
    seats: list[tuple[str, int]]
    candidates: list[ReadinessCandidateOut]
    gaps: list[str]


class ReadinessAssessmentIn(Schema):
    assessed_on: date
    stability: str
    risk: str
    petitions: int = 0
    conflicts: str = ""
    candidates: str = ""
    note: str = ""


class ReadinessAssessmentOut(ModelOut):
    class Meta:
        model = ReadinessAssessment
        fields = ("id", "region", "assessed_on", "stability", "risk", "petitions", "conflicts", "candidates", "note")


class TaskMoveIn(Schema):
    to_status: str
    version: int
    done_on: date | None = None


class TaskOut(ModelOut):
    class Meta:
        model = Task
        fields = ("id", "region", "title", "owner", "due_on", "status", "done_on", "version")


_ROW_KEYS = ("code", "name", "red", "yellow", "green", "tasks", "tasks_done", "tasks_overdue", "intents")


@router.get("/table", response=list[RowOut], url_name="api_readiness_table", summary="选情汇总（下级汇总）")
def table(request: HttpRequest, under: str = "") -> list[dict[str, object]]:
    code = assessment_policy.rollup_region(request.user, under, fallback=False).code
    result = readiness_table(request.user, code)
    return [{k: getattr(r, k) for k in _ROW_KEYS} for r in [*result.rows, result.total]]


@router.get(
    "/table.xlsx",
    url_name="api_readiness_table_export",
    summary="选情汇总表（Excel）",
    openapi_extra=file_answer(XLSX, "选情汇总表"),
)
def table_download(request: HttpRequest, under: str = "") -> HttpResponse:
    return readiness_response(request.user, assessment_policy.rollup_region(request.user, under, fallback=False))


@router.get(
    "/intents.xlsx",
    url_name="api_readiness_intents_export",
    summary="换届意愿排摸表（Excel，导入时用同一格式）",
    openapi_extra=file_answer(XLSX, "换届意愿排摸表"),
)
def intents_download(request: HttpRequest, under: str = "") -> HttpResponse:
    return intents_response(request.user, intent_policy.rollup_region(request.user, under, fallback=False))


@router.post(
    "/intents/import",
    response=ImportReportOut,
    url_name="api_readiness_intents_import",
    summary="导入换届意愿排摸表（multipart 字段 file；任一行有误则不保存，errors 按行列出）",
)
def intents_upload(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    if not intent_policy.anywhere(request.user, "change"):
        raise Http404
    return intents_import(actor=acting_user(request), stream=cast(BinaryIO, file)).answer()


@pdf_route(
    router,
    "/{code}/file.pdf",
    url_name="api_readiness_village_file",
    summary="一村一策一表（PDF：选情评估表、一村一策、选务作战图、沙盘推演）",
    title="一村一策一表",
)
def village_file(request: HttpRequest, code: str) -> HttpResponse:
    return village_file_response(request.user, assessment_policy.village_or_404(request.user, code, "view"))


@router.get("/{code}/rehearsal", response=RehearsalOut, url_name="api_readiness_rehearsal", summary="沙盘推演")
def rehearsal_view(request: HttpRequest, code: str) -> dict[str, object]:
    if not assessment_policy.can_in_region(request.user, "view", code):
        raise Http404
    r = rehearsal(request.user, code)
    return {"seats": r.seats, "candidates": r.candidates, "gaps": r.gaps}


def _assessment(a: ReadinessAssessment) -> dict[str, object]:
    keys = ("id", "assessed_on", "stability", "risk", "petitions", "conflicts", "candidates", "note")
    return {k: getattr(a, k) for k in keys} | {"region": a.region_id}


@router.get(
    "/{code}/assessments",
    response=list[ReadinessAssessmentOut],
    url_name="api_readiness_assessments",
    summary="选情评估表（含历史，新的在前）",
)
def assessments(request: HttpRequest, code: str) -> list[dict[str, object]]:
    assessment_policy.village_or_404(request.user, code)
    return [_assessment(a) for a in assessments_of(request.user, code)]


@router.post(
    "/{code}/assessments", response={201: ReadinessAssessmentOut}, url_name="api_readiness_assess", summary="选情评估"
)
def assess(request: HttpRequest, code: str, payload: ReadinessAssessmentIn) -> Status:
    return Status(201, _assessment(assessment_file(actor=acting_user(request), village_code=code, **payload.dict())))


@router.post("/tasks/{task_id}/status", response=TaskOut, url_name="api_readiness_task", summary="作战图事项状态")
def task_status(request: HttpRequest, task_id: int, payload: TaskMoveIn) -> dict[str, object]:
    task = task_policy.get_or_404(request.user, queryset=Task.objects.select_related("term_change"), pk=task_id)
    task_move(
        actor=acting_user(request),
        task=task,
        to_status=payload.to_status,
        expected_version=payload.version,
        done_on=payload.done_on,
    )
    return _task(task)


def _task(task: Task) -> dict[str, object]:
    keys = ("id", "title", "owner", "due_on", "status", "done_on", "version")
    return {k: getattr(task, k) for k in keys} | {"region": task.region_id}


@router.get("/{code}/tasks", response=list[TaskOut], url_name="api_readiness_tasks", summary="选务作战图")
def tasks(request: HttpRequest, code: str) -> list[dict[str, object]]:
    assessment_policy.village_or_404(request.user, code)
    return [_task(t) for t in tasks_of(request.user, code)]


class WorkPlanIn(Schema):
    owner: str


@router.post(
    "/{code}/workplan",
    response={201: list[TaskOut]},
    url_name="api_readiness_work_plan",
    summary="按县模板制定选务作战图",
)
def work_plan(request: HttpRequest, code: str, payload: WorkPlanIn) -> Status:
    assessment_policy.village_or_404(request.user, code, "change")
    made = work_plan_make(actor=acting_user(request), village_code=code, owner=payload.owner)
    return Status(201, [_task(t) for t in made])


class PlanItemIn(Schema):
    problem: str
    measure: str
    owner: str
    due_on: date


class PlanItemOut(ModelOut):
    class Meta:
        model = PlanItem
        fields = ("id", "region", "problem", "measure", "owner", "due_on", "done_on", "version")


class PlanItemEditIn(PlanItemIn):
    version: int  # the version read


class PlanDoneIn(Schema):
    done_on: date
    version: int


def _plan_item(item: PlanItem) -> dict[str, object]:
    keys = ("id", "problem", "measure", "owner", "due_on", "done_on", "version")
    return {k: getattr(item, k) for k in keys} | {"region": item.region_id}


@router.get("/{code}/plan", response=list[PlanItemOut], url_name="api_readiness_plan", summary="一村一策")
def plan(request: HttpRequest, code: str) -> list[dict[str, object]]:
    assessment_policy.village_or_404(request.user, code)
    return [_plan_item(p) for p in plan_items_of(request.user, code)]


@router.post(
    "/{code}/plan", response={201: PlanItemOut}, url_name="api_readiness_plan_add", summary="一村一策：加入一项"
)
def plan_add(request: HttpRequest, code: str, payload: PlanItemIn) -> Status:
    assessment_policy.village_or_404(request.user, code, "change")
    item = plan_item_add(actor=acting_user(request), village_code=code, **payload.dict())
    return Status(201, _plan_item(item))


@router.post(
    "/plan/{item_id}/done", response=PlanItemOut, url_name="api_readiness_plan_done", summary="一村一策：完成一项"
)
def plan_done(request: HttpRequest, item_id: int, payload: PlanDoneIn) -> dict[str, object]:
    item = plan_item_policy.get_or_404(request.user, pk=item_id)
    plan_item_done(actor=acting_user(request), item=item, done_on=payload.done_on, expected_version=payload.version)
    return _plan_item(item)


@router.put(
    "/plan/{item_id}",
    response=PlanItemOut,
    url_name="api_readiness_plan_update",
    summary="一村一策：修改未完成的一项",
)
def plan_update(request: HttpRequest, item_id: int, payload: PlanItemEditIn) -> dict[str, object]:
    item = plan_item_policy.get_or_404(
        request.user, queryset=PlanItem.objects.select_related("term_change"), pk=item_id
    )
    plan_item_update(
        actor=acting_user(request),
        item=item,
        expected_version=payload.version,
        problem=payload.problem,
        measure=payload.measure,
        owner=payload.owner,
        due_on=payload.due_on,
    )
    return _plan_item(item)


class IntentOut(Schema):
    member_id: int
    person_id: int
    person_name: str
    post: str
    intention: str | None  # None: not surveyed yet
    desired_post: str
    note: str
    surveyed_on: date | None
    version: int | None  # to send back when revising


class IntentIn(Schema):
    member_id: int
    intention: str
    desired_post: str = ""
    note: str = ""
    surveyed_on: date
    version: int | None = None  # the version read, when revising a recorded intention


def _intent(member: TeamMember, intent: Intent | None) -> dict[str, object]:
    return {
        "member_id": member.pk,
        "person_id": member.person_id,
        "person_name": member.person.name,
        "post": member.post,
        "intention": intent.intention if intent else None,
        "desired_post": intent.desired_post if intent else "",
        "note": intent.note if intent else "",
        "surveyed_on": intent.surveyed_on if intent else None,
        "version": intent.version if intent else None,
    }


@router.get("/{code}/intents", response=list[IntentOut], url_name="api_readiness_intents", summary="换届意愿排摸")
def intents(request: HttpRequest, code: str) -> list[dict[str, object]]:
    """Every current cadre with the intention recorded for them, as on the village page."""
    assessment_policy.village_or_404(request.user, code)
    if not team_policy.can_in_region(request.user, "view", code):
        return []
    found = {i.member_id: i for i in intents_of(request.user, code)}
    return [_intent(m, found.get(m.pk)) for m in current_members(code)]


@router.post("/{code}/intents", response=IntentOut, url_name="api_readiness_intent", summary="换届意愿排摸：记录或修改")
def intent(request: HttpRequest, code: str, payload: IntentIn) -> dict[str, object]:
    assessment_policy.village_or_404(request.user, code, "change")
    member = current_members(code).filter(pk=payload.member_id).first()
    if member is None:
        raise Http404("未找到该班子成员。")
    recorded = intent_record(
        actor=acting_user(request),
        member=member,
        intention=payload.intention,
        desired_post=payload.desired_post,
        note=payload.note,
        surveyed_on=payload.surveyed_on,
        expected_version=payload.version,
    )
    return _intent(member, recorded)


class TemplateTaskIn(Schema):
    title: str
    offset_days: int


class TemplateTaskOut(ModelOut):
    id: int | None
    active: bool
    version: int | None

    class Meta:
        model = TemplateTask
        fields = ("id", "position", "title", "offset_days", "active", "retired_on", "version")


class TemplateTaskEditIn(Schema):
    title: str
    offset_days: int
    position: int | None = None  # move the task there; the tasks between shift by one
    version: int  # the version read


class TemplateTaskActiveIn(Schema):
    active: bool  # False 停用, True 启用
    version: int  # the version read


class ReadinessTemplateOut(Schema):
    county: str
    is_default: bool  # the county has set none: work plans are made from the default one
    tasks: list[TemplateTaskOut]


def _template_task(task: TemplateTask) -> dict[str, object]:
    keys = ("id", "position", "title", "offset_days", "retired_on", "version")
    return {k: getattr(task, k) for k in keys} | {"active": task.is_active}


@router.get(
    "/template/{code}", response=ReadinessTemplateOut, url_name="api_readiness_template", summary="选务作战图模板"
)
def template(request: HttpRequest, code: str) -> dict[str, object]:
    """The county's tasks, in use and taken out; the default template's while the county has set none."""
    county = template_county_or_404(request.user, code)
    term_change = current_term_change(county.code)
    tasks = list(template_tasks_of(request.user, term_change)) if term_change else []
    default = DEFAULT_TEMPLATE if term_change and not tasks else []
    return {
        "county": county.code,
        "is_default": bool(default),
        "tasks": [_template_task(t) for t in tasks]
        + [
            {
                "id": None,
                "position": n,
                "title": t,
                "offset_days": d,
                "active": True,
                "retired_on": None,
                "version": None,
            }
            for n, (t, d) in enumerate(default, start=1)
        ],
    }


@router.post(
    "/template/{code}",
    response={201: TemplateTaskOut},
    url_name="api_readiness_template_add",
    summary="选务作战图模板：增加事项",
)
def template_add(request: HttpRequest, code: str, payload: TemplateTaskIn) -> Status:
    county = template_county_or_404(request.user, code)
    added = template_task_add(
        actor=acting_user(request), county_code=county.code, title=payload.title, offset_days=payload.offset_days
    )
    return Status(201, _template_task(added))


@router.put(
    "/template/tasks/{task_id}",
    response=TemplateTaskOut,
    url_name="api_readiness_template_task_update",
    summary="选务作战图模板：修改事项（名称、天数、序号）",
)
def template_task_edit(request: HttpRequest, task_id: int, payload: TemplateTaskEditIn) -> dict[str, object]:
    task = template_task_or_404(request.user, task_id)
    template_task_update(
        actor=acting_user(request),
        task=task,
        expected_version=payload.version,
        title=payload.title,
        offset_days=payload.offset_days,
        position=payload.position,
    )
    return _template_task(task)


# 停用/启用 is its own operation, not a field of the PUT: it is a status change (a transition with its own record-book
# entry and its own refusals, such as taking out the last task in use), while the PUT corrects what a task says.
@router.post(
    "/template/tasks/{task_id}/active",
    response=TemplateTaskOut,
    url_name="api_readiness_template_task_active",
    summary="选务作战图模板：停用或启用事项（已制定的作战图不受影响）",
)
def template_task_active(request: HttpRequest, task_id: int, payload: TemplateTaskActiveIn) -> dict[str, object]:
    task = template_task_or_404(request.user, task_id)
    template_task_set_active(
        actor=acting_user(request), task=task, expected_version=payload.version, active=payload.active
    )
    return _template_task(task)
