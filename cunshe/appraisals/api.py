"""双评三考's API under /api/v1/appraisals: every operation of the pages, same services and files."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO, cast

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from cunshe.accounts.selectors import acting_user
from cunshe.appraisals import exports, selectors, services, views
from cunshe.appraisals.models import Appraisal, Paper, Problem
from cunshe.appraisals.permissions import appraisal_policy, paper_policy, problem_policy
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import Schema
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["双评三考"])


class AppraisalOpenIn(Schema):
    person_id: int
    post: str
    opened_on: date


class AppraisalInquiryOut(Schema):
    id: int
    held_on: date
    inquirer: str
    questions: str
    assessment: str
    grade: str


class AppraisalPaperBrief(Schema):
    id: int
    drawn_on: date
    total: int
    score: int | None
    passed: bool | None


class AppraisalProblemOut(Schema):
    id: int
    kind: str
    kind_name: str
    found_on: date
    description: str
    serious: bool
    negative_entry_id: int | None


class AppraisalInspectionOut(Schema):
    inspected_on: date
    inspectors: str
    findings: str
    conclusion: str


class AppraisalOut(Schema):
    id: int
    village: str
    person_id: int
    name: str
    post: str
    opened_on: date
    self_grade: str
    self_summary: str
    self_on: date | None
    satisfied: int
    basic: int
    unsatisfied: int
    rate: str | None  # exact, "67/100"
    version: int


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


class AppraisalPaperItemOut(Schema):
    position: int
    kind: str
    text: str
    options: list[str]
    given: str
    correct: bool | None


class AppraisalPaperOut(AppraisalPaperBrief):
    appraisal_id: int
    pass_mark: str
    items: list[AppraisalPaperItemOut]


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


class AppraisalQuestionOut(Schema):
    id: int
    region: str
    kind: str
    text: str
    options: list[str]
    answer: str


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


def _out(a: Appraisal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "village": a.region_id,
        "person_id": a.person_id,
        "name": a.person.name,
        "post": a.post,
        "opened_on": a.opened_on,
        "self_grade": a.self_grade,
        "self_summary": a.self_summary,
        "self_on": a.self_on,
        "satisfied": a.satisfied,
        "basic": a.basic,
        "unsatisfied": a.unsatisfied,
        "rate": _rate(a),
        "version": a.version,
    }


def _paper_brief(p: Paper) -> dict[str, Any]:
    return {"id": p.pk, "drawn_on": p.drawn_on, "total": p.total, "score": p.score, "passed": p.passed}


def _detail(request: HttpRequest, a: Appraisal) -> dict[str, Any]:
    found = getattr(a, "inspection", None) if hasattr(a, "inspection") else None
    return {
        **_out(a),
        "inquiries": [
            {
                "id": i.pk,
                "held_on": i.held_on,
                "inquirer": i.inquirer,
                "questions": i.questions,
                "assessment": i.assessment,
                "grade": i.grade,
            }
            for i in selectors.inquiries_of(request.user, a)
        ],
        "papers": [_paper_brief(p) for p in selectors.papers_of(request.user, a)],
        "problems": [
            {
                "id": p.pk,
                "kind": p.kind.code,
                "kind_name": p.kind.name,
                "found_on": p.found_on,
                "description": p.description,
                "serious": p.serious,
                "negative_entry_id": p.negative_entry_id,
            }
            for p in selectors.problems_of(request.user, a)
        ],
        "inspection": None
        if found is None
        else {
            "inspected_on": found.inspected_on,
            "inspectors": found.inspectors,
            "findings": found.findings,
            "conclusion": found.conclusion,
        },
    }


def _appraisal(request: HttpRequest, appraisal_id: int) -> Appraisal:
    return appraisal_policy.get_or_404(
        request.user, queryset=Appraisal.objects.select_related("person", "inspection"), pk=appraisal_id
    )


@router.get("/", response=list[AppraisalOut], url_name="api_appraisals_list", summary="考察对象")
def appraisals(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(a) for a in selectors.appraisals_visible(request.user)[:500]]


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
def questions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": q.pk, "region": q.region_id, "kind": q.kind, "text": q.text, "options": q.options, "answer": q.answer}
        for q in selectors.questions_visible(request.user)[:1000]
    ]


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
def appraisal(request: HttpRequest, appraisal_id: int) -> dict[str, Any]:
    return _detail(request, _appraisal(request, appraisal_id))


@router.post("/{appraisal_id}/self", response=AppraisalDetailOut, url_name="api_appraisals_self", summary="自评")
def self_assess(request: HttpRequest, appraisal_id: int, payload: AppraisalSelfIn) -> dict[str, Any]:
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
def ratings(request: HttpRequest, appraisal_id: int, payload: AppraisalRatingsIn) -> dict[str, Any]:
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
def rating(request: HttpRequest, appraisal_id: int, payload: AppraisalRatingIn) -> dict[str, Any]:
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


def _paper_out(p: Paper) -> dict[str, Any]:
    return {
        **_paper_brief(p),
        "appraisal_id": p.appraisal_id,
        "pass_mark": selectors.exact(p.rule.pass_mark),
        "items": [
            {
                "position": i.position,
                "kind": i.question.kind,
                "text": i.question.text,
                "options": i.question.options,
                "given": i.given,
                "correct": i.correct,
            }
            for i in p.items.select_related("question")
        ],
    }


@router.post(
    "/{appraisal_id}/papers", response={201: AppraisalPaperOut}, url_name="api_appraisals_paper_new", summary="组卷"
)
def paper_new(request: HttpRequest, appraisal_id: int, payload: AppraisalDrawIn) -> Status:
    p = services.paper_draw(
        actor=acting_user(request), appraisal=_appraisal(request, appraisal_id), drawn_on=payload.drawn_on
    )
    return Status(201, _paper_out(p))


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
def paper(request: HttpRequest, paper_id: int) -> dict[str, Any]:
    return _paper_out(_paper(request, paper_id))


@router.post(
    "/papers/{paper_id}/submit", response=AppraisalPaperOut, url_name="api_appraisals_paper_submit", summary="交卷评分"
)
def paper_submit(request: HttpRequest, paper_id: int, payload: AppraisalAnswersIn) -> dict[str, Any]:
    services.paper_submit(actor=acting_user(request), paper=_paper(request, paper_id), answers=payload.answers)
    return _paper_out(_paper(request, paper_id))


@router.post(
    "/problems/{problem_id}/refer",
    response=AppraisalProblemOut,
    url_name="api_appraisals_problem_refer",
    summary="严重问题转入负面清单（待核实）",
)
def problem_refer(request: HttpRequest, problem_id: int, payload: AppraisalReferIn) -> dict[str, Any]:
    found = problem_policy.get_or_404(request.user, queryset=Problem.objects.all(), pk=problem_id)
    p = services.problem_refer(actor=acting_user(request), problem=found, rule_id=payload.rule_id)
    return {
        "id": p.pk,
        "kind": p.kind.code,
        "kind_name": p.kind.name,
        "found_on": p.found_on,
        "description": p.description,
        "serious": p.serious,
        "negative_entry_id": p.negative_entry_id,
    }
