from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.assessments.exports import rates_sheet_download, results_download, rollup_download
from cunshe.assessments.forms import OpenForm, SupportForm, TotalsForm, WeightsForm
from cunshe.assessments.models import TRANSITIONS, Method, PollKind, Status
from cunshe.assessments.permissions import (
    assessment_policy,
    assessment_region_or_404,
    poll_policy,
    summary_policy,
    summary_region_or_404,
    support_policy,
    weights_county_or_404,
    weights_policy,
)
from cunshe.assessments.printouts import ballots_response, count_sheet_response
from cunshe.assessments.rates import FORMULAS
from cunshe.assessments.scoring import FORMULA
from cunshe.assessments.selectors import (
    assessment_of,
    overview_kept,
    polls_of,
    rates_today,
    results_of,
    rollup_total,
    weights_history,
    weights_in_force,
)
from cunshe.assessments.services import (
    MARKS,
    assessment_move,
    assessment_open,
    ballot_add,
    poll_enter_totals,
    support_poll_record,
    weights_set,
)
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.people.selectors import people_visible
from cunshe.regions.models import Level, Region
from cunshe.reserves.permissions import reserve_policy
from cunshe.termchanges.selectors import current_term_change
from cunshe.web.forms import button_action, document_or_back, form_action
from cunshe.web.kept_pages import render_kept


def _region(request: HttpRequest, code: str, *levels: int) -> Region:
    return assessment_region_or_404(request.user, code, *levels)


def _village_page(request: HttpRequest, village: Region, form: OpenForm | None = None) -> HttpResponse:
    term_change = current_term_change(village.code)
    assessment = assessment_of(request.user, village.code, term_change)
    can_change = assessment_policy.can_in_region(request.user, "change", village.code)
    weights = assessment or weights_in_force(
        village.code, term_change.opened_on if term_change else timezone.localdate()
    )
    context = {
        "village": village,
        "term_change": term_change,
        "assessment": assessment,
        "polls": polls_of(assessment) if assessment else [],
        "results": list(results_of(assessment)) if assessment else [],
        "can_change": can_change,
        "form": form or (OpenForm() if can_change and assessment is None and term_change else None),
        "formula": FORMULA.format(
            a=weights.party_weight, b=weights.representative_weight, c=weights.satisfaction_weight
        ),
        "weights": weights,
        "marks": MARKS,
        "moves": [(s, Status(s).label) for s in TRANSITIONS[assessment.status]] if assessment else [],
        "ballots_method": Method.BALLOTS,
        "can_see_reserves": reserve_policy.can_in_region(request.user, "view", village.code),
    }
    return render(request, "assessments/village.html", context)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The user's own level: the county or town table, or the village page."""
    prefixes = assessment_policy.regions_for(request.user)
    if not prefixes:
        raise NotPermitted("您无权查看两票一度测评。")
    code = prefixes[0]
    if len(code) == 12:
        return redirect("assessments:village", code=code)
    return redirect("assessments:overview", code=code if len(code) in (6, 9) else code[:6])


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, _region(request, code, Level.VILLAGE))


@login_required
@require_POST
def open_assessment(request: HttpRequest, code: str) -> HttpResponse:
    place = _region(request, code, Level.VILLAGE)
    assessment_policy.check_in_region(request.user, "change", code, message="您无权开展该村(社区)的测评。")
    form = OpenForm(request.POST)
    opened = form_action(
        request,
        form,
        lambda d: assessment_open(
            actor=acting_user(request), village_code=code, held_on=d["held_on"], method=d["method"], base=d["base"],
            entitled={k: d[f"entitled_{k}"] for k in PollKind.values},
        ),
    )  # fmt: skip
    if opened is not None:
        messages.success(request, "已开展两票一度测评，请录入票数。")
        return redirect("assessments:village", code=code)
    return _village_page(request, place, form)


@login_required
@require_POST
def totals(request: HttpRequest, pk: int) -> HttpResponse:
    poll = poll_policy.get_or_404(request.user, pk=pk)
    form = TotalsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写收回票数和无效票。")
        return redirect("assessments:village", code=poll.assessment.region_id)
    try:
        counts = {
            t.member_id: tuple(int(request.POST.get(f"{mark}_{t.member_id}") or 0) for mark in MARKS)
            for t in poll.tallies.all()
        }
    except ValueError:
        messages.error(request, "票数须为整数。")
        return redirect("assessments:village", code=poll.assessment.region_id)
    button_action(
        request,
        lambda: poll_enter_totals(
            actor=acting_user(request), poll=poll, cast=form.cleaned_data["cast"], invalid=form.cleaned_data["invalid"],
            tallies=counts,  # type: ignore[arg-type]
            expected_version=form.cleaned_data["version"],
        ),
        done=f"已保存{poll.get_kind_display()}票数。",
    )  # fmt: skip
    return redirect("assessments:village", code=poll.assessment.region_id)


