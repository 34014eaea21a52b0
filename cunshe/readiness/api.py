from datetime import date

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from cunshe.accounts.selectors import acting_user
from cunshe.readiness.models import Task
from cunshe.readiness.permissions import assessment_policy, task_policy
from cunshe.readiness.selectors import readiness_table, rehearsal
from cunshe.readiness.services import assessment_file, task_move

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


class CandidateOut(Schema):
    name: str
    gender: str
    post: str
    source: str


class RehearsalOut(Schema):
    seats: list[tuple[str, int]]
    candidates: list[CandidateOut]
    gaps: list[str]


class ReadinessAssessmentIn(Schema):
    assessed_on: date
    stability: str
    risk: str
    petitions: int = 0
    conflicts: str = ""
    candidates: str = ""
    note: str = ""


class ReadinessAssessmentOut(Schema):
    id: int
    region: str
    assessed_on: date
    stability: str
    risk: str


class TaskMoveIn(Schema):
    to_status: str
    version: int
    done_on: date | None = None


class TaskOut(Schema):
    id: int
    region: str
    title: str
    owner: str
    due_on: date
    status: str
    done_on: date | None
    version: int


_ROW_KEYS = ("code", "name", "red", "yellow", "green", "tasks", "tasks_done", "tasks_overdue", "intents")


@router.get("/table", response=list[RowOut], url_name="api_readiness_table", summary="选情汇总（下级汇总）")
def table(request: HttpRequest, under: str = "") -> list[dict[str, object]]:
    code = assessment_policy.rollup_region(request.user, under, fallback=False).code
    result = readiness_table(request.user, code)
    return [{k: getattr(r, k) for k in _ROW_KEYS} for r in [*result.rows, result.total]]


@router.get("/{code}/rehearsal", response=RehearsalOut, url_name="api_readiness_rehearsal", summary="沙盘推演")
def rehearsal_view(request: HttpRequest, code: str) -> dict[str, object]:
    if not assessment_policy.can_in_region(request.user, "view", code):
        raise Http404
    r = rehearsal(request.user, code)
    return {"seats": r.seats, "candidates": r.candidates, "gaps": r.gaps}


@router.post(
    "/{code}/assessments", response={201: ReadinessAssessmentOut}, url_name="api_readiness_assess", summary="选情评估"
)
def assess(request: HttpRequest, code: str, payload: ReadinessAssessmentIn) -> Status:
    a = assessment_file(actor=acting_user(request), village_code=code, **payload.dict())
    return Status(
        201, {"id": a.pk, "region": a.region_id, "assessed_on": a.assessed_on, "stability": a.stability, "risk": a.risk}
    )


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
    return {k: getattr(task, k) for k in ("id", "title", "owner", "due_on", "status", "done_on", "version")} | {
        "region": task.region_id
    }
