from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cunshe.accounts.selectors import acting_user
from cunshe.deadlines.holidays import SOURCE_LABELS, schedule_warning, source_of, statutory_holidays
from cunshe.deadlines.models import HolidaySchedule
from cunshe.deadlines.services import holiday_schedule_load, parse_days
from cunshe.deadlines.work_items import overdue_items_for, select_items, work_items_and_counts
from cunshe.records.kept import Kept
from cunshe.web.forms import form_action
from cunshe.web.kept_pages import render_kept

PER_PAGE = 50


class HolidayScheduleForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    days_off = forms.CharField(
        label="放假日期（含法定节假日及调休放假，如 2027-02-05至2027-02-11，逗号分隔）",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    workdays = forms.CharField(
        label="调休上班日期（周末，如 2027-02-14，可不填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(label="依据（国务院办公厅通知名称或文号）", max_length=200)


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    """All of the user's to-do items, by module and overdue-only on request, a page at a time.

    Kept as the home page's summary is (every chain: the sources span modules and counties; the minute: some fall
    due at a time of day): the items once for every filter and page, each page of them whole (issue 15)."""
    module = request.GET.get("module", "")
    late_only = request.GET.get("overdue") == "1"
    items = Kept("deadlines.items", request.user, lambda: work_items_and_counts(request.user), clock="minute")
    page = Kept(
        f"deadlines.todo:{request.GET.urlencode()}", request.user, lambda: None, value_kept=False, clock="minute"
    )

    def context() -> dict[str, Any]:
        listed, counts = items.value
        shown = select_items(listed, module=module, overdue_only=late_only)
        return {
            "total": sum(c.total for c in counts),
            "listed": len(listed),
            "counts": counts,
            "module": module,
            "late_only": late_only,
            "page": Paginator(shown, PER_PAGE).get_page(request.GET.get("page")),
        }

    return render_kept(request, page, "deadlines/todo.html", context)


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "deadlines/overdue.html", {"items": overdue_items_for(request.user)})


def _year(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
@require_GET
def holidays_page(request: HttpRequest) -> HttpResponse:
    """The statutory holidays of a year and where its make-up days come from; anyone signed in may read it."""
    year = _year(request.GET.get("year"))
    schedule = HolidaySchedule.objects.filter(year=year).select_related("loaded_by").first()
    return render(
        request,
        "deadlines/holidays.html",
        {
            "year": year,
            "years": range(timezone.localdate().year - 1, timezone.localdate().year + 3),
            "statutory": statutory_holidays(year),
            "source": SOURCE_LABELS[source_of(year)],
            "warning": schedule_warning(date(year, 1, 1)),
            "schedule": schedule,
            "days": list(schedule.days.all()) if schedule else [],
            "may_load": request.user.is_superuser,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def holidays_load(request: HttpRequest) -> HttpResponse:
    """Load the State Council's schedule of a year: the system administrator's page (it moves every county's
    working-day deadlines), not found for anyone else."""
    if not request.user.is_superuser:
        raise Http404("未找到该页面。")
    form = HolidayScheduleForm(request.POST or None, initial={"year": _year(request.GET.get("year"))})
    loaded = form_action(
        request,
        form,
        lambda d: holiday_schedule_load(
            actor=acting_user(request), year=d["year"], days_off=parse_days(d["days_off"], field="days_off"),
            workdays=parse_days(d["workdays"], field="workdays"), source=d["source"],
        ),
    )  # fmt: skip
    if loaded is not None:
        messages.success(request, f"已载入 {loaded.year} 年国务院放假调休安排。")
        return redirect(f"{reverse('deadlines:holidays')}?year={loaded.year}")
    return render(request, "deadlines/holidays_load.html", {"form": form})
