"""Pages of the joint review. County and town pages go through the region policies; the reviewer's desk goes
through reviewer_policy, so a reviewer reaches nothing but their own department's part of released batches."""

from __future__ import annotations

from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.models import RoleAssignment
from cunshe.accounts.selectors import acting_user
from cunshe.accounts.services import department_create, department_update
from cunshe.core.errors import NotPermitted
from cunshe.core.paging import first_page, page_of
from cunshe.core.printing import pdf_response
from cunshe.eligibility.selectors import rules_in_force
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Level, Region
from cunshe.reserves.selectors import pool_people_of
from cunshe.reviews import exports, report, selectors, services
from cunshe.reviews.forms import AnswerForm, DecideForm, ImportForm, ReleaseForm, ReopenForm, RoundForm, SignForm
from cunshe.reviews.models import Candidate, DepartmentHead, Outcome, ReviewBatch, ReviewRound, Verdict
from cunshe.reviews.permissions import (
    batch_policy,
    candidate_policy,
    department_or_404,
    department_review_policy,
    reviewer_policy,
    round_policy,
)
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.web.forms import button_action, form_action, form_errors_text, form_message_action
from cunshe.web.htmx import HtmxRequest


def _counties(request: HttpRequest) -> list[str]:
    """The counties where the user may start rounds and keep the departments."""
    return round_policy.counties_for(request.user, "manage")


