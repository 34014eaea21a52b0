"""Pages of the liaison-cadre module: a county's or town's counts with its cadres and their service days (gaps
marked), the 察 ratings of a round, and one assignment with its service days, talks and matters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.liaison import exports, printouts, selectors
from cunshe.liaison.exports import assignments_import
from cunshe.liaison.forms import (
    AssignmentForm,
    EndForm,
    ImportForm,
    MatterForm,
    RatingForm,
    ReassignForm,
    ResolveForm,
    ServiceDayForm,
    TalkForm,
)
from cunshe.liaison.models import Assignment, Matter, RatingKind
from cunshe.liaison.permissions import (
    assignment_policy,
    matter_policy,
    rating_policy,
    serviceday_policy,
    tally_policy,
)
from cunshe.liaison.rules import scale_on
from cunshe.liaison.services import (
    assignment_create,
    assignment_end,
    assignment_reassign,
    matter_raise,
    matter_resolve,
    rating_record,
    serviceday_record,
    talk_add,
)
from cunshe.regions.models import Region
from cunshe.web.forms import form_action, form_message_action, upload_report
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("liaison:region", code=tally_policy.rollup_region(request.user, "").code)


def _region_context(
    request: HttpRequest, region: Region, form: AssignmentForm | None = None, import_form: ImportForm | None = None
) -> dict[str, Any]:
    rows, total = selectors.counts(request.user, region)
    today = timezone.localdate()
    months = selectors.month_columns(today)
    page = Paginator(selectors.service_assignments(request.user, region, months), 50).get_page(request.GET.get("page"))
    can_assign = assignment_policy.can_in_region(request.user, "change", region.code)
    return {
        "region": region,
        "labels": selectors.COUNT_LABELS.values(),
        "rows": rows,
        "total": total,
        "months": months,
        "page": page,
        "service_rows": selectors.service_rows(request.user, list(page.object_list), months, today),
        "form": form or (AssignmentForm() if can_assign else None),
        "import_form": import_form or (ImportForm() if can_assign else None),
    }


def _region_page(
    request: HttpRequest,
    code: str,
    form: AssignmentForm | None = None,
    import_form: ImportForm | None = None,
    status: int = 400,
) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    region = tally_policy.rollup_region(request.user, code, fallback=False)
    context = _region_context(request, region, form, import_form)
    return render(request, "liaison/region.html", context, status=status)


@login_required
@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = tally_policy.rollup_region(request.user, code, fallback=False)
    # Kept whole under the region's change number and the day (a month's service day is missing once it ended)
    # (issue 15). The counts move with the services and the issue board's hook (each records) and the daily
    # recount, which records nothing: a page built after midnight before the job ran lags it by KEPT_DAY_SECONDS.
    kept = list_page_kept(request, "liaison.region", region_code=found.code)
    return render_kept(request, kept, "liaison/region.html", lambda: _region_context(request, found))


@login_required
@require_GET
def counts_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return exports.counts_response(request.user, tally_policy.rollup_region(request.user, code, fallback=False))


@login_required
@require_GET
def service_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The service table of the region page, printed (the same access as the page)."""
    region = tally_policy.rollup_region(request.user, code, fallback=False)
    return printouts.service_table_response(request.user, region, timezone.localdate())


@login_required
@require_GET
def assignments_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    region = assignment_policy.rollup_region(request.user, code, fallback=False)
    return exports.assignments_response(request.user, region)


@login_required
@require_POST
def import_view(request: HttpRequest, code: str) -> HttpResponse:
    region = assignment_policy.rollup_region(request.user, code, fallback=False)
    form = ImportForm(request.POST, request.FILES)
    report = upload_report(
        request,
        form,
        lambda d: assignments_import(actor=acting_user(request), region_code=region.code, stream=d["file"]),
    )
    if report is not None:
        messages.success(request, f"已导入：{report.summary}。")
        return redirect("liaison:region", code=region.code)
    return _region_page(request, region.code, import_form=form, status=400)


@login_required
@require_POST
def assignment_new(request: HttpRequest) -> HttpResponse:
    form = AssignmentForm(request.POST)
    a = form_action(
        request,
        form,
        lambda d: assignment_create(
            actor=acting_user(request),
            village_code=d["village"],
            name=d["name"],
            unit=d["unit"],
            level=d["level"],
            started_on=d["started_on"],
        ),
    )
    if a is not None:
        messages.success(request, f"已登记联系干部：{a.name}。")
        return redirect("liaison:assignment", pk=a.pk)
    return _region_page(request, tally_policy.rollup_region(request.user, "").code, form=form, status=400)


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    return assignment_policy.get_or_404(request.user, queryset=Assignment.objects.select_related("village"), pk=pk)


