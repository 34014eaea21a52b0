from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.elections import timeline
from cunshe.elections.forms import (
    CommitteeMemberForm,
    ElectionForm,
    MoveForm,
    RoundForm,
    RulesForm,
    WithdrawForm,
    seats_from,
)
from cunshe.elections.models import KIND_POSTS, Kind, Status
from cunshe.elections.permissions import committee_member_policy, election_policy, rules_policy
from cunshe.elections.sections import sections_for
from cunshe.elections.selectors import committee_of, elections_visible, rules_visible
from cunshe.elections.services import (
    committee_member_add,
    committee_member_withdraw,
    election_move,
    election_open,
    election_round_open,
    rules_tighten,
)
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Level, Region
from cunshe.web.forms import button_action, form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept

# The stage each module moves an election to; the election page itself only moves back (a recorded correction).
NEXT_STEP = {
    Status.PREPARING: "下一步：编制并公布选民名单（选民登记）或公布正式候选人（党组织、监委会选举）。",
    Status.REGISTER_PUBLISHED: "下一步：提名确定并公布正式候选人。",
    Status.CANDIDATES_PUBLISHED: "下一步：选举日设立投票站、监票人后开始投票。",
    Status.VOTING: "下一步：各票箱计票单双人录入、核对、签认后汇总计票。",
    Status.COUNTED: "下一步：乡镇(街道)确认选举结果，或确认选举无效后重新选举。",
}


def _villages_for(request: HttpRequest) -> list[tuple[str, str]]:
    villages = Region.objects.none()
    for prefix in election_policy.regions_for(request.user, "change"):
        villages = villages | Region.objects.filter(level=Level.VILLAGE, code__startswith=prefix)
    return [(v.code, v.name) for v in villages.order_by("code")]


