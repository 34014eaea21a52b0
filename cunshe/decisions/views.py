"""Pages of 四议两公开: the decisions of a town or village, a decision with its meeting records and disclosures
(record the next meeting, withdraw), and the six sign-off sheets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.decisions import printouts, selectors
from cunshe.decisions.forms import DecisionForm, MeetingForm, RulesForm, WithdrawForm
from cunshe.decisions.models import MEETING_STEPS, Meeting, Status
from cunshe.decisions.permissions import decision_policy, rules_policy
from cunshe.decisions.rules import DEFAULT_RULES, rules_for
from cunshe.decisions.services import decision_create, decision_withdraw, dual_role_on, meeting_record, rules_save
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import crumb_ancestors
from cunshe.web.forms import form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = decision_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    return redirect("decisions:region", code=home)


def _region_context(request: HttpRequest, place: Region, form: DecisionForm | None) -> dict[str, Any]:
    decisions = page_of(request, selectors.decisions_in(request.user, place.code), 50)  # it stopped at 200
    ancestors = crumb_ancestors(place, request.user, decision_policy)
    return {
        "place": place,
        "decisions": decisions,
        "form": form,
        "ancestors": ancestors,
        "rules_county": place.code[:6]
        if place.level >= Level.COUNTY and rules_policy.can_in_region(request.user, "view", place.code[:6])
        else "",
    }


def _region_page(request: HttpRequest, place: Region, form: DecisionForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    return render(request, "decisions/region.html", _region_context(request, place, form), status=status)


@login_required
@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    place = decision_policy.rollup_region(request.user, code)
    can_create = place.level == Level.VILLAGE and decision_policy.can_in_region(request.user, "change", place.code)
    # Kept whole under the region's change number and the day (a decision's step moves only through a service; the
    # page shows dates only): read and rendered again only when something changed (issue 15).
    kept = list_page_kept(request, "decisions.region", region_code=place.code)
    form = DecisionForm() if can_create else None
    return render_kept(request, kept, "decisions/region.html", lambda: _region_context(request, place, form))


@login_required
@require_POST
def new(request: HttpRequest, code: str) -> HttpResponse:
    place = decision_policy.village_or_404(request.user, code)
    form = DecisionForm(request.POST)
    created = form_action(
        request, form, lambda data: decision_create(actor=acting_user(request), village_code=place.code, **data)
    )
    if created is None:
        return _region_page(request, place, form, status=400)
    messages.success(request, "已登记四议两公开事项。")
    return redirect("decisions:detail", pk=created.pk)


def _detail(request: HttpRequest, pk: int, meeting_form: MeetingForm | None = None, status: int = 200) -> HttpResponse:
    decision = selectors.decision_detail(request.user, pk)
    can_change = decision_policy.can(request.user, "change", decision)
    waiting = decision.status in MEETING_STEPS
    if meeting_form is None and can_change and waiting:
        meeting_form = MeetingForm(initial={"step": decision.status, "version": decision.version})
    return render(
        request,
        "decisions/detail.html",
        {
            "decision": decision,
            "meetings": list(decision.meetings.all()),
            "disclosures": list(decision.disclosures.all()),
            "meeting_form": meeting_form if can_change and waiting else None,
            "withdraw_form": WithdrawForm(initial={"version": decision.version})
            if can_change and decision.status in (*MEETING_STEPS, Status.RESOLUTION)
            else None,
            "can_merge": decision.status == Status.PROPOSAL and dual_role_on(decision.region_id, timezone.localdate()),
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    decision = decision_policy.get_or_404(request.user, pk=pk)
    form = MeetingForm(request.POST)

    def call(data: dict[str, Any]) -> Meeting:
        version = data.pop("version")
        return meeting_record(actor=acting_user(request), decision=decision, expected_version=version, **data)

    held = form_action(request, form, call)
    if held is None:
        return _detail(request, pk, form, status=400)
    messages.success(request, "已登记会议记录。")
    return redirect("decisions:detail", pk=pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    decision = decision_policy.get_or_404(request.user, pk=pk)
    form = WithdrawForm(request.POST)
    done = form_action(
        request,
        form,
        lambda data: decision_withdraw(
            actor=acting_user(request), decision=decision, reason=data["reason"], expected_version=data["version"]
        ),
    )
    if done is None:
        messages.error(request, form_errors_text(form))
    else:
        messages.success(request, "事项已撤回。")
    return redirect("decisions:detail", pk=pk)


@login_required
@require_GET
def sheets(request: HttpRequest, pk: int) -> HttpResponse:
    return printouts.sheets_response(selectors.decision_detail(request.user, pk))


_RULE_FIELDS = [f for f in RulesForm.base_fields if f != "effective_from"]


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, code: str) -> HttpResponse:
    """The county's 四议两公开 rules: the set in force today, every dated set, and (for whoever may configure them:
    the county organizer) a new set from a day on. Sets in force are never edited: a change is a new set."""
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not rules_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    can_change = rules_policy.can_in_region(request.user, "change", code)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("您的角色无权制定四议两公开规则。")
    today = timezone.localdate()
    rows = selectors.rules_of(request.user, county.code)
    # the county's latest set is where a new one starts from; else the province's; else the defaults
    latest = next((r for r in rows if r.region_id == county.code), rows[0] if rows else None)
    start = (
        {f: getattr(latest, f) for f in _RULE_FIELDS}
        if latest
        else {
            "committee_quorum": "1/2",
            "committee_quorum_strict": DEFAULT_RULES.committee.quorum_strict,
            "committee_base": DEFAULT_RULES.committee.base,
            "party_quorum": "2/3",
            "party_quorum_strict": DEFAULT_RULES.party.quorum_strict,
            "party_base": DEFAULT_RULES.party.base,
            "party_notice_days": DEFAULT_RULES.party_notice_days,
            "villagers_quorum": "2/3",
            "villagers_quorum_strict": DEFAULT_RULES.villagers.quorum_strict,
            "villagers_base": DEFAULT_RULES.villagers.base,
        }
    )
    form = RulesForm(request.POST or None, initial={**start, "basis": "", "effective_from": today})
    saved = form_action(request, form, lambda d: rules_save(actor=acting_user(request), region_code=county.code, **d))
    if saved is not None:
        messages.success(request, f"已制定{county.name}四议两公开规则，{saved.effective_from:%Y-%m-%d} 起施行。")
        return redirect("decisions:rules", code=county.code)
    return render(
        request,
        "decisions/rules.html",
        {
            "county": county,
            "today": today,
            "in_force": rules_for(f"{county.code}000000", today),
            "rows": rows,
            "form": form if can_change else None,
        },
        status=400 if form.is_bound else 200,
    )
