"""Pages of the daily checks: the town's and county's tables with the cadres who missed the last working day, a
village's day (its cadres, checked or not) with their month indicators, the phone form of the four must-checks
(works offline through cunshe/offline), a check with its problems, and the county's checklist and measures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.months import month_end, month_or, month_start
from cunshe.dailychecks import downloads, printouts, selectors
from cunshe.dailychecks.forms import (
    CheckForm,
    ChecklistForm,
    CloseForm,
    MeasureForm,
    MoveForm,
    ProgressForm,
    answers_from,
)
from cunshe.dailychecks.models import ITEM_KEYS, CheckResult, DailyCheck, Measure, MeasureStatus
from cunshe.dailychecks.permissions import check_policy, checklist_policy, measure_policy, result_policy
from cunshe.dailychecks.services import (
    DEFAULT_GUIDANCE,
    MEASURE_TRANSITIONS,
    check_submit,
    checklist_in_force,
    checklist_publish,
    measure_add,
    measure_move,
    measure_progress_add,
    result_close,
)
from cunshe.offline.queued import is_queued, queued_answer
from cunshe.people.models import Person
from cunshe.regions.models import Level, Region
from cunshe.web.forms import form_action, form_errors_text, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


def _month(request: HttpRequest, today: date) -> date:
    return month_or(request.GET.get("month", ""), month_start(today))  # the API answers a bad month with a 400


def _as_of(month: date, today: date) -> date:
    return min(month_end(month), today)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = check_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    if len(home) == 12:
        return redirect("dailychecks:village", code=home)
    return redirect("dailychecks:rollup", code=home)


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    region = check_policy.rollup_region(request.user, code)
    if region.level == Level.VILLAGE:
        return redirect("dailychecks:village", code=region.code)

    def context() -> dict[str, Any]:
        today = timezone.localdate()
        month = _month(request, today)
        rows, total = selectors.rollup(request.user, region, month, _as_of(month, today))
        missed_day = selectors.last_working_day(today)
        return {
            "region": region,
            "month": month,
            "rows": rows,
            "total": total,
            "drill": region.level < Level.TOWN,
            "missed_day": missed_day,
            "missed": selectors.missed_on(request.user, region, missed_day),
            "cadres": selectors.cadre_lines(request.user, region, month, _as_of(month, today))
            if region.level == Level.TOWN
            else [],
            "county": region.code[:6],
        }

    # Kept whole under the region's change number and the day (checks are by the working day) (issue 15).
    return render_kept(
        request,
        list_page_kept(request, "dailychecks.rollup", region_code=region.code),
        "dailychecks/rollup.html",
        context,
    )


@login_required
@require_GET
def indicators_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    region = check_policy.rollup_region(request.user, code, fallback=False)
    today = timezone.localdate()
    month = _month(request, today)
    return downloads.indicators_response(request.user, region, month, _as_of(month, today))


@login_required
@require_GET
def region_month_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The town's (or county's) month table, printed: the access of the roll-up page."""
    region = check_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("汇总按县或乡镇(街道)查看。")
    today = timezone.localdate()
    month = _month(request, today)
    return printouts.region_month_response(request.user, region, month, _as_of(month, today))


