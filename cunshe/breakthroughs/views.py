"""Pages of the breakthrough projects: the county's task list, the projects under a town or county (with the
Excel ledger), a village's project or its proposal form, and a project's page where the village reports and the
town approves and rates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.breakthroughs import printouts, selectors
from cunshe.breakthroughs.exports import ledger_response
from cunshe.breakthroughs.forms import DayForm, FinishForm, ProposeForm, RateForm, ReportForm, TaskForm
from cunshe.breakthroughs.models import Project, Report
from cunshe.breakthroughs.permissions import milestone_policy, project_policy, report_policy, task_policy
from cunshe.breakthroughs.services import (
    milestone_done,
    project_approve,
    project_finish,
    project_propose,
    project_rate,
    report_add,
    task_add,
)
from cunshe.regions.models import Level, Region
from cunshe.web.forms import form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = project_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    return redirect("breakthroughs:village" if len(home) == 12 else "breakthroughs:region", code=home)


@login_required
@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    place = project_policy.rollup_region(request.user, code)
    if place.level == Level.VILLAGE:
        return redirect("breakthroughs:village", code=place.code)

    def context() -> dict[str, Any]:
        projects = selectors.projects_under(request.user, place.code)
        return {"region": place, "projects": projects, "counts": selectors.counts(projects)}

    # Kept whole under the region's change number and the day (milestones are late by their day) (issue 15).
    kept = list_page_kept(request, "breakthroughs.region", region_code=place.code)
    return render_kept(request, kept, "breakthroughs/region.html", context)


@login_required
@require_GET
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return ledger_response(request.user, project_policy.rollup_region(request.user, code, fallback=False))


def _county(request: HttpRequest, code: str) -> Region:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not task_policy.can_in_region(request.user, "view", county.code):
        raise Http404("未找到该县。")
    return county


def _tasks_page(request: HttpRequest, county: Region, form: TaskForm | None = None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "breakthroughs/tasks.html",
        {
            "county": county,
            "tasks": selectors.tasks_of(request.user, county.code),
            "can_change": task_policy.can_in_region(request.user, "change", county.code),
            "form": form or TaskForm(),
        },
        status=status,
    )


@login_required
@require_GET
def tasks(request: HttpRequest, code: str) -> HttpResponse:
    return _tasks_page(request, _county(request, code))


@login_required
@require_POST
def task_new(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code)
    form = TaskForm(request.POST)
    task = form_action(request, form, lambda d: task_add(actor=acting_user(request), county_code=county.code, **d))
    if task is not None:
        messages.success(request, f"已加入任务清单：{task.title}。")
        return redirect("breakthroughs:tasks", code=county.code)
    return _tasks_page(request, county, form, status=400)


def _choices(request: HttpRequest, village: Region) -> list[tuple[int, str]]:
    return [(t.pk, t.title) for t in selectors.tasks_of(request.user, village.code, active_only=True)]


def _village_context(request: HttpRequest, village: Region, form: ProposeForm | None = None) -> dict[str, Any]:
    project = selectors.projects_under(request.user, village.code).order_by("-proposed_on").first()
    return {
        "village": village,
        "project": project,
        "can_change": project_policy.can_in_region(request.user, "change", village.code),
        "form": form or ProposeForm(tasks=_choices(request, village)),
    }


def _village_page(request: HttpRequest, village: Region, form: ProposeForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    return render(request, "breakthroughs/village.html", _village_context(request, village, form), status=status)


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    place = project_policy.village_or_404(request.user, code)
    # Kept whole under the village's change number and the day (milestones are late by their day; the county's task
    # list, which the form offers, is recorded in the same county) (issue 15).
    kept = list_page_kept(request, "breakthroughs.village", region_code=place.code)
    return render_kept(request, kept, "breakthroughs/village.html", lambda: _village_context(request, place))


@login_required
@require_POST
def propose(request: HttpRequest, code: str) -> HttpResponse:
    place = project_policy.village_or_404(request.user, code)
    form = ProposeForm(request.POST, tasks=_choices(request, place))
    project = form_action(
        request,
        form,
        lambda d: project_propose(
            actor=acting_user(request),
            village_code=place.code,
            task=selectors.tasks_of(request.user, place.code).get(pk=int(d["task"])),
            title=d["title"],
            goal=d["goal"],
            milestones=d["milestones"],
            proposed_on=d["proposed_on"],
        ),
    )
    if project is not None:
        messages.success(request, f"已申报书记突破项目：{project.title}，待乡镇(街道)审定。")
        return redirect("breakthroughs:project", pk=project.pk)
    return _village_page(request, place, form, status=400)


def _project(request: HttpRequest, pk: int) -> Project:
    return project_policy.get_or_404(
        request.user, queryset=Project.objects.select_related("region", "task", "secretary"), pk=pk
    )


def _project_page(request: HttpRequest, project: Project, status: int = 200, **forms: Any) -> HttpResponse:
    return render(
        request,
        "breakthroughs/project.html",
        {
            "project": project,
            "milestones": project.milestones.order_by("position"),
            "reports": project.reports.all(),
            "can_change": project_policy.can(request.user, "change", project),
            "can_rate": project_policy.can(request.user, "rate", project),
            "report_form": forms.get("report_form") or ReportForm(),
            "finish_form": forms.get("finish_form") or FinishForm(initial={"version": project.version}),
            "rate_form": forms.get("rate_form") or RateForm(initial={"version": project.version}),
        },
        status=status,
    )


@login_required
@require_GET
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, _project(request, pk))


@login_required
@require_GET
def project_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    return printouts.project_sheet_response(_project(request, pk))


def _after(request: HttpRequest, form: Any, done: Any, pk: int, text: str) -> HttpResponse:
    if done is not None:
        messages.success(request, text)
    else:
        messages.error(request, form_errors_text(form) or "未能保存。")
    return redirect("breakthroughs:project", pk=pk)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    p = _project(request, pk)
    form = DayForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: project_approve(
            actor=acting_user(request), project=p, approved_on=d["day"], expected_version=d["version"]
        ),
    )
    return _after(request, form, done, pk, "已审定，项目进入推进。")


@login_required
@require_POST
def milestone(request: HttpRequest, pk: int) -> HttpResponse:
    m = milestone_policy.get_or_404(request.user, pk=pk)
    p = _project(request, m.project_id)
    form = DayForm(request.POST)
    done = form_action(
        request, form, lambda d: milestone_done(actor=acting_user(request), milestone=m, done_on=d["day"])
    )
    return _after(request, form, done, p.pk, f"已登记节点完成：{m.title}。")


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    p = _project(request, pk)
    form = ReportForm(request.POST, request.FILES)
    done = form_action(request, form, lambda d: report_add(actor=acting_user(request), project=p, **d))
    return _after(request, form, done, pk, "已报告进展。")


@login_required
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    p = _project(request, pk)
    form = FinishForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: project_finish(
            actor=acting_user(request),
            project=p,
            finished_on=d["finished_on"],
            result=d["result"],
            expected_version=d["version"],
        ),
    )
    return _after(request, form, done, pk, "已报告完成，待乡镇(街道)评价。")


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    p = _project(request, pk)
    form = RateForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: project_rate(
            actor=acting_user(request),
            project=p,
            rating=d["rating"],
            note=d["note"],
            rated_on=d["rated_on"],
            expected_version=d["version"],
        ),
    )
    return _after(request, form, done, pk, "已评价。")


def photo_response(user: Any, pk: int) -> FileResponse:
    # progress photos are not public; fetched through the access rule
    found = report_policy.get_or_404(user, queryset=Report.objects.all(), pk=pk)
    if not found.photo:
        raise Http404("没有照片。")
    return FileResponse(found.photo.open("rb"), filename=(found.photo.name or "photo").rsplit("/", 1)[-1])


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return photo_response(request.user, pk)
