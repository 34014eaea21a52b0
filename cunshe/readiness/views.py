from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.readiness.exports import intents_import, intents_response, readiness_response
from cunshe.readiness.forms import (
    IntentForm,
    IntentImportForm,
    PlanDoneForm,
    PlanItemEditForm,
    PlanItemForm,
    ReadinessAssessmentForm,
    TaskMoveForm,
    TemplateTaskActiveForm,
    TemplateTaskEditForm,
    TemplateTaskForm,
    WorkPlanForm,
)
from cunshe.readiness.models import TASK_TRANSITIONS, Intent, PlanItem, Task, TaskStatus
from cunshe.readiness.permissions import (
    assessment_policy,
    intent_policy,
    plan_item_policy,
    task_policy,
    template_county_or_404,
    template_policy,
    template_task_or_404,
)
from cunshe.readiness.printouts import village_file_response
from cunshe.readiness.selectors import (
    assessments_of,
    intents_of,
    plan_items_of,
    readiness_kept,
    rehearsal,
    tasks_of,
    template_tasks_of,
)
from cunshe.readiness.services import (
    DEFAULT_TEMPLATE,
    assessment_file,
    intent_record,
    plan_item_add,
    plan_item_done,
    plan_item_update,
    task_move,
    template_task_add,
    template_task_set_active,
    template_task_update,
    work_plan_make,
)
from cunshe.regions.models import Region
from cunshe.teams.permissions import team_policy
from cunshe.teams.selectors import current_members
from cunshe.termchanges.selectors import current_term_change
from cunshe.web.forms import form_action, form_message_action, upload_report
from cunshe.web.htmx import HtmxRequest
from cunshe.web.kept_pages import render_kept


def _under(request: HttpRequest) -> Region:
    return assessment_policy.rollup_region(request.user, request.GET.get("under", ""))


def _village(request: HttpRequest, code: str) -> Region:
    return assessment_policy.village_or_404(request.user, code, "view")


def _changeable(request: HttpRequest, code: str) -> Region:
    village = _village(request, code)
    assessment_policy.check_in_region(request.user, "change", code, message="您无权修改该村(社区)的选情资料。")
    return village


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    region = _under(request)
    kept = readiness_kept(request.user, region.code)
    return render_kept(
        request,
        kept,
        "readiness/overview.html",
        {
            "region": region,
            "table": kept.lazy(),
            "kept": kept,
            "child_is_village": len(region.code) >= 9,
            "can_template": template_policy.can_in_region(request.user, "change", region.code[:6]),
            "can_import_intents": intent_policy.can_in_region(request.user, "change", region.code),
        },
    )


@login_required
@require_GET
def intents_download(request: HttpRequest) -> HttpResponse:
    return intents_response(request.user, intent_policy.rollup_region(request.user, request.GET.get("under", "")))


@login_required
@require_http_methods(["GET", "POST"])
def intents_upload(request: HttpRequest) -> HttpResponse:
    if not intent_policy.anywhere(request.user, "change"):
        raise NotPermitted("您无权登记换届意愿。")
    form = IntentImportForm(request.POST or None, request.FILES or None)
    report = upload_report(request, form, lambda data: intents_import(actor=acting_user(request), stream=data["file"]))
    return render(request, "readiness/intents_import.html", {"form": form, "report": report})


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    return readiness_response(request.user, _under(request))


