from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.issueboard.exports import board_response
from cunshe.issueboard.forms import AssignForm, FlagForm, IssueForm, MoveForm
from cunshe.issueboard.models import TRANSITIONS, Issue, Status
from cunshe.issueboard.permissions import issue_policy, tally_policy
from cunshe.issueboard.printouts import wall_chart_response
from cunshe.issueboard.selectors import board_kept, issues_of_village, tally_of_village
from cunshe.issueboard.services import issue_assign, issue_move, issue_raise, village_flag
from cunshe.offline.queued import is_queued, queued_answer
from cunshe.regions.models import Region
from cunshe.web.forms import button_action, form_action, form_message_action
from cunshe.web.kept_pages import render_kept


def _under(request: HttpRequest) -> Region:
    return issue_policy.rollup_region(request.user, request.GET.get("under", ""))


def _village(request: HttpRequest, code: str) -> Region:
    return issue_policy.village_or_404(request.user, code, "view")


@login_required
@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    region = _under(request)
    kept = board_kept(request.user, region.code)
    return render_kept(
        request,
        kept,
        "issueboard/board.html",
        {"region": region, "board": kept.lazy(), "kept": kept, "child_is_village": len(region.code) >= 9},
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    return board_response(request.user, _under(request))


@login_required
@require_GET
def wall_chart(request: HttpRequest) -> HttpResponse:
    return wall_chart_response(request.user, _under(request))


def _village_page(request: HttpRequest, village: Region, form: IssueForm | None = None) -> HttpResponse:
    can_change = issue_policy.can_in_region(request.user, "change", village.code)
    tally = tally_of_village(request.user, village.code)
    return render(
        request,
        "issueboard/village.html",
        {
            "village": village,
            "issues": issues_of_village(request.user, village.code),
            "tally": tally,
            "can_change": can_change,
            "form": (form or IssueForm()) if can_change else None,
            "can_flag": tally_policy.can_in_region(request.user, "change", village.code),
            "flag_form": FlagForm(
                initial={
                    "is_difficult": bool(tally and tally.is_difficult),
                    "difficulty": tally.difficulty if tally else "",
                    "version": tally.version if tally else 1,
                }
            ),
        },
    )


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, _village(request, code))


@login_required
@require_POST
def raise_issue(request: HttpRequest, code: str) -> HttpResponse:
    village_region = _village(request, code)
    issue_policy.check_in_region(request.user, "change", code, message="您无权登记该村(社区)的问题。")
    form = IssueForm(request.POST)

    def save(data: dict[str, Any]) -> Issue:
        return issue_raise(
            actor=acting_user(request),
            village_code=code,
            title=data["title"],
            detail=data["detail"],
            owner=data["owner"],
            due_on=data["due_on"],
        )

    if is_queued(request):  # an entry from the phone's queue (cunshe/offline)
        back = reverse("issueboard:village", args=[code])
        return queued_answer(
            request, form, save, kind="issueboard.issue", done=lambda _i: "已列入问题清单。", url=lambda _i: back
        )
    if form_action(request, form, save) is not None:
        messages.success(request, "已列入问题清单。")
        return redirect("issueboard:village", code=code)
    return _village_page(request, village_region, form)


@login_required
@require_POST
def flag(request: HttpRequest, code: str) -> HttpResponse:
    _village(request, code)
    tally_policy.check_in_region(request.user, "change", code, message="您无权认定重点难点村。")
    form = FlagForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: village_flag(
                actor=acting_user(request),
                village_code=code,
                is_difficult=form.cleaned_data["is_difficult"],
                reason=form.cleaned_data["difficulty"],
                expected_version=form.cleaned_data["version"],
            ),
            done="已保存重点难点村认定。",
        )
    return redirect("issueboard:village", code=code)


def _issue(request: HttpRequest, pk: int) -> Issue:
    return issue_policy.get_or_404(request.user, queryset=Issue.objects.select_related("term_change", "visit"), pk=pk)


@login_required
@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    return render(
        request,
        "issueboard/issue.html",
        {
            "issue": issue,
            "can_change": issue_policy.can(request.user, "change", issue),
            "moves": [(s, Status(s).label) for s in TRANSITIONS[issue.status]],
            "assign_form": AssignForm(initial={"owner": issue.owner, "due_on": issue.due_on, "version": issue.version}),
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    form_message_action(
        request,
        AssignForm(request.POST),
        lambda d: issue_assign(
            actor=acting_user(request),
            issue=issue,
            owner=d["owner"],
            due_on=d["due_on"],
            expected_version=d["version"],
        ),
        done="已保存责任人和办结时限。",
    )
    return redirect("issueboard:issue", pk=issue.pk)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    form_message_action(
        request,
        MoveForm(request.POST),
        lambda d: issue_move(
            actor=acting_user(request),
            issue=issue,
            to_status=d["to_status"],
            resolution=d["resolution"],
            closed_on=d["closed_on"],
            expected_version=d["version"],
        ),
        done=lambda moved: f"问题已转为“{moved.get_status_display()}”。",
    )
    return redirect("issueboard:issue", pk=issue.pk)
