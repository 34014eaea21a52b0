"""Staff pages of the request pipeline: the list with the entry form and the 12345 import, a request's page with
its actions (assign, start, close with a template, the resident's answer taken on the phone, merge, publish,
photos), the village's QR poster, and the daily report and weekly review (page, Excel, PDF)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.models import User
from cunshe.accounts.selectors import acting_user
from cunshe.core.printing import pdf_response
from cunshe.requests import exports, printouts, selectors
from cunshe.requests.exports import hotline_import
from cunshe.requests.forms import (
    AssignForm,
    CloseForm,
    ImportForm,
    MergeForm,
    NoteForm,
    PhotoForm,
    PublishForm,
    StaffAnswerForm,
    StaffRequestForm,
)
from cunshe.requests.models import Photo, Request, ResponseTemplate, Status
from cunshe.requests.permissions import category_policy, photo_policy, request_policy, tally_policy
from cunshe.requests.services import (
    categories_in_force,
    photo_add,
    request_answer_record,
    request_assign,
    request_close,
    request_create,
    request_merge,
    request_publish,
    request_start,
)
from cunshe.serviceteams.models import ServiceTeam
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.web.forms import button_action, form_action, form_errors_text, upload_report
from cunshe.web.kept_pages import list_page_kept, render_kept


def _list_context(request: HttpRequest, form: StaffRequestForm | None = None, report: Any = None) -> dict[str, Any]:
    status_filter = request.GET.get("status", "")
    rows = selectors.requests_visible(
        request.user, status=status_filter, region=request.GET.get("region", ""), overdue="overdue" in request.GET
    )[: selectors.LIST_LIMIT]
    can_handle = request_policy.anywhere(request.user, "handle")
    county = request_policy.counties_for(request.user)
    return {
        "rows": rows,
        "statuses": Status.choices,
        "status_filter": status_filter,
        "form": form or (StaffRequestForm() if can_handle else None),
        "import_form": ImportForm() if can_handle else None,
        "report": report,
        "categories": categories_in_force(county[0], timezone.localdate()) if county else [],
        "home": request_policy.home_region_code(request.user),
        # the county organizer sets the county's categories, limits and templates; the rest may read them
        "settings_counties": category_policy.counties_for(request.user, "change")
        or (county[:1] if request_policy.anywhere(request.user) else []),
        "now": timezone.now(),
    }


def _may_list(request: HttpRequest) -> None:
    if not (request_policy.anywhere(request.user) or request_policy.departments_of(request.user)):
        raise PermissionDenied("您的角色无权查看民情诉求。")


def _list_page(
    request: HttpRequest, form: StaffRequestForm | None = None, report: Any = None, status: int = 200
) -> HttpResponse:
    """The list with a refused form or an import's report: rendered for this response alone."""
    _may_list(request)
    return render(request, "requests/list.html", _list_context(request, form, report), status=status)


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    _may_list(request)
    # Kept whole under the reader, the query string, the change number of the reader's regions and the minute (a
    # request goes overdue at its due moment, with its time of day): the rows and the form's choices are read and
    # rendered only when something changed (issue 15).
    kept = list_page_kept(request, "requests.list", clock="minute")
    return render_kept(request, kept, "requests/list.html", lambda: _list_context(request))


@login_required
@require_POST
def request_new(request: HttpRequest) -> HttpResponse:
    form = StaffRequestForm(request.POST)
    created = form_action(
        request,
        form,
        lambda d: request_create(
            actor=acting_user(request),
            village_code=d["village"],
            category_code=d["category"],
            channel=d["channel"],
            tier=d["tier"] or None,
            title=d["title"],
            description=d["description"],
            address=d["address"],
            reporter_name=d["reporter_name"],
            reporter_phone=d["reporter_phone"],
            work_order_no=d["work_order_no"],
            raised_by_id=d["raised_by"],
        ),
    )
    if created is not None:
        messages.success(
            request, f"已登记诉求 {created.number}，办理时限至 {timezone.localtime(created.due_at):%Y-%m-%d %H:%M}。"
        )
        return redirect("requests:detail", pk=created.pk)
    messages.error(request, form_errors_text(form))
    return _list_page(request, form, status=400)


@login_required
@require_POST
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    report = upload_report(
        request,
        form,
        lambda d: hotline_import(actor=acting_user(request), region_code=d["region"], stream=d["file"]),
    )
    if report is None:
        messages.error(request, form_errors_text(form) or "导入失败。")
        return _list_page(request, status=400)
    messages.success(request, f"12345 工单导入完成：{report.summary}。")
    return redirect("requests:list")


@login_required
@require_GET
def import_template(request: HttpRequest, code: str) -> HttpResponse:
    request_policy.check_in_region(request.user, "handle", code, message="您的角色无权导入工单。")
    return xlsx_response(exports.hotline_template_xlsx(), f"12345工单导入模板{code}.xlsx")


