from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.models import Department
from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.eligibility.forms import CountyRuleForm, ExclusionRuleForm
from cunshe.eligibility.permissions import exclusion_rule_policy
from cunshe.eligibility.selectors import rules_visible
from cunshe.eligibility.services import exclusion_rule_add, exclusion_rule_update, exclusion_rules_install_defaults
from cunshe.regions.models import Region
from cunshe.web.forms import form_action


def _managed_counties(request: HttpRequest) -> list[str]:
    return exclusion_rule_policy.counties_for(request.user, "change")


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "eligibility/rules.html",
        {"rules": rules_visible(request.user), "counties": _managed_counties(request)},
    )


@login_required
@require_POST
def install_defaults(request: HttpRequest) -> HttpResponse:
    added = sum(
        exclusion_rules_install_defaults(actor=acting_user(request), county_code=code)
        for code in _managed_counties(request)
    )
    messages.success(request, f"已启用 {added} 条“十不选”规则。" if added else "“十不选”规则均已启用。")
    return redirect("eligibility:rules")


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = exclusion_rule_policy.get_or_404(request.user, pk=pk)
    exclusion_rule_policy.check(request.user, "change", rule)
    departments = Department.objects.filter(county_id=rule.county_id, is_active=True)
    initial = {
        "text": rule.text,
        "lookback_years": rule.lookback_years,
        "department": rule.department_id,
        "effective_until": rule.effective_until,
        "version": rule.version,
    }
    form = ExclusionRuleForm(request.POST or None, departments=departments, initial=initial)
    saved = form_action(
        request,
        form,
        lambda d: exclusion_rule_update(
            actor=acting_user(request), rule=rule, expected_version=d["version"], text=d["text"],
            lookback_years=d["lookback_years"], department=d["department"], effective_until=d["effective_until"],
        ),
    )  # fmt: skip
    if saved is not None:
        messages.success(request, f"已保存规则 {saved}。")
        return redirect("eligibility:rules")
    return render(request, "eligibility/rule_form.html", {"rule": rule, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest) -> HttpResponse:
    """A county's own dated rule (e.g. a look-back window), beside the national list it does not change."""
    codes = _managed_counties(request)
    if not codes:
        raise NotPermitted("只有县级组织部门可以新增本县规则。")
    counties = [(r.code, r.name) for r in Region.objects.filter(code__in=codes).order_by("code")]
    departments = Department.objects.filter(county_id__in=codes, is_active=True)
    form = CountyRuleForm(
        request.POST or None,
        counties=counties,
        departments=departments,
        initial={"effective_from": timezone.localdate()},
    )
    rule = form_action(
        request,
        form,
        lambda data: exclusion_rule_add(
            actor=acting_user(request),
            county_code=data["county"],
            code=data["code"],
            title=data["title"],
            text=data["text"],
            lookback_years=data["lookback_years"],
            department=data["department"],
            effective_from=data["effective_from"],
            effective_until=data["effective_until"],
        ),
    )
    if rule is not None:
        messages.success(request, f"已新增本县规则 {rule}。")
        return redirect("eligibility:rules")
    return render(request, "eligibility/rule_form.html", {"rule": "新增本县规则", "form": form})
