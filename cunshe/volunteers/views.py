"""Pages of the volunteer teams: the town and county roll-up (from the summary rows) with the roster and roll-up
in Excel and a town's roster import; a village's teams; a team with its members (join, leave) and activities
(add, edit, points for taking part)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Level, Region
from cunshe.volunteers import downloads, printouts, selectors
from cunshe.volunteers.downloads import roster_import
from cunshe.volunteers.forms import ActivityForm, ImportForm, LeaveForm, MemberForm, TeamEditForm, TeamForm
from cunshe.volunteers.models import VolunteerActivity, VolunteerTeam
from cunshe.volunteers.permissions import activity_policy, member_policy, team_policy
from cunshe.volunteers.services import (
    ActivityInput,
    activity_add,
    activity_points_award,
    activity_update,
    member_join,
    member_leave,
    team_create,
    team_update,
)
from cunshe.web.forms import button_action, form_action, form_message_action, upload_report
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = team_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    return redirect("volunteers:village" if len(home) == 12 else "volunteers:rollup", code=home)


def _rollup_context(request: HttpRequest, region: Region, import_form: ImportForm | None = None) -> dict[str, Any]:
    rows, total = selectors.rollup(request.user, region)
    can_import = region.level == Level.TOWN and team_policy.can_in_region(request.user, "change", region.code)
    return {
        "region": region,
        "rows": rows,
        "total": total,
        "drill": region.level < Level.TOWN,
        "import_form": (import_form or ImportForm()) if can_import else None,
    }


def _rollup_page(request: HttpRequest, region: Region, import_form: ImportForm, status: int) -> HttpResponse:
    """The roll-up with a refused import: rendered for this response alone."""
    return render(request, "volunteers/rollup.html", _rollup_context(request, region, import_form), status=status)


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    region = team_policy.rollup_region(request.user, code)
    if region.level == Level.VILLAGE:
        return redirect("volunteers:village", code=region.code)
    # Kept whole under the region's change number and the day: the summary rows it adds up are rewritten by the
    # services that record the change (summary_refresh), so they move with the chain (issue 15).
    kept = list_page_kept(request, "volunteers.rollup", region_code=region.code)
    return render_kept(request, kept, "volunteers/rollup.html", lambda: _rollup_context(request, region))


@login_required
@require_GET
def rollup_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.rollup_response(request.user, team_policy.rollup_region(request.user, code, fallback=False))


@login_required
@require_GET
def roster_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.roster_response(request.user, team_policy.rollup_region(request.user, code, fallback=False))


@login_required
@require_POST
def roster_import_view(request: HttpRequest, code: str) -> HttpResponse:
    region = team_policy.rollup_region(request.user, code, fallback=False)
    form = ImportForm(request.POST, request.FILES)
    report = upload_report(
        request, form, lambda d: roster_import(actor=acting_user(request), town_code=region.code, stream=d["file"])
    )
    if report is not None:
        messages.success(request, f"已导入志愿者花名册：{report.summary}。")
        return redirect("volunteers:rollup", code=region.code)
    return _rollup_page(request, region, import_form=form, status=400)


def _village_page(request: HttpRequest, village: Region, form: TeamForm | None = None, status: int = 200) -> Any:
    teams = selectors.teams_visible(request.user, village.code)
    return render(
        request,
        "volunteers/village.html",
        {
            "village": village,
            "page": Paginator(teams, 50).get_page(request.GET.get("page")),
            "can_change": team_policy.can_in_region(request.user, "change", village.code),
            "form": form or TeamForm(),
        },
        status=status,
    )


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, team_policy.village_or_404(request.user, code))


@login_required
@require_POST
def team_new(request: HttpRequest, code: str) -> HttpResponse:
    place = team_policy.village_or_404(request.user, code)
    form = TeamForm(request.POST)
    team = form_action(request, form, lambda d: team_create(actor=acting_user(request), region_code=place.code, **d))
    if team is not None:
        messages.success(request, f"已成立换届志愿服务队：{team.name}。")
        return redirect("volunteers:team", pk=team.pk)
    return _village_page(request, place, form, status=400)


def _people(team: VolunteerTeam) -> list[tuple[Any, str]]:
    rows = Person.objects.filter(region_id=team.region_id).order_by("name", "pk").values_list("pk", "name")[:500]
    return list(rows)


def _present(team: VolunteerTeam) -> list[tuple[Any, str]]:
    return [(m.pk, f"{m.name}（{m.role_label}）") for m in team.members.order_by("joined_on", "pk")]


def _team_page(
    request: HttpRequest, team: VolunteerTeam, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    can = team_policy.can(request.user, "change", team)
    activities = Paginator(selectors.activities_of(team), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/team.html",
        {
            "team": team,
            "members": selectors.members_of(team),
            "page": activities,
            "can_change": can,
            "edit_form": forms.get("edit")
            or TeamEditForm(
                initial={
                    "name": team.name,
                    "leader": team.leader,
                    "phone": team.phone,
                    "note": team.note,
                    "version": team.version,
                }
            ),
            "member_form": forms.get("member") or MemberForm(people=_people(team) if can else []),
            "activity_form": forms.get("activity")
            or ActivityForm(members=_present(team) if can else [], stations=_stations(team) if can else []),
            "leave_form": LeaveForm(),
        },
        status=status,
    )


@login_required
@require_GET
def team(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_page(request, team_policy.get_or_404(request.user, pk=pk))


def on_date(text: str) -> date:
    """The roster's date from ?on=YYYY-MM-DD; today when absent or unreadable (a printout, not a form)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return timezone.localdate()