def _detail_page(request: HttpRequest, r: Request, status: int = 200) -> HttpResponse:
    can_handle = request_policy.can(request.user, "handle", r)
    candidates: list[User] = []
    teams: list[ServiceTeam] = []
    if can_handle:
        teams = list(ServiceTeam.objects.filter(region_id=r.region_id))
        from cunshe.notifications.services import holders

        candidates = holders("requests.handle", r.region_id, nearest=False)
        if r.department_id:
            candidates += holders("requests.department", r.region_id[:6], department_id=r.department_id)
    return render(
        request,
        "requests/detail.html",
        {
            "r": r,
            "events": selectors.events_of(r),
            "photos": list(r.photos.all()),
            "duplicates": list(r.duplicates.all()),
            "can_handle": can_handle,
            "candidates": candidates,
            "teams": teams,
            "templates": list(ResponseTemplate.objects.filter(county_id=r.region_id[:6], is_active=True)),
            "overdue": r.is_open and r.due_at < timezone.now(),
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.request_detail(request.user, pk))


def _act(request: HttpRequest, pk: int, form_class: type, call: Any, done: str) -> HttpResponse:
    r = selectors.request_detail(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form, labelled=True))
        return redirect("requests:detail", pk=r.pk)
    button_action(request, lambda: call(r, form.cleaned_data), done=done)
    return redirect("requests:detail", pk=r.pk)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AssignForm,
        lambda r, d: request_assign(
            actor=acting_user(request),
            request=r,
            assignee_id=d["assignee"],
            team_id=d["team"],
            note=d["note"],
            expected_version=d["version"],
        ),
        "已派单：派给个人的已通知承办人，派给服务队的已进入该队的待接单。",
    )


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        NoteForm,
        lambda r, d: request_start(
            actor=acting_user(request), request=r, note=d["note"], expected_version=d["version"]
        ),
        "已开始办理。",
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CloseForm,
        lambda r, d: request_close(
            actor=acting_user(request),
            request=r,
            note=d["note"],
            template_id=d["template"],
            expected_version=d["version"],
        ),
        "已办结，等待群众评价。",
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        StaffAnswerForm,
        lambda r, d: request_answer_record(
            actor=acting_user(request),
            request=r,
            solved=d["solved"],
            satisfaction=d["satisfaction"],
            comment=d["comment"],
            expected_version=d["version"],
        ),
        "已登记回访结果。",
    )


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        MergeForm,
        lambda r, d: request_merge(
            actor=acting_user(request), request=r, original_id=d["original"], expected_version=d["version"]
        ),
        "已标记为重复并合并。",
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        PublishForm,
        lambda r, d: request_publish(
            actor=acting_user(request), request=r, public=d["public"], expected_version=d["version"]
        ),
        "已更新公开设置。",
    )


@login_required
@require_POST
def photo_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        PhotoForm,
        lambda r, d: photo_add(actor=acting_user(request), request=r, upload=d["photo"]),
        "已上传照片。",
    )


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    p = photo_policy.get_or_404(request.user, queryset=Photo.objects.all(), pk=pk)
    return FileResponse(
        p.image.open("rb"), content_type="image/png" if str(p.image.name).endswith(".png") else "image/jpeg"
    )


@login_required
@require_GET
def poster(request: HttpRequest, code: str) -> HttpResponse:
    village = request_policy.village_or_404(request.user, code)
    url = request.build_absolute_uri(reverse("requests_public:file", kwargs={"code": village.code}))
    return pdf_response(printouts.poster_pdf(village, url), f"{village.name}民情诉求二维码.pdf")


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


def _report(request: HttpRequest, code: str, *, weekly: bool) -> selectors.Report:
    region = tally_policy.rollup_region(request.user, code)
    day = _day(request)
    return (selectors.weekly_review if weekly else selectors.daily_report)(request.user, region, day)


def _report_view(weekly: bool, kind: str) -> Any:
    @login_required
    @require_GET
    def view(request: HttpRequest, code: str) -> HttpResponse:
        report = _report(request, code, weekly=weekly)
        title = f"{report.region.name}{'民情周会审' if weekly else '民情日报告'}"
        if kind == "xlsx":
            return xlsx_response(exports.report_xlsx(report, weekly=weekly), f"{title}{report.first:%Y%m%d}.xlsx")
        if kind == "pdf":
            return pdf_response(printouts.report_pdf(report, weekly=weekly), f"{title}{report.first:%Y%m%d}.pdf")
        return render(request, "requests/report.html", {"report": report, "weekly": weekly, "title": title})

    return view


daily = _report_view(False, "page")
daily_xlsx = _report_view(False, "xlsx")
daily_pdf = _report_view(False, "pdf")
weekly = _report_view(True, "page")
weekly_xlsx = _report_view(True, "xlsx")
weekly_pdf = _report_view(True, "pdf")
