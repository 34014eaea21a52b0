from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.eligibility.models import ExclusionRule
from cunshe.negativelist.forms import EntryForm, SettleForm
from cunshe.negativelist.models import TRANSITIONS, State
from cunshe.negativelist.permissions import entry_policy
from cunshe.negativelist.selectors import entries_visible
from cunshe.negativelist.services import entry_add, entry_settle
from cunshe.people.permissions import person_policy
from cunshe.web.forms import form_action, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    under, state = request.GET.get("under", ""), request.GET.get("state", "")

    def context() -> dict[str, Any]:
        page = Paginator(entries_visible(request.user, under=under, state=state), 50).get_page(request.GET.get("page"))
        return {"page": page, "under": under, "state": state, "states": State.choices}

    # Kept whole (issue 15).
    return render_kept(request, list_page_kept(request, "negativelist.list"), "negativelist/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_policy.get_or_404(request.user, pk=person_pk)
    entry_policy.check_in_region(request.user, "change", person.region_id, message="您无权登记负面清单。")
    rules = ExclusionRule.objects.filter(county_id=person.region_id[:6]).order_by("code", "-effective_from")
    form = EntryForm(request.POST or None, rules=rules)
    entry = form_action(request, form, lambda data: entry_add(actor=acting_user(request), person=person, **data))
    if entry is not None:
        messages.success(request, f"已登记 {person.name} 的负面信息，待核实。")
        return redirect("negativelist:detail", pk=entry.pk)
    return render(request, "negativelist/form.html", {"form": form, "person": person})


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_policy.get_or_404(request.user, pk=pk)
    can_change = entry_policy.can(request.user, "change", entry)
    return render(
        request,
        "negativelist/detail.html",
        {"entry": entry, "can_change": can_change, "moves": [(s, State(s).label) for s in TRANSITIONS[entry.state]]},
    )


@login_required
@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        SettleForm(request.POST),
        lambda d: entry_settle(
            actor=acting_user(request), entry=entry, to_state=d["to_state"], conclusion=d["conclusion"],
            expected_version=d["version"],
        ),
        done=lambda settled: f"已将条目改为“{settled.get_state_display()}”。",
    )  # fmt: skip
    return redirect("negativelist:detail", pk=pk)
