from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.people.selectors import people_visible
from cunshe.regions.models import Region
from cunshe.reserves.exports import pool_response, reserves_import, reserves_response, template_response
from cunshe.reserves.forms import (
    CandidateForm,
    ConcludeForm,
    EvaluationForm,
    MeetingForm,
    NoticeForm,
    ReserveForm,
    ReserveImportForm,
    TrialForm,
    WithdrawForm,
)
from cunshe.reserves.models import ReserveCadre, Source, Stage
from cunshe.reserves.permissions import candidate_policy, reserve_policy
from cunshe.reserves.printouts import evaluation_form_response, notice_response
from cunshe.reserves.selectors import (
    candidates_visible,
    reserve_list,
    reserves_visible,
    stage_counts,
    three_degrees,
)
from cunshe.reserves.services import (
    candidate_add,
    evaluation_add,
    meeting_record,
    notice_record,
    reserve_add,
    reserve_withdraw,
    trial_conclude,
    trial_start,
)
from cunshe.reviews.selectors import latest_outcomes
from cunshe.web.forms import (
    document_or_back,
    form_action,
    form_message_action,
    upload_report,
)
from cunshe.web.kept_pages import list_page_kept, render_kept


def _village(request: HttpRequest, code: str) -> Region:
    return reserve_policy.village_or_404(request.user, code, "view")


def _with_ages(reserves: Iterable[ReserveCadre]) -> list[ReserveCadre]:
    today = timezone.localdate()
    listed = list(reserves)
    for r in listed:
        r.age = r.person.age_on(today)  # type: ignore[attr-defined]
    return listed


def _village_page(
    request: HttpRequest,
    village: Region,
    form: ReserveForm | None = None,
    pool_form: CandidateForm | None = None,
) -> HttpResponse:
    can_change = reserve_policy.can_in_region(request.user, "change", village.code)
    people = people_visible(request.user, under=village.code)
    reserves = _with_ages(reserves_visible(request.user, under=village.code))
    return render(
        request,
        "reserves/village.html",
        {
            "village": village,
            "reserves": reserves,
            "candidates": candidates_visible(request.user, under=village.code),
            "can_change": can_change,
            "form": form or (ReserveForm(people=people) if can_change else None),
            "pool_form": pool_form or (CandidateForm(people=people) if can_change else None),
        },
    )


@login_required
@require_GET
def reserve_index(request: HttpRequest) -> HttpResponse:
    """The reserve list (后备干部名册) of a county or town on one page: how many at each stage, and the people."""
    if not reserve_policy.anywhere(request.user):
        raise NotPermitted("您无权查看后备干部。")
    under = request.GET.get("under", "")
    stage = request.GET.get("stage", "")

    def context() -> dict[str, Any]:
        reserves = reserve_list(request.user, under=under)
        counts = stage_counts(reserves)
        if stage in Stage.values:
            reserves = reserves.filter(stage=stage)
        page = Paginator(reserves.order_by("region_id", "added_on", "pk"), 50).get_page(request.GET.get("page"))
        page.object_list = _with_ages(page.object_list)
        return {
            "page": page,
            "under": under,
            "stage": stage,
            "stages": [(value, label, counts.get(value, 0)) for value, label in Stage.choices],
            "total": sum(counts.values()),
            "can_import": reserve_policy.anywhere(request.user, "change"),
        }

    # Kept whole (issue 15); the day: the ages shown are as of today.
    return render_kept(request, list_page_kept(request, "reserves.list"), "reserves/list.html", context)


@login_required
@require_GET
def notice_print(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    return document_or_back(
        request, lambda: notice_response(request.user, village), reverse("reserves:village", args=[code])
    )


@login_required
@require_GET
def evaluation_form_print(request: HttpRequest, pk: int) -> HttpResponse:
    return evaluation_form_response(
        reserve_policy.get_or_404(request.user, queryset=reserves_visible(request.user), pk=pk)
    )


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, _village(request, code))


@login_required
@require_POST
def add(request: HttpRequest, code: str) -> HttpResponse:
    place = _village(request, code)
    reserve_policy.check_in_region(request.user, "change", code, message="您无权维护该村(社区)的后备干部。")
    form = ReserveForm(request.POST, people=people_visible(request.user, under=code))
    reserve = form_action(
        request, form, lambda data: reserve_add(actor=acting_user(request), village_code=code, **data)
    )
    if reserve is not None:
        messages.success(request, f"已将 {reserve.person.name} 列入后备干部库。")
        return redirect("reserves:detail", pk=reserve.pk)
    return _village_page(request, place, form=form)


