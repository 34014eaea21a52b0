"""The survey module's API under /api/v1/surveys: every operation of the pages, same services and documents; the
public answer of a resident through their single-use link is the only operation without an account."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.people.permissions import person_policy
from cunshe.spreadsheets.layout import XLSX
from cunshe.surveys import selectors, views
from cunshe.surveys.models import Choice, Holder, Question, Run, Survey, TextAnswer
from cunshe.surveys.permissions import run_policy, survey_policy, text_policy
from cunshe.surveys.selectors import shown
from cunshe.surveys.services import (
    holder_assign,
    paper_enter,
    response_enter,
    response_submit,
    survey_close,
    survey_create,
    survey_edit,
    survey_open,
    survey_revise,
    text_raise,
    token_open,
    tokens_issue,
)

router = Router(tags=["民意调查"])


class SurveyChoiceOut(ModelOut):
    class Meta:
        model = Choice
        fields = ("id", "label", "score")


class SurveyQuestionOut(ModelOut):
    choices: list[SurveyChoiceOut]

    class Meta:
        model = Question
        fields = ("id", "position", "kind", "text", "scale_max", "choices")


class SurveyOut(ModelOut):
    class Meta:
        model = Survey
        fields = (
            "id", "region", "series", "number", "title", "purpose", "post", "year", "intro", "status", "previous_id",
            "opened_on", "closed_on", "version",
        )  # fmt: skip


class SurveyDetail(SurveyOut):
    questions: list[SurveyQuestionOut]


class SurveyQuestionIn(Schema):
    kind: str
    text: str
    choices: list[str] = []
    scale_max: int | None = None


class SurveyIn(Schema):
    region: str
    title: str
    purpose: str
    year: int
    post: str = ""
    intro: str = ""
    previous_id: int | None = None
    questions: list[SurveyQuestionIn]


class SurveyEditIn(Schema):
    title: str
    intro: str = ""
    questions: list[SurveyQuestionIn]
    version: int


class SurveyVersionIn(Schema):
    version: int
    villages: list[str] = []
    on: date | None = None  # the day it opened or closed, when recorded afterwards (default today)


class SurveyCountRow(Schema):
    code: str
    name: str
    forms: int
    papers: int
    responses: int
    counts: dict[str, int]


class SurveyResultsOut(Schema):
    under: str
    questions: list[SurveyQuestionOut]
    rows: list[SurveyCountRow]
    total: SurveyCountRow


class SurveyScoreRow(Schema):
    code: str
    name: str
    score: str
    answers: int
    last_year: str
    change: str


class SurveyScoresOut(Schema):
    under: str
    formula: str
    rows: list[SurveyScoreRow]
    total: SurveyScoreRow
    people: list[SurveyScoreRow]


class SurveyTextOut(Schema):
    id: int
    question_id: int
    text: str
    channel: str
    issue_id: int | None


class SurveyRunOut(Schema):
    id: int
    survey_id: int
    village: str
    subject: str
    papers: int
    responses: int
    version: int
    counts: dict[str, dict[str, int]]
    texts: list[SurveyTextOut]
    tokens_unused: int


class SurveyPaperIn(Schema):
    papers: int
    totals: dict[str, dict[str, int]] = {}
    texts: dict[str, list[str]] = {}
    version: int


class SurveyAnswersIn(Schema):
    answers: dict[str, int | list[int] | str]


class SurveyResponseOut(Schema):
    id: int
    channel: str


class SurveyTokensIn(Schema):
    count: int


class SurveyTokensOut(Schema):
    batch: int
    count: int
    links: list[str]


class SurveyRaiseIn(Schema):
    title: str = ""
    owner: str
    due_on: date | None = None


class SurveyIssueOut(Schema):
    issue_id: int
    title: str


class SurveyHolderOut(ModelOut):
    class Meta:
        model = Holder
        fields = ("id", "village", "post", "person_id", ("name", "person__name"), "unit", "since", "until")


class SurveyHolderIn(Schema):
    village: str
    post: str
    person_id: int
    since: date
    unit: str = ""


class SurveyPublicOut(Schema):
    title: str
    intro: str
    village: str
    questions: list[SurveyQuestionOut]


def _detail(s: Survey) -> WithFields:
    return WithFields(s, questions=selectors.questions_of(s))


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    return survey_policy.get_or_404(request.user, queryset=Survey.objects.select_related("region"), pk=survey_id)


@router.get("", response=list[SurveyOut], url_name="api_surveys_list", summary="问卷")
@paginate(Paged)
def survey_list(request: HttpRequest) -> QuerySet[Survey]:
    # Surveys add up year by year: a page at a time (the list stopped at 200 without saying so).
    return selectors.surveys_visible(request.user)


@router.post("", response={201: SurveyDetail}, url_name="api_surveys_new", summary="拟定问卷（草稿）")
def survey_new(request: HttpRequest, payload: SurveyIn) -> Status:
    previous = _survey(request, payload.previous_id) if payload.previous_id else None
    s = survey_create(
        actor=acting_user(request),
        region_code=payload.region,
        title=payload.title,
        purpose=payload.purpose,
        year=payload.year,
        post=payload.post,
        intro=payload.intro,
        previous=previous,
        questions=[q.dict() for q in payload.questions],
    )
    return Status(201, _detail(s))


# Fixed paths before /{survey_id}, which would otherwise take "holders" and "public" as an id.
@router.get("/holders", response=list[SurveyHolderOut], url_name="api_surveys_holders", summary="三个全覆盖人员")
@paginate(Paged)
def holders(request: HttpRequest, under: str = "") -> QuerySet[Holder]:
    # A county's three coverages run to thousands of people: a page at a time (the list stopped at 2,000).
    region = views.holder_region(request, under, fallback=not under)
    return selectors.holders_under(request.user, region.code)


@router.post(
    "/holders", response={201: SurveyHolderOut}, url_name="api_surveys_holder_new", summary="登记三个全覆盖人员"
)
def holder_new(request: HttpRequest, payload: SurveyHolderIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    h = holder_assign(
        actor=acting_user(request),
        village_code=payload.village,
        post=payload.post,
        person=person,
        since=payload.since,
        unit=payload.unit,
    )
    return Status(201, h)


@router.get(
    "/public/{code}", auth=None, response=SurveyPublicOut, url_name="api_surveys_public", summary="公开：扫码问卷"
)
def public_form(request: HttpRequest, code: str) -> dict[str, Any]:
    token = token_open(code)
    s = token.run.survey
    return {
        "title": s.title,
        "intro": s.intro,
        "village": token.run.village.name,
        "questions": selectors.questions_of(s),
    }


@router.post(
    "/public/{code}",
    auth=None,
    response={201: SurveyResponseOut},
    url_name="api_surveys_public_submit",
    summary="公开：提交扫码问卷（一码一份）",
)
def public_submit(request: HttpRequest, code: str, payload: SurveyAnswersIn) -> Status:
    r = response_submit(code=code, answers=payload.answers)
    return Status(201, {"id": r.pk, "channel": r.channel})


@router.get("/{survey_id}", response=SurveyDetail, url_name="api_surveys_detail", summary="问卷及题目")
def survey_detail(request: HttpRequest, survey_id: int) -> WithFields:
    return _detail(_survey(request, survey_id))


@router.post("/{survey_id}/edit", response=SurveyDetail, url_name="api_surveys_edit", summary="修改问卷草稿")
def survey_edit_api(request: HttpRequest, survey_id: int, payload: SurveyEditIn) -> WithFields:
    s = survey_edit(
        actor=acting_user(request),
        survey=_survey(request, survey_id),
        title=payload.title,
        intro=payload.intro,
        questions=[q.dict() for q in payload.questions],
        expected_version=payload.version,
    )
    return _detail(s)


@router.post("/{survey_id}/open", response=SurveyOut, url_name="api_surveys_open", summary="开始调查（问卷定稿）")
def survey_open_api(request: HttpRequest, survey_id: int, payload: SurveyVersionIn) -> Survey:
    s = survey_open(
        actor=acting_user(request),
        survey=_survey(request, survey_id),
        expected_version=payload.version,
        villages=payload.villages or None,
        on=payload.on,
    )
    return s


@router.post("/{survey_id}/close", response=SurveyOut, url_name="api_surveys_close", summary="结束调查")
def survey_close_api(request: HttpRequest, survey_id: int, payload: SurveyVersionIn) -> Survey:
    return survey_close(
        actor=acting_user(request), survey=_survey(request, survey_id), expected_version=payload.version, on=payload.on
    )


@router.post("/{survey_id}/revise", response={201: SurveyDetail}, url_name="api_surveys_revise", summary="另起新版本")
def survey_revise_api(request: HttpRequest, survey_id: int) -> Status:
    return Status(201, _detail(survey_revise(actor=acting_user(request), survey=_survey(request, survey_id))))


def _count_row(r: selectors.Counted) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "forms": r.forms,
        "papers": r.papers,
        "responses": r.responses,
        "counts": {str(k): v for k, v in r.by_choice.items()},
    }


@router.get(
    "/{survey_id}/results",
    response=SurveyResultsOut,
    url_name="api_surveys_results",
    summary="调查结果（各选项份数，按下一级区域汇总）",
)
def survey_results(request: HttpRequest, survey_id: int, under: str = "") -> dict[str, Any]:
    s = _survey(request, survey_id)
    region = run_policy.rollup_region(request.user, under or s.region_id, fallback=not under)
    res = selectors.results(request.user, s, region.code)
    return {
        "under": region.code,
        "questions": res.questions,
        "rows": [_count_row(r) for r in res.rows],
        "total": _count_row(res.total),
    }


def _score_row(r: selectors.ScoreRow) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "score": shown(r.score),
        "answers": r.answers,
        "last_year": shown(r.last_year),
        "change": shown(r.change),
    }


@router.get(
    "/{survey_id}/scores",
    response=SurveyScoresOut,
    url_name="api_surveys_scores",
    summary="满意度得分（按区域、被测评人，与上年对比）",
)
def survey_scores(request: HttpRequest, survey_id: int, under: str = "") -> dict[str, Any]:
    s = _survey(request, survey_id)
    region = run_policy.rollup_region(request.user, under or s.region_id, fallback=not under)
    sc = selectors.scores(request.user, s, region.code)
    return {
        "under": region.code,
        "formula": views.FORMULA,
        "rows": [_score_row(r) for r in sc.rows],
        "total": _score_row(sc.total),
        "people": [_score_row(p) for p in sc.people],
    }


@router.get(
    "/{survey_id}/results.xlsx",
    url_name="api_surveys_results_xlsx",
    summary="调查结果（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def survey_results_xlsx(request: HttpRequest, survey_id: int, under: str = "") -> HttpResponse:
    return views.results_xlsx_response(request, _survey(request, survey_id), under)


@router.get(
    "/{survey_id}/scores.xlsx",
    url_name="api_surveys_scores_xlsx",
    summary="满意度得分（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def survey_scores_xlsx(request: HttpRequest, survey_id: int, under: str = "") -> HttpResponse:
    return views.scores_xlsx_response(request, _survey(request, survey_id), under)


@pdf_route(router, "/{survey_id}/form.pdf", url_name="api_surveys_form_pdf", summary="纸质问卷", title="纸质问卷")
def survey_form_pdf(request: HttpRequest, survey_id: int) -> HttpResponse:
    return views.form_pdf_response(_survey(request, survey_id))


@pdf_route(
    router, "/{survey_id}/results.pdf", url_name="api_surveys_results_pdf", summary="调查结果（打印）", title="调查结果"
)
def survey_results_pdf(request: HttpRequest, survey_id: int, under: str = "") -> HttpResponse:
    return views.results_pdf_response(request, _survey(request, survey_id), under)


def _run(request: HttpRequest, run_id: int) -> Run:
    return run_policy.get_or_404(
        request.user, queryset=Run.objects.select_related("survey", "village", "subject"), pk=run_id
    )


def _run_out(request: HttpRequest, run: Run) -> dict[str, Any]:
    data = views.run_data(request.user, run)
    return {
        "id": run.pk,
        "survey_id": run.survey_id,
        "village": run.village_id,
        "subject": run.subject.name if run.subject else "",
        "papers": run.papers,
        "responses": run.responses,
        "version": run.version,
        "counts": {str(c): {"paper": paper, "single": single} for c, (paper, single) in data["counts"].items()},
        "texts": [
            {"id": t.pk, "question_id": t.question_id, "text": t.text, "channel": t.channel, "issue_id": t.issue_id}
            for t in data["texts"]
        ],
        "tokens_unused": data["tokens_unused"],
    }


@router.get("/runs/{run_id}", response=SurveyRunOut, url_name="api_surveys_run", summary="某村(社区)的调查情况")
def run_detail(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _run_out(request, _run(request, run_id))


@router.post(
    "/runs/{run_id}/paper", response=SurveyRunOut, url_name="api_surveys_paper", summary="录入纸质问卷汇总（整体替换）"
)
def run_paper(request: HttpRequest, run_id: int, payload: SurveyPaperIn) -> dict[str, Any]:
    run = paper_enter(
        actor=acting_user(request),
        run=_run(request, run_id),
        papers=payload.papers,
        totals=payload.totals,
        texts=payload.texts,
        expected_version=payload.version,
    )
    return _run_out(request, _run(request, run.pk))


@router.post(
    "/runs/{run_id}/responses",
    response={201: SurveyResponseOut},
    url_name="api_surveys_response",
    summary="干部代录一份答卷",
)
def run_response(request: HttpRequest, run_id: int, payload: SurveyAnswersIn) -> Status:
    r = response_enter(actor=acting_user(request), run=_run(request, run_id), answers=payload.answers)
    return Status(201, {"id": r.pk, "channel": r.channel})


@router.post(
    "/runs/{run_id}/tokens",
    response={201: SurveyTokensOut},
    url_name="api_surveys_tokens",
    summary="发放一批扫码问卷链接（一码一份）",
)
def run_tokens(request: HttpRequest, run_id: int, payload: SurveyTokensIn) -> Status:
    tokens = tokens_issue(actor=acting_user(request), run=_run(request, run_id), count=payload.count)
    base = views.public_base(request)
    return Status(201, {"batch": tokens[0].batch, "count": len(tokens), "links": [f"{base}{t.code}/" for t in tokens]})


@pdf_route(
    router,
    "/runs/{run_id}/slips.pdf",
    url_name="api_surveys_slips",
    summary="扫码问卷条（一批未使用的链接，默认最新一批）",
    title="扫码问卷条",
)
def run_slips(
    request: HttpRequest,
    run_id: int,
    batch: int | None = Query(None, ge=1, le=selectors.MAX_BATCH, description="批次（默认最新一批）"),
) -> HttpResponse:
    return views.slips_response(request, _run(request, run_id), batch)


@router.post(
    "/texts/{text_id}/issue",
    response={201: SurveyIssueOut},
    url_name="api_surveys_raise",
    summary="文字意见转为问题清单",
)
def text_issue(request: HttpRequest, text_id: int, payload: SurveyRaiseIn) -> Status:
    answer = text_policy.get_or_404(request.user, queryset=TextAnswer.objects.all(), pk=text_id)
    issue = text_raise(
        actor=acting_user(request), answer=answer, title=payload.title, owner=payload.owner, due_on=payload.due_on
    )
    return Status(201, {"issue_id": issue.pk, "title": issue.title})
