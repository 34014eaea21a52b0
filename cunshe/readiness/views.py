from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.readiness.exports import intents_response
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
from cunshe.readiness.models import TASK_TRANSITIONS, PlanItem, Task, TaskStatus
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
    readiness_export,
    readiness_table,
    rehearsal,
    tasks_of,
    template_tasks_of,
)
from cunshe.readiness.services import (
    DEFAULT_TEMPLATE,
    assessment_file,
    intent_record,
    intents_import,
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
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.teams.permissions import team_policy
from cunshe.teams.selectors import current_members
from cunshe.termchanges.selectors import current_term_change
from cunshe.web.forms import apply_domain_error, upload_report
from cunshe.web.htmx import HtmxRequest


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
    return render(
        request,
        "readiness/overview.html",
        {
            "region": region,
            "table": readiness_table(request.user, region.code),
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
    region = _under(request)
    buffer = BytesIO()
    readiness_export(readiness_table(request.user, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"选情汇总_{region.name}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def template(request: HttpRequest, code: str) -> HttpResponse:
    region = template_county_or_404(request.user, code)
    county = region.code
    term_change = current_term_change(county)
    form = TemplateTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template_task_add(
                actor=acting_user(request),
                county_code=county,
                title=form.cleaned_data["title"],
                offset_days=form.cleaned_data["offset_days"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template_task_update(
                actor=acting_user(request),
                task=task,
                expected_version=data["version"],
                title=data["title"],
                offset_days=data["offset_days"],
                position=data["position"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"已保存模板事项“{task.title}”。")
            return redirect("readiness:template", code=task.county_id)
    return render(request, "readiness/template_task_edit.html", {"task": task, "region": task.county, "form": form})


@login_required
@require_POST
def template_task_active(request: HttpRequest, pk: int) -> HttpResponse:
    task = template_task_or_404(request.user, pk)
    form = TemplateTaskActiveForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("提交的数据不完整。")
        template_task_set_active(
            actor=acting_user(request),
            task=task,
            expected_version=form.cleaned_data["version"],
            active=form.cleaned_data["active"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = "启用" if task.is_active else "停用"
        messages.success(request, f"已{done}“{task.title}”。今后制定的作战图按此执行，已制定的各村作战图不变。")
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
    if form.is_valid():
        try:
            assessment_file(actor=acting_user(request), village_code=code, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, "已保存选情评估。")
            return redirect("readiness:village", code=code)
    return _village_page(request, village_region, assessment_form=form)


@login_required
@require_POST
def plan(request: HttpRequest, code: str) -> HttpResponse:
    village_region = _changeable(request, code)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        try:
            plan_item_add(actor=acting_user(request), village_code=code, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_item_update(
                actor=acting_user(request),
                item=item,
                expected_version=data["version"],
                problem=data["problem"],
                measure=data["measure"],
                owner=data["owner"],
                due_on=data["due_on"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if request.htmx:
                return render(request, "readiness/village.html#plan_row", {"p": item, "can_change": True})
            messages.success(request, f"已保存“{item.problem}”。")
            return redirect("readiness:village", code=item.region_id)
    # A done item is history: the page says so instead of offering a form the service would refuse.
    refusal = f"“{item.problem}”已完成，作为历史保留，不能再修改。" if item.done_on else ""
    template = "readiness/plan_edit.html#form_row" if request.htmx else "readiness/plan_edit.html"
    return render(request, template, {"item": item, "form": form, "refusal": refusal})


@login_required
@require_POST
def plan_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = plan_item_policy.get_or_404(request.user, pk=pk)
    form = PlanDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请填写完成日期。")
        plan_item_done(
            actor=acting_user(request),
            item=item,
            done_on=form.cleaned_data["done_on"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{item.problem}”已完成。")
    return redirect("readiness:village", code=item.region_id)


@login_required
@require_POST
def work_plan(request: HttpRequest, code: str) -> HttpResponse:
    _changeable(request, code)
    form = WorkPlanForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请填写责任人。")
        tasks = work_plan_make(actor=acting_user(request), village_code=code, owner=form.cleaned_data["owner"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已制定选务作战图（{len(tasks)} 项）。")
    return redirect("readiness:village", code=code)


@login_required
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_policy.get_or_404(request.user, queryset=Task.objects.select_related("term_change"), pk=pk)
    form = TaskMoveForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("提交的数据不完整。")
        task_move(
            actor=acting_user(request),
            task=task,
            to_status=form.cleaned_data["to_status"],
            done_on=form.cleaned_data["done_on"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, f"“{task.title}”已转为“{task.get_status_display()}”。")
    return redirect("readiness:village", code=task.region_id)


@login_required
@require_POST
def intent(request: HttpRequest, code: str) -> HttpResponse:
    _changeable(request, code)
    form = IntentForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请填写换届意愿和排摸日期。")
        member = current_members(code).filter(pk=form.cleaned_data["member"]).first()
        if member is None:
            raise Http404("未找到该班子成员。")
        data = form.cleaned_data
        intent_record(
            actor=acting_user(request),
            member=member,
            intention=data["intention"],
            desired_post=data["desired_post"],
            note=data["note"],
            surveyed_on=data["surveyed_on"],
            expected_version=data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, f"已记录 {member.person.name} 的换届意愿。")
    return redirect("readiness:village", code=code)


@login_required
@require_GET
def rehearsal_page(request: HttpRequest, code: str) -> HttpResponse:
    village_region = _village(request, code)
    return render(request, "readiness/rehearsal.html", {"village": village_region, "r": rehearsal(request.user, code)})
