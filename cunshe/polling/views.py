from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.printing import pdf_response
from cunshe.elections.models import Election
from cunshe.elections.permissions import election_for, election_policy
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.polling import printouts
from cunshe.polling.forms import MobileVoterForm, ProxyForm, PublishForm, StaffForm, StationForm
from cunshe.polling.models import StaffMember, Station
from cunshe.polling.permissions import station_policy
from cunshe.polling.selectors import overview, voters_of
from cunshe.polling.services import (
    list_publish,
    mobile_voter_add,
    polling_open,
    proxy_add,
    scrutineer_problems,
    staff_add,
    staff_remove,
    station_add,
)
from cunshe.web.forms import button_action, document_or_back, form_action, form_errors_text


def _people(election: Election) -> list[tuple[int, str]]:
    rows = Person.objects.filter(region_id__startswith=election.region_id).order_by("name").values_list("pk", "name")
    return list(rows)


def _voters(election: Election) -> list[tuple[int, str]]:
    return [(v.pk, f"{v.person.name}（{v.group or '未分组'}）") for v in voters_of(election)]


def _station(request: HttpRequest, pk: int) -> Station:
    return station_policy.get_or_404(request.user, queryset=Station.objects.select_related("election"), pk=pk)


def _back(election: Election) -> str:
    return reverse("polling:election", kwargs={"pk": election.pk})


def _show_errors(request: HttpRequest, form: Any) -> None:
    if form.errors:
        messages.error(request, form_errors_text(form))


@login_required
@require_GET
def election_polling(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    can_change = election_policy.can(request.user, "change", election)
    o = overview(election)
    problems = {s.pk: scrutineer_problems(s) for s in o.stations}
    people = _people(election) if can_change else []
    voters = _voters(election) if can_change else []
    return render(
        request,
        "polling/election.html",
        {
            "election": election,
            "o": o,
            "problems": problems,
            "has_problems": any(problems.values()),
            "can_change": can_change,
            "station_form": StationForm(),
            "staff_form": StaffForm(people=people),
            "mobile_form": MobileVoterForm(voters=voters),
            "proxy_form": ProxyForm(voters=voters),
            "publish_form": PublishForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def station_new(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = StationForm(request.POST)
    done = form_action(request, form, lambda d: station_add(actor=acting_user(request), election=election, **d))
    if done:
        messages.success(request, f"已设{done}。")
    _show_errors(request, form)
    return redirect(_back(election))


@login_required
@require_POST
def staff_new(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    form = StaffForm(request.POST, people=_people(station.election))

    def call(d: dict[str, Any]) -> StaffMember:
        person = person_policy.get_or_404(request.user, pk=d["person"])
        return staff_add(actor=acting_user(request), station=station, person=person, role=d["role"])

    done = form_action(request, form, call)
    if done:
        messages.success(request, f"{station.name}：已安排{done}。")
    _show_errors(request, form)
    return redirect(_back(station.election))


@login_required
@require_POST
def staff_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(StaffMember.objects.select_related("person"), pk=pk)
    station = _station(request, member.station_id)
    button_action(request, lambda: staff_remove(actor=acting_user(request), member=member), done="已撤下。")
    return redirect(_back(station.election))


@login_required
@require_POST
def mobile_new(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    form = MobileVoterForm(request.POST, voters=_voters(station.election))

    def call(d: dict[str, Any]) -> Any:
        voter = get_object_or_404(voters_of(station.election), pk=d["voter"])
        return mobile_voter_add(actor=acting_user(request), station=station, voter=voter, reason=d["reason"])

    if form_action(request, form, call):
        messages.success(request, "已登记流动票箱服务的选民。")
    _show_errors(request, form)
    return redirect(_back(station.election))


@login_required
@require_POST
def proxy_new(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = ProxyForm(request.POST, voters=_voters(election))

    def call(d: dict[str, Any]) -> Any:
        voters = voters_of(election)
        return proxy_add(
            actor=acting_user(request),
            election=election,
            principal=get_object_or_404(voters, pk=d["principal"]),
            trustee=get_object_or_404(voters, pk=d["trustee"]),
            written_on=d["written_on"],
            approved_on=d["approved_on"],
        )

    if form_action(request, form, call):
        messages.success(request, "已登记委托投票。")
    _show_errors(request, form)
    return redirect(_back(election))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = PublishForm(request.POST)
    on = timezone.localdate()
    if form_action(
        request, form, lambda d: list_publish(actor=acting_user(request), election=election, what=d["what"], on=on)
    ):
        messages.success(request, "名单已公布。")
    _show_errors(request, form)
    return redirect(_back(election))


@login_required
@require_POST
def open_poll(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    version = int(request.POST.get("version") or 0) or None
    button_action(
        request,
        lambda: polling_open(
            actor=acting_user(request), election=election, on=timezone.localdate(), expected_version=version
        ),
        done="投票已开始。",
    )
    return redirect(_back(election))


def _document(request: HttpRequest, election: Election, make: Any, filename: str) -> HttpResponse:
    return document_or_back(request, lambda: pdf_response(make(), filename), _back(election))


@login_required
@require_GET
def ballots(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    copies = int(request.GET["copies"]) if request.GET.get("copies", "").isdigit() else 4
    return _document(request, election, lambda: printouts.ballots_pdf(election, copies=copies), "选票.pdf")


@login_required
@require_GET
def voter_cards(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    return _document(request, election, lambda: printouts.voter_cards_pdf(election), "选民证.pdf")


@login_required
@require_GET
def count_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    return _document(request, station.election, lambda: printouts.count_sheet_pdf(station), "计票单.pdf")


@login_required
@require_GET
def mobile_list(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    return _document(request, election, lambda: printouts.mobile_list_pdf(election), "流动票箱服务选民名单.pdf")


@login_required
@require_GET
def proxy_list(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    return _document(request, election, lambda: printouts.proxy_list_pdf(election), "委托投票名单.pdf")
