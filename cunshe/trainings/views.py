"""Pages of the training module: courses (county, town, party school) and their person-times per village, a
session's list with attendance by hand or Excel, absentees' follow-up, the QR poster, and the sign-in page a
village cadre opens by scanning it."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.core.printing import pdf_response
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.trainings import printouts, selectors
from cunshe.trainings.exports import attendance_import, sheet_export
from cunshe.trainings.forms import CourseForm, FollowUpForm, ImportForm, MarkForm, SessionForm
from cunshe.trainings.models import Attendance, Presence, Session
from cunshe.trainings.permissions import attendance_policy, course_policy, session_policy
from cunshe.trainings.services import (
    attendance_mark,
    course_create,
    followup_add,
    session_code_renew,
    session_code_valid,
    session_create,
    signin,
)
from cunshe.web.forms import button_action, form_action, form_errors_text, upload_report
from cunshe.web.kept_pages import list_page_kept, render_kept


def manage_regions(user: Any) -> list[tuple[str, str]]:
    """The counties and towns where the user may run a course (what the course form offers)."""
    prefixes = region_prefixes(user, "trainings.manage")
    regions = Region.objects.filter(code__in=prefixes, level__in=(Level.COUNTY, Level.TOWN)).order_by("code")
    return [(r.code, r.name) for r in regions]


def _list_context(request: HttpRequest, form: CourseForm | None = None) -> dict[str, Any]:
    regions = manage_regions(request.user)
    return {
        "courses": page_of(request, selectors.courses_visible(request.user), 50),  # it stopped at 200
        "form": form or (CourseForm(regions=regions) if regions else None),
    }


def _list_page(request: HttpRequest, form: CourseForm, status: int) -> HttpResponse:
    """The list with a refused form: rendered for this response alone."""
    return render(request, "trainings/list.html", _list_context(request, form), status=status)


@login_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    # Kept whole under the reader, the query string, the change number of the reader's regions and the day (the
    # courses show dates only): read and rendered again only when something changed (issue 15).
    kept = list_page_kept(request, "trainings.list")
    return render_kept(request, kept, "trainings/list.html", lambda: _list_context(request))


@login_required
@require_POST
def course_new(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST, regions=manage_regions(request.user))
    course = form_action(
        request,
        form,
        lambda d: course_create(
            actor=acting_user(request),
            region_code=d["region"],
            title=d["title"],
            provider=d["provider"],
            description=d["description"],
        ),
    )
    if course is not None:
        messages.success(request, f"已创建培训班：{course.title}。")
        return redirect("trainings:course", pk=course.pk)
    return _list_page(request, form, status=400)


def _course_page(request: HttpRequest, pk: int, form: SessionForm | None = None, status: int = 200) -> HttpResponse:
    course = course_policy.get_or_404(request.user, pk=pk)
    villages, total = selectors.person_times(request.user, course)
    return render(
        request,
        "trainings/course.html",
        {
            "course": course,
            "sessions": selectors.sessions_of(request.user, course),
            "villages": villages,
            "total": total,
            "can_manage": course_policy.can(request.user, "change", course),
            "form": form or SessionForm(),
        },
        status=status,
    )


@login_required
@require_GET
def course(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_page(request, pk)


@login_required
@require_POST
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    course = course_policy.get_or_404(request.user, pk=pk)
    form = SessionForm(request.POST)
    session = form_action(
        request,
        form,
        lambda d: session_create(actor=acting_user(request), course=course, held_on=d["held_on"], place=d["place"]),
    )
    if session is not None:
        messages.success(request, "已安排培训场次，应参训人员已列出。")
        return redirect("trainings:session", pk=session.pk)
    return _course_page(request, pk, form, status=400)


def _session(request: HttpRequest, pk: int) -> Session:
    return session_policy.get_or_404(request.user, queryset=Session.objects.select_related("course"), pk=pk)


def _session_page(
    request: HttpRequest, session: Session, import_form: ImportForm | None = None, report: Any = None, status: int = 200
) -> HttpResponse:
    can_manage = session_policy.can(request.user, "change", session)
    return render(
        request,
        "trainings/session.html",
        {
            "session": session,
            "rows": selectors.attendance_of(request.user, session),
            "counts": selectors.session_counts(request.user, session),
            "can_manage": can_manage,
            "import_form": import_form or ImportForm(),
            "report": report,
            "statuses": Presence.choices,
            "signin_url": request.build_absolute_uri(reverse("trainings:signin", kwargs={"code": session.code})),
        },
        status=status,
    )


@login_required
@require_GET
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session(request, pk))


@login_required
@require_GET
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    return sheet_response(request.user, _session(request, pk))


def sheet_response(user: Any, session: Session) -> HttpResponse:
    buffer = BytesIO()
    sheet_export(session=session, rows=selectors.attendance_of(user, session), target=buffer)
    return xlsx_response(buffer.getvalue(), f"{session.course.title}{session.held_on:%Y%m%d}签到表.xlsx")


@login_required
@require_POST
def import_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = ImportForm(request.POST, request.FILES)
    report = upload_report(
        request, form, lambda d: attendance_import(actor=acting_user(request), session=session, stream=d["file"])
    )
    if report is not None:
        messages.success(request, f"已导入：{report.summary}。")
        return redirect("trainings:session", pk=pk)
    return _session_page(request, session, form, status=400)


@login_required
@require_POST
def new_code(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    version = request.POST.get("version", "")
    button_action(
        request,
        lambda: session_code_renew(
            actor=acting_user(request),
            session=session,
            expected_version=int(version) if version.isdigit() else None,
        ),
        done="已更换签到码：原二维码作废，请重新打印签到二维码海报。",
    )
    return redirect("trainings:session", pk=pk)


def poster_response(request: HttpRequest, session: Session) -> HttpResponse:
    url = request.build_absolute_uri(reverse("trainings:signin", kwargs={"code": session.code}))
    return pdf_response(printouts.poster_pdf(session, url), f"{session.course.title}签到二维码.pdf")


@login_required
@require_GET
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    return poster_response(request, _session(request, pk))


def _attendance(request: HttpRequest, pk: int) -> Attendance:
    return attendance_policy.get_or_404(
        request.user, queryset=Attendance.objects.select_related("session", "person"), pk=pk
    )


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    a = _attendance(request, pk)
    form = MarkForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: attendance_mark(
            actor=acting_user(request),
            attendance=a,
            status=d["status"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
    )
    if done is not None:
        messages.success(request, f"已登记：{a.person.name} {done.get_status_display()}。")
    else:
        messages.error(request, form_errors_text(form) or "未能登记。")
    return redirect("trainings:session", pk=a.session_id)


@login_required
@require_POST
def followup(request: HttpRequest, pk: int) -> HttpResponse:
    a = _attendance(request, pk)
    form = FollowUpForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: followup_add(actor=acting_user(request), attendance=a, written_on=d["written_on"], note=d["note"]),
    )
    if done is not None:
        messages.success(request, f"已记录跟进：{a.person.name}。")
    else:
        messages.error(request, form_errors_text(form) or "未能记录。")
    return redirect("trainings:session", pk=a.session_id)


@login_required
@require_http_methods(["GET", "POST"])
def signin_page(request: HttpRequest, code: str) -> HttpResponse:
    """Opened by scanning the poster: the signed-in cadre's own villages' members due at this session, to tick."""
    found = Session.objects.select_related("course").filter(code=code).first()
    if found is None or not attendance_policy.visible_to(request.user, "signin").filter(session=found).exists():
        # an unknown code, or a session with nobody of the user's villages: nothing to sign in here
        return render(request, "trainings/signin.html", {"session": None}, status=404)
    if request.method == "POST":
        done = button_action(
            request,
            lambda: signin(
                actor=acting_user(request),
                code=code,
                person_ids=[int(p) for p in request.POST.getlist("person") if p.isdigit()],
            ),
            done=lambda n: f"已签到 {n} 人。",
        )
        if done is not None:
            return redirect("trainings:signin", code=code)
    rows = (
        attendance_policy.visible_to(request.user, "signin").filter(session=found).select_related("person", "village")
    )
    return render(
        request,
        "trainings/signin.html",
        {
            "session": found,
            "rows": rows.order_by("village_id", "id"),
            "valid": session_code_valid(found),
        },
        status=400 if request.method == "POST" else 200,  # only a refused sign-in stays on the page
    )
