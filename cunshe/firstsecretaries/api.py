"""The first-secretary module's API under /api/v1/firstsecretaries: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer
from cunshe.core.paging import Paged, first_page
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.firstsecretaries import exports, printouts, selectors
from cunshe.firstsecretaries.models import LogEntry, Posting, Report
from cunshe.firstsecretaries.permissions import posting_policy, report_policy, tally_policy
from cunshe.firstsecretaries.services import (
    log_add,
    posting_create,
    posting_end,
    posting_person_set,
    posting_update,
    report_acknowledge,
    report_return,
    report_submit,
)
from cunshe.firstsecretaries.statistics import statistics
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["第一书记"])


class FsFigureOut(Schema):
    kind: str
    label: str
    unit: str
    value: Decimal


class FsPostingOut(ModelOut):
    person_name: str = Field(description="关联人员的姓名（未关联为空）")
    figures: list[FsFigureOut] = Field(description="各项工作统计的累计数")

    class Meta:
        model = Posting
        fields = (
            "id", "village", "name", "sending_unit", "started_on", "ends_on", "ended_on", "team_members",
            "person_id", "person_name", "version", "figures",
        )  # fmt: skip

    @staticmethod
    def resolve_person_name(p: Posting) -> str:
        return p.person.name if p.person else ""

    @staticmethod
    def resolve_figures(p: Posting) -> list[dict[str, Any]]:
        by_kind = {t.kind: t.value for t in p.tallies.all()}
        return [
            {"kind": s.kind, "label": s.label, "unit": s.unit, "value": by_kind.get(s.kind, Decimal(0))}
            for s in statistics()
        ]


class FsPostingIn(Schema):
    village: str
    name: str
    sending_unit: str
    started_on: date
    ends_on: date
    team_members: str = ""
    person_id: int | None = None


class FsPostingPersonIn(Schema):
    person_id: int | None
    version: int


class FsPostingUpdateIn(Schema):
    team_members: str = ""
    ends_on: date
    version: int


class FsPostingEndIn(Schema):
    ended_on: date
    version: int


class FsLogIn(Schema):
    written_on: date
    content: str


class FsLogOut(ModelOut):
    class Meta:
        model = LogEntry
        fields = ("id", "written_on", "content")


class FsReportOut(ModelOut):
    class Meta:
        model = Report
        fields = (
            "id", "kind", "period_start", "period_end", "due_on", "status", "text", "lectures", "members_recruited",
            "meetings", "decisions", "disclosures", "funds", "projects", "submitted_on", "acknowledged_on",
            "returned_reason", "version",
        )  # fmt: skip


class FsPostingDetail(FsPostingOut):
    log: list[FsLogOut] = Field(description="驻村日志的第一页（新的在前）；全部见 GET …/log（分页）")
    log_count: int = Field(description="驻村日志的总条数")
    reports: list[FsReportOut]


class FsReportIn(Schema):
    text: str
    version: int
    lectures: int = 0
    members_recruited: int = 0
    meetings: int = 0
    decisions: int = 0
    disclosures: int = 0
    funds: Decimal = Decimal(0)
    projects: int = 0


class FsVersionIn(Schema):
    version: int


class FsReturnIn(Schema):
    reason: str
    version: int


class FsRollupRowOut(Schema):
    code: str
    name: str
    postings: int
    values: dict[str, Decimal]


class FsStatisticOut(Schema):
    kind: str
    label: str
    unit: str
    source: str


class FsRollupOut(Schema):
    region: str
    statistics: list[FsStatisticOut]
    rows: list[FsRollupRowOut]
    total: FsRollupRowOut


def _fresh(request: HttpRequest, p: Posting) -> Posting:
    return selectors.postings_visible(request.user).get(pk=p.pk)


def _posting(request: HttpRequest, posting_id: int) -> Posting:
    return posting_policy.get_or_404(request.user, queryset=selectors.postings_visible(request.user), pk=posting_id)


def _report(request: HttpRequest, report_id: int) -> Report:
    return report_policy.get_or_404(request.user, queryset=Report.objects.select_related("posting"), pk=report_id)


@router.get("/postings", response=list[FsPostingOut], url_name="api_fs_postings", summary="第一书记派驻")
@paginate(Paged)
def postings(request: HttpRequest, region: str = "") -> QuerySet[Posting]:
    # A county posts to hundreds of villages, term after term: a page at a time (the list stopped at 300).
    return selectors.postings_visible(request.user, region)


@router.post("/postings", response={201: FsPostingOut}, url_name="api_fs_posting_new", summary="登记派驻")
def posting_new(request: HttpRequest, payload: FsPostingIn) -> Status:
    d = payload.dict()
    person = selectors.person_chosen(request.user, d.pop("person_id"), "person_id")
    p = posting_create(actor=acting_user(request), village_code=d.pop("village"), person=person, **d)
    return Status(201, _fresh(request, p))


@router.get("/postings/{posting_id}", response=FsPostingDetail, url_name="api_fs_posting", summary="派驻详情")
def posting(request: HttpRequest, posting_id: int) -> WithFields:
    p = _posting(request, posting_id)
    log, log_count = first_page(selectors.log_of(request.user, p))
    return WithFields(p, log=log, log_count=log_count, reports=selectors.reports_of(request.user, p))


@router.get(
    "/postings/{posting_id}/log", response=list[FsLogOut], url_name="api_fs_log", summary="驻村日志（新的在前）"
)
@paginate(Paged)
def log(request: HttpRequest, posting_id: int) -> QuerySet[LogEntry]:
    # A log written most days of a three-year term: a page at a time (the detail stopped at 500).
    return selectors.log_of(request.user, _posting(request, posting_id))


@router.post(
    "/postings/{posting_id}/change", response=FsPostingOut, url_name="api_fs_posting_change", summary="变更工作队或任期"
)
def posting_change(request: HttpRequest, posting_id: int, payload: FsPostingUpdateIn) -> Posting:
    p = _posting(request, posting_id)
    posting_update(
        actor=acting_user(request),
        posting=p,
        team_members=payload.team_members,
        ends_on=payload.ends_on,
        expected_version=payload.version,
    )
    return _fresh(request, p)


@router.post(
    "/postings/{posting_id}/person",
    response=FsPostingOut,
    url_name="api_fs_posting_person",
    summary="关联人员登记（满意度测评计分对象）",
)
def posting_person(request: HttpRequest, posting_id: int, payload: FsPostingPersonIn) -> Posting:
    p = _posting(request, posting_id)
    posting_person_set(
        actor=acting_user(request),
        posting=p,
        person=selectors.person_chosen(request.user, payload.person_id, "person_id"),
        expected_version=payload.version,
    )
    return _fresh(request, p)


@router.post("/postings/{posting_id}/end", response=FsPostingOut, url_name="api_fs_posting_end", summary="登记离任")
def posting_leave(request: HttpRequest, posting_id: int, payload: FsPostingEndIn) -> Posting:
    p = _posting(request, posting_id)
    posting_end(actor=acting_user(request), posting=p, ended_on=payload.ended_on, expected_version=payload.version)
    return _fresh(request, p)


@router.post("/postings/{posting_id}/log", response={201: FsLogOut}, url_name="api_fs_log_new", summary="记驻村日志")
def log_new(request: HttpRequest, posting_id: int, payload: FsLogIn) -> Status:
    p = _posting(request, posting_id)
    e = log_add(actor=acting_user(request), posting=p, written_on=payload.written_on, content=payload.content)
    return Status(201, e)


@router.get(
    "/reports/{report_id}/print.pdf",
    url_name="api_fs_report_print",
    summary="打印工作月报、季度或半年总结（PDF）",
    openapi_extra=file_answer("application/pdf", "PDF 文档"),
)
def report_print(request: HttpRequest, report_id: int) -> HttpResponse:
    return printouts.report_response(
        report_policy.get_or_404(request.user, queryset=Report.objects.select_related("posting__village"), pk=report_id)
    )


@router.post("/reports/{report_id}/submit", response=FsReportOut, url_name="api_fs_submit", summary="报送报告")
def submit(request: HttpRequest, report_id: int, payload: FsReportIn) -> Report:
    d = payload.dict()
    text, version = d.pop("text"), d.pop("version")
    r = report_submit(
        actor=acting_user(request), report=_report(request, report_id), text=text, figures=d, expected_version=version
    )
    return r


@router.post(
    "/reports/{report_id}/acknowledge", response=FsReportOut, url_name="api_fs_acknowledge", summary="乡镇签收报告"
)
def acknowledge(request: HttpRequest, report_id: int, payload: FsVersionIn) -> Report:
    r = report_acknowledge(
        actor=acting_user(request), report=_report(request, report_id), expected_version=payload.version
    )
    return r


@router.post("/reports/{report_id}/return", response=FsReportOut, url_name="api_fs_return", summary="乡镇退回报告")
def send_back(request: HttpRequest, report_id: int, payload: FsReturnIn) -> Report:
    r = report_return(
        actor=acting_user(request),
        report=_report(request, report_id),
        reason=payload.reason,
        expected_version=payload.version,
    )
    return r


def _rollup_out(request: HttpRequest, code: str) -> dict[str, Any]:
    region = tally_policy.rollup_region(request.user, code, fallback=False)
    rows, total = selectors.rollup(request.user, region)

    def row(r: Any) -> dict[str, Any]:
        return {"code": r.code, "name": r.name, "postings": r.postings, "values": r.values}

    return {
        "region": region.code,
        "statistics": [{"kind": s.kind, "label": s.label, "unit": s.unit, "source": s.source} for s in statistics()],
        "rows": [row(r) for r in rows],
        "total": row(total),
    }


@router.get(
    "/statistics/{code}",
    response=FsRollupOut,
    url_name="api_fs_statistics",
    summary="第一书记工作统计（按县、乡镇汇总）",
)
def statistics_rollup(request: HttpRequest, code: str) -> dict[str, Any]:
    return _rollup_out(request, code)


@router.get(
    "/statistics/{code}/statistics.xlsx",
    url_name="api_fs_statistics_xlsx",
    summary="导出第一书记工作统计（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def statistics_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return exports.statistics_response(request.user, tally_policy.rollup_region(request.user, code, fallback=False))
