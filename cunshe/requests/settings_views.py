"""Pages of the county's request settings: its categories (routing to the village, the town or a county department),
time limits per tier (dated: a change is a new limit from a day on) and answer templates. Everyone working under the
county reads them; whoever may configure requests in the county (the access rule: the county organizer) changes them
through the same services as the API. Nothing is deleted: categories and templates that requests name are retired."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cunshe.accounts.models import Department
from cunshe.accounts.selectors import acting_user
from cunshe.regions.models import Level, Region
from cunshe.requests.forms import CategoryForm, CategoryRetireForm, LimitForm, TemplateActiveForm, TemplateForm
from cunshe.requests.models import Category, ResponseTemplate, Tier
from cunshe.requests.permissions import category_policy, template_policy, tier_policy
from cunshe.requests.services import (
    DEFAULT_LIMITS,
    category_create,
    category_retire,
    category_update,
    limit_for,
    template_activate,
    template_create,
    template_update,
    tier_limit_set,
)
from cunshe.web.forms import button_action, form_action

MAY_NOT = "您的角色无权修改本县的诉求设置。"


def _county(request: HttpRequest, code: str, action: str = "view") -> Region:
    """The county whose settings the page shows: a county the user does not work under does not exist for them (404);
    one they read but may not change is a 403 for the pages that change it."""
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not category_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    if action != "view" and not category_policy.can_in_region(request.user, action, code):
        raise PermissionDenied(MAY_NOT)
    return county


def _departments(county_code: str) -> list[tuple[int, str]]:
    return list(Department.objects.filter(county_id=county_code, is_active=True).values_list("pk", "name"))


def _settings_page(
    request: HttpRequest, county: Region, limit_form: LimitForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    can_change = category_policy.can_in_region(request.user, "change", county.code)
    limits = list(tier_policy.visible_to(request.user).filter(county_id=county.code).order_by("tier", "-valid_from"))
    in_force = []
    for tier in Tier:
        amount, unit = limit_for(county.code, tier, today)
        default = (amount, unit) == DEFAULT_LIMITS[tier] and not any(
            t.tier == tier and t.valid_from <= today for t in limits
        )
        in_force.append({"tier": tier.label, "amount": amount, "unit": unit, "default": default})
    return render(
        request,
        "requests/settings.html",
        {
            "county": county,
            "today": today,
            "can_change": can_change,
            "categories": category_policy.visible_to(request.user)
            .filter(county_id=county.code)
            .select_related("department")
            .order_by("code"),
            "in_force": in_force,
            "limits": limits,
            "templates": template_policy.visible_to(request.user)
            .filter(county_id=county.code)
            .order_by("-is_active", "title"),
            "limit_form": (limit_form or LimitForm(initial={"valid_from": today})) if can_change else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def settings(request: HttpRequest, code: str) -> HttpResponse:
    return _settings_page(request, _county(request, code))


@login_required
@require_POST
def limit_new(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code, "change")
    form = LimitForm(request.POST)
    row = form_action(
        request,
        form,
        lambda d: tier_limit_set(
            actor=acting_user(request),
            county_code=county.code,
            tier=d["tier"],
            amount=d["amount"],
            unit=d["unit"],
            valid_from=d["valid_from"],
        ),
    )
    if row is None:
        return _settings_page(request, county, form, status=400)
    messages.success(request, f"已设定{row.get_tier_display()}诉求时限 {row}，{row.valid_from:%Y-%m-%d} 起用。")
    return redirect("requests:settings", code=county.code)


def _category_page(request: HttpRequest, county: Region, form: CategoryForm, category: Category | None = None) -> Any:
    retire = None
    if category is not None:
        retire = CategoryRetireForm(initial={"version": category.version, "valid_to": timezone.localdate()})
    return render(
        request,
        "requests/settings_category.html",
        {"county": county, "form": form, "category": category, "retire_form": retire},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_new(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code, "change")
    form = CategoryForm(
        request.POST or None,
        departments=_departments(county.code),
        initial={"valid_from": timezone.localdate(), "public": True},
    )
    made = form_action(
        request,
        form,
        lambda d: category_create(
            actor=acting_user(request),
            county_code=county.code,
            code=d["code"],
            name=d["name"],
            description=d["description"],
            route=d["route"],
            department_id=d["department"],
            tier=d["tier"],
            public=d["public"],
            valid_from=d["valid_from"],
        ),
    )
    if made is not None:
        messages.success(request, f"已新增诉求类别：{made.name}。")
        return redirect("requests:settings", code=county.code)
    return _category_page(request, county, form)


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = category_policy.get_or_404(request.user, queryset=Category.objects.select_related("county"), pk=pk)
    county = category.county
    if not category_policy.can(request.user, "change", category):
        raise PermissionDenied(MAY_NOT)
    initial = {
        "name": category.name,
        "description": category.description,
        "route": category.route,
        "department": category.department_id,
        "tier": category.tier,
        "public": category.public,
        "version": category.version,
    }
    form = CategoryForm(request.POST or None, departments=_departments(county.code), editing=True, initial=initial)
    changed = form_action(
        request,
        form,
        lambda d: category_update(
            actor=acting_user(request),
            category=category,
            expected_version=d["version"],
            name=d["name"],
            description=d["description"],
            route=d["route"],
            department_id=d["department"],
            tier=d["tier"],
            public=d["public"],
        ),
    )
    if changed is not None:
        messages.success(request, f"已修改诉求类别：{changed.name}。")
        return redirect("requests:settings", code=county.code)
    return _category_page(request, county, form, category)


@login_required
@require_POST
def category_stop(request: HttpRequest, pk: int) -> HttpResponse:
    category = category_policy.get_or_404(request.user, queryset=Category.objects.select_related("county"), pk=pk)
    form = CategoryRetireForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写停用日期。")
        return redirect("requests:category_edit", pk=category.pk)
    button_action(
        request,
        lambda: category_retire(
            actor=acting_user(request),
            category=category,
            valid_to=form.cleaned_data["valid_to"],
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda c: f"诉求类别“{c.name}”{c.valid_to:%Y-%m-%d} 后停用；已受理的诉求不受影响。",
    )
    return redirect("requests:settings", code=category.county_id)


def _template_page(request: HttpRequest, county: Region, form: TemplateForm, template: Any = None) -> HttpResponse:
    return render(
        request,
        "requests/settings_template.html",
        {"county": county, "form": form, "template": template},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code, "change")
    form = TemplateForm(request.POST or None)
    made = form_action(
        request,
        form,
        lambda d: template_create(
            actor=acting_user(request), county_code=county.code, title=d["title"], text=d["text"]
        ),
    )
    if made is not None:
        messages.success(request, f"已新增答复模板：{made.title}。")
        return redirect("requests:settings", code=county.code)
    return _template_page(request, county, form)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_policy.get_or_404(
        request.user, queryset=ResponseTemplate.objects.select_related("county"), pk=pk
    )
    if not template_policy.can(request.user, "change", template):
        raise PermissionDenied(MAY_NOT)
    form = TemplateForm(
        request.POST or None,
        editing=True,
        initial={"title": template.title, "text": template.text, "version": template.version},
    )
    changed = form_action(
        request,
        form,
        lambda d: template_update(
            actor=acting_user(request),
            template=template,
            title=d["title"],
            text=d["text"],
            expected_version=d["version"],
        ),
    )
    if changed is not None:
        messages.success(request, f"已修改答复模板：{changed.title}。")
        return redirect("requests:settings", code=template.county_id)
    return _template_page(request, template.county, form, template)


@login_required
@require_POST
def template_active(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_policy.get_or_404(request.user, pk=pk)
    form = TemplateActiveForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: template_activate(
                actor=acting_user(request),
                template=template,
                active=form.cleaned_data["active"],
                expected_version=form.cleaned_data["version"],
            ),
            done=lambda t: f"答复模板“{t.title}”已{'恢复' if t.is_active else '停用'}。",
        )
    else:
        messages.error(request, "缺少版本号，请刷新后重试。")
    return redirect("requests:settings", code=template.county_id)
