from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.policy import scope_root
from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.records.kept import Kept
from cunshe.regions.models import Level, Region
from cunshe.regions.permissions import region_policy
from cunshe.termchanges.forms import MilestoneForm, TermChangeForm
from cunshe.termchanges.models import TRANSITIONS, Status
from cunshe.termchanges.permissions import milestone_policy, term_change_policy
from cunshe.termchanges.selectors import term_changes_visible
from cunshe.termchanges.services import milestone_update, term_change_advance, term_change_open
from cunshe.web.forms import button_action, form_action, form_message_action
from cunshe.web.kept_pages import render_kept


def _counties_user_may_open(request: HttpRequest) -> list[tuple[str, str]]:
    counties = Region.objects.filter(
        level=Level.COUNTY, code__in=term_change_policy.counties_for(request.user, "change")
    )
    return [(c.code, c.name) for c in counties.order_by("code")]


@login_required
@require_GET
def term_change_list(request: HttpRequest) -> HttpResponse:
    # The list kept rendered under the reader and the change number of the reader's regions (records.kept, issue
    # 15); the query and "may open" are asked only when it has to be rendered again. The next milestone's day
    # follows the clock with the kept key's minute.
    kept = Kept(
        "termchanges.list",
        request.user,
        lambda: term_changes_visible(request.user),
        region_code=scope_root(request.user),
        value_kept=False,
    )
    return render_kept(
        request,
        kept,
        "termchanges/list.html",
        {
            "kept": kept,
            "term_changes": kept.lazy(),
            "can_open": SimpleLazyObject(lambda: bool(_counties_user_may_open(request))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_change_new(request: HttpRequest) -> HttpResponse:
    counties = _counties_user_may_open(request)
    if not counties:
        raise NotPermitted("您无权发起换届。")
    form = TermChangeForm(request.POST or None, counties=counties)
    term_change = form_action(
        request,
        form,
        lambda data: term_change_open(
            actor=acting_user(request),
            county_code=data["county"],
            year=data["year"],
            opened_on=data["opened_on"],
            title=data["title"],
        ),
    )
    if term_change is not None:
        messages.success(request, f"已启动{term_change.title}。")
        return redirect("termchanges:detail", pk=term_change.pk)
    return render(request, "termchanges/form.html", {"form": form})


@login_required
@require_GET
def term_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    term_change = term_change_policy.get_or_404(request.user, queryset=term_changes_visible(request.user), pk=pk)
    can_change = term_change_policy.can(request.user, "change", term_change)
    return render(
        request,
        "termchanges/detail.html",
        {
            "term_change": term_change,
            "can_change": can_change,
            # village and town users see their county's term change but not the county's page
            "county_visible": region_policy.can_in_region(request.user, "view", term_change.county_id),
            "moves": [(s, Status(s).label) for s in TRANSITIONS[term_change.status]],
        },
    )


@login_required
@require_POST
def term_change_move(request: HttpRequest, pk: int) -> HttpResponse:
    term_change = term_change_policy.get_or_404(request.user, pk=pk)
    button_action(
        request,
        lambda: term_change_advance(
            actor=acting_user(request),
            term_change=term_change,
            to_status=request.POST.get("to_status", ""),
            expected_version=int(request.POST.get("version") or 0) or None,
        ),
        done=f"换届已转为“{term_change.get_status_display()}”。",
    )
    return redirect("termchanges:detail", pk=term_change.pk)


@login_required
@require_POST
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = milestone_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        MilestoneForm(request.POST),
        lambda d: milestone_update(
            actor=acting_user(request), milestone=milestone, due_on=d["due_on"], done_on=d["done_on"],
            expected_version=d["version"],
        ),
        done=f"已保存节点“{milestone.title}”。",
    )  # fmt: skip
    return redirect("termchanges:detail", pk=milestone.term_change_id)