@login_required
@require_http_methods(["GET", "POST"])
def template(request: HttpRequest, code: str) -> HttpResponse:
    region = template_county_or_404(request.user, code)
    county = region.code
    term_change = current_term_change(county)
    form = TemplateTaskForm(request.POST or None)
    added = form_action(
        request,
        form,
        lambda d: template_task_add(
            actor=acting_user(request), county_code=county, title=d["title"], offset_days=d["offset_days"]
        ),
    )
    if added is not None:
        messages.success(request, "已增加模板事项。")
        return redirect("readiness:template", code=county)
    tasks = list(template_tasks_of(request.user, term_change)) if term_change else []
    return render(
        request,
        "readiness/template.html",
        {
            "region": region,
            "term_change": term_change,
            "tasks": tasks,
            "default": DEFAULT_TEMPLATE if term_change and not tasks else [],
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = template_task_or_404(request.user, pk)
    initial = {"title": task.title, "offset_days": task.offset_days, "position": task.position, "version": task.version}
    form = TemplateTaskEditForm(request.POST or None, initial=initial)
    saved = form_action(
        request,
        form,
        lambda d: template_task_update(
            actor=acting_user(request), task=task, expected_version=d["version"], title=d["title"],
            offset_days=d["offset_days"], position=d["position"],
        ),
    )  # fmt: skip
    if saved is not None:
        messages.success(request, f"已保存模板事项“{task.title}”。")
        return redirect("readiness:template", code=task.county_id)
    return render(request, "readiness/template_task_edit.html", {"task": task, "region": task.county, "form": form})


@login_required
@require_POST
def template_task_active(request: HttpRequest, pk: int) -> HttpResponse:
    task = template_task_or_404(request.user, pk)
    form_message_action(
        request,
        TemplateTaskActiveForm(request.POST),
        lambda d: template_task_set_active(
            actor=acting_user(request), task=task, expected_version=d["version"], active=d["active"]
        ),
        done=lambda saved: (
            f"已{'启用' if saved.is_active else '停用'}“{saved.title}”。今后制定的作战图按此执行，已制定的各村作战图不变。"
        ),
    )
    return redirect("readiness:template", code=task.county_id)


def _village_page(request: HttpRequest, village: Region, **forms: object) -> HttpResponse:
    code = village.code
    can_change = assessment_policy.can_in_region(request.user, "change", code)
    tasks = list(tasks_of(request.user, code))
    intents = {i.member_id: i for i in intents_of(request.user, code)}
    members = list(current_members(code)) if team_policy.can_in_region(request.user, "view", code) else []
    context: dict[str, object] = {
        "village": village,
        "term_change": current_term_change(code),
        "can_change": can_change,
        "assessments": assessments_of(request.user, code),
        "plan_items": plan_items_of(request.user, code),
        "tasks": [(t, [(s, TaskStatus(s).label) for s in TASK_TRANSITIONS[t.status]]) for t in tasks],
        "members": [(m, intents.get(m.pk)) for m in members],
        "assessment_form": forms.get("assessment_form") or ReadinessAssessmentForm(),
        "plan_form": forms.get("plan_form") or PlanItemForm(),
        "workplan_form": WorkPlanForm(),
        "intent_form": IntentForm(auto_id=False),  # one form per member row: no repeated ids
    }
    return render(request, "readiness/village.html", context)


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, _village(request, code))


@login_required
@require_GET
def village_file(request: HttpRequest, code: str) -> HttpResponse:
    return village_file_response(request.user, _village(request, code))


@login_required
@require_POST
def assess(request: HttpRequest, code: str) -> HttpResponse:
    village_region = _changeable(request, code)
    form = ReadinessAssessmentForm(request.POST)
    if form_action(request, form, lambda d: assessment_file(actor=acting_user(request), village_code=code, **d)):
        messages.success(request, "已保存选情评估。")
        return redirect("readiness:village", code=code)
    return _village_page(request, village_region, assessment_form=form)


@login_required
@require_POST
def plan(request: HttpRequest, code: str) -> HttpResponse:
    village_region = _changeable(request, code)
    form = PlanItemForm(request.POST)
    if form_action(request, form, lambda d: plan_item_add(actor=acting_user(request), village_code=code, **d)):
        messages.success(request, "已加入一村一策。")
        return redirect("readiness:village", code=code)
    return _village_page(request, village_region, plan_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HtmxRequest, pk: int) -> HttpResponse:
    """Correct an open item of the village plan. With htmx the form takes the item's row on the village page and
    the saved row comes back in its place; without, it is a page of its own."""
    queryset = PlanItem.objects.select_related("term_change", "region")
    item = plan_item_policy.get_or_404(request.user, queryset=queryset, pk=pk)
    plan_item_policy.check(request.user, "change", item, message="您无权修改该村(社区)的选情资料。")
    initial = {k: getattr(item, k) for k in ("problem", "measure", "owner", "due_on", "version")}
    # Its own ids: the form sits in the village page beside the add form and other rows' edit forms.
    form = PlanItemEditForm(request.POST or None, initial=initial, auto_id=f"id_plan{item.pk}_%s")
    saved = form_action(
        request,
        form,
        lambda d: plan_item_update(
            actor=acting_user(request), item=item, expected_version=d["version"], problem=d["problem"],
            measure=d["measure"], owner=d["owner"], due_on=d["due_on"],
        ),
    )  # fmt: skip
    if saved is not None:
        if request.htmx:
            return render(request, "readiness/village.html#plan_row", {"p": saved, "can_change": True})
        messages.success(request, f"已保存“{saved.problem}”。")
        return redirect("readiness:village", code=saved.region_id)
    # A done item is history: the page says so instead of offering a form the service would refuse.
    refusal = f"“{item.problem}”已完成，作为历史保留，不能再修改。" if item.done_on else ""
    template = "readiness/plan_edit.html#form_row" if request.htmx else "readiness/plan_edit.html"
    return render(request, template, {"item": item, "form": form, "refusal": refusal})


@login_required
@require_POST
def plan_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = plan_item_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        PlanDoneForm(request.POST),
        lambda d: plan_item_done(
            actor=acting_user(request), item=item, done_on=d["done_on"], expected_version=d["version"]
        ),
        done=f"“{item.problem}”已完成。",
    )
    return redirect("readiness:village", code=item.region_id)


