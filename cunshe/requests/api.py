"""The request module's API under /api/v1/requests: every operation of the pages, the same services and files;
the resident's filing and answer without an account (auth=None), like the public pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.printing import pdf_response
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.requests import exports, printouts, selectors
from cunshe.requests.exports import hotline_import
from cunshe.requests.models import Category, Event, Request, ResponseTemplate, TierLimit, VillageTally
from cunshe.requests.permissions import (
    category_policy,
    request_policy,
    tally_policy,
    template_policy,
    tier_policy,
)
from cunshe.requests.public import client_address
from cunshe.requests.services import (
    category_create,
    category_retire,
    category_update,
    client_key_of,
    photo_add,
    request_answer,
    request_answer_record,
    request_assign,
    request_close,
    request_create,
    request_merge,
    request_publish,
    request_start,
    request_submit_public,
    template_activate,
    template_create,
    template_update,
    tier_limit_set,
)
from cunshe.spreadsheets.layout import XLSX, xlsx_response
from cunshe.spreadsheets.schemas import ImportReportOut

router = Router(tags=["民情诉求"])


class RequestOut(ModelOut):
    number: str = Field(description="诉求编号")
    department: str = Field(description="承办部门名称（未定为空）")
    overdue: bool = Field(description="未办结且已过办理时限")

    class Meta:
        model = Request
        fields = (
            "id", "number", "region", ("category", "category__code"), "tier", "route", "department", "channel", "title", "description",
            "address", "reporter_name", "reporter_phone", "raised_by_id", "work_order_no", "status", "submitted_at",
            "due_at", "overdue", "assignee_id", "assignee_team_id", "closing_note", "reopen_count", "duplicate_of_id",
            "answer_solved", "answer_satisfaction", "public", "version",
        )  # fmt: skip

    @staticmethod
    def resolve_department(r: Request) -> str:
        return r.department.name if r.department else ""

    @staticmethod
    def resolve_overdue(r: Request) -> bool:
        return r.is_open and r.due_at < timezone.now()


class RequestEventOut(ModelOut):
    actor: str

    class Meta:
        model = Event
        fields = ("at", "what", "text", "actor")


class RequestDetailOut(RequestOut):
    events: list[RequestEventOut]
    photo_ids: list[int]


class RequestFilter(Schema):
    status: str = ""
    region: str = ""
    overdue: bool = False


class RequestIn(Schema):
    village: str
    category: str
    channel: str
    title: str
    description: str
    tier: str | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    work_order_no: str = ""
    raised_by_id: int | None = None
    submitted_at: datetime | None = None


class RequestAssignIn(Schema):
    assignee_id: int | None = None
    team_id: int | None = None
    note: str = ""
    version: int


class RequestNoteIn(Schema):
    note: str = ""
    version: int


class RequestCloseIn(Schema):
    note: str = ""
    template_id: int | None = None
    version: int


class RequestAnswerIn(Schema):
    solved: bool
    satisfaction: int | None = None
    comment: str = ""


class RequestStaffAnswerIn(RequestAnswerIn):
    version: int


class RequestMergeIn(Schema):
    original_id: int
    version: int


class RequestPublishIn(Schema):
    public: bool
    version: int


class RequestCategoryOut(ModelOut):
    class Meta:
        model = Category
        fields = (
            "id", "county", "code", "name", "description", "route", "department_id", "tier", "public", "valid_from",
            "valid_to", "version",
        )  # fmt: skip


class RequestCategoryIn(Schema):
    county: str
    code: str
    name: str
    route: str
    valid_from: date
    tier: str = "general"
    department_id: int | None = None
    public: bool = True
    description: str = ""
    valid_to: date | None = None


class RequestLimitOut(ModelOut):
    class Meta:
        model = TierLimit
        fields = ("county", "tier", "amount", "unit", "valid_from")


class RequestLimitIn(Schema):
    county: str
    tier: str
    amount: Decimal
    unit: str
    valid_from: date


class RequestTemplateOut(ModelOut):
    class Meta:
        model = ResponseTemplate
        fields = ("id", "county", "title", "text", "is_active", "version")


class RequestTemplateIn(Schema):
    county: str
    title: str
    text: str


class RequestCategoryChangeIn(Schema):
    version: int
    name: str
    route: str
    tier: str = "general"
    department_id: int | None = None
    public: bool = True
    description: str = ""


class RequestCategoryRetireIn(Schema):
    version: int
    valid_to: date


class RequestTemplateChangeIn(Schema):
    version: int
    title: str
    text: str


class RequestTemplateActiveIn(Schema):
    version: int
    active: bool


class RequestReportRowOut(ModelOut):
    code: str
    name: str
    satisfaction: str

    class Meta:
        model = VillageTally
        fields = (
            "code", "name", "received", "closed", "reopened", "open", "overdue", "rated", "solved", "satisfaction",
        )  # fmt: skip


class RequestReportOut(Schema):
    region: str
    first: date
    last: date
    rows: list[RequestReportRowOut]
    total: RequestReportRowOut
    cases: list[int]


class RequestPublicIn(Schema):
    category: str
    title: str
    description: str
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""


class RequestPublicFiledOut(ModelOut):
    number: str

    class Meta:
        model = Request
        fields = ("id", "number", "token", "due_at")


class RequestPublicOut(ModelOut):
    number: str
    category: str
    answered: bool
    progress: list[RequestEventOut]

    class Meta:
        model = Request
        fields = ("number", "title", "category", "status", "due_at", "closing_note", "answered", "progress")


def _event_out(e: Any) -> dict[str, Any]:
    return {"at": e.at, "what": e.what, "text": e.text, "actor": e.actor.display_name if e.actor else "系统"}


def _detail(request: HttpRequest, request_id: int) -> WithFields:
    r = selectors.request_detail(request.user, request_id)
    return WithFields(
        r, events=[_event_out(e) for e in selectors.events_of(r)], photo_ids=[p.pk for p in r.photos.all()]
    )


@router.get("", response=list[RequestOut], url_name="api_requests_list", summary="可见的民情诉求")
@paginate(Paged)
def request_list(request: HttpRequest, filters: Query[RequestFilter]) -> QuerySet[Request]:
    return selectors.requests_visible(
        request.user, status=filters.status, region=filters.region, overdue=filters.overdue
    )


@router.post(
    "", response={201: RequestDetailOut}, url_name="api_requests_new", summary="登记诉求（走访、来电、12345、流动党员）"
)
def request_new(request: HttpRequest, payload: RequestIn) -> Status:
    d = payload.dict()
    r = request_create(
        actor=acting_user(request),
        village_code=d.pop("village"),
        category_code=d.pop("category"),
        **d,
    )
    return Status(201, _detail(request, r.pk))


@router.get("/{request_id}", response=RequestDetailOut, url_name="api_requests_detail", summary="诉求及办理记录")
def request_detail(request: HttpRequest, request_id: int) -> WithFields:
    return _detail(request, request_id)


def _r(request: HttpRequest, request_id: int) -> Request:
    return selectors.request_detail(request.user, request_id)


@router.post("/{request_id}/assign", response=RequestDetailOut, url_name="api_requests_assign", summary="派单")
def assign(request: HttpRequest, request_id: int, payload: RequestAssignIn) -> WithFields:
    request_assign(
        actor=acting_user(request),
        request=_r(request, request_id),
        assignee_id=payload.assignee_id,
        team_id=payload.team_id,
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(request, request_id)


@router.post("/{request_id}/start", response=RequestDetailOut, url_name="api_requests_start", summary="开始办理")
def start(request: HttpRequest, request_id: int, payload: RequestNoteIn) -> WithFields:
    request_start(
        actor=acting_user(request), request=_r(request, request_id), note=payload.note, expected_version=payload.version
    )
    return _detail(request, request_id)


@router.post("/{request_id}/close", response=RequestDetailOut, url_name="api_requests_close", summary="办结")
def close(request: HttpRequest, request_id: int, payload: RequestCloseIn) -> WithFields:
    request_close(
        actor=acting_user(request),
        request=_r(request, request_id),
        note=payload.note,
        template_id=payload.template_id,
        expected_version=payload.version,
    )
    return _detail(request, request_id)


@router.post(
    "/{request_id}/answer", response=RequestDetailOut, url_name="api_requests_answer", summary="回访登记群众评价"
)
def answer(request: HttpRequest, request_id: int, payload: RequestStaffAnswerIn) -> WithFields:
    request_answer_record(
        actor=acting_user(request),
        request=_r(request, request_id),
        solved=payload.solved,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return _detail(request, request_id)


@router.post("/{request_id}/merge", response=RequestDetailOut, url_name="api_requests_merge", summary="标记重复并合并")
def merge(request: HttpRequest, request_id: int, payload: RequestMergeIn) -> WithFields:
    request_merge(
        actor=acting_user(request),
        request=_r(request, request_id),
        original_id=payload.original_id,
        expected_version=payload.version,
    )
    return _detail(request, request_id)


@router.post(
    "/{request_id}/publish", response=RequestDetailOut, url_name="api_requests_publish", summary="设置是否公开"
)
def publish(request: HttpRequest, request_id: int, payload: RequestPublishIn) -> WithFields:
    request_publish(
        actor=acting_user(request),
        request=_r(request, request_id),
        public=payload.public,
        expected_version=payload.version,
    )
    return _detail(request, request_id)


@router.post(
    "/{request_id}/photos",
    response={201: RequestDetailOut},
    url_name="api_requests_photo",
    summary="上传办理照片（multipart：file）",
)
def photo(request: HttpRequest, request_id: int, file: File[UploadedFile]) -> Status:
    photo_add(actor=acting_user(request), request=_r(request, request_id), upload=file)
    return Status(201, _detail(request, request_id))


@router.post(
    "/import/{code}",
    response=ImportReportOut,
    url_name="api_requests_import",
    summary="导入 12345 工单（multipart：file）",
)
def import_sheet(request: HttpRequest, code: str, file: File[UploadedFile]) -> dict[str, Any]:
    return hotline_import(actor=acting_user(request), region_code=code, stream=cast(BinaryIO, file)).answer()


@router.get(
    "/settings/{county}/categories",
    response=list[RequestCategoryOut],
    url_name="api_requests_categories",
    summary="诉求类别",
)
def categories(request: HttpRequest, county: str) -> QuerySet[Category]:
    return category_policy.visible_to(request.user).filter(county_id=county).order_by("code")


@router.post(
    "/settings/categories",
    response={201: RequestCategoryOut},
    url_name="api_requests_category_new",
    summary="新增诉求类别",
)
def category_new(request: HttpRequest, payload: RequestCategoryIn) -> Status:
    d = payload.dict()
    c = category_create(actor=acting_user(request), county_code=d.pop("county"), **d)
    return Status(201, c)


@router.post(
    "/settings/categories/{category_id}",
    response=RequestCategoryOut,
    url_name="api_requests_category_change",
    summary="修改诉求类别（名称、办理层级、默认等级、公开）",
)
def category_change(request: HttpRequest, category_id: int, payload: RequestCategoryChangeIn) -> Category:
    d = payload.dict()
    category = category_policy.get_or_404(request.user, pk=category_id)
    c = category_update(actor=acting_user(request), category=category, expected_version=d.pop("version"), **d)
    return c


@router.post(
    "/settings/categories/{category_id}/retire",
    response=RequestCategoryOut,
    url_name="api_requests_category_retire",
    summary="停用诉求类别（已受理的诉求保留该类别）",
)
def category_stop(request: HttpRequest, category_id: int, payload: RequestCategoryRetireIn) -> Category:
    category = category_policy.get_or_404(request.user, pk=category_id)
    c = category_retire(
        actor=acting_user(request), category=category, valid_to=payload.valid_to, expected_version=payload.version
    )
    return c


@router.get(
    "/settings/{county}/limits", response=list[RequestLimitOut], url_name="api_requests_limits", summary="办理时限设置"
)
def limits(request: HttpRequest, county: str) -> QuerySet[TierLimit]:
    return tier_policy.visible_to(request.user).filter(county_id=county)


@router.post(
    "/settings/limits", response={201: RequestLimitOut}, url_name="api_requests_limit_set", summary="设置办理时限"
)
def limit_set(request: HttpRequest, payload: RequestLimitIn) -> Status:
    t = tier_limit_set(
        actor=acting_user(request),
        county_code=payload.county,
        tier=payload.tier,
        amount=payload.amount,
        unit=payload.unit,
        valid_from=payload.valid_from,
    )
    return Status(201, t)


@router.get(
    "/settings/{county}/templates",
    response=list[RequestTemplateOut],
    url_name="api_requests_templates",
    summary="答复模板",
)
def templates(request: HttpRequest, county: str, retired: bool = False) -> QuerySet[ResponseTemplate]:
    rows = template_policy.visible_to(request.user).filter(county_id=county)
    return rows if retired else rows.filter(is_active=True)


@router.post(
    "/settings/templates",
    response={201: RequestTemplateOut},
    url_name="api_requests_template_new",
    summary="新增答复模板",
)
def template_new(request: HttpRequest, payload: RequestTemplateIn) -> Status:
    t = template_create(actor=acting_user(request), county_code=payload.county, title=payload.title, text=payload.text)
    return Status(201, t)


@router.post(
    "/settings/templates/{template_id}",
    response=RequestTemplateOut,
    url_name="api_requests_template_change",
    summary="修改答复模板",
)
def template_change(request: HttpRequest, template_id: int, payload: RequestTemplateChangeIn) -> ResponseTemplate:
    template = template_policy.get_or_404(request.user, pk=template_id)
    t = template_update(
        actor=acting_user(request),
        template=template,
        title=payload.title,
        text=payload.text,
        expected_version=payload.version,
    )
    return t


@router.post(
    "/settings/templates/{template_id}/active",
    response=RequestTemplateOut,
    url_name="api_requests_template_active",
    summary="停用或恢复答复模板",
)
def template_active(request: HttpRequest, template_id: int, payload: RequestTemplateActiveIn) -> ResponseTemplate:
    template = template_policy.get_or_404(request.user, pk=template_id)
    t = template_activate(
        actor=acting_user(request), template=template, active=payload.active, expected_version=payload.version
    )
    return t


def _report_out(report: selectors.Report) -> dict[str, Any]:
    def row(r: selectors.ReportRow) -> dict[str, Any]:
        v = r.values
        return {
            "code": r.code,
            "name": r.name,
            **{k: v[k] for k in ("received", "closed", "reopened", "open", "overdue", "rated", "solved")},
            "satisfaction": r.satisfaction,
        }

    return {
        "region": report.region.code,
        "first": report.first,
        "last": report.last,
        "rows": [row(r) for r in report.rows],
        "total": row(report.total),
        "cases": [c.pk for c in report.cases],
    }


def _report(request: HttpRequest, code: str, day: date | None, *, weekly: bool) -> selectors.Report:
    region = tally_policy.rollup_region(request.user, code, fallback=False)
    on = day or timezone.localdate()
    return (selectors.weekly_review if weekly else selectors.daily_report)(request.user, region, on)


@router.get("/report/{code}/daily", response=RequestReportOut, url_name="api_requests_daily", summary="民情日报告")
def daily(request: HttpRequest, code: str, day: date | None = None) -> dict[str, Any]:
    return _report_out(_report(request, code, day, weekly=False))


@router.get("/report/{code}/weekly", response=RequestReportOut, url_name="api_requests_weekly", summary="民情周会审")
def weekly(request: HttpRequest, code: str, day: date | None = None) -> dict[str, Any]:
    return _report_out(_report(request, code, day, weekly=True))


@router.get(
    "/report/{code}/daily.xlsx",
    url_name="api_requests_daily_xlsx",
    summary="民情日报告（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def daily_xlsx(request: HttpRequest, code: str, day: date | None = None) -> HttpResponse:
    report = _report(request, code, day, weekly=False)
    return xlsx_response(exports.report_xlsx(report, weekly=False), f"{report.region.name}民情日报告.xlsx")


@pdf_route(
    router,
    "/report/{code}/daily.pdf",
    url_name="api_requests_daily_pdf",
    summary="民情日报告（打印）",
    title="民情日报告",
)
def daily_pdf(request: HttpRequest, code: str, day: date | None = None) -> HttpResponse:
    report = _report(request, code, day, weekly=False)
    return pdf_response(printouts.report_pdf(report, weekly=False), f"{report.region.name}民情日报告.pdf")


@pdf_route(
    router,
    "/report/{code}/weekly.pdf",
    url_name="api_requests_weekly_pdf",
    summary="民情周会审（打印）",
    title="民情周会审",
)
def weekly_pdf(request: HttpRequest, code: str, day: date | None = None) -> HttpResponse:
    report = _report(request, code, day, weekly=True)
    return pdf_response(printouts.report_pdf(report, weekly=True), f"{report.region.name}民情周会审.pdf")


@pdf_route(
    router,
    "/poster/{code}.pdf",
    url_name="api_requests_poster",
    summary="村(社区)民情诉求二维码海报",
    title="二维码海报",
)
def poster(request: HttpRequest, code: str) -> HttpResponse:
    from django.urls import reverse

    village = request_policy.village_or_404(request.user, code)
    url = request.build_absolute_uri(reverse("requests_public:file", kwargs={"code": village.code}))
    return pdf_response(printouts.poster_pdf(village, url), f"{village.name}民情诉求二维码.pdf")


@router.post(
    "/public/{code}",
    auth=None,
    response={201: RequestPublicFiledOut},
    url_name="api_requests_public_file",
    summary="公开：群众反映诉求（无需账号）",
)
def public_file(request: HttpRequest, code: str, payload: RequestPublicIn) -> Status:
    r = request_submit_public(
        village_code=code,
        category_code=payload.category,
        title=payload.title,
        description=payload.description,
        address=payload.address,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        client_key=client_key_of(client_address(request)),
    )
    return Status(201, r)


def _tracked(token: str) -> Request:
    from django.http import Http404

    r = Request.objects.select_related("category").filter(token=token).first() if len(token) > 20 else None
    if r is None:
        raise Http404("未找到该记录。")
    return r


def _public_out(r: Request) -> dict[str, Any]:
    return {
        "number": r.number,
        "title": r.title,
        "category": r.category.name,
        "status": r.status,
        "due_at": r.due_at,
        "closing_note": r.closing_note,
        "answered": r.answered_at is not None,
        "progress": [
            {"at": e.at, "what": e.what, "text": e.text, "actor": ""} for e in selectors.events_of(r, public_only=True)
        ],
    }


@router.get(
    "/track/{token}",
    auth=None,
    response=RequestPublicOut,
    url_name="api_requests_track",
    summary="公开：群众查询办理进度",
)
def track(request: HttpRequest, token: str) -> dict[str, Any]:
    return _public_out(_tracked(token))


@router.post(
    "/track/{token}/answer",
    auth=None,
    response=RequestPublicOut,
    url_name="api_requests_track_answer",
    summary="公开：群众评价（未解决则重新办理）",
)
def track_answer(request: HttpRequest, token: str, payload: RequestAnswerIn) -> dict[str, Any]:
    _tracked(token)
    r = request_answer(token=token, solved=payload.solved, satisfaction=payload.satisfaction, comment=payload.comment)
    return _public_out(r)
