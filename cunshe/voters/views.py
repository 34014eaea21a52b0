"""Pages of the voter register: one page per election's register (counts, 四增四减, voters by group, objections and
decisions) with the actions a role may take; every action posts back here and says its result as a message."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from itertools import groupby
from typing import Any, BinaryIO, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.printing import pdf_response
from cunshe.elections import timeline
from cunshe.elections.models import Status
from cunshe.elections.permissions import election_for, election_policy
from cunshe.people.permissions import person_policy
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.voters.exports import register_export, register_import
from cunshe.voters.forms import (
    VoterAddForm,
    VoterAmendForm,
    VoterDateForm,
    VoterDecideForm,
    VoterImportForm,
    VoterObjectionForm,
    VoterPublishForm,
)
from cunshe.voters.models import ChangeReason, Objection, Register
from cunshe.voters.permissions import objection_policy
from cunshe.voters.printouts import register_pdf
from cunshe.voters.selectors import change_counts, register_of, register_origin, register_summary, voters_of
from cunshe.voters.services import (
    objection_decide,
    objection_file,
    register_amend,
    register_build,
    register_publish,
    voter_add,
)
from cunshe.web.forms import form_action, form_errors_text


def _errors_said(request: HttpRequest, form: forms.Form) -> None:
    """A refused form (its own checks or the service's, which form_action put on it) as one message on the page the
    user returns to: every action here posts back to the register page."""
    if form.errors:
        messages.error(request, form_errors_text(form, labelled=True))


def _act(request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], Any], done: str) -> Any:
    result = form_action(request, form, call)
    if result is not None:
        messages.success(request, done)
    _errors_said(request, form)
    return result


def _register(request: HttpRequest, pk: int) -> Register:
    register = register_of(election_for(request.user, pk))
    if register is None:  # a page of a register not built yet (was an unhandled DomainError: a 500)
        raise Http404("本次选举尚未编制选民名单。")
    return register


@login_required
@require_GET
def register_page(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    register = register_of(election)
    context: dict[str, Any] = {
        "election": election,
        "register": register,
        "can_enter": election_policy.can(request.user, "enter", election),
        "can_change": election_policy.can(request.user, "change", election),
        "today": timezone.localdate(),
    }
    if register is not None:
        published = election.register_published_on if election.status != Status.PREPARING else None
        counts = change_counts(register)
        context.update(
            summary=register_summary(register),
            origin=register_origin(register),
            changes=[(ChangeReason(k).label, n) for k, n in counts.items() if n],
            groups=[(g or "未分组", list(vs)) for g, vs in groupby(voters_of(register), key=lambda v: v.group)],
            objections=list(register.objections.select_related("person")),
            published=published,
            objections_close=timeline.objections_close(election.rules, published) if published else None,
            decisions_by=timeline.objection_decisions_by(election.rules, published) if published else None,
            left_out=register.voters.filter(counted=False, removed_on__isnull=True).select_related("person"),
            add_form=VoterAddForm(),
            amend_form=VoterAmendForm(),
            objection_form=VoterObjectionForm(),
            decide_form=VoterDecideForm(),
            import_form=VoterImportForm(),
        )
    return render(request, "voters/register.html", context)


@login_required
@require_POST
def register_build_view(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    _act(
        request,
        VoterDateForm(request.POST),
        lambda d: register_build(actor=acting_user(request), election=election, on=d["on"]),
        "已编制选民名单。",
    )
    return redirect("voters:register", pk=pk)


@login_required
@require_POST
def register_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)
    _act(
        request,
        VoterPublishForm(request.POST),
        lambda d: register_publish(
            actor=acting_user(request), register=register, on=d["on"], expected_version=d["version"]
        ),
        "选民名单已公布。",
    )
    return redirect("voters:register", pk=pk)


@login_required
@require_POST
def voter_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)

    def call(d: dict[str, Any]) -> Any:
        person = person_policy.get_or_404(request.user, pk=d["person"])
        return voter_add(
            actor=acting_user(request),
            register=register,
            person=person,
            route=d["route"],
            group=d["group"],
            consent=d["consent"],
            on=d["on"],
        )

    _act(request, VoterAddForm(request.POST), call, "已增加选民。")
    return redirect("voters:register", pk=pk)


@login_required
@require_POST
def register_amend_view(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)

    def call(d: dict[str, Any]) -> Any:
        person = person_policy.get_or_404(request.user, pk=d["person"])
        return register_amend(
            actor=acting_user(request),
            register=register,
            person=person,
            kind=d["kind"],
            reason=d["reason"],
            decision_ref=d["decision_ref"],
            evidence=d["evidence"],
            group=d["group"],
            route=d["route"],
            consent=d["consent"],
            on=d["on"],
        )

    _act(request, VoterAmendForm(request.POST), call, "已依决定变动选民名单。")
    return redirect("voters:register", pk=pk)


@login_required
@require_POST
def objection_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)

    def call(d: dict[str, Any]) -> Any:
        person = person_policy.get_or_404(request.user, pk=d["person"])
        return objection_file(
            actor=acting_user(request),
            register=register,
            person=person,
            claim=d["claim"],
            filed_by=d["filed_by"],
            filed_on=d["filed_on"],
            grounds=d["grounds"],
        )

    _act(request, VoterObjectionForm(request.POST), call, "已登记申诉。")
    return redirect("voters:register", pk=pk)


@login_required
@require_POST
def objection_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    objection = objection_policy.get_or_404(request.user, queryset=Objection.objects.select_related("register"), pk=pk)
    _act(
        request,
        VoterDecideForm(request.POST),
        lambda d: objection_decide(
            actor=acting_user(request),
            objection=objection,
            outcome=d["outcome"],
            decided_on=d["decided_on"],
            decision_ref=d["decision_ref"],
            decision_text=d["decision_text"],
            expected_version=d["version"],
        ),
        "已作出申诉处理决定。",
    )
    return redirect("voters:register", pk=objection.register.election_id)


@login_required
@require_POST
def register_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)
    form = VoterImportForm(request.POST, request.FILES)
    report = form_action(
        request,
        form,
        lambda d: register_import(
            actor=acting_user(request), register=register, stream=cast(BinaryIO, d["file"]), on=d["on"]
        ),
    )
    if report is not None and report.bad_rows:
        messages.error(
            request,
            f"共 {len(report.bad_rows)} 行有误，未导入任何数据："
            + "；".join(f"第 {r.line} 行：{'，'.join(r.errors)}" for r in report.bad_rows[:20]),
        )
    elif report is not None:
        messages.success(request, "已导入。")
        messages.info(request, report.summary)
    _errors_said(request, form)
    return redirect("voters:register", pk=pk)


@login_required
@require_GET
def register_print(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)
    return pdf_response(register_pdf(register), f"{register.election.region.name}选民名单.pdf")


@login_required
@require_GET
def register_excel(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)
    out = BytesIO()
    register_export(register=register, target=out, public=request.GET.get("public") == "1")
    return xlsx_response(out.getvalue(), f"{register.election.region.name}选民名单.xlsx")