def _towns_for_submission(request: HttpRequest, review_round: ReviewRound) -> list[tuple[str, str]]:
    """The round's towns under the user's regions where they may submit (a town officer: their town)."""
    prefixes = batch_policy.regions_for(request.user, "submit")
    if not prefixes:
        return []
    condition = Q()
    for p in prefixes:
        condition |= Q(code__startswith=p)
    towns = Region.objects.filter(condition, level=Level.TOWN, code__startswith=review_round.county_id)
    return [(t.code, t.name) for t in towns.order_by("code")]


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version") or 0) or None
    except ValueError:
        return None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reviews/index.html",
        {
            "rounds": selectors.rounds_visible(request.user),
            "can_open": bool(_counties(request)),
            "is_reviewer": bool(reviewer_policy.departments_of(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    counties = _counties(request)
    if not counties:
        raise NotPermitted("您无权发起联审。")
    form = RoundForm(request.POST or None)
    review_round = form_action(
        request,
        form,
        lambda data: services.round_open(
            actor=acting_user(request),
            county_code=counties[0],
            opened_on=data["opened_on"],
            title=data["title"],
        ),
    )
    if review_round is not None:
        messages.success(request, f"已启动{review_round.title}。")
        return redirect("reviews:round", pk=review_round.pk)
    return render(request, "reviews/round_form.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = round_policy.get_or_404(request.user, queryset=selectors.rounds_visible(request.user), pk=pk)
    batches = selectors.batches_of_round(request.user, review_round)
    return render(
        request,
        "reviews/round.html",
        {
            "round": review_round,
            "batches": batches,
            "totals": selectors.round_totals(batches),
            "metrics": selectors.round_metrics(selectors.round_reviews(request.user, review_round), batches),
            "can_submit": bool(_towns_for_submission(request, review_round)),
            "can_export": round_policy.can(request.user, "export", review_round),
        },
    )


def _report(request: HttpRequest, pk: int) -> report.RoundReport:
    return report.round_report(request.user, pk)


@login_required
@require_GET
def round_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    data = _report(request, pk)
    buffer = BytesIO()
    report.write_xlsx(data, buffer)
    return xlsx_response(buffer.getvalue(), f"{data.review_round.title}情况报告.xlsx")


@login_required
@require_GET
def round_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    data = _report(request, pk)
    buffer = BytesIO()
    report.write_pdf(data, buffer, viewer=acting_user(request).display_name)
    return pdf_response(buffer.getvalue(), f"{data.review_round.title}情况报告.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def batch_import(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = round_policy.get_or_404(request.user, pk=pk)
    towns = _towns_for_submission(request, review_round)
    if not towns:
        raise NotPermitted("您无权报送人选。")
    if request.method == "GET" and request.GET.get("template"):
        return exports.template_response(review_round)
    form = ImportForm(request.POST or None, request.FILES or None, towns=towns)
    report = form_action(
        request,
        form,
        lambda d: exports.batch_import(
            actor=acting_user(request), review_round=review_round, town_code=d["town"], stream=d["file"],
            title=d["title"],
        ),
    )  # fmt: skip
    if report is not None and (batch := report.batch) is not None:
        messages.success(request, f"已导入并报送{batch.title}，共 {batch.candidate_count} 人。")
        return redirect("reviews:batch", pk=batch.pk)
    return render(request, "reviews/batch_import.html", {"round": review_round, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def batch_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick people from the registry (the candidate pool will call the same service)."""
    review_round = round_policy.get_or_404(request.user, pk=pk)
    towns = _towns_for_submission(request, review_round)
    if not towns:
        raise NotPermitted("您无权报送人选。")
    town = request.POST.get("town") or request.GET.get("town") or towns[0][0]
    if town not in dict(towns):
        raise Http404("未找到该乡镇(街道)。")
    error = ""
    if request.method == "POST":
        chosen = person_policy.visible_to(request.user).filter(pk__in=request.POST.getlist("person"))
        # A form without fields: what is chosen is the ticked people; it carries the refusal's lines.
        picked = forms.Form(request.POST)
        batch = form_action(
            request,
            picked,
            lambda d: services.batch_submit_people(
                actor=acting_user(request), review_round=review_round, town_code=town,
                people=list(chosen.order_by("region", "name")), post=request.POST.get("post", ""),
            ),
        )  # fmt: skip
        if batch is not None:
            messages.success(request, f"已报送{batch.title}，共 {batch.candidate_count} 人。")
            return redirect("reviews:batch", pk=batch.pk)
        error = form_errors_text(picked)
    q = request.GET.get("q", "").strip()
    from_pool = request.GET.get("source") == "pool"
    people = person_policy.visible_to(request.user).filter(region__startswith=town).select_related("region")
    if from_pool:  # the town's candidate pool (人选库), all ticked: the usual way a town submits
        people = people.filter(pk__in=pool_people_of(town))
    if q:
        people = people.filter(name__contains=q)
    # A pick form, not a list to page (ticks on one page would not reach the next): the pool comes whole, a search
    # shows its first 100 and says how many it found, so the rest are asked for by name, not silently missing.
    rows, found = (list(people), None) if from_pool else first_page(people.order_by("region", "name", "pk"))
    return render(
        request,
        "reviews/batch_pick.html",
        {
            "round": review_round,
            "towns": towns,
            "town": town,
            "q": q,
            "people": rows,
            "found": found,
            "error": error,
            "from_pool": from_pool,
        },
    )


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_policy.get_or_404(request.user, queryset=ReviewBatch.objects.select_related("town", "round"), pk=pk)
    return render(
        request,
        "reviews/batch.html",
        {
            "batch": batch,
            "candidates": selectors.candidates_of_batch(batch),
            "departments": selectors.department_reviews_of_batch(request.user, batch),
            "can_manage": batch_policy.can(request.user, "manage", batch),
            "release_form": ReleaseForm(initial={"version": batch.version}),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def batch_release(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_policy.get_or_404(request.user, pk=pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写审查时限（工作日）。")
        return redirect("reviews:batch", pk=batch.pk)
    button_action(
        request,
        lambda: services.batch_release(
            actor=acting_user(request),
            batch=batch,
            expected_version=form.cleaned_data["version"],
            deadline_days=form.cleaned_data["deadline_days"],
        ),
        done=f"已同时发布至 {batch.department_count} 家联审单位。",
    )
    return redirect("reviews:batch", pk=batch.pk)


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_policy.get_or_404(
        request.user, queryset=Candidate.objects.select_related("batch", "batch__town", "village"), pk=pk
    )
    show_reasons = candidate_policy.can(request.user, "view_reasons", candidate)
    services.candidate_view_log(viewer=acting_user(request), candidate=candidate, channel="web")
    return render(
        request,
        "reviews/candidate.html",
        {
            "candidate": candidate,
            "show_reasons": show_reasons,
            "answers": selectors.answers_of_candidate(candidate) if show_reasons else [],
            "can_decide": candidate.result == Outcome.DOUBTFUL
            and candidate_policy.can(request.user, "manage", candidate),
            "decide_form": DecideForm(initial={"version": candidate.version}),
            # The view log pages (it stopped at 50: the oldest views, who looked first, went missing).
            "views": page_of(request, candidate.views.select_related("user", "department").order_by("-at", "-pk"), 50)
            if show_reasons
            else [],
        },
    )


@login_required
@require_POST
def candidate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        DecideForm(request.POST),
        lambda d: services.candidate_decide(
            actor=acting_user(request), candidate=candidate, decision=d["decision"], reason=d["reason"],
            expected_version=d["version"],
        ),
        done=lambda decided: f"已研判{decided.name}：{decided.get_decision_display()}。",
    )  # fmt: skip
    return redirect("reviews:candidate", pk=candidate.pk)


@login_required
@require_POST
def department_review_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    review = department_review_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        ReopenForm(request.POST),
        lambda d: services.department_review_reopen(
            actor=acting_user(request), review=review, reason=d["reason"], expected_version=d["version"]
        ),
        done=f"已重新打开{review.department.name}的审查。",
    )
    return redirect("reviews:batch", pk=review.batch_id)


@login_required
@require_http_methods(["GET", "POST"])
def departments(request: HttpRequest) -> HttpResponse:
    counties = _counties(request)
    if not counties:
        raise NotPermitted("您无权管理联审单位。")
    county = counties[0]
    if request.method == "POST" and request.POST.get("action") == "defaults":
        button_action(
            request,
            lambda: services.departments_install_defaults(actor=acting_user(request), county_code=county),
            done=lambda added: f"已添加默认联审单位 {added} 家。",
        )
    elif request.method == "POST":
        button_action(
            request,
            lambda: department_create(
                actor=acting_user(request), county_code=county, name=request.POST.get("name", "")
            ),
            done=lambda department: f"已添加联审单位{department.name}。",
        )
    if request.method == "POST":
        return redirect("reviews:departments")
    return render(
        request,
        "reviews/departments.html",
        {"departments": selectors.departments_of_county(county), "county": county},
    )


@login_required
@require_POST
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = department_or_404(request.user, pk)
    button_action(
        request,
        lambda: department_update(
            actor=acting_user(request),
            department=department,
            name=request.POST.get("name", ""),
            is_active=request.POST.get("is_active") == "on",
            expected_version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None,
        ),
        done=f"已保存联审单位{department.name}。",
    )
    return redirect("reviews:departments")


@login_required
@require_POST
def department_head(request: HttpRequest, pk: int) -> HttpResponse:
    department = department_or_404(request.user, pk)
    assignment = RoleAssignment.objects.filter(
        department=department, is_active=True, user_id=request.POST.get("user") or 0
    ).first()
    if assignment is None:
        messages.error(request, "请选择本单位的审查员账号。")
        return redirect("reviews:departments")
    button_action(
        request,
        lambda: services.department_head_set(
            actor=acting_user(request),
            department=department,
            user=assignment.user,
            expected_version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else 0,
        ),
        done=f"已指定{department.name}负责人：{assignment.user.display_name}。",
    )
    return redirect("reviews:departments")


# The reviewer's desk -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/desk.html", {"reviews": selectors.desk_of(request.user)})


@login_required
@require_GET
def desk_batch(request: HttpRequest, pk: int) -> HttpResponse:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=pk)
    answers = selectors.answers_of_department(review)
    candidates = list(selectors.candidates_of_batch(review.batch))
    return render(
        request,
        "reviews/desk_batch.html",
        {
            "review": review,
            "rows": [(c, answers.get(c.pk)) for c in candidates],
            "rules": rules_in_force(review.batch.round.county_id, review.batch.round.opened_on),
            "is_head": DepartmentHead.objects.filter(
                department_id=review.department_id, user=acting_user(request)
            ).exists(),
            "unanswered": len(candidates) - len(answers),
            "verdicts": Verdict.choices,
        },
    )


@login_required
@require_GET
def desk_candidate(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=pk)
    candidate = review.batch.candidates.filter(pk=candidate_pk).select_related("village", "person").first()
    if candidate is None:
        raise Http404("未找到该人选。")
    services.candidate_view_log(
        viewer=acting_user(request), candidate=candidate, channel="web", department_id=review.department_id
    )
    answer = selectors.answers_of_department(review).get(candidate.pk)
    return render(
        request,
        "reviews/desk_candidate.html",
        {
            "review": review,
            "candidate": candidate,
            "answer": answer,
            "rules": rules_in_force(review.batch.round.county_id, review.batch.round.opened_on),
            "verdicts": Verdict.choices,
        },
    )


@login_required
@require_POST
def desk_answer(request: HtmxRequest, pk: int, candidate_pk: int) -> HttpResponse:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=pk)
    candidate = review.batch.candidates.filter(pk=candidate_pk).first()
    if candidate is None:
        raise Http404("未找到该人选。")
    form = AnswerForm(request.POST)
    form_action(
        request,
        form,
        lambda d: services.answer_give(
            actor=acting_user(request), review=review, candidate=candidate, verdict=d["verdict"],
            rule=rules_in_force(review.batch.round.county_id, review.batch.round.opened_on)
            .filter(pk=d["rule"] or 0).first(),
            reason=d["reason"], expected_version=d["version"],
        ),
    )  # fmt: skip
    problems = form_errors_text(form)
    if request.htmx:
        # Marking row by row: answer with the row alone, so a hundred candidates are marked without reloads.
        return render(
            request,
            "reviews/desk_batch.html#row",
            {
                "review": review,
                "c": candidate,
                "a": selectors.answers_of_department(review).get(candidate.pk),
                "rules": rules_in_force(review.batch.round.county_id, review.batch.round.opened_on),
                "verdicts": Verdict.choices,
                "row_error": problems,
            },
        )
    if problems:
        messages.error(request, problems)
    else:
        messages.success(request, f"已保存对{candidate.name}的审查意见。")
    return redirect("reviews:desk_batch", pk=review.pk)


@login_required
@require_POST
def desk_clear_rest(request: HttpRequest, pk: int) -> HttpResponse:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=pk)
    button_action(
        request,
        lambda: services.answers_clear_rest(actor=acting_user(request), review=review),
        done=lambda n: f"其余 {n} 人已记为通过。",
    )
    return redirect("reviews:desk_batch", pk=review.pk)


@login_required
@require_POST
def desk_sign(request: HttpRequest, pk: int) -> HttpResponse:
    review = reviewer_policy.get_or_404(request.user, queryset=selectors.desk_of(request.user), pk=pk)
    form_message_action(
        request,
        SignForm(request.POST),
        lambda d: services.department_review_sign(
            actor=acting_user(request), review=review, conclusion=d["conclusion"], expected_version=d["version"]
        ),
        done=f"已签署{review.department.name}对{review.batch.title}的书面结论。",
    )
    return redirect("reviews:desk_batch", pk=review.pk)
