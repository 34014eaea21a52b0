"""The joint review under /api/v1/reviews: the same services and scopes as the pages. Reviewers use /desk only;
there is no export for them here either."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Annotated, Any, BinaryIO, cast

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile

from cunshe.accounts.models import Department, RoleAssignment
from cunshe.accounts.selectors import acting_user
from cunshe.accounts.services import department_create, department_update
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.printing import pdf_response
from cunshe.core.schema import ModelOut, Schema
from cunshe.eligibility.selectors import rules_in_force
from cunshe.people.permissions import person_policy
from cunshe.reviews import exports, report, selectors, services
from cunshe.reviews.defaults import DEFAULT_DEADLINE_DAYS
from cunshe.reviews.models import Candidate, DepartmentReview, ReviewBatch, ReviewRound
from cunshe.reviews.permissions import (
    batch_policy,
    candidate_policy,
    department_or_404,
    department_review_policy,
    reviewer_policy,
    round_policy,
)
from cunshe.spreadsheets.layout import XLSX, xlsx_response
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["云联审"])


class RoundOut(ModelOut):
    class Meta:
        model = ReviewRound
        fields = ("id", "county", "title", "opened_on", "term_change_id")


class RoundIn(Schema):
    county: str
    opened_on: date
    title: str = ""


class TotalsOut(Schema):
    batches: int
    candidates: int
    cleared: int
    excluded: int
    doubtful: int
    pending: int


class DepartmentMetricOut(Schema):
    name: str
    batches: int
    signed: int
    median_hours: float | None
    p90_hours: float | None


class RoundDetailOut(RoundOut):
    totals: TotalsOut
    batch_median_hours: float | None
    batch_p90_hours: float | None
    paper_baseline_hours: list[float]
    departments: list[DepartmentMetricOut]


class CandidateIn(Schema):
    name: str
    id_number: str
    village: str
    post: str = ""


class BatchIn(Schema):
    town: str
    title: str = ""
    candidates: list[CandidateIn] = []
    # ids a database can hold: a number past 64 bits is refused here, on SQLite and PostgreSQL alike
    person_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = []


class ReviewCandidateOut(ModelOut):
    id_number_masked: str
    outcome: str

    class Meta:
        model = Candidate
        fields = ("id", "position", "name", "id_number_masked", "village", "post", "outcome")


class DepartmentProgressOut(ModelOut):
    department: str
    answered: int

    class Meta:
        model = DepartmentReview
        fields = ("id", "department", "status", "answered", "signed_at", "version")


class BatchOut(ModelOut):
    candidates: list[ReviewCandidateOut]
    departments: list[DepartmentProgressOut]

    class Meta:
        model = ReviewBatch
        fields = (
            "id", "round_id", "town", "title", "status", "version", "candidate_count", "due_at", "candidates",
            "departments",
        )  # fmt: skip


class ReleaseIn(Schema):
    version: int
    deadline_days: Decimal = DEFAULT_DEADLINE_DAYS


class AnswerOut(Schema):
    department: str
    verdict: str
    rule: str
    reason: str


class CandidateDetailOut(ReviewCandidateOut):
    result: str
    decision: str
    version: int
    answers: list[AnswerOut] | None


class DecisionIn(Schema):
    decision: str
    reason: str
    version: int


class ReopenIn(Schema):
    reason: str
    version: int


# A department's review of a batch, with the batch's title, town (its name), size and due time.
class DeskItemOut(ModelOut):
    batch: str
    town: str
    department: str
    answered: int
    candidate_count: int
    due_at: datetime | None

    class Meta:
        model = DepartmentReview
        fields = ("id", "batch", "town", "department", "status", "answered", "candidate_count", "due_at", "version")


class DeskCandidateOut(ModelOut):
    verdict: str
    rule: str
    reason: str
    answer_version: int | None

    class Meta:
        model = Candidate
        fields = (
            "id", "position", "name", "id_number", "village", "post", "verdict", "rule", "reason", "answer_version",
        )  # fmt: skip


class DeskBatchOut(DeskItemOut):
    candidates: list[DeskCandidateOut]


class AnswerIn(Schema):
    verdict: str
    rule: str = ""
    reason: str = ""
    version: int | None = None


class SignIn(Schema):
    conclusion: str
    version: int


def _round(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "county": r.county_id,
        "title": r.title,
        "opened_on": r.opened_on,
        "term_change_id": r.term_change_id,
    }


def _candidate(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "position": c.position,
        "name": c.name,
        "id_number_masked": c.id_number_masked,
        "village": c.village_id,
        "post": c.post,
        "outcome": c.outcome,
    }


def _batch(request: HttpRequest, b: ReviewBatch) -> dict[str, Any]:
    return {
        "id": b.pk,
        "round_id": b.round_id,
        "town": b.town_id,
        "title": b.title,
        "status": b.status,
        "version": b.version,
        "candidate_count": b.candidate_count,
        "due_at": b.due_at,
        "candidates": [_candidate(c) for c in selectors.candidates_of_batch(b)],
        "departments": [
            {
                "id": r.pk,
                "department": r.department.name,
                "status": r.status,
                "answered": r.answered_count,
                "signed_at": r.signed_at,
                "version": r.version,
            }
            for r in selectors.department_reviews_of_batch(request.user, b)
        ],
    }


def _desk_item(r: DepartmentReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "batch": r.batch.title,
        "town": r.batch.town.name,
        "department": r.department.name,
        "status": r.status,
        "answered": r.answered_count,
        "candidate_count": r.batch.candidate_count,
        "due_at": r.batch.due_at,
        "version": r.version,
    }


@router.get("/rounds", response=list[RoundOut], url_name="api_reviews_rounds", summary="可见的联审轮次")
def round_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_round(r) for r in selectors.rounds_visible(request.user)]


@router.post("/rounds", response={201: RoundOut}, url_name="api_reviews_round_open", summary="启动联审轮次")
def round_create(request: HttpRequest, payload: RoundIn) -> Status:
    review_round = services.round_open(
        actor=acting_user(request), county_code=payload.county, opened_on=payload.opened_on, title=payload.title
    )
    return Status(201, _round(review_round))


@router.get("/rounds/{round_id}", response=RoundDetailOut, url_name="api_reviews_round", summary="轮次进度与用时")
def round_detail(request: HttpRequest, round_id: int) -> dict[str, Any]:
    review_round = round_policy.get_or_404(request.user, pk=round_id)
    batches = selectors.batches_of_round(request.user, review_round)
    totals = selectors.round_totals(batches)
    metrics = selectors.round_metrics(selectors.round_reviews(request.user, review_round), batches)
    return {
        **_round(review_round),
        "totals": {**totals.__dict__, "pending": totals.pending},
        "batch_median_hours": metrics.batch_median_hours,
        "batch_p90_hours": metrics.batch_p90_hours,
        "paper_baseline_hours": [metrics.paper_min_hours, metrics.paper_max_hours],
        "departments": [
            {
                "name": d.name,
                "batches": d.batches,
                "signed": d.signed,
                "median_hours": d.median_hours,
                "p90_hours": d.p90_hours,
            }
            for d in metrics.departments
        ],
    }


@router.post(
    "/rounds/{round_id}/batches", response={201: BatchOut}, url_name="api_reviews_batch_submit", summary="报送人选批次"
)
def batch_create(request: HttpRequest, round_id: int, payload: BatchIn) -> Status:
    review_round = round_policy.get_or_404(request.user, pk=round_id)
    actor = acting_user(request)
    if payload.person_ids and payload.candidates:
        raise DomainError("请只用一种方式报送：人员编号或人选名单。", {"person_ids": ["二选一。"]})
    if payload.person_ids:
        people = list(person_policy.visible_to(request.user).filter(pk__in=payload.person_ids))
        if len(people) != len(set(payload.person_ids)):
            raise Http404("未找到部分人员。")
        batch = services.batch_submit_people(
            actor=actor, review_round=review_round, town_code=payload.town, people=people
        )
    else:
        rows = [
            services.CandidateRow(line=n, name=c.name, id_number=c.id_number, village=c.village, post=c.post)
            for n, c in enumerate(payload.candidates, start=1)
        ]
        batch = services.batch_submit(
            actor=actor, review_round=review_round, town_code=payload.town, rows=rows, title=payload.title
        )
    return Status(201, _batch(request, batch))


@router.get(
    "/rounds/{round_id}/batches/template.xlsx",
    url_name="api_reviews_batch_template",
    summary="联审人选名单（空白 Excel 模板，导入时用同一格式）",
    openapi_extra=file_answer(XLSX, "联审人选名单模板"),
)
def batch_template(request: HttpRequest, round_id: int) -> HttpResponse:
    review_round = round_policy.get_or_404(request.user, pk=round_id)
    if not batch_policy.regions_for(request.user, "submit"):
        raise NotPermitted("您无权报送人选。")
    return exports.template_response(review_round)


class BatchImportOut(ImportReportOut):
    """The answer of every import, with the batch it submitted (a client follows it up at /batches/{batch_id})."""

    batch_id: int = Field(description="报送的批次")


@router.post(
    "/rounds/{round_id}/batches/import",
    response={201: BatchImportOut},
    url_name="api_reviews_batch_import",
    summary="从 Excel 导入并报送人选批次（multipart：town、title、file；任一行有误则不报送，errors 按行列出）",
)
def batch_upload(
    request: HttpRequest, round_id: int, town: Form[str], file: File[UploadedFile], title: Form[str] = ""
) -> Status:
    review_round = round_policy.get_or_404(request.user, pk=round_id)
    report = exports.batch_import(
        actor=acting_user(request), review_round=review_round, town_code=town, stream=cast(BinaryIO, file), title=title
    )
    assert report.batch is not None  # a saved import submitted its batch (one refused raises instead)
    return Status(201, {**report.answer(), "batch_id": report.batch.pk})


@router.get("/batches/{batch_id}", response=BatchOut, url_name="api_reviews_batch", summary="批次与结果")
def batch_detail(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    return _batch(request, batch_policy.get_or_404(request.user, pk=batch_id))


@router.post(
    "/batches/{batch_id}/release", response=BatchOut, url_name="api_reviews_release", summary="发布至全部联审单位"
)
def batch_release(request: HttpRequest, batch_id: int, payload: ReleaseIn) -> dict[str, Any]:
    batch = batch_policy.get_or_404(request.user, pk=batch_id)
    services.batch_release(
        actor=acting_user(request), batch=batch, expected_version=payload.version, deadline_days=payload.deadline_days
    )
    return _batch(request, batch)


@router.get(
    "/candidates/{candidate_id}", response=CandidateDetailOut, url_name="api_reviews_candidate", summary="人选详情"
)
def candidate_detail(request: HttpRequest, candidate_id: int) -> dict[str, Any]:
    candidate = candidate_policy.get_or_404(request.user, pk=candidate_id)
    services.candidate_view_log(viewer=acting_user(request), candidate=candidate, channel="api")
    answers = None
    if candidate_policy.can(request.user, "view_reasons", candidate):
        answers = [
            {
                "department": a.department_review.department.name,
                "verdict": a.verdict,
                "rule": a.rule.code if a.rule else "",
                "reason": a.reason,
            }
            for a in selectors.answers_of_candidate(candidate)
        ]
    return {
        **_candidate(candidate),
        "result": candidate.result,
        "decision": candidate.decision,
        "version": candidate.version,
        "answers": answers,
    }


@router.post(
    "/candidates/{candidate_id}/decision",
    response=ReviewCandidateOut,
    url_name="api_reviews_decide",
    summary="存疑人选县级研判",
)
def candidate_decide(request: HttpRequest, candidate_id: int, payload: DecisionIn) -> dict[str, Any]:
    candidate = candidate_policy.get_or_404(request.user, pk=candidate_id)
    services.candidate_decide(
        actor=acting_user(request),
        candidate=candidate,
        decision=payload.decision,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _candidate(candidate)


@router.post(
    "/department-reviews/{review_id}/reopen",
    response=DepartmentProgressOut,
    url_name="api_reviews_reopen",
    summary="重新打开单位审查",
)
def reopen(request: HttpRequest, review_id: int, payload: ReopenIn) -> dict[str, Any]:
    review = department_review_policy.get_or_404(request.user, pk=review_id)
    services.department_review_reopen(
        actor=acting_user(request), review=review, reason=payload.reason, expected_version=payload.version
    )
    return {
        "id": review.pk,
        "department": review.department.name,
        "status": review.status,
        "answered": review.answered_count,
        "signed_at": review.signed_at,
        "version": review.version,
    }


@router.get("/desk", response=list[DeskItemOut], url_name="api_reviews_desk", summary="本单位审查任务")
def desk(request: HttpRequest) -> list[dict[str, Any]]:
    return [_desk_item(r) for r in selectors.desk_of(request.user)]


def _desk_batch(review: DepartmentReview) -> dict[str, Any]:
    answers = selectors.answers_of_department(review)
    rows = []
    for c in selectors.candidates_of_batch(review.batch):
        a = answers.get(c.pk)
        rows.append(
            {
                "id": c.pk,
                "position": c.position,
                "name": c.name,
                "id_number": c.id_number,
                "village": c.village_id,
                "post": c.post,
                "verdict": a.verdict if a else "",
                "rule": a.rule.code if a and a.rule else "",
                "reason": a.reason if a else "",
                "answer_version": a.version if a else None,
            }
        )
    return {**_desk_item(review), "candidates": rows}


@router.get("/desk/{review_id}", response=DeskBatchOut, url_name="api_reviews_desk_batch", summary="本单位的批次")
def desk_batch(request: HttpRequest, review_id: int) -> dict[str, Any]:
    return _desk_batch(reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=review_id))


@router.put(
    "/desk/{review_id}/answers/{candidate_id}",
    response=DeskBatchOut,
    url_name="api_reviews_answer",
    summary="审查意见",
)
def desk_answer(request: HttpRequest, review_id: int, candidate_id: int, payload: AnswerIn) -> dict[str, Any]:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=review_id)
    candidate = review.batch.candidates.filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404("未找到该人选。")
    county = review.batch.round.county_id
    rule = (
        rules_in_force(county, review.batch.round.opened_on).filter(code=payload.rule).first() if payload.rule else None
    )
    services.answer_give(
        actor=acting_user(request),
        review=review,
        candidate=candidate,
        verdict=payload.verdict,
        rule=rule,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _desk_batch(review)


@router.post(
    "/desk/{review_id}/clear-rest", response=DeskBatchOut, url_name="api_reviews_clear_rest", summary="其余全部通过"
)
def desk_clear_rest(request: HttpRequest, review_id: int) -> dict[str, Any]:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=review_id)
    services.answers_clear_rest(actor=acting_user(request), review=review)
    return _desk_batch(review)


@router.post("/desk/{review_id}/sign", response=DeskBatchOut, url_name="api_reviews_sign", summary="负责人签署书面结论")
def desk_sign(request: HttpRequest, review_id: int, payload: SignIn) -> dict[str, Any]:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=review_id)
    services.department_review_sign(
        actor=acting_user(request), review=review, conclusion=payload.conclusion, expected_version=payload.version
    )
    return _desk_batch(review)


# The round report and the county's reviewing departments (the organizer's pages) ----------------------------------


@router.get(
    "/rounds/{round_id}/report.xlsx",
    url_name="api_reviews_round_report_xlsx",
    summary="联审情况报告（Excel）",
    openapi_extra=file_answer(XLSX, "联审情况报告"),
)
def round_report_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    data = report.round_report(request.user, round_id)
    buffer = BytesIO()
    report.write_xlsx(data, buffer)
    return xlsx_response(buffer.getvalue(), f"{data.review_round.title}情况报告.xlsx")


@pdf_route(
    router,
    "/rounds/{round_id}/report.pdf",
    url_name="api_reviews_round_report_pdf",
    summary="联审情况报告（PDF，每页带打印人与时间水印）",
    title="联审情况报告",
)
def round_report_pdf(request: HttpRequest, round_id: int) -> HttpResponse:
    data = report.round_report(request.user, round_id)
    buffer = BytesIO()
    report.write_pdf(data, buffer, viewer=acting_user(request).display_name)
    return pdf_response(buffer.getvalue(), f"{data.review_round.title}情况报告.pdf")


class ReviewerOut(Schema):
    user_id: int
    display_name: str


class ReviewDepartmentOut(Schema):
    id: int
    county: str
    name: str
    is_active: bool
    version: int
    head: ReviewerOut | None
    reviewers: list[ReviewerOut]


class ReviewDepartmentIn(Schema):
    county: str = Field(description="县(市、区)代码")
    name: str


class CountyIn(Schema):
    county: str = Field(description="县(市、区)代码")


class ReviewDepartmentPatch(Schema):
    name: str
    is_active: bool
    version: int


class DepartmentHeadIn(Schema):
    user_id: int
    version: int = Field(description="联审单位的版本（负责人是单位设置的一部分）")


class DepartmentsAddedOut(Schema):
    added: int


def _managed_county(request: HttpRequest) -> str:
    counties = round_policy.counties_for(request.user, "manage")
    if not counties:
        raise Http404("未找到该页面。")
    return counties[0]


def _department_out(department: Department, reviewers: list[RoleAssignment]) -> dict[str, Any]:
    head = getattr(department, "review_head", None)
    return {
        "id": department.pk,
        "county": department.county_id,
        "name": department.name,
        "is_active": department.is_active,
        "version": department.version,
        "head": {"user_id": head.user_id, "display_name": head.user.display_name} if head else None,
        "reviewers": [{"user_id": a.user_id, "display_name": a.user.display_name} for a in reviewers],
    }


def _departments(county: str) -> list[dict[str, Any]]:
    return [_department_out(d, reviewers) for d, reviewers in selectors.departments_of_county(county)]


def _one(department: Department) -> dict[str, Any]:
    return next(d for d in _departments(department.county_id) if d["id"] == department.pk)


@router.get(
    "/departments", response=list[ReviewDepartmentOut], url_name="api_reviews_departments", summary="本县联审单位"
)
def departments_list(request: HttpRequest) -> list[dict[str, Any]]:
    return _departments(_managed_county(request))


@router.post(
    "/departments", response={201: ReviewDepartmentOut}, url_name="api_reviews_department_add", summary="添加联审单位"
)
def departments_add(request: HttpRequest, payload: ReviewDepartmentIn) -> Status:
    department = department_create(actor=acting_user(request), county_code=payload.county, name=payload.name)
    return Status(201, _one(department))


@router.post(
    "/departments/defaults",
    response=DepartmentsAddedOut,
    url_name="api_reviews_departments_defaults",
    summary="添加默认的 15 家联审单位（已有的保留）",
)
def departments_defaults(request: HttpRequest, payload: CountyIn) -> dict[str, int]:
    return {"added": services.departments_install_defaults(actor=acting_user(request), county_code=payload.county)}


@router.patch(
    "/departments/{department_id}",
    response=ReviewDepartmentOut,
    url_name="api_reviews_department_update",
    summary="改名，或停用 / 恢复联审单位（不删除；须带 version）",
)
def departments_update(request: HttpRequest, department_id: int, payload: ReviewDepartmentPatch) -> dict[str, Any]:
    department = department_or_404(request.user, department_id)
    department_update(
        actor=acting_user(request),
        department=department,
        name=payload.name,
        is_active=payload.is_active,
        expected_version=payload.version,
    )
    return _one(department)


@router.post(
    "/departments/{department_id}/head",
    response=ReviewDepartmentOut,
    url_name="api_reviews_department_head",
    summary="指定联审单位负责人（本单位的审查员账号；负责人签署书面结论）",
)
def departments_head(request: HttpRequest, department_id: int, payload: DepartmentHeadIn) -> dict[str, Any]:
    department = department_or_404(request.user, department_id)
    assignment = RoleAssignment.objects.filter(department=department, is_active=True, user_id=payload.user_id).first()
    if assignment is None:
        raise DomainError("请选择本单位的审查员账号。", {"user_id": ["不是本单位的审查员。"]})
    services.department_head_set(
        actor=acting_user(request), department=department, user=assignment.user, expected_version=payload.version
    )
    return _one(department)
