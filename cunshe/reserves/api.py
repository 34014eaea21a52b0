from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO, Literal, cast

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged, RowsOfQuery
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.negativelist.selectors import flagged_person_ids
from cunshe.people.permissions import person_policy
from cunshe.reserves.exports import pool_response, reserves_import, reserves_response, template_response
from cunshe.reserves.models import CandidateEntry, ReserveCadre, Stage
from cunshe.reserves.permissions import reserve_policy
from cunshe.reserves.printouts import evaluation_form_response, notice_response
from cunshe.reserves.selectors import (
    candidates_visible,
    reserve_list,
    reserves_visible,
    three_degrees,
    with_three_degrees,
)
from cunshe.reserves.services import (
    candidate_add,
    evaluation_add,
    meeting_record,
    notice_record,
    reserve_add,
    reserve_withdraw,
    trial_conclude,
    trial_start,
)
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["后备干部与人选库"])


class ReserveOut(ModelOut):
    loyalty: Decimal | None = Field(description="三度测评：忠诚度（评议组平均分）")
    satisfaction: Decimal | None = Field(description="三度测评：满意度（评议组平均分）")
    competence: Decimal | None = Field(description="三度测评：胜任度（评议组平均分）")

    class Meta:
        model = ReserveCadre
        fields = (
            "id", "region", "person_id", ("person_name", "person__name"), "source", "stage", "added_on", "meeting_on", "notice_from",
            "notice_until", "trial_post", "mentor_id", "trial_from", "trial_until", "outcome_on", "outcome_note",
            "loyalty", "satisfaction", "competence", "version",
        )  # fmt: skip


class ReserveCandidateOut(ModelOut):
    negative_flag: bool = Field(description="有未办结的负面清单信息")

    class Meta:
        model = CandidateEntry
        fields = (
            "id", "region", "person_id", ("person_name", "person__name"), "origin", "added_on", "note", "negative_flag",
        )  # fmt: skip


class ReserveIn(Schema):
    person_id: int
    source: str
    added_on: date
    note: str = ""


class EvaluationIn(Schema):
    evaluator: str
    loyalty: int
    satisfaction: int
    competence: int
    comment: str = ""


class MeetingIn(Schema):
    held_on: date
    place: str
    version: int


class NoticeIn(Schema):
    starts_on: date
    ends_on: date
    feedback: str = ""
    version: int


class TrialIn(Schema):
    post: str
    mentor_id: int
    starts_on: date
    version: int


class ConclusionIn(Schema):
    passed: bool
    concluded_on: date
    note: str
    version: int


class WithdrawIn(Schema):
    reason: str
    version: int


def _out(r: ReserveCadre) -> WithFields:
    """The reserve with its three degrees (read once: unannotated, they take a query)."""
    degrees = three_degrees(r)
    return WithFields(r, loyalty=degrees.loyalty, satisfaction=degrees.satisfaction, competence=degrees.competence)


def _candidate(c: CandidateEntry, flags: set[int]) -> WithFields:
    return WithFields(c, negative_flag=c.person_id in flags)


class ReserveFilter(Schema):
    under: str = ""
    stage: Literal["", *Stage.values] = ""  # type: ignore[valid-type]


@router.get("", response=list[ReserveOut], url_name="api_reserves_list", summary="后备干部名册（可按区域、阶段筛选）")
@paginate(Paged)
def reserve_index(request: HttpRequest, filters: Query[ReserveFilter]) -> RowsOfQuery[ReserveCadre]:
    reserves = with_three_degrees(reserve_list(request.user, under=filters.under))
    if filters.stage:
        reserves = reserves.filter(stage=filters.stage)
    return RowsOfQuery(reserves.order_by("region_id", "added_on", "pk"), _out)


@router.get("/pool", response=list[ReserveCandidateOut], url_name="api_reserves_pool", summary="人选库")
@paginate(Paged)
def pool(request: HttpRequest, under: str = "") -> RowsOfQuery[CandidateEntry]:
    # Paged: it answered its first 2,000 entries and said nothing of the rest.
    flags = flagged_person_ids(request.user)
    return RowsOfQuery(candidates_visible(request.user, under=under), lambda c: _candidate(c, flags))


@router.get("/village/{code}", response=list[ReserveOut], url_name="api_reserves_village", summary="某村(社区)后备干部")
def village(request: HttpRequest, code: str) -> list[WithFields]:
    if not reserve_policy.can_in_region(request.user, "view", code):
        raise Http404
    return [_out(r) for r in with_three_degrees(reserves_visible(request.user, under=code))]