@login_required
@require_POST
def pool_add(request: HttpRequest, code: str) -> HttpResponse:
    place = _village(request, code)
    candidate_policy.check_in_region(request.user, "change", code, message="您无权维护该村(社区)的人选库。")
    form = CandidateForm(request.POST, people=people_visible(request.user, under=code))
    entry = form_action(
        request, form, lambda data: candidate_add(actor=acting_user(request), village_code=code, **data)
    )
    if entry is not None:
        messages.success(request, f"已将 {entry.person.name} 列入人选库。")
        return redirect("reserves:village", code=code)
    return _village_page(request, place, pool_form=form)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    reserve = reserve_policy.get_or_404(request.user, queryset=reserves_visible(request.user), pk=pk)
    can_change = reserve_policy.can(request.user, "change", reserve)
    town_people = people_visible(request.user, under=reserve.region_id[:9])
    step_forms: dict[str, forms.Form] = {}
    if can_change:
        initial = {"version": reserve.version}
        step_forms = {
            Stage.POOLED: EvaluationForm(),
            Stage.EVALUATED: NoticeForm(initial=initial),
            Stage.NOTICED: TrialForm(initial=initial, people=town_people),
            Stage.ON_TRIAL: ConcludeForm(initial=initial),
        }
    return render(
        request,
        "reserves/detail.html",
        {
            "reserve": reserve,
            "age": reserve.person.age_on(timezone.localdate()),
            "degrees": three_degrees(reserve),
            "evaluations": reserve.evaluations.all(),
            "can_change": can_change,
            "step_form": step_forms.get(reserve.stage),
            "meeting_form": MeetingForm(initial={"version": reserve.version})
            if can_change and reserve.stage == Stage.POOLED
            else None,
            "withdraw_form": WithdrawForm(initial={"version": reserve.version})
            if can_change and reserve.stage in (Stage.POOLED, Stage.EVALUATED, Stage.NOTICED, Stage.ON_TRIAL)
            else None,
        },
    )


def _evaluate(request: HttpRequest, reserve: Any, data: dict[str, Any]) -> str:
    evaluation_add(actor=acting_user(request), reserve=reserve, **data)
    return "已录入三度测评。"


def _meeting(request: HttpRequest, reserve: Any, data: dict[str, Any]) -> str:
    meeting_record(
        actor=acting_user(request),
        reserve=reserve,
        held_on=data["held_on"],
        place=data["place"],
        expected_version=data["version"],
    )
    return "已记录测评会。"


def _notice(request: HttpRequest, reserve: Any, data: dict[str, Any]) -> str:
    notice_record(
        actor=acting_user(request),
        reserve=reserve,
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        feedback=data["feedback"],
        expected_version=data["version"],
    )
    return "已记录公示。"


def _trial(request: HttpRequest, reserve: Any, data: dict[str, Any]) -> str:
    trial_start(
        actor=acting_user(request),
        reserve=reserve,
        post=data["post"],
        mentor=data["mentor"],
        starts_on=data["starts_on"],
        expected_version=data["version"],
    )
    return "已安排试岗。"


def _conclude(request: HttpRequest, reserve: Any, data: dict[str, Any]) -> str:
    trial_conclude(
        actor=acting_user(request),
        reserve=reserve,
        passed=data["passed"],
        concluded_on=data["concluded_on"],
        note=data["note"],
        expected_version=data["version"],
    )
    return "试岗合格，已进入人选库。" if data["passed"] else "已记录试岗不合格。"


def _withdraw(request: HttpRequest, reserve: Any, data: dict[str, Any]) -> str:
    reserve_withdraw(
        actor=acting_user(request), reserve=reserve, reason=data["reason"], expected_version=data["version"]
    )
    return "已退出后备干部库。"


STEPS: dict[str, tuple[Callable[..., forms.Form], Callable[[HttpRequest, Any, dict[str, Any]], str]]] = {
    "evaluate": (EvaluationForm, _evaluate),
    "meeting": (MeetingForm, _meeting),
    "notice": (NoticeForm, _notice),
    "trial": (TrialForm, _trial),
    "conclude": (ConcludeForm, _conclude),
    "withdraw": (WithdrawForm, _withdraw),
}


@login_required
@require_POST
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    reserve = reserve_policy.get_or_404(request.user, pk=pk)
    if step not in STEPS:
        raise Http404("没有这一步。")
    form_class, action = STEPS[step]
    extra = {"people": people_visible(request.user, under=reserve.region_id[:9])} if step == "trial" else {}
    # Each step's action answers with its own success sentence.
    form_message_action(
        request, form_class(request.POST, **extra), lambda d: action(request, reserve, d), done=lambda said: said
    )
    return redirect("reserves:detail", pk=pk)


@login_required
@require_GET
def pool(request: HttpRequest) -> HttpResponse:
    under = request.GET.get("under", "")
    candidates = list(candidates_visible(request.user, under=under).order_by("region", "added_on"))
    # Each person's latest joint-review outcome (one query), so the pool shows who has been vetted.
    outcomes = latest_outcomes(c.person_id for c in candidates)
    for candidate in candidates:
        candidate.review_outcome = outcomes.get(candidate.person_id, "")  # type: ignore[attr-defined]
    can_import = reserve_policy.anywhere(request.user, "change")
    return render(request, "reserves/pool.html", {"candidates": candidates, "under": under, "can_import": can_import})


@login_required
@require_GET
def pool_export(request: HttpRequest) -> HttpResponse:
    return pool_response(request.user, request.GET.get("under", ""))


@login_required
@require_GET
def reserves_download(request: HttpRequest) -> HttpResponse:
    return reserves_response(request.user, request.GET.get("under", ""))


def _may_import(request: HttpRequest) -> None:
    if not reserve_policy.anywhere(request.user, "change"):
        raise NotPermitted("您无权导入后备干部。")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _may_import(request)
    return template_response(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def reserves_upload(request: HttpRequest) -> HttpResponse:
    _may_import(request)
    form = ReserveImportForm(request.POST or None, request.FILES or None)
    report = upload_report(request, form, lambda data: reserves_import(actor=acting_user(request), stream=data["file"]))
    return render(request, "reserves/import.html", {"form": form, "report": report, "sources": Source.choices})
