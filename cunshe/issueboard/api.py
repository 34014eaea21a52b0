from datetime import date
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema
from cunshe.issueboard.exports import board_response
from cunshe.issueboard.models import Issue, IssueTally
from cunshe.issueboard.permissions import issue_policy
from cunshe.issueboard.printouts import wall_chart_response
from cunshe.issueboard.selectors import board, issues_of_village, tally_of_village
from cunshe.issueboard.services import issue_assign, issue_move, issue_raise, village_flag
from cunshe.offline.submissions import submit_once
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["问题清单"])


class BoardRowOut(Schema):
    code: str
    name: str
    open: int
    overdue: int
    closed: int
    difficult: int
    progress: float | None


class IssueOut(ModelOut):
    class Meta:
        model = Issue
        fields = (
            "id", "region", "title", "detail", "source", "visit_id", "owner", "due_on", "status", "resolution",
            "closed_on", "version",
        )  # fmt: skip


class IssueIn(Schema):
    title: str
    owner: str
    due_on: date
    detail: str = ""
    client_id: UUID | None = Field(
        None, description="客户端为本条记录生成的 UUID：重复提交同一编号只保存一次，并返回第一次的结果（200）"
    )


class IssueMoveIn(Schema):
    to_status: str
    version: int
    resolution: str = ""
    closed_on: date | None = None


@pdf_route(
    router, "/board.pdf", url_name="api_issueboard_wall_chart", summary="问题清单挂图作战表（PDF）", title="挂图作战表"
)
def wall_chart(request: HttpRequest, under: str = "") -> HttpResponse:
    return wall_chart_response(request.user, issue_policy.rollup_region(request.user, under, fallback=False))


@router.get(
    "/board.xlsx",
    url_name="api_issueboard_export",
    summary="下载问题清单看板（Excel）",
    openapi_extra=file_answer(XLSX, "问题清单看板"),
)
def board_download(request: HttpRequest, under: str = "") -> HttpResponse:
    return board_response(request.user, issue_policy.rollup_region(request.user, under, fallback=False))


@router.get("/board", response=list[BoardRowOut], url_name="api_issueboard_board", summary="问题清单看板（下级汇总）")
def board_rows(request: HttpRequest, under: str = "") -> list[dict[str, object]]:
    code = issue_policy.rollup_region(request.user, under, fallback=False).code
    table = board(request.user, code)
    return [
        {
            "code": r.code,
            "name": r.name,
            "open": r.open,
            "overdue": r.overdue,
            "closed": r.closed,
            "difficult": r.difficult,
            "progress": r.progress,
        }
        for r in [*table.rows, table.total]
    ]


@router.get("/{code}/issues", response=list[IssueOut], url_name="api_issueboard_list", summary="某村(社区)问题清单")
def issue_list(request: HttpRequest, code: str) -> QuerySet[Issue]:
    if not issue_policy.can_in_region(request.user, "view", code):
        raise Http404
    return issues_of_village(request.user, code)


@router.post(
    "/{code}/issues",
    response={200: IssueOut, 201: IssueOut},
    url_name="api_issueboard_raise",
    summary="登记问题",
    description="201：已保存；200：同一 client_id 已保存过，返回第一次保存的问题（不重复保存）。",
)
def issue_create(request: HttpRequest, code: str, payload: IssueIn) -> Status:
    issue, first = submit_once(
        actor=acting_user(request),
        client_id=payload.client_id,
        kind="issueboard.issue",
        create=lambda: issue_raise(
            actor=acting_user(request),
            village_code=code,
            title=payload.title,
            owner=payload.owner,
            due_on=payload.due_on,
            detail=payload.detail,
        ),
    )
    return Status(201 if first else 200, issue)


@router.post("/issues/{issue_id}/status", response=IssueOut, url_name="api_issueboard_move", summary="办理、销号")
def issue_status(request: HttpRequest, issue_id: int, payload: IssueMoveIn) -> Issue:
    issue = issue_policy.get_or_404(request.user, queryset=Issue.objects.select_related("term_change"), pk=issue_id)
    issue_move(
        actor=acting_user(request),
        issue=issue,
        to_status=payload.to_status,
        expected_version=payload.version,
        resolution=payload.resolution,
        closed_on=payload.closed_on,
    )
    return issue


# --- what the pages offer beyond raising and moving (issue 14, item 22) -------------------------------------------


class IssueAssignIn(Schema):
    owner: str
    due_on: date
    version: int


@router.post(
    "/issues/{issue_id}/assign",
    response=IssueOut,
    url_name="api_issueboard_assign",
    summary="指定责任人和办结时限",
)
def assign(request: HttpRequest, issue_id: int, payload: IssueAssignIn) -> Issue:
    issue = issue_policy.get_or_404(request.user, queryset=Issue.objects.select_related("term_change"), pk=issue_id)
    issue = issue_assign(
        actor=acting_user(request),
        issue=issue,
        owner=payload.owner,
        due_on=payload.due_on,
        expected_version=payload.version,
    )
    return issue


class IssueFlagOut(ModelOut):
    version: int = Field(description="修改时带回；尚未认定过的村为 1")

    class Meta:
        model = IssueTally
        fields = ("region", "is_difficult", "difficulty", "version")


class IssueFlagIn(Schema):
    is_difficult: bool
    difficulty: str = ""
    version: int


def _flag_out(code: str, tally: IssueTally | None) -> dict[str, object]:
    if tally is None:
        return {"region": code, "is_difficult": False, "difficulty": "", "version": 1}
    return {
        "region": code,
        "is_difficult": tally.is_difficult,
        "difficulty": tally.difficulty,
        "version": tally.version,
    }


@router.get("/{code}/flag", response=IssueFlagOut, url_name="api_issueboard_flag", summary="重点难点村认定")
def flag(request: HttpRequest, code: str) -> dict[str, object]:
    issue_policy.village_or_404(request.user, code, "view")
    return _flag_out(code, tally_of_village(request.user, code))


@router.put("/{code}/flag", response=IssueFlagOut, url_name="api_issueboard_flag_set", summary="认定或取消重点难点村")
def flag_set(request: HttpRequest, code: str, payload: IssueFlagIn) -> dict[str, object]:
    issue_policy.village_or_404(request.user, code, "view")
    tally = village_flag(
        actor=acting_user(request),
        village_code=code,
        is_difficult=payload.is_difficult,
        reason=payload.difficulty,
        expected_version=payload.version,
    )
    return _flag_out(code, tally)