@router.post("/village/{code}", response={201: ReserveOut}, url_name="api_reserves_add", summary="列入后备干部库")
def add(request: HttpRequest, code: str, payload: ReserveIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    reserve = reserve_add(
        actor=acting_user(request),
        village_code=code,
        person=person,
        source=payload.source,
        added_on=payload.added_on,
        note=payload.note,
    )
    return Status(201, _out(reserve))


@router.post(
    "/import",
    response=ImportReportOut,
    url_name="api_reserves_import",
    summary="从 Excel 导入后备干部名册（multipart 字段 file；任一行有误则不保存，errors 按行列出）",
)
def import_list(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    if not reserve_policy.anywhere(request.user, "change"):
        raise Http404
    # unchanged: already reserves of their village in this term change
    return reserves_import(actor=acting_user(request), stream=cast(BinaryIO, file)).answer()


class ReserveCandidateIn(Schema):
    person_id: int
    origin: str
    added_on: date
    note: str = ""


@router.post(
    "/village/{code}/pool",
    response={201: ReserveCandidateOut},
    url_name="api_reserves_pool_add",
    summary="列入人选库（现任干部、群众推荐）",
)
def pool_add(request: HttpRequest, code: str, payload: ReserveCandidateIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    entry = candidate_add(
        actor=acting_user(request),
        village_code=code,
        person=person,
        origin=payload.origin,
        added_on=payload.added_on,
        note=payload.note,
    )
    return Status(201, _candidate(entry, flagged_person_ids(request.user)))


@router.get(
    "/export",
    url_name="api_reserves_export",
    summary="下载后备干部名册（Excel，可按区域）",
    openapi_extra=file_answer(XLSX, "后备干部名册"),
)
def export(request: HttpRequest, under: str = "") -> HttpResponse:
    return reserves_response(request.user, under)


@router.get(
    "/pool/export",
    url_name="api_reserves_pool_export",
    summary="下载人选库（Excel，可按区域）",
    openapi_extra=file_answer(XLSX, "人选库"),
)
def pool_export(request: HttpRequest, under: str = "") -> HttpResponse:
    return pool_response(request.user, under)


@router.get(
    "/import/template",
    url_name="api_reserves_import_template",
    summary="下载后备干部名册导入模板（Excel，仅表头）",
    openapi_extra=file_answer(XLSX, "后备干部名册（模板）"),
)
def import_template(request: HttpRequest) -> HttpResponse:
    if not reserve_policy.anywhere(request.user, "change"):
        raise NotPermitted("您无权导入后备干部。")
    return template_response(request.user)


@pdf_route(
    router,
    "/village/{code}/notice.pdf",
    url_name="api_reserves_notice_print",
    summary="后备干部人选公示（PDF，列出已开测评会或公示中的人选）",
    title="公示",
)
def notice_print(request: HttpRequest, code: str) -> HttpResponse:
    return notice_response(request.user, reserve_policy.village_or_404(request.user, code, "view"))


@pdf_route(
    router,
    "/{reserve_id}/evaluation-form.pdf",
    url_name="api_reserves_evaluation_form_print",
    summary="空白“三度”测评表（PDF，测评组成员各填一份）",
    title="三度测评表",
)
def evaluation_form_print(request: HttpRequest, reserve_id: int) -> HttpResponse:
    return evaluation_form_response(
        reserve_policy.get_or_404(request.user, queryset=reserves_visible(request.user), pk=reserve_id)
    )


@router.get("/{reserve_id}", response=ReserveOut, url_name="api_reserves_detail", summary="后备干部")
def detail(request: HttpRequest, reserve_id: int) -> WithFields:
    return _out(reserve_policy.get_or_404(request.user, pk=reserve_id))


@router.post(
    "/{reserve_id}/evaluations", response={201: ReserveOut}, url_name="api_reserves_evaluate", summary="录入三度测评"
)
def evaluate(request: HttpRequest, reserve_id: int, payload: EvaluationIn) -> Status:
    reserve = reserve_policy.get_or_404(request.user, pk=reserve_id)
    evaluation_add(actor=acting_user(request), reserve=reserve, **payload.dict())
    return Status(201, _out(reserve))


@router.post("/{reserve_id}/meeting", response=ReserveOut, url_name="api_reserves_meeting", summary="记录测评会")
def meeting(request: HttpRequest, reserve_id: int, payload: MeetingIn) -> WithFields:
    reserve = reserve_policy.get_or_404(request.user, pk=reserve_id)
    meeting_record(
        actor=acting_user(request),
        reserve=reserve,
        held_on=payload.held_on,
        place=payload.place,
        expected_version=payload.version,
    )
    return _out(reserve)


@router.post("/{reserve_id}/notice", response=ReserveOut, url_name="api_reserves_notice", summary="记录公示")
def notice(request: HttpRequest, reserve_id: int, payload: NoticeIn) -> WithFields:
    reserve = reserve_policy.get_or_404(request.user, pk=reserve_id)
    notice_record(
        actor=acting_user(request),
        reserve=reserve,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        feedback=payload.feedback,
        expected_version=payload.version,
    )
    return _out(reserve)


@router.post("/{reserve_id}/trial", response=ReserveOut, url_name="api_reserves_trial", summary="安排试岗")
def trial(request: HttpRequest, reserve_id: int, payload: TrialIn) -> WithFields:
    reserve = reserve_policy.get_or_404(request.user, pk=reserve_id)
    mentor = person_policy.get_or_404(request.user, pk=payload.mentor_id)
    trial_start(
        actor=acting_user(request),
        reserve=reserve,
        post=payload.post,
        mentor=mentor,
        starts_on=payload.starts_on,
        expected_version=payload.version,
    )
    return _out(reserve)


@router.post("/{reserve_id}/conclusion", response=ReserveOut, url_name="api_reserves_conclude", summary="试岗考察结论")
def conclude(request: HttpRequest, reserve_id: int, payload: ConclusionIn) -> WithFields:
    reserve = reserve_policy.get_or_404(request.user, pk=reserve_id)
    trial_conclude(
        actor=acting_user(request),
        reserve=reserve,
        passed=payload.passed,
        concluded_on=payload.concluded_on,
        note=payload.note,
        expected_version=payload.version,
    )
    return _out(reserve)


@router.post("/{reserve_id}/withdraw", response=ReserveOut, url_name="api_reserves_withdraw", summary="退出后备干部库")
def withdraw(request: HttpRequest, reserve_id: int, payload: WithdrawIn) -> WithFields:
    reserve = reserve_policy.get_or_404(request.user, pk=reserve_id)
    reserve_withdraw(
        actor=acting_user(request), reserve=reserve, reason=payload.reason, expected_version=payload.version
    )
    return _out(reserve)
