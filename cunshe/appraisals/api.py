"""双评三考's API under /api/v1/appraisals: every operation of the pages, same services and files."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import AliasPath

from cunshe.accounts.selectors import acting_user
from cunshe.appraisals import exports, selectors, services, views
from cunshe.appraisals.models import Appraisal, Inquiry, Inspection, Paper, PaperItem, Problem, Question
from cunshe.appraisals.permissions import appraisal_policy, paper_policy, problem_policy
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["双评三考"])


class AppraisalOpenIn(Schema):
    person_id: int
    post: str
    opened_on: date


class AppraisalInquiryOut(ModelOut):
    class Meta:
        model = Inquiry
        fields = ("id", "held_on", "inquirer", "questions", "assessment", "grade")


class AppraisalPaperBrief(ModelOut):
    class Meta:
        model = Paper
        fields = ("id", "drawn_on", "total", "score", "passed")


class AppraisalProblemOut(ModelOut):
    class Meta:
        model = Problem
        fields = (
            "id", ("kind", "kind__code"), ("kind_name", "kind__name"), "found_on", "description", "serious",
            "negative_entry_id",
        )  # fmt: skip


class AppraisalInspectionOut(ModelOut):
    class Meta:
        model = Inspection
        fields = ("inspected_on", "inspectors", "findings", "conclusion")


class AppraisalOut(ModelOut):
    rate: str | None = Field(description="群众评满意率（满意与基本满意占票数），精确分数，如 67/100")

    class Meta:
        model = Appraisal
        fields = (
            "id", ("village", "region"), "person_id", ("name", "person__name"), "post", "opened_on", "self_grade",
            "self_summary", "self_on", "satisfied", "basic", "unsatisfied", "rate", "version",
        )  # fmt: skip

    @staticmethod
    def resolve_rate(a: Appraisal) -> str | None:
        return selectors.exact(a.rate)


class AppraisalDetailOut(AppraisalOut):
    inquiries: list[AppraisalInquiryOut]
    papers: list[AppraisalPaperBrief]
    problems: list[AppraisalProblemOut]
    inspection: AppraisalInspectionOut | None


class AppraisalSelfIn(Schema):
    grade: str
    summary: str
    written_on: date
    version: int


class AppraisalRatingsIn(Schema):
    satisfied: int
    basic: int
    unsatisfied: int
    version: int


class AppraisalRatingIn(Schema):
    level: str


class AppraisalInquiryIn(Schema):
    held_on: date
    inquirer: str
    questions: str
    assessment: str
    grade: str


class AppraisalDrawIn(Schema):
    drawn_on: date


class AppraisalPaperItemOut(ModelOut):
    options: list[str] = Field(validation_alias=AliasPath("question", "options"), description="选项")

    class Meta:
        model = PaperItem
        fields = ("position", ("kind", "question__kind"), ("text", "question__text"), "options", "given", "correct")


class AppraisalPaperOut(ModelOut):
    pass_mark: str = Field(description="及格线（答对比例），精确分数")
    items: list[AppraisalPaperItemOut]

    class Meta:
        model = Paper
        fields = ("id", "drawn_on", "total", "score", "passed", "appraisal_id", "pass_mark", "items")

    @staticmethod
    def resolve_pass_mark(p: Paper) -> str | None:
        return selectors.exact(p.rule.pass_mark)

    @staticmethod
    def resolve_items(p: Paper) -> list[PaperItem]:
        return list(p.items.select_related("question"))


class AppraisalAnswersIn(Schema):
    answers: dict[int, str]


class AppraisalInspectionIn(Schema):
    inspected_on: date
    inspectors: str
    findings: str
    conclusion: str


class AppraisalProblemIn(Schema):
    kind: str
    description: str
    found_on: date
    serious: bool = False


class AppraisalReferIn(Schema):
    rule_id: int


class AppraisalQuestionIn(Schema):
    region: str
    kind: str
    text: str
    options: list[str] = []
    answer: str


class AppraisalQuestionOut(ModelOut):
    options: list[str] = Field(description="选项")

    class Meta:
        model = Question
        fields = ("id", "region", "kind", "text", "options", "answer")


class AppraisalCountOut(Schema):
    region: str
    region_name: str
    kind: str
    count: int


class AppraisalRollupKindOut(Schema):
    id: int
    code: str
    name: str


class AppraisalRollupRowOut(Schema):
    code: str
    name: str
    appraised: int
    satisfied: int
    basic: int
    unsatisfied: int
    ratings: int
    satisfaction: str | None  # exact, "(满意 + 基本满意)/票数" reduced: "67/100"
    satisfaction_text: str  # "67.0%（67/100）"
    papers: int
    average_score: str | None  # exact, on a 100-point scale: "157/2", "70/1"
    passed: int
    pass_rate: str | None  # exact
    reports: int
    problems: int
    problems_by_kind: list[int]  # in the order of `kinds`


class AppraisalRollupOut(Schema):
    code: str
    name: str
    pass_mark: str | None  # in force today, exact: "3/5"
    kinds: list[AppraisalRollupKindOut]
    rows: list[AppraisalRollupRowOut]
    total: AppraisalRollupRowOut


def _rate(a: Appraisal) -> str | None:
    return selectors.exact(a.rate)


def _rollup_row(row: selectors.RollupRow) -> dict[str, Any]:
    return {
        **row.counts(),
        "satisfaction": selectors.exact(row.satisfaction),
        "satisfaction_text": row.satisfaction_text,
        "average_score": selectors.exact(row.average_score),
        "pass_rate": selectors.exact(row.pass_rate),
        "problems_by_kind": row.kind_counts,
    }


def _detail(request: HttpRequest, a: Appraisal) -> WithFields:
    return WithFields(
        a,
        inquiries=selectors.inquiries_of(request.user, a),
        papers=selectors.papers_of(request.user, a),
        problems=selectors.problems_of(request.user, a),
        inspection=getattr(a, "inspection", None),
    )


def _appraisal(request: HttpRequest, appraisal_id: int) -> Appraisal:
    return appraisal_policy.get_or_404(
        request.user, queryset=Appraisal.objects.select_related("person", "inspection"), pk=appraisal_id
    )


@router.get("/", response=list[AppraisalOut], url_name="api_appraisals_list", summary="考察对象")
@paginate(Paged)
def appraisals(request: HttpRequest) -> QuerySet[Appraisal]:
    # A county's appraisals grow with every term change: a page at a time (they stopped at 500 without saying so).
    return selectors.appraisals_visible(request.user)


@router.post("/", response={201: AppraisalDetailOut}, url_name="api_appraisals_open", summary="建立考察档案")
def appraisal_new(request: HttpRequest, payload: AppraisalOpenIn) -> Status:
    a = services.appraisal_open(
        actor=acting_user(request),
        person=views.person_for(request.user, payload.person_id),
        post=payload.post,
        opened_on=payload.opened_on,
    )
    return Status(201, _detail(request, _appraisal(request, a.pk)))


@router.get(
    "/problem-counts", response=list[AppraisalCountOut], url_name="api_appraisals_counts", summary="问题分类汇总"
)
def counts(request: HttpRequest) -> list[dict[str, Any]]:
    return [c.__dict__ for c in selectors.problem_counts(request.user)]


@router.get("/rollup/{code}", response=AppraisalRollupOut, url_name="api_appraisals_rollup", summary="乡镇、县汇总")
def rollup(request: HttpRequest, code: str) -> dict[str, Any]:
    table = selectors.rollup(request.user, views.rollup_region(request.user, code, fallback=False))
    return {
        "code": table.region.code,
        "name": table.region.name,
        "pass_mark": selectors.exact(table.rule.pass_mark if table.rule else None),
        "kinds": [{"id": k.pk, "code": k.code, "name": k.name} for k in table.kinds],
        "rows": [_rollup_row(r) for r in table.rows],
        "total": _rollup_row(table.total),
    }


@router.get(
    "/rollup/{code}/rollup.xlsx",
    url_name="api_appraisals_rollup_export",
    summary="乡镇、县汇总表（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def rollup_export(request: HttpRequest, code: str) -> HttpResponse:
    return views.rollup_response(request.user, code)


@router.get(
    "/results.xlsx",
    url_name="api_appraisals_export",
    summary="双评三考结果表（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def export(request: HttpRequest) -> HttpResponse:
    return views.export_response(request.user)


@router.get("/questions", response=list[AppraisalQuestionOut], url_name="api_appraisals_questions", summary="题库")
@paginate(Paged)
def questions(request: HttpRequest) -> QuerySet[Question]:
    # The question banks grow with every town's additions: a page at a time (they stopped at 1,000 rows).
    return selectors.questions_visible(request.user)


@router.post(
    "/questions", response={201: AppraisalQuestionOut}, url_name="api_appraisals_question_new", summary="新增题目"
)
def question_new(request: HttpRequest, payload: AppraisalQuestionIn) -> Status:
    q = services.question_add(
        actor=acting_user(request),
        region_code=payload.region,
        kind=payload.kind,
        text=payload.text,
        options=payload.options,
        answer=payload.answer,
    )
    return Status(
        201,
        {"id": q.pk, "region": q.region_id, "kind": q.kind, "text": q.text, "options": q.options, "answer": q.answer},
    )


@router.post(
    "/questions/import",
    response=ImportReportOut,
    url_name="api_appraisals_question_import",
    summary="导入题库（multipart：region、file；任一行有误则不保存）",
)
def question_import(request: HttpRequest, region: Form[str], file: File[UploadedFile]) -> dict[str, Any]:
    return exports.questions_import(
        actor=acting_user(request), region_code=region, stream=cast(BinaryIO, file)
    ).answer()


@router.get(
    "/questions/{code}/bank.xlsx",
    url_name="api_appraisals_bank_export",
    summary="导出题库（Excel，与导入同列，可修改后再导入）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def bank_export(request: HttpRequest, code: str) -> HttpResponse:
    return views.bank_response(request.user, code)


@router.get("/{appraisal_id}", response=AppraisalDetailOut, url_name="api_appraisals_detail", summary="考察对象详情")
def appraisal(request: HttpRequest, appraisal_id: int) -> WithFields:
    return _detail(request, _appraisal(request, appraisal_id))


@router.post("/{appraisal_id}/self", response=AppraisalDetailOut, url_name="api_appraisals_self", summary="自评")
def self_assess(request: HttpRequest, appraisal_id: int, payload: AppraisalSelfIn) -> WithFields:
    services.self_assess(
        actor=acting_user(request),
        appraisal=_appraisal(request, appraisal_id),
        grade=payload.grade,
        summary=payload.summary,
        written_on=payload.written_on,
        expected_version=payload.version,
    )
    return _detail(request, _appraisal(request, appraisal_id))


@router.post(
    "/{appraisal_id}/ratings",
    response=AppraisalDetailOut,
    url_name="api_appraisals_ratings",
    summary="群众评（票数汇总）",
)
def ratings(request: HttpRequest, appraisal_id: int, payload: AppraisalRatingsIn) -> WithFields:
    services.ratings_set(
        actor=acting_user(request),
        appraisal=_appraisal(request, appraisal_id),
        satisfied=payload.satisfied,
        basic=payload.basic,
        unsatisfied=payload.unsatisfied,
        expected_version=payload.version,
    )
    return _detail(request, _appraisal(request, appraisal_id))


@router.post(
    "/{appraisal_id}/rating",
    response=AppraisalDetailOut,
    url_name="api_appraisals_rating",
    summary="群众评（逐张录入）",
)
def rating(request: HttpRequest, appraisal_id: int, payload: AppraisalRatingIn) -> WithFields:
    services.rating_add(actor=acting_user(request), appraisal=_appraisal(request, appraisal_id), level=payload.level)
    return _detail(request, _appraisal(request, appraisal_id))


@router.post(
    "/{appraisal_id}/inquiries",
    response={201: AppraisalDetailOut},
    url_name="api_appraisals_inquiry",
    summary="记录部长问询考",
)
def inquiry(request: HttpRequest, appraisal_id: int, payload: AppraisalInquiryIn) -> Status:
    services.inquiry_record(actor=acting_user(request), appraisal=_appraisal(request, appraisal_id), **payload.dict())
    return Status(201, _detail(request, _appraisal(request, appraisal_id)))


@router.post(
    "/{appraisal_id}/papers", response={201: AppraisalPaperOut}, url_name="api_appraisals_paper_new", summary="组卷"
)
def paper_new(request: HttpRequest, appraisal_id: int, payload: AppraisalDrawIn) -> Status:
    p = services.paper_draw(
        actor=acting_user(request), appraisal=_appraisal(request, appraisal_id), drawn_on=payload.drawn_on
    )
    return Status(201, p)


@router.post(
    "/{appraisal_id}/inspection",
    response={201: AppraisalDetailOut},
    url_name="api_appraisals_inspection",
    summary="形成专项考察报告",
)
def inspection(request: HttpRequest, appraisal_id: int, payload: AppraisalInspectionIn) -> Status:
    services.inspection_write(actor=acting_user(request), appraisal=_appraisal(request, appraisal_id), **payload.dict())
    return Status(201, _detail(request, _appraisal(request, appraisal_id)))


@pdf_route(
    router,
    "/{appraisal_id}/report.pdf",
    url_name="api_appraisals_report",
    summary="专项考察报告（PDF）",
    title="专项考察报告",
)
def report(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    return views.report_response(request.user, _appraisal(request, appraisal_id))


@router.post(
    "/{appraisal_id}/problems",
    response={201: AppraisalDetailOut},
    url_name="api_appraisals_problem_new",
    summary="登记发现问题",
)
def problem_new(request: HttpRequest, appraisal_id: int, payload: AppraisalProblemIn) -> Status:
    services.problem_add(
        actor=acting_user(request),
        appraisal=_appraisal(request, appraisal_id),
        kind_code=payload.kind,
        description=payload.description,
        found_on=payload.found_on,
        serious=payload.serious,
    )
    return Status(201, _detail(request, _appraisal(request, appraisal_id)))


def _paper(request: HttpRequest, paper_id: int) -> Paper:
    return paper_policy.get_or_404(request.user, queryset=Paper.objects.select_related("rule"), pk=paper_id)


@router.get("/papers/{paper_id}", response=AppraisalPaperOut, url_name="api_appraisals_paper", summary="试卷")
def paper(request: HttpRequest, paper_id: int) -> Paper:
    return _paper(request, paper_id)


@router.post(
    "/papers/{paper_id}/submit", response=AppraisalPaperOut, url_name="api_appraisals_paper_submit", summary="交卷评分"
)
def paper_submit(request: HttpRequest, paper_id: int, payload: AppraisalAnswersIn) -> Paper:
    services.paper_submit(actor=acting_user(request), paper=_paper(request, paper_id), answers=payload.answers)
    return _paper(request, paper_id)


@router.post(
    "/problems/{problem_id}/refer",
    response=AppraisalProblemOut,
    url_name="api_appraisals_problem_refer",
    summary="严重问题转入负面清单（待核实）",
)
def problem_refer(request: HttpRequest, problem_id: int, payload: AppraisalReferIn) -> Problem:
    found = problem_policy.get_or_404(request.user, queryset=Problem.objects.all(), pk=problem_id)
    return services.problem_refer(actor=acting_user(request), problem=found, rule_id=payload.rule_id)