@login_required
@require_POST
def work_plan(request: HttpRequest, code: str) -> HttpResponse:
    _changeable(request, code)
    form_message_action(
        request,
        WorkPlanForm(request.POST),
        lambda d: work_plan_make(actor=acting_user(request), village_code=code, owner=d["owner"]),
        done=lambda tasks: f"已制定选务作战图（{len(tasks)} 项）。",
    )
    return redirect("readiness:village", code=code)


@login_required
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_policy.get_or_404(request.user, queryset=Task.objects.select_related("term_change"), pk=pk)
    form_message_action(
        request,
        TaskMoveForm(request.POST),
        lambda d: task_move(
            actor=acting_user(request), task=task, to_status=d["to_status"], done_on=d["done_on"],
            expected_version=d["version"],
        ),
        done=lambda moved: f"“{moved.title}”已转为“{moved.get_status_display()}”。",
    )  # fmt: skip
    return redirect("readiness:village", code=task.region_id)


@login_required
@require_POST
def intent(request: HttpRequest, code: str) -> HttpResponse:
    _changeable(request, code)

    def record(d: dict[str, Any]) -> Intent:
        member = current_members(code).filter(pk=d["member"]).first()
        if member is None:
            raise Http404("未找到该班子成员。")
        return intent_record(
            actor=acting_user(request), member=member, intention=d["intention"], desired_post=d["desired_post"],
            note=d["note"], surveyed_on=d["surveyed_on"], expected_version=d["version"],
        )  # fmt: skip

    form_message_action(
        request, IntentForm(request.POST), record, done=lambda saved: f"已记录 {saved.member.person.name} 的换届意愿。"
    )
    return redirect("readiness:village", code=code)


@login_required
@require_GET
def rehearsal_page(request: HttpRequest, code: str) -> HttpResponse:
    village_region = _village(request, code)
    return render(request, "readiness/rehearsal.html", {"village": village_region, "r": rehearsal(request.user, code)})
