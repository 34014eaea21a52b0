from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.assessments.selectors import prospects_of
from cunshe.core.errors import NotPermitted
from cunshe.offline.queued import is_queued, queued_answer
from cunshe.people.selectors import people_visible
from cunshe.regions.models import Region
from cunshe.visits.exports import coverage_response, plan_response, visit_plan_import
from cunshe.visits.forms import CoverageTargetForm, GenerateForm, GroupMemberForm, PlanImportForm, VisitForm
from cunshe.visits.models import Group, Visit, VisitTarget
from cunshe.visits.permissions import coverage_target_policy, target_policy
from cunshe.visits.printouts import task_sheet_response
from cunshe.visits.selectors import (
    coverage_form_kept,
    coverage_kept,
    coverage_table,
    group_lists,
    targets_of_village,
    visits_of_target,
)
from cunshe.visits.services import coverage_target_set, group_member_add, visit_plan_generate, visit_record
from cunshe.web.forms import document_or_back, form_action, form_message_action
from cunshe.web.kept_pages import render_kept


def _under(request: HttpRequest) -> Region:
    return target_policy.rollup_region(request.user, request.GET.get("under", ""))


def _village(request: HttpRequest, code: str) -> Region:
    return target_policy.village_or_404(request.user, code, "view")


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    region = _under(request)
    kept = coverage_kept(request.user, region.code)
    can_set = coverage_target_policy.can_in_region(request.user, "change", region.code[:6])
    # The target form beside the kept table: whether it shows and its versions kept small, its fields rendered
    # under the table's key after the CSRF token (records.kept, issue 15).
    has_term_change, versions = coverage_form_kept(request.user, region.code).value
    return render_kept(
        request,
        kept,
        "visits/overview.html",
        {
            "region": region,
            "table": kept.lazy(),
            "kept": kept,
            "groups": Group.choices,
            "child_is_village": len(region.code) >= 9,
            "has_term_change": has_term_change,
            "shows_form": can_set,
            "target_form": SimpleLazyObject(CoverageTargetForm),
            "target_versions": versions if can_set else {},
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    return coverage_response(request.user, _under(request))


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


@login_required
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    county = request.POST.get("county", "")
    if len(county) != 6:
        raise Http404("未找到该县。")
    coverage_target_policy.check_in_region(
        request.user, "change", county, message="您无权设置走访覆盖目标。", missing="未找到该县。"
    )
    form_message_action(
        request,
        CoverageTargetForm(request.POST),
        lambda d: coverage_target_set(
            actor=acting_user(request),
            county_code=county,
            group=d["group"],
            percent=d["percent"],
            # the page carries each group's version, so a target changed since it was loaded is refused
            expected_version=_int_or_none(request.POST.get(f"version_{d['group']}")),
        ),
        done="已保存走访覆盖目标。",
    )
    return redirect(f"{reverse('visits:overview')}?under={county}")


def _village_page(
    request: HttpRequest,
    village: Region,
    *,
    generate_form: GenerateForm | None = None,
    member_form: GroupMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_change = target_policy.can_in_region(request.user, "change", village.code)
    people = people_visible(request.user, under=village.code)
    table = coverage_table(request.user, village.code)
    return render(
        request,
        "visits/village.html",
        {
            "village": village,
            "table": table,
            "groups": Group.choices,
            "targets": targets_of_village(request.user, village.code),
            "members": group_lists(table.term_change, village.code) if table.term_change else [],
            "can_change": can_change,
            "generate_form": (generate_form or GenerateForm()) if can_change else None,
            "member_form": (member_form or GroupMemberForm(people=people)) if can_change else None,
        },
        status=status,
    )


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, _village(request, code))


@login_required
@require_POST
def generate(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    target_policy.check_in_region(request.user, "change", code, message="您无权制定该村(社区)的走访计划。")
    form = GenerateForm(request.POST)
    added = form_action(
        request,
        form,
        lambda data: visit_plan_generate(
            actor=acting_user(request),
            village_code=code,
            groups=data["groups"],
            visitor=data["visitor"],
            due_on=data["due_on"],
        ),
    )
    if added is not None:
        messages.success(request, f"已生成 {added} 条走访计划。")
        return redirect("visits:village", code=code)
    return _village_page(request, village, generate_form=form)


@login_required
@require_POST
def group_member(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    target_policy.check_in_region(request.user, "change", code, message="您无权登记走访对象。")
    form = GroupMemberForm(request.POST, people=people_visible(request.user, under=code))
    added = form_action(
        request, form, lambda d: group_member_add(actor=acting_user(request), person=d["person"], group=d["group"])
    )
    if added is not None:
        messages.success(request, "已登记。")
        return redirect("visits:village", code=code)
    return _village_page(request, village, member_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    form = PlanImportForm(request.POST or None, request.FILES or None)
    report = form_action(request, form, lambda data: visit_plan_import(actor=acting_user(request), stream=data["file"]))
    if report is not None:
        messages.success(request, f"已导入 {report.created} 条走访计划。")
        return redirect("visits:overview")
    return render(request, "visits/import.html", {"form": form})


@login_required
@require_GET
def task_sheet(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    return document_or_back(
        request, lambda: task_sheet_response(request.user, village), reverse("visits:village", args=[code])
    )


@login_required
@require_GET
def plan_export(request: HttpRequest, code: str) -> HttpResponse:
    """The village's plan in the import layout (so it doubles as the template), with who is still unvisited."""
    return plan_response(request.user, _village(request, code))


@login_required
@require_http_methods(["GET", "POST"])
def target(request: HttpRequest, pk: int) -> HttpResponse:
    visit_target = target_policy.get_or_404(
        request.user, queryset=VisitTarget.objects.select_related("person", "term_change"), pk=pk
    )
    can_change = target_policy.can(request.user, "change", visit_target)
    prospects = (
        [(p, why) for p, why in prospects_of(visit_target.region_id) if p.pk != visit_target.person_id]
        if can_change
        else []
    )
    form = VisitForm(request.POST or None, initial={"visitors": visit_target.visitor}, prospects=prospects)
    if request.method == "POST" and not can_change:
        raise NotPermitted("您无权记录该走访。")

    def save(data: dict[str, Any]) -> Visit:
        return visit_record(
            actor=acting_user(request),
            target=visit_target,
            mode=data["mode"],
            kind=data["kind"],
            visited_on=data["visited_on"],
            place=data["place"],
            visitors=data["visitors"],
            summary=data["summary"],
            opinion_team=data["opinion_team"],
            opinion_election=data["opinion_election"],
            intends_to_stand=data["intends_to_stand"],
            intended_post=data["intended_post"],
            problems=data["problems"].splitlines(),
            opinions=form.opinions(),
            latitude=data["latitude"],
            longitude=data["longitude"],
        )

    done = f"已记录对 {visit_target.person.name} 的走访。"
    back = reverse("visits:village", args=[visit_target.region_id])
    if is_queued(request):  # an entry from the phone's queue (cunshe/offline)
        return queued_answer(request, form, save, kind="visits.visit", done=lambda _v: done, url=lambda _v: back)
    if form_action(request, form, save) is not None:
        messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "visits/target.html",
        {
            "target": visit_target,
            "visits": visits_of_target(request.user, visit_target),
            "form": form if can_change else None,
        },
    )
