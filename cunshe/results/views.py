"""Pages of the results module: an election's result with the actions that follow it (certify, confirm void, the
party committee's secretary vote and the town's approval, the handover), the printouts, and the public result page
of a village with its QR poster."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cunshe.accounts.selectors import acting_user
from cunshe.core.printing import pdf_response
from cunshe.elections.models import Election, Kind, Status
from cunshe.elections.permissions import election_for, election_policy
from cunshe.regions.models import Level, Region
from cunshe.results import printouts, selectors
from cunshe.results.forms import CertifyForm, HandoverForm, PartyApproveForm, PartyVoteForm, VoidForm
from cunshe.results.services import (
    handover_plan,
    party_post_elect,
    party_posts_approve,
    result_certify,
    result_handover_open,
    result_void_confirm,
)
from cunshe.web.forms import form_action


def _committee(election: Election) -> list[tuple[int, str]]:
    return [(m.person_id, m.person.name) for m, _ in selectors.elected_of(selectors.final_round(election))]


def _context(request: HttpRequest, election: Election, **forms: Any) -> dict[str, Any]:
    result = getattr(election, "result", None) if hasattr(election, "result") else None
    can_change = election_policy.can(request.user, "change", election)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "election": election,
        "result": result,
        "elected": selectors.elected_of(election),
        "can_change": can_change,
        "certification": getattr(election, "certification", None) if hasattr(election, "certification") else None,
        "votes": list(election.party_post_votes.select_related("person")),
        "plan": None,
    }
    if election.kind in selectors.COMMITTEE_KINDS and election.status == Status.CERTIFIED:
        context["plan"] = handover_plan(election)
    if can_change:
        context.update(
            certify_form=forms.get("certify") or CertifyForm(initial={"on": today, "version": election.version}),
            void_form=forms.get("void") or VoidForm(initial={"on": today, "version": election.version}),
            vote_form=forms.get("vote") or PartyVoteForm(committee=_committee(election), initial={"held_on": today}),
            approve_form=forms.get("approve") or PartyApproveForm(initial={"on": today}),
            handover_form=forms.get("handover") or HandoverForm(),
        )
    return context


def _page(request: HttpRequest, election: Election, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, "results/result.html", _context(request, election, **forms), status=status)


@login_required
@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, election_for(request.user, pk))


def _act(request: HttpRequest, pk: int, key: str, form: Any, call: Any) -> HttpResponse:
    election = election_for(request.user, pk)
    if form_action(request, form, lambda data: call(election, data)) is not None:
        return redirect("results:result", pk=pk)
    return _page(request, election, status=400, **{key: form})


@login_required
@require_http_methods(["POST"])
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "certify",
        CertifyForm(request.POST),
        lambda e, d: result_certify(actor=acting_user(request), election=e, on=d["on"], expected_version=d["version"]),
    )


@login_required
@require_http_methods(["POST"])
def void(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = VoidForm(request.POST)
    rerun = form_action(
        request,
        form,
        lambda d: result_void_confirm(
            actor=acting_user(request),
            election=election,
            on=d["on"],
            rerun_day=d["rerun_day"],
            expected_version=d["version"],
        ),
    )
    if rerun is not None:
        return redirect("elections:detail", pk=rerun.pk)
    return _page(request, election, status=400, void=form)


@login_required
@require_http_methods(["POST"])
def party_vote(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = PartyVoteForm(request.POST, committee=_committee(election))
    return _act(
        request,
        pk,
        "vote",
        form,
        lambda e, d: party_post_elect(
            actor=acting_user(request), election=e, post=d["post"], held_on=d["held_on"], votes=form.votes()
        ),
    )


@login_required
@require_http_methods(["POST"])
def party_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "approve",
        PartyApproveForm(request.POST),
        lambda e, d: party_posts_approve(
            actor=acting_user(request), election=e, on=d["on"], approval_ref=d["approval_ref"]
        ),
    )


@login_required
@require_http_methods(["POST"])
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "handover",
        HandoverForm(request.POST),
        lambda e, d: result_handover_open(
            actor=acting_user(request), election=e, meeting_at=d["meeting_at"], meeting_place=d["meeting_place"]
        ),
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    return pdf_response(printouts.result_report_pdf(election), f"{election.region.name}选举结果报告单.pdf")


@login_required
@require_GET
def certificates_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    return pdf_response(printouts.certificates_pdf(election), f"{election.region.name}当选证书.pdf")


def election_section(request: HttpRequest, election: Any) -> str:
    """The result on the election page (order 60): only once counted."""
    if election.status not in (Status.COUNTED, Status.CERTIFIED, Status.VOID):
        return ""
    return render_to_string("results/section.html", _context(request, election), request=request)


# ---------------------------------------------------------------------------------------------------------------
# Public


def public_results(code: str) -> list[Election]:
    """The certified elections of a village, latest round of each kind (no one's ID, only names, posts and votes)."""
    return list(
        Election.objects.filter(region_id=code, status=Status.CERTIFIED)
        .exclude(rounds__round="further", rounds__status=Status.CERTIFIED)
        .select_related("region", "result", "parent")
        .order_by("election_day", "kind")
    )


def _public_village(code: str) -> Region:
    return get_object_or_404(Region, code=code, level=Level.VILLAGE)


@require_GET
def public_village(request: HttpRequest, code: str) -> HttpResponse:
    village = _public_village(code)
    rows = [(e, selectors.elected_of(e)) for e in public_results(code)]
    return render(request, "results/public_village.html", {"village": village, "rows": rows})


@require_GET
def public_poster(request: HttpRequest, code: str) -> HttpResponse:
    village = _public_village(code)
    url = request.build_absolute_uri(reverse("results_public:village", kwargs={"code": code}))
    rows = [(e, selectors.elected_of(e)) for e in public_results(code) if e.kind != Kind.PARTY]
    return render(
        request, "results/poster.html", {"village": village, "url": url, "qr": printouts.qr_svg(url), "rows": rows}
    )


def public_section(request: Any, region: Any) -> str:
    if getattr(region, "level", None) != Level.VILLAGE or not public_results(region.code):
        return ""
    return render_to_string("results/public_section.html", {"region": region})
