from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.schema import ModelOut, Schema
from cunshe.termchanges.models import Milestone, TermChange
from cunshe.termchanges.permissions import milestone_policy, term_change_policy
from cunshe.termchanges.selectors import term_changes_visible
from cunshe.termchanges.services import milestone_update, term_change_advance, term_change_open

router = Router(tags=["换届"])


class MilestoneOut(ModelOut):
    class Meta:
        model = Milestone
        fields = ("id", "position", "title", "due_on", "done_on", "version")


class TermChangeOut(ModelOut):
    milestones: list[MilestoneOut]

    class Meta:
        model = TermChange
        fields = ("id", "county", "year", "title", "status", "opened_on", "version", "milestones")


class TermChangeIn(Schema):
    county: str
    year: int
    opened_on: date
    title: str = ""


class TermChangeMoveIn(Schema):
    to_status: str
    version: int


class MilestoneIn(Schema):
    due_on: date
    done_on: date | None = None
    version: int = Field(description="读取时的版本号；他人已修改时返回 409")


@router.get("", response=list[TermChangeOut], url_name="api_termchanges_list", summary="可见的换届")
def term_change_list(request: HttpRequest) -> QuerySet[TermChange]:
    return term_changes_visible(request.user)


@router.post("", response={201: TermChangeOut}, url_name="api_termchanges_open", summary="启动换届")
def term_change_create(request: HttpRequest, payload: TermChangeIn) -> Status:
    term_change = term_change_open(
        actor=acting_user(request),
        county_code=payload.county,
        year=payload.year,
        opened_on=payload.opened_on,
        title=payload.title,
    )
    return Status(201, term_change)


@router.get("/{term_change_id}", response=TermChangeOut, url_name="api_termchanges_detail", summary="换届详情")
def term_change_detail(request: HttpRequest, term_change_id: int) -> TermChange:
    return term_change_policy.get_or_404(request.user, queryset=term_changes_visible(request.user), pk=term_change_id)


@router.post("/{term_change_id}/status", response=TermChangeOut, url_name="api_termchanges_move", summary="转换状态")
def term_change_move(request: HttpRequest, term_change_id: int, payload: TermChangeMoveIn) -> TermChange:
    term_change = term_change_policy.get_or_404(request.user, pk=term_change_id)
    term_change_advance(
        actor=acting_user(request),
        term_change=term_change,
        to_status=payload.to_status,
        expected_version=payload.version,
    )
    return term_change


@router.put(
    "/milestones/{milestone_id}", response=MilestoneOut, url_name="api_termchanges_milestone", summary="修改节点"
)
def milestone_put(request: HttpRequest, milestone_id: int, payload: MilestoneIn) -> object:
    milestone = milestone_policy.get_or_404(request.user, pk=milestone_id)
    return milestone_update(
        actor=acting_user(request),
        milestone=milestone,
        due_on=payload.due_on,
        done_on=payload.done_on,
        expected_version=payload.version,
    )
