"""Pages of the investigation teams and 六清: the town or county table (villages with all six cleared, items open,
talks and households, difficult villages' 问题清零) with the teams; a team with its members, villages and work log;
a village's checklist with 开始 / 发现问题 (to the issue board) / 清结, its printout for signing, and the Excel table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.investigations import selectors
from cunshe.investigations.exports import table_response
from cunshe.investigations.forms import (
    ClearForm,
    CoverageEndForm,
    CoverageForm,
    FindForm,
    LogForm,
    MemberForm,
    StartForm,
    TeamForm,
)
from cunshe.investigations.models import ClearingItem, Coverage, InvestigationTeam
from cunshe.investigations.permissions import item_policy, tally_policy, team_policy
from cunshe.investigations.printouts import checklist_response
from cunshe.investigations.services import (
    coverage_add,
    coverage_end,
    item_clear,
    item_find,
    item_start,
    log_add,
    member_add,
    team_create,
)
from cunshe.regions.models import Level, Region
from cunshe.web.forms import form_action, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


def towns_for(user: Any) -> list[tuple[str, str]]:
    """The towns where the user may form a team (what the form offers)."""
    prefixes = region_prefixes(user, "investigations.change")
    if not prefixes:
        return []
    condition = Q()
    for p in prefixes:
        condition |= Q(code__startswith=p)
    return list(Region.objects.filter(condition, level=Level.TOWN).order_by("code").values_list("code", "name"))


def _villages_of(team: InvestigationTeam) -> list[tuple[str, str]]:
    return list(
        Region.objects.filter(parent_id=team.region_id, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name")
    )


def _index_context(request: HttpRequest, region: Region, form: TeamForm | None = None) -> dict[str, Any]:
    towns = towns_for(request.user)
    teams = selectors.teams_visible(request.user).filter(region_id__startswith=region.code[:9])
    page = Paginator(teams, 50).get_page(request.GET.get("page"))
    return {
        "region": region,
        "table": selectors.table(request.user, region.code),
        "page": page,
        "team_form": form or (TeamForm(choices={"town": towns}) if towns else None),
    }


def _index(request: HttpRequest, form: TeamForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    region = tally_policy.rollup_region(request.user, request.GET.get("region", ""))
    return render(request, "investigations/index.html", _index_context(request, region, form), status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    region = tally_policy.rollup_region(request.user, request.GET.get("region", ""))
    # Kept whole under the region's change number and the day (issue 15): the six items, the teams and the board's
    # difficult villages are all written by services recording in the region's county.
    kept = list_page_kept(request, "investigations.index", region_code=region.code)
    return render_kept(request, kept, "investigations/index.html", lambda: _index_context(request, region))


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    region = tally_policy.rollup_region(request.user, request.GET.get("region", ""))
    return table_response(request.user, region)


@login_required
@require_POST
def team_new(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST, choices={"town": towns_for(request.user)})
    team = form_action(
        request,
        form,
        lambda d: team_create(
            actor=acting_user(request), town_code=d["town"], name=d["name"], formed_on=d["formed_on"]
        ),
    )
    if team is not None:
        messages.success(request, f"已组建调研组：{team.name}。")
        return redirect("investigations:team", pk=team.pk)
    return _index(request, form, status=400)


def _team(request: HttpRequest, pk: int) -> InvestigationTeam:
    return team_policy.get_or_404(
        request.user, queryset=InvestigationTeam.objects.select_related("region", "term_change"), pk=pk
    )


@login_required
@require_GET
def team(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    villages = _villages_of(team)
    can_change = team_policy.can(request.user, "change", team)
    context = {
        "team": team,
        "members": team.members.order_by("role", "pk"),
        "coverages": selectors.coverages_of(team),
        "totals": selectors.log_totals(team),
        "logs": page_of(request, selectors.logs_of(team), 50),  # it stopped at 200
        "can_change": can_change,
        "member_form": MemberForm() if can_change else None,
        "coverage_form": CoverageForm(choices={"village": villages}) if can_change else None,
        "log_form": LogForm(choices={"village": villages}) if can_change else None,
        "end_form": CoverageEndForm() if can_change else None,
    }
    return render(request, "investigations/team.html", context)


@login_required
@require_POST
def member_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form_message_action(
        request,
        MemberForm(request.POST),
        lambda d: member_add(actor=acting_user(request), team=team, **d),
        done=lambda m: f"{m.name}已入组。",
    )
    return redirect("investigations:team", pk=team.pk)


@login_required
@require_POST
def coverage_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form_message_action(
        request,
        CoverageForm(request.POST, choices={"village": _villages_of(team)}),
        lambda d: coverage_add(actor=acting_user(request), team=team, village_code=d["village"], from_on=d["from_on"]),
        done=lambda c: f"已包村：{c.region.name}（六清清单已建立）。",
    )
    return redirect("investigations:team", pk=team.pk)


@login_required
@require_POST
def coverage_close(request: HttpRequest, pk: int) -> HttpResponse:
    team_ids = team_policy.visible_to(request.user).values("pk")
    coverage = Coverage.objects.filter(pk=pk, team_id__in=team_ids).select_related("team").first()
    if coverage is None:
        raise Http404("未找到该记录。")
    form_message_action(
        request,
        CoverageEndForm(request.POST),
        lambda d: coverage_end(actor=acting_user(request), coverage=coverage, to_on=d["to_on"]),
        done="已结束包村。",
    )
    return redirect("investigations:team", pk=coverage.team_id)


@login_required
@require_POST
def log_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form_message_action(
        request,
        LogForm(request.POST, choices={"village": _villages_of(team)}),
        lambda d: log_add(
            actor=acting_user(request),
            team=team,
            village_code=d["village"],
            worked_on=d["worked_on"],
            talks=d["talks"],
            households=d["households"],
            note=d["note"],
        ),
        done="已登记谈话走访。",
    )
    return redirect("investigations:team", pk=team.pk)


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    place = item_policy.village_or_404(request.user, code)
    checklist = selectors.checklist_of(request.user, place)
    can_change = item_policy.can_in_region(request.user, "change", place.code)
    if can_change:
        for item in checklist.items:  # one form per item, with its own field ids
            item.find_form = FindForm(auto_id=f"find{item.pk}_%s")  # type: ignore[attr-defined]
    context = {"village": place, "checklist": checklist, "can_change": can_change}
    return render(request, "investigations/village.html", context)


@login_required
@require_GET
def village_print(request: HttpRequest, code: str) -> HttpResponse:
    place = item_policy.village_or_404(request.user, code)
    return checklist_response(request.user, place)


def _item(request: HttpRequest, pk: int) -> ClearingItem:
    return item_policy.get_or_404(request.user, queryset=ClearingItem.objects.select_related("region"), pk=pk)


@login_required
@require_POST
def item_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form_message_action(
        request,
        StartForm(request.POST),
        lambda d: item_start(
            actor=acting_user(request), item=item, started_on=d["started_on"], expected_version=d["version"]
        ),
        done=f"{item.name}：开始清理。",
    )
    return redirect("investigations:village", code=item.region_id)


@login_required
@require_POST
def item_find_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form_message_action(
        request,
        FindForm(request.POST),
        lambda d: item_find(actor=acting_user(request), item=item, **d),
        done="问题已列入问题清单，销号后方可清结此项。",
    )
    return redirect("investigations:village", code=item.region_id)


@login_required
@require_POST
def item_clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form_message_action(
        request,
        ClearForm(request.POST),
        lambda d: item_clear(
            actor=acting_user(request),
            item=item,
            cleared_on=d["cleared_on"],
            evidence=d["evidence"],
            cleared_by=d["cleared_by"],
            expected_version=d["version"],
        ),
        done=f"{item.name}：已清。",
    )
    return redirect("investigations:village", code=item.region_id)
