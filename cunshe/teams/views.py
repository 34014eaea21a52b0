from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.people.selectors import people_visible
from cunshe.regions.models import Region
from cunshe.teams.forms import AppointForm, EndForm
from cunshe.teams.permissions import team_policy
from cunshe.teams.selectors import dual_role_holder, team_of
from cunshe.teams.services import member_appoint, member_end
from cunshe.web.forms import form_action, form_message_action


def _village(request: HttpRequest, code: str) -> Region:
    return team_policy.village_or_404(request.user, code, "view")


def _page(request: HttpRequest, village: Region, form: AppointForm | None = None, status: int = 200) -> HttpResponse:
    current = list(team_of(request.user, village.code))
    can_change = team_policy.can_in_region(request.user, "change", village.code)
    if can_change and form is None:
        form = AppointForm(people=people_visible(request.user, under=village.code))
    # a roster changed by a certified election says so beside the manual appointment (kept for mid-term changes)
    from cunshe.results.selectors import certified_in_term

    return render(
        request,
        "teams/team.html",
        {
            "elected_by": certified_in_term(village.code) if can_change else [],
            "village": village,
            "current": current,
            "past": team_of(request.user, village.code, current=False),
            "dual_role": dual_role_holder(current),
            "can_change": can_change,
            "form": form,
            "end_form": EndForm(),
        },
        status=status,
    )


@login_required
@require_GET
def team(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _village(request, code))


@login_required
@require_POST
def appoint(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    team_policy.check_in_region(request.user, "change", code, message="您无权任命该村(社区)的职务。")
    form = AppointForm(request.POST, people=people_visible(request.user, under=code))
    appointed = form_action(
        request,
        form,
        lambda d: member_appoint(
            actor=acting_user(request), village_code=code, person=d["person"], committee=d["committee"],
            post=d["post"], started_on=d["started_on"],
        ),
    )  # fmt: skip
    if appointed is not None:
        messages.success(request, "已任命。")
        return redirect("teams:team", code=code)
    return _page(request, village, form)


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    member = team_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        EndForm(request.POST),
        lambda d: member_end(
            actor=acting_user(request), member=member, ended_on=d["ended_on"], reason=d["end_reason"],
            expected_version=d["version"],
        ),
        done=f"已办理 {member.person.name} 离任。",
    )  # fmt: skip
    return redirect("teams:team", code=member.region_id)