@login_required
@require_GET
def team_roster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_policy.get_or_404(request.user, pk=pk)
    return printouts.roster_response(team, on_date(request.GET.get("on", "")))


@login_required
@require_POST
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    t = team_policy.get_or_404(request.user, pk=pk)
    form = TeamEditForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: team_update(
            actor=acting_user(request),
            team=t,
            expected_version=d["version"],
            **{k: v for k, v in d.items() if k != "version"},
        ),
    )
    if done is not None:
        messages.success(request, "服务队信息已修改。")
        return redirect("volunteers:team", pk=pk)
    return _team_page(request, t, {"edit": form}, status=400)


@login_required
@require_POST
def member_new(request: HttpRequest, pk: int) -> HttpResponse:
    t = team_policy.get_or_404(request.user, pk=pk)
    form = MemberForm(request.POST, people=_people(t))

    def join(d: dict[str, Any]) -> Any:
        person = person_policy.get_or_404(request.user, pk=d["person"]) if d["person"] else None
        return member_join(
            actor=acting_user(request),
            team=t,
            person=person,
            name=d["name"],
            phone=d["phone"],
            role=d["role"],
            joined_on=d["joined_on"],
        )

    if form_action(request, form, join) is not None:
        messages.success(request, "志愿者已入队。")
        return redirect("volunteers:team", pk=pk)
    return _team_page(request, t, {"member": form}, status=400)


@login_required
@require_POST
def member_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_policy.get_or_404(request.user, queryset=member_policy.model.objects.select_related("team"), pk=pk)
    form_message_action(
        request,
        LeaveForm(request.POST),
        lambda d: member_leave(actor=acting_user(request), member=member, left_on=d["left_on"], reason=d["reason"]),
        done=f"已登记{member.name}退出。",
    )
    return redirect("volunteers:team", pk=member.team_id)


def _stations(team: VolunteerTeam) -> list[tuple[int, str]]:
    return [(s.pk, selectors.station_label(s)) for s in selectors.station_choices(team.region_id)]


def _input(d: dict[str, Any]) -> ActivityInput:
    return ActivityInput(
        held_on=d["held_on"],
        kind=d["kind"],
        place=d["place"],
        description=d["description"],
        households=d["households"],
        member_ids=list(d["members"]),
        station_id=d["station"],
    )


@login_required
@require_POST
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    t = team_policy.get_or_404(request.user, pk=pk)
    form = ActivityForm(request.POST, members=_present(t), stations=_stations(t))
    if form_action(request, form, lambda d: activity_add(actor=acting_user(request), team=t, data=_input(d))):
        messages.success(request, "活动已登记。")
        return redirect("volunteers:team", pk=pk)
    return _team_page(request, t, {"activity": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    a: VolunteerActivity = activity_policy.get_or_404(
        request.user, queryset=VolunteerActivity.objects.select_related("team__region", "station__election"), pk=pk
    )
    members = _present(a.team)
    initial = {
        "held_on": a.held_on,
        "kind": a.kind,
        "place": a.place,
        "description": a.description,
        "households": a.households,
        "members": list(a.participations.values_list("member_id", flat=True)),
        "station": a.station_id,
        "version": a.version,
    }
    form = ActivityForm(request.POST or None, members=members, stations=_stations(a.team), initial=initial)
    if request.method == "POST":
        done = form_action(
            request,
            form,
            lambda d: activity_update(
                actor=acting_user(request), activity=a, data=_input(d), expected_version=d["version"]
            ),
        )
        if done is not None:
            messages.success(request, "活动已修改。")
            return redirect("volunteers:team", pk=a.team_id)
    names = a.participations.select_related("member").order_by("member__pk")
    return render(
        request,
        "volunteers/activity.html",
        {
            "activity": a,
            "names": [p.member.name for p in names],
            "station_label": selectors.station_label(a.station) if a.station else "",
            "form": form,
            "can_change": activity_policy.can(request.user, "change", a),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def activity_points(request: HttpRequest, pk: int) -> HttpResponse:
    a = activity_policy.get_or_404(request.user, queryset=VolunteerActivity.objects.select_related("team"), pk=pk)
    button_action(
        request,
        lambda: activity_points_award(actor=acting_user(request), activity=a),
        done=lambda r: (
            f"已计入积分：{r.credited} 人，共 {r.points} 分"
            + (f"；{r.skipped} 人未计入（村外人员或当日无志愿公益活动积分条目）。" if r.skipped else "。")
        ),
    )
    return redirect("volunteers:activity", pk=pk)