@login_required
@require_GET
def cadre_month_pdf(request: HttpRequest, code: str, person_id: int) -> HttpResponse:
    """One cadre's month, printed: the access of the village page."""
    today = timezone.localdate()
    month = _month(request, today)
    return printouts.cadre_month_response(request.user, code, person_id, month, _as_of(month, today))


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    place = check_policy.village_or_404(request.user, code)
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else today
    except ValueError:
        day = today
    month = day.replace(day=1)
    return render(
        request,
        "dailychecks/village.html",
        {
            "village": place,
            "day": day,
            "is_workday": selectors.working_days(day, day) == 1,
            "lines": selectors.village_day(request.user, place.code, day),
            "cadres": selectors.cadre_lines(request.user, place, month, _as_of(month, today)),
            "can_check": check_policy.can_in_region(request.user, "change", place.code),
            "county": code[:6],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, code: str, person_id: int) -> HttpResponse:
    """The phone form: an ordinary page (GET the form, POST it) that the offline queue posts to as well."""
    place = check_policy.village_or_404(request.user, code, "change")
    # Only a member (present or past) of this village's team: anyone else does not exist on this page.
    person = Person.objects.filter(pk=person_id, posts__region_id=place.code).distinct().first()
    if person is None:
        raise Http404("未找到该村干部。")
    today = timezone.localdate()
    checklist = checklist_in_force(place.code[:6], today)
    guidance = {i.key: i.guidance for i in checklist.items.all()} if checklist else DEFAULT_GUIDANCE
    form = CheckForm(request.POST or None, guidance=guidance, initial={"day": today})

    def submit(d: dict[str, Any]) -> DailyCheck:
        return check_submit(
            actor=acting_user(request), village_code=place.code, person=person, day=d["day"], answers=answers_from(d)
        )

    def done(c: DailyCheck) -> str:
        return f"{person.name}已完成{c.day:%m月%d日}每日必查" + (
            f"，发现问题 {c.problems} 个。" if c.problems else "。"
        )

    back = reverse("dailychecks:village", args=[place.code])
    if is_queued(request):
        return queued_answer(request, form, submit, kind="dailychecks.check", done=done, url=lambda _c: back)
    if request.method == "POST":
        made = form_action(request, form, submit)
        if made is not None:
            messages.success(request, done(made))
            return redirect(back)
        messages.error(request, form_errors_text(form) or "未能保存。")
    return render(
        request,
        "dailychecks/check.html",
        {"village": place, "person": person, "form": form, "checklist": checklist},
        status=400 if form.errors else 200,
    )


def _check(request: HttpRequest, pk: int) -> DailyCheck:
    return check_policy.get_or_404(
        request.user, queryset=DailyCheck.objects.select_related("region", "person", "checklist"), pk=pk
    )


@login_required
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _check(request, pk)
    return render(
        request,
        "dailychecks/check_detail.html",
        {
            "check": c,
            "results": list(c.results.select_related("issue").order_by("pk")),
            "guidance": {i.key: i.guidance for i in c.checklist.items.all()},
            "can_change": check_policy.can(request.user, "change", c),
            "close_form": CloseForm(initial={"closed_on": timezone.localdate()}),
            "keys": ITEM_KEYS,
        },
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    result = result_policy.get_or_404(request.user, queryset=CheckResult.objects.select_related("check_record"), pk=pk)
    form_message_action(
        request,
        CloseForm(request.POST),
        lambda d: result_close(actor=acting_user(request), result=result, **d),
        done="已登记整改。",
    )
    return redirect("dailychecks:check", pk=result.check_record_id)


def _county(request: HttpRequest, code: str) -> Region:
    checklist_policy.check_in_region(request.user, "view", code, missing="未找到该县(市、区)。")
    region = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if region is None:
        raise Http404("未找到该县(市、区)。")
    return region


def _checklist_page(request: HttpRequest, county: Region, form: ChecklistForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    current = checklist_in_force(county.code, today)
    initial = {i.key: i.guidance for i in current.items.all()} if current else dict(DEFAULT_GUIDANCE)
    return render(
        request,
        "dailychecks/checklist.html",
        {
            "county": county,
            "versions": selectors.checklists_of(request.user, county.code),
            "current": current,
            "can_change": checklist_policy.can_in_region(request.user, "change", county.code),
            "form": form or ChecklistForm(initial={**initial, "valid_from": today}),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_GET
def checklist(request: HttpRequest, code: str) -> HttpResponse:
    return _checklist_page(request, _county(request, code))


@login_required
@require_POST
def checklist_new(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code)
    form = ChecklistForm(request.POST)
    made = form_action(
        request,
        form,
        lambda d: checklist_publish(
            actor=acting_user(request),
            county_code=county.code,
            valid_from=d["valid_from"],
            guidance={k: d[k] for k in ITEM_KEYS},
            note=d["note"],
        ),
    )
    if made is not None:
        messages.success(request, f"已发布每日必查清单，{made.valid_from:%Y-%m-%d}起启用。")
        return redirect("dailychecks:checklist", code=county.code)
    return _checklist_page(request, county, form)


def _measures_page(request: HttpRequest, county: Region, form: MeasureForm | None = None) -> HttpResponse:
    measures = list(selectors.measures_of(request.user, county.code))
    counts = {s.label: sum(1 for m in measures if m.status == s) for s in MeasureStatus}
    return render(
        request,
        "dailychecks/measures.html",
        {
            "county": county,
            "measures": measures,
            "counts": counts,
            "can_change": measure_policy.can_in_region(request.user, "change", county.code),
            "form": form or MeasureForm(initial={"number": len(measures) + 1}),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_GET
def measures(request: HttpRequest, code: str) -> HttpResponse:
    return _measures_page(request, _county(request, code))


@login_required
@require_POST
def measure_new(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code)
    form = MeasureForm(request.POST)
    made = form_action(request, form, lambda d: measure_add(actor=acting_user(request), county_code=county.code, **d))
    if made is not None:
        messages.success(request, f"已登记举措：第 {made.number} 条 {made.title}。")
        return redirect("dailychecks:measures", code=county.code)
    return _measures_page(request, county, form)


def _measure(request: HttpRequest, pk: int) -> Measure:
    return measure_policy.get_or_404(request.user, queryset=Measure.objects.select_related("county"), pk=pk)


@login_required
@require_GET
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    m = _measure(request, pk)
    return render(
        request,
        "dailychecks/measure.html",
        {
            "measure": m,
            "progress": list(m.progress.order_by("-reported_on", "-pk")),
            "can_change": measure_policy.can(request.user, "change", m),
            "progress_form": ProgressForm(initial={"reported_on": timezone.localdate()}),
            "moves": [(to, MeasureStatus(to).label) for to in MEASURE_TRANSITIONS[m.status]],
        },
    )


@login_required
@require_POST
def measure_progress(request: HttpRequest, pk: int) -> HttpResponse:
    m = _measure(request, pk)
    form_message_action(
        request,
        ProgressForm(request.POST),
        lambda d: measure_progress_add(actor=acting_user(request), measure=m, **d),
        done="已登记进展。",
    )
    return redirect("dailychecks:measure", pk=m.pk)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    m = _measure(request, pk)
    form_message_action(
        request,
        MoveForm(request.POST),
        lambda d: measure_move(actor=acting_user(request), measure=m, to=d["to"], expected_version=d["version"]),
        done=lambda x: f"举措状态：{x.get_status_display()}。",
    )
    return redirect("dailychecks:measure", pk=m.pk)
