"""Login, logout and password change (Django's own views, in Chinese, with the change recorded), and account
management for county organizers: accounts registered in their county, their roles, first passwords."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.forms import AccountForm, AssignmentForm
from cunshe.accounts.models import RoleAssignment, User
from cunshe.accounts.permissions import account_policy, department_policy, role_assignment_policy
from cunshe.accounts.selectors import acting_user
from cunshe.accounts.services import (
    account_open,
    account_set_active,
    password_changed,
    password_reset,
    role_assign,
    role_revoke,
)
from cunshe.web.forms import button_action, form_action


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=acting_user(self.request))
        messages.success(self.request, "密码已修改。")
        return response


def _require_manager(request: HttpRequest) -> User:
    user = acting_user(request)
    if not region_prefixes(user, "accounts.manage"):
        raise Http404("未找到该页面。")
    return user


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    manager = _require_manager(request)
    active = RoleAssignment.objects.filter(is_active=True).select_related("region", "department").order_by("region_id")
    accounts = (
        account_policy.visible_to(manager)
        .select_related("home_region")
        .prefetch_related(Prefetch("role_assignments", queryset=active, to_attr="active_assignments"))
        .order_by("home_region_id", "username")
    )
    return render(request, "accounts/manage_list.html", {"accounts": accounts})


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest) -> HttpResponse:
    manager = _require_manager(request)
    form = AccountForm(request.POST or None, departments=department_policy.visible_to(manager, "change"))
    opened = form_action(
        request,
        form,
        lambda d: account_open(
            actor=manager, username=d["username"], display_name=d["display_name"], region_code=d["region"],
            role=d["role"], department=d["department"],
        ),
    )  # fmt: skip
    if opened is not None:
        created, password = opened
        return render(request, "accounts/manage_password.html", {"account": created, "password": password})
    return render(request, "accounts/manage_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    manager = _require_manager(request)
    account = account_policy.get_or_404(manager, pk=pk)
    form = AssignmentForm(request.POST or None, departments=department_policy.visible_to(manager, "change"))
    assigned = form_action(
        request,
        form,
        lambda d: role_assign(
            actor=manager, user=account, role=d["role"], region_code=d["region"].strip(), department=d["department"]
        ),
    )
    if assigned is not None:
        messages.success(request, "已分配角色。")
        return redirect("accounts:manage_detail", pk=account.pk)
    assignments = account.role_assignments.select_related("region", "department").order_by("-is_active", "region_id")
    return render(
        request, "accounts/manage_detail.html", {"account": account, "assignments": assignments, "form": form}
    )


@login_required
@require_POST
def assignment_revoke(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    manager = _require_manager(request)
    account = account_policy.get_or_404(manager, pk=pk)
    assignment = role_assignment_policy.get_or_404(manager, queryset=account.role_assignments.all(), pk=assignment_id)
    role_revoke(actor=manager, assignment=assignment)
    messages.success(request, f"已撤销角色：{assignment}。")
    return redirect("accounts:manage_detail", pk=account.pk)


@login_required
@require_POST
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    manager = _require_manager(request)
    account = account_policy.get_or_404(manager, pk=pk)
    password = password_reset(actor=manager, user=account)
    return render(request, "accounts/manage_password.html", {"account": account, "password": password, "reset": True})


@login_required
@require_POST
def account_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    manager = _require_manager(request)
    account = account_policy.get_or_404(manager, pk=pk)
    button_action(
        request,
        lambda: account_set_active(actor=manager, user=account, active=not account.is_active),
        done=lambda changed: f"已{'启用' if changed.is_active else '停用'}账号。",
    )
    return redirect("accounts:manage_detail", pk=account.pk)