@login_required
@require_POST
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    poll = poll_policy.get_or_404(request.user, pk=pk)
    member_ids = [t.member_id for t in poll.tallies.all()]
    marks = {m: str(request.POST[f"mark_{m}"]) for m in member_ids if request.POST.get(f"mark_{m}") in MARKS}
    button_action(
        request,
        lambda: ballot_add(
            actor=acting_user(request), poll=poll, is_valid=request.POST.get("invalid") != "1", marks=marks
        ),
        done=lambda entered: f"已录入{poll.get_kind_display()}第 {entered.number} 张选票。",
    )
    return redirect("assessments:village", code=poll.assessment.region_id)


@login_required
@require_GET
def ballots_print(request: HttpRequest, pk: int) -> HttpResponse:
    poll = poll_policy.get_or_404(request.user, pk=pk)
    raw = request.GET.get("copies", "").strip()

    def ballots() -> HttpResponse:
        if raw and not raw.isdigit():
            raise DomainError("打印份数须为整数。")
        return ballots_response(poll, int(raw) if raw else None)

    return document_or_back(request, ballots, reverse("assessments:village", args=[poll.assessment.region_id]))


@login_required
@require_GET
def count_sheet_print(request: HttpRequest, pk: int) -> HttpResponse:
    return count_sheet_response(poll_policy.get_or_404(request.user, pk=pk))


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_policy.get_or_404(request.user, pk=pk)
    button_action(
        request,
        lambda: assessment_move(
            actor=acting_user(request),
            assessment=assessment,
            to_status=request.POST.get("to_status", ""),
            expected_version=int(request.POST.get("version") or 0) or None,
        ),
        done=f"测评已转为“{assessment.get_status_display()}”。",
    )
    return redirect("assessments:village", code=assessment.region_id)


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    return results_download(assessment_policy.get_or_404(request.user, pk=pk))


@login_required
@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    place = _region(request, code, Level.COUNTY, Level.TOWN)
    # The page but its title kept whole (records.kept, issue 15): the term change and the rows are read only when
    # it has to be rendered again.
    kept = overview_kept(request.user, place)
    return render_kept(
        request,
        kept,
        "assessments/overview.html",
        {
            "place": place,
            "term_change": SimpleLazyObject(lambda: kept.value[0]),
            "kept": kept,
            "rows": SimpleLazyObject(lambda: kept.value[1]),
            "totals": SimpleLazyObject(lambda: rollup_total(place, kept.value[1])),
            "child_is_village": place.level == Level.TOWN,
            # a town officer's table has no county above it to go to
            "parent_visible": place.level == Level.TOWN
            and summary_policy.can_in_region(request.user, "view", place.parent_id or ""),
            "can_set_weights": place.level == Level.COUNTY
            and weights_policy.can_in_region(request.user, "change", code),
        },
    )


@login_required
@require_GET
def overview_export(request: HttpRequest, code: str) -> HttpResponse:
    return rollup_download(request.user, summary_region_or_404(request.user, code))


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest, code: str) -> HttpResponse:
    county = weights_county_or_404(request.user, code)
    form = WeightsForm(request.POST or None)
    if form_action(request, form, lambda d: weights_set(actor=acting_user(request), county_code=code, **d)):
        messages.success(request, "已保存两票一度权重。")
        return redirect("assessments:weights", code=code)
    return render(
        request, "assessments/weights.html", {"county": county, "form": form, "history": weights_history(code)}
    )


def _rates_page(request: HttpRequest, village: Region, form: SupportForm | None = None) -> HttpResponse:
    term_change = current_term_change(village.code)
    can_change = support_policy.can_in_region(request.user, "change", village.code)
    rows = rates_today(village.code, term_change)
    if can_change and form is None and term_change is not None:
        form = SupportForm(people=people_visible(request.user, under=village.code))
    return render(
        request,
        "assessments/rates.html",
        {"village": village, "rows": rows, "formulas": FORMULAS, "form": form, "term_change": term_change},
    )


@login_required
@require_GET
def rates(request: HttpRequest, code: str) -> HttpResponse:
    return _rates_page(request, _region(request, code, Level.VILLAGE))


@login_required
@require_GET
def rates_download(request: HttpRequest, code: str) -> HttpResponse:
    return rates_sheet_download(_region(request, code, Level.VILLAGE))


@login_required
@require_POST
def support(request: HttpRequest, code: str) -> HttpResponse:
    place = _region(request, code, Level.VILLAGE)
    support_policy.check_in_region(request.user, "change", code, message="您无权录入推荐与支持情况。")
    form = SupportForm(request.POST, people=people_visible(request.user, under=code))
    if form_action(request, form, lambda d: support_poll_record(actor=acting_user(request), village_code=code, **d)):
        messages.success(request, "已录入。")
        return redirect("assessments:rates", code=code)
    return _rates_page(request, place, form)