@login_required
@require_GET
def election_list(request: HttpRequest) -> HttpResponse:
    under, kind, status = (request.GET.get(k, "") for k in ("under", "kind", "status"))
    day = request.GET.get("day", "")
    try:
        on = date.fromisoformat(day) if day else None
    except ValueError:
        on, day = None, ""

    def context() -> dict[str, Any]:
        found = elections_visible(request.user, under=under, kind=kind, day=on)
        by_status = dict(found.order_by().values_list("status").annotate(n=Count("pk")))
        shown = found.filter(status=status) if status else found
        return {
            "page": Paginator(shown, 50).get_page(request.GET.get("page")),
            "under": under,
            "kind": kind,
            "status": status,
            "day": day,
            "kinds": Kind.choices,
            "statuses": [(s.value, s.label, by_status.get(s.value, 0)) for s in Status],
            "total": sum(by_status.values()),
            "can_open": election_policy.anywhere(request.user, "change"),
        }

    # Kept whole under the reader, the query string and the change number of the reader's regions (issue 15).
    return render_kept(request, list_page_kept(request, "elections.list"), "elections/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def election_new(request: HttpRequest) -> HttpResponse:
    form = ElectionForm(request.POST or None, villages=_villages_for(request))
    if not form.villages:
        election_policy.check_in_region(request.user, "change", "")
    election = form_action(
        request,
        form,
        lambda d: election_open(
            actor=acting_user(request),
            village_code=d["village"],
            kind=d["kind"],
            election_day=d["election_day"],
            seats=seats_from(d, d["kind"]),
        ),
    )
    if election is not None:
        return redirect("elections:detail", pk=election.pk)
    return render(request, "elections/new.html", {"form": form, "kind_posts": KIND_POSTS})


@login_required
@require_GET
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_policy.get_or_404(request.user, queryset=elections_visible(request.user), pk=pk)
    can_change = election_policy.can(request.user, "change", election)
    order = list(Status.values)
    corrections = [(s, Status(s).label) for s in election.moves if order.index(s) < order.index(election.status)]
    people = (
        [(p.pk, p.name) for p in Person.objects.filter(region=election.region).order_by("name", "pk")]
        if can_change
        else []
    )
    return render(
        request,
        "elections/detail.html",
        {
            "election": election,
            "steps": timeline.timeline(election),
            "members": committee_of(election),
            "rounds": election.rounds.order_by("election_day", "pk"),
            "can_change": can_change,
            "corrections": corrections,
            "next_step": NEXT_STEP.get(Status(election.status), ""),
            "member_form": CommitteeMemberForm(people=people) if can_change else None,
            "sections": sections_for(request, election),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def election_correct(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_policy.get_or_404(request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        button_action(
            request,
            lambda: election_move(
                actor=acting_user(request),
                election=election,
                to_status=d["to_status"],
                on=d["on"],
                reason=d["reason"],
                expected_version=d["version"],
            ),
            done="已退回，并记入记录本。",
        )
    else:
        button_action(request, lambda: election_policy.check(request.user, "change", election), done="")
    return redirect("elections:detail", pk=election.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    parent = election_policy.get_or_404(request.user, queryset=elections_visible(request.user), pk=pk)
    election_policy.check(request.user, "change", parent)
    form = RoundForm(request.POST or None)
    election = form_action(
        request,
        form,
        lambda d: election_round_open(
            actor=acting_user(request),
            parent=parent,
            round=d["round"],
            election_day=d["election_day"],
            seats={p: n for p, n in seats_from(d, parent.kind).items() if n},
        ),
    )
    if election is not None:
        return redirect("elections:detail", pk=election.pk)
    return render(
        request,
        "elections/round.html",
        {"form": form, "parent": parent, "posts": [f"seats_{p}" for p in KIND_POSTS[parent.kind]]},
    )


@login_required
@require_POST
def committee_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_policy.get_or_404(request.user, pk=pk)
    people = [(p.pk, p.name) for p in person_policy.visible_to(request.user).filter(region=election.region)]
    form = CommitteeMemberForm(request.POST, people=people)
    if form.is_valid():
        d = form.cleaned_data
        person = person_policy.get_or_404(request.user, pk=d["person"])
        button_action(
            request,
            lambda: committee_member_add(
                actor=acting_user(request),
                election=election,
                person=person,
                role=d["role"],
                chosen_by=d["chosen_by"],
                chosen_on=d["chosen_on"],
            ),
            done=f"已将 {person.name} 列入选举委员会。",
        )
    else:
        button_action(request, lambda: _form_refusal(form), done="")
    return redirect("elections:detail", pk=election.pk)


@login_required
@require_POST
def committee_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    member = committee_member_policy.get_or_404(request.user, pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        button_action(
            request,
            lambda: committee_member_withdraw(
                actor=acting_user(request), member=member, reason=d["reason"], on=d["on"], expected_version=d["version"]
            ),
            done=f"{member.person.name} 已退出选举委员会。",
        )
    else:
        button_action(request, lambda: _form_refusal(form), done="")
    return redirect("elections:detail", pk=member.election_id)


def _form_refusal(form: CommitteeMemberForm | WithdrawForm) -> None:
    """A form posted from the election page with a bad field: said on that page like any refusal."""
    raise DomainError(form_errors_text(form, labelled=True))


@login_required
@require_http_methods(["GET", "POST"])
def rules_index(request: HttpRequest) -> HttpResponse:
    counties = rules_policy.counties_for(request.user, "change")
    form = RulesForm(request.POST or None) if counties else None
    if form is not None:
        saved = form_action(
            request,
            form,
            lambda d: rules_tighten(
                actor=acting_user(request),
                county_code=counties[0],
                kind=d["kind"],
                effective_from=d["effective_from"],
                name=d["name"],
                source=d["source"],
                values=form.tightened(),
            ),
        )
        if saved is not None:
            return redirect("elections:rules")
    elif request.method == "POST":
        rules_policy.check_in_region(request.user, "change", "")
    return render(request, "elections/rules.html", {"rules": rules_visible(request.user), "form": form})
