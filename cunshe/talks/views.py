"""Pages of the talks module: talks per town and month under a county or town with the talks themselves, one talk
with its follow-ups, and the ledger as Excel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.months import month_or
from cunshe.core.paging import page_of
from cunshe.regions.models import Region
from cunshe.talks import exports, printouts, selectors
from cunshe.talks.forms import DoneForm, FollowUpForm, TalkForm
from cunshe.talks.models import FollowUp, Talk
from cunshe.talks.permissions import followup_policy, talk_policy, tally_policy
from cunshe.talks.services import followup_add, followup_done, talk_record
from cunshe.web.forms import form_action, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("talks:region", code=talk_policy.rollup_region(request.user, "").code)


def _region_context(request: HttpRequest, region: Region, form: TalkForm | None = None) -> dict[str, Any]:
    month = month_or(request.GET.get("month", ""), None)  # none or unreadable: every month
    months, towns, totals = selectors.month_counts(request.user, region)
    return {
        "region": region,
        "months": months,
        "towns": [(t, t.cells(months)) for t in towns],
        "totals": totals,
        "month": month,
        "talks": page_of(request, selectors.talks_under(request.user, region.code, month), 50),  # it stopped at 200
        "form": form or (TalkForm() if talk_policy.anywhere(request.user, "change") else None),
    }


def _region_page(request: HttpRequest, code: str, form: TalkForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    region = talk_policy.rollup_region(request.user, code, fallback=False)
    return render(request, "talks/region.html", _region_context(request, region, form), status=status)


@login_required
@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = talk_policy.rollup_region(request.user, code, fallback=False)
    # Kept whole under the region's change number and the day (talks and follow-ups are dated) (issue 15).
    kept = list_page_kept(request, "talks.region", region_code=found.code)
    return render_kept(request, kept, "talks/region.html", lambda: _region_context(request, found))


@login_required
@require_GET
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return exports.ledger_response(request.user, talk_policy.rollup_region(request.user, code, fallback=False))


@login_required
@require_POST
def talk_new(request: HttpRequest) -> HttpResponse:
    form = TalkForm(request.POST)
    talk = form_action(
        request,
        form,
        lambda d: talk_record(
            actor=acting_user(request),
            village_code=d["village"],
            held_on=d["held_on"],
            place=d["place"],
            talker=d["talker"],
            secretary=d["secretary"],
            points=d["points"],
            issue_ids=d["issues"],
            follow_ups=form.follow_ups(),
        ),
    )
    if talk is not None:
        messages.success(request, f"已记录点评谈心：{talk.secretary}。")
        return redirect("talks:talk", pk=talk.pk)
    return _region_page(request, tally_policy.rollup_region(request.user, "").code, form, status=400)


def _talk(request: HttpRequest, pk: int) -> Talk:
    return talk_policy.get_or_404(request.user, queryset=selectors.talks_under(request.user, ""), pk=pk)


@login_required
@require_GET
def talk(request: HttpRequest, pk: int) -> HttpResponse:
    t = _talk(request, pk)
    return render(
        request,
        "talks/talk.html",
        {"talk": t, "can_change": talk_policy.can(request.user, "change", t), "form": FollowUpForm()},
    )


@login_required
@require_GET
def talk_print(request: HttpRequest, pk: int) -> HttpResponse:
    return printouts.talk_response(_talk(request, pk))


@login_required
@require_POST
def followup_new(request: HttpRequest, pk: int) -> HttpResponse:
    t = _talk(request, pk)
    form = FollowUpForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: followup_add(
            actor=acting_user(request), talk=t, task=d["task"], owner=d["owner"], due_on=d["due_on"]
        ),
        done="已添加整改事项。",
    )
    return redirect("talks:talk", pk=pk)


@login_required
@require_POST
def followup_finish(request: HttpRequest, pk: int) -> HttpResponse:
    f = followup_policy.get_or_404(request.user, queryset=FollowUp.objects.select_related("talk"), pk=pk)
    form = DoneForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: followup_done(
            actor=acting_user(request),
            follow_up=f,
            result=d["result"],
            done_on=d["done_on"],
            expected_version=d["version"],
        ),
        done="已登记落实情况。",
    )
    return redirect("talks:talk", pk=f.talk_id)