@login_required
@require_GET
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    today = timezone.localdate()
    can_write = serviceday_policy.can_in_region(request.user, "change", a.village_id)
    history = selectors.assignments_visible(request.user).filter(name=a.name).exclude(pk=a.pk)
    return render(
        request,
        "liaison/assignment.html",
        {
            "a": a,
            "history": history[:50],
            # Each list grows for as long as the assignment lasts and pages on its own (they stopped at 60 and 200).
            "days": page_of(request, selectors.service_days_of(request.user, a), 24, param="days"),
            "talks": page_of(request, selectors.talks_of(request.user, a), 50, param="talks"),
            "matters": page_of(request, selectors.matters_of(request.user, a), 50, param="matters"),
            "can_assign": assignment_policy.can(request.user, "change", a) and a.ended_on is None,
            "can_write": can_write and a.ended_on is None,
            "end_form": EndForm(initial={"ended_on": today, "version": a.version}),
            "reassign_form": ReassignForm(initial={"moved_on": today, "version": a.version}),
            "day_form": ServiceDayForm(initial={"held_on": today, "households": 0}),
            "talk_form": TalkForm(initial={"held_on": today}),
            "matter_form": MatterForm(initial={"raised_on": today}),
            "today": today,
        },
    )


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    form_message_action(
        request,
        EndForm(request.POST),
        lambda d: assignment_end(
            actor=acting_user(request),
            assignment=a,
            ended_on=d["ended_on"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        done="已结束联系。",
    )
    return redirect("liaison:assignment", pk=pk)


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    new = form_message_action(
        request,
        ReassignForm(request.POST),
        lambda d: assignment_reassign(
            actor=acting_user(request),
            assignment=a,
            village_code=d["village"],
            moved_on=d["moved_on"],
            unit=d["unit"],
            expected_version=d["version"],
        ),
        done=lambda n: f"已调整为联系{n.village.name}。",
    )
    return redirect("liaison:assignment", pk=new.pk if new is not None else pk)


@login_required
@require_POST
def service_day(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    form_message_action(
        request,
        ServiceDayForm(request.POST),
        lambda d: serviceday_record(
            actor=acting_user(request), assignment=a, held_on=d["held_on"], work=d["work"], households=d["households"]
        ),
        done="已登记集中服务日。",
    )
    return redirect("liaison:assignment", pk=pk)


@login_required
@require_POST
def talk(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    form_message_action(
        request,
        TalkForm(request.POST),
        lambda d: talk_add(actor=acting_user(request), assignment=a, **d),
        done="已登记谈心谈话。",
    )
    return redirect("liaison:assignment", pk=pk)


@login_required
@require_POST
def matter(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    form_message_action(
        request,
        MatterForm(request.POST),
        lambda d: matter_raise(actor=acting_user(request), assignment=a, **d),
        done="已登记协调事项，并列入本村(社区)问题清单。",
    )
    return redirect("liaison:assignment", pk=pk)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    m = matter_policy.get_or_404(request.user, queryset=Matter.objects.select_related("issue"), pk=pk)
    form_message_action(
        request,
        ResolveForm(request.POST),
        lambda d: matter_resolve(
            actor=acting_user(request),
            matter=m,
            resolution=d["resolution"],
            resolved_on=d["resolved_on"],
            expected_version=d["version"],
        ),
        done="事项已解决（问题清单已销号）。",
    )
    return redirect("liaison:assignment", pk=m.assignment_id)


def _ratings_page(request: HttpRequest, code: str, form: RatingForm | None = None, status: int = 200) -> HttpResponse:
    region = rating_policy.rollup_region(request.user, code, fallback=False)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        round_ = int(request.GET.get("round", 1))
    except ValueError:
        year, round_ = today.year, 1
    rows, total = selectors.rating_rollup(request.user, region, year, round_)
    can_rate = rating_policy.can_in_region(request.user, "change", region.code)
    return render(
        request,
        "liaison/ratings.html",
        {
            "region": region,
            "year": year,
            "round": round_,
            "kinds": RatingKind.labels,
            "rows": rows,
            "total": total,
            "scale": scale_on(today),
            "form": form
            or (RatingForm(initial={"year": year, "round": round_, "rated_on": today}) if can_rate else None),
        },
        status=status,
    )


@login_required
@require_GET
def ratings(request: HttpRequest, code: str) -> HttpResponse:
    return _ratings_page(request, code)


@login_required
@require_POST
def rating_new(request: HttpRequest) -> HttpResponse:
    form = RatingForm(request.POST)
    r = form_action(
        request, form, lambda d: rating_record(actor=acting_user(request), village_code=d.pop("village"), **d)
    )
    if r is not None:
        messages.success(request, f"已登记{r.get_kind_display()}评定。")
        url = reverse("liaison:ratings", kwargs={"code": r.village_id[:9]})
        return redirect(f"{url}?year={r.year}&round={r.round}")
    return _ratings_page(request, rating_policy.rollup_region(request.user, "").code, form=form, status=400)
