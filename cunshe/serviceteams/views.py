"""Pages of the service teams: the teams, the needs list and the orders of the user's villages (a team's account
sees its own orders only), a team with its members and willingness list, a need with the teams that match it,
and an order with 派单 / 接单 / 拒单 / 完成 (each member's minutes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.people.models import Person
from cunshe.regions.models import Level, Region
from cunshe.serviceteams import selectors
from cunshe.serviceteams.forms import (
    AccountForm,
    CompleteForm,
    DispatchForm,
    MemberForm,
    NeedForm,
    OfferForm,
    OrderForm,
    ReasonForm,
    TeamForm,
)
from cunshe.serviceteams.models import Order, OrderStatus, ServiceTeam
from cunshe.serviceteams.permissions import need_policy, order_or_404, order_policy, team_ids_of, team_policy
from cunshe.serviceteams.services import (
    member_add,
    need_add,
    offer_add,
    order_accept,
    order_cancel,
    order_complete,
    order_decline,
    order_dispatch,
    order_place,
    team_account_add,
    team_create,
)
from cunshe.web.forms import button_action, form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept


def villages_for(user: Any, capability: str) -> list[tuple[str, str]]:
    """The villages where the user may act (what the forms offer)."""
    prefixes = region_prefixes(user, capability)
    if not prefixes:
        return []
    condition = Q()
    for p in prefixes:
        condition |= Q(code__startswith=p)
    # the pairs themselves, not regions: a county's 860 model instances cost 7 ms of CPU a call, the pairs 1.3 (issue 15)
    return list(
        Region.objects.filter(condition, level=Level.VILLAGE).order_by("code").values_list("code", "name")[:1000]
    )


def _team_choices(request: HttpRequest) -> list[tuple[int | None, str]]:
    """The order form's team picker (a picker, not a list: it offers the first 300)."""
    teams = team_policy.visible_to(request.user).select_related("region").order_by("region_id", "name", "pk")[:300]
    return [(None, "（未点选）"), *[(t.pk, f"{t.region.name} {t.name}") for t in teams]]


def _index_context(
    request: HttpRequest, forms: dict[str, Any] | None = None, is_team: bool | None = None
) -> dict[str, Any]:
    villages = villages_for(request.user, "serviceteams.change")
    forms = forms or {}
    # The three lists page each under its own parameter (they stopped at 300, 200 and 200 and hid the rest).
    return {
        "teams": page_of(request, selectors.teams_visible(request.user), 50, param="teams"),
        "needs": page_of(request, selectors.needs_visible(request.user), 50, param="needs"),
        "orders": page_of(request, selectors.orders_of(request.user), 50, param="orders"),
        "is_team": bool(team_ids_of(request.user)) if is_team is None else is_team,
        "team_form": forms.get("team") or (TeamForm(choices={"region": villages}) if villages else None),
        "need_form": forms.get("need") or (NeedForm(choices={"region": villages}) if villages else None),
        "order_form": forms.get("order")
        or (OrderForm(choices={"region": villages, "requested_team": _team_choices(request)}) if villages else None),
    }


def _index(request: HttpRequest, forms: dict[str, Any], status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    return render(request, "serviceteams/index.html", _index_context(request, forms), status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    # Kept whole under the reader, the query string, the change number and the day (the lists show dates and times of
    # day, no remaining time): read and rendered again only when something changed (issue 15). A team's account sees
    # its team's orders wherever the team is, which its grants (if any) need not cover: its page is keyed on every
    # chain ("").
    is_team = bool(team_ids_of(request.user))
    kept = list_page_kept(request, "serviceteams.index", region_code="" if is_team else None)
    return render_kept(request, kept, "serviceteams/index.html", lambda: _index_context(request, is_team=is_team))


@login_required
@require_POST
def team_new(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST, choices={"region": villages_for(request.user, "serviceteams.change")})
    team = form_action(
        request,
        form,
        lambda d: team_create(
            actor=acting_user(request),
            region_code=d["region"],
            name=d["name"],
            kind=d["kind"],
            leader=d["leader"],
            phone=d["phone"],
        ),
    )
    if team is not None:
        messages.success(request, f"已成立服务队：{team.name}。")
        return redirect("serviceteams:team", pk=team.pk)
    return _index(request, {"team": form}, status=400)


@login_required
@require_POST
def need_new(request: HttpRequest) -> HttpResponse:
    form = NeedForm(request.POST, choices={"region": villages_for(request.user, "serviceteams.change")})
    need = form_action(
        request,
        form,
        lambda d: need_add(
            actor=acting_user(request), region_code=d["region"], **{k: v for k, v in d.items() if k != "region"}
        ),
    )
    if need is not None:
        messages.success(request, "已登记到需求清单。")
        return redirect("serviceteams:need", pk=need.pk)
    return _index(request, {"need": form}, status=400)


@login_required
@require_POST
def order_new(request: HttpRequest) -> HttpResponse:
    teams = list(team_policy.visible_to(request.user).values_list("pk", "name")[:300])
    form = OrderForm(
        request.POST,
        choices={
            "region": villages_for(request.user, "serviceteams.change"),
            "requested_team": [(None, "（未点选）"), *teams],
        },
    )

    def place(d: dict[str, Any]) -> Order:
        team = team_policy.get_or_404(request.user, pk=d["requested_team"]) if d["requested_team"] else None
        return order_place(
            actor=acting_user(request),
            region_code=d["region"],
            category=d["category"],
            resident=d["resident"],
            description=d["description"],
            wanted_on=d["wanted_on"],
            requested_team=team,
        )

    order = form_action(request, form, place)
    if order is not None:
        messages.success(request, f"已下单：{order.number}。")
        return redirect("serviceteams:order", pk=order.pk)
    return _index(request, {"order": form}, status=400)


def _team_page(
    request: HttpRequest, team: ServiceTeam, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    can = team_policy.can(request.user, "change", team)
    people = Person.objects.filter(region_id=team.region_id).order_by("name")[:500] if can else []
    return render(
        request,
        "serviceteams/team.html",
        {
            "team": team,
            "members": selectors.members_of(team),
            "offers": selectors.offers_of(team),
            "can_change": can,
            "member_form": forms.get("member") or MemberForm(choices={"person": [(p.pk, p.name) for p in people]}),
            "offer_form": forms.get("offer") or OfferForm(),
            "account_form": forms.get("account") or AccountForm(),
        },
        status=status,
    )


@login_required
@require_GET
def team(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_page(request, team_policy.get_or_404(request.user, pk=pk))


@login_required
@require_POST
def member_new(request: HttpRequest, pk: int) -> HttpResponse:
    t = team_policy.get_or_404(request.user, pk=pk)
    people = Person.objects.filter(region_id=t.region_id).order_by("name")[:500]
    form = MemberForm(request.POST, choices={"person": [(p.pk, p.name) for p in people]})
    done = form_action(
        request,
        form,
        lambda d: member_add(
            actor=acting_user(request), team=t, person=Person.objects.get(pk=d["person"]), joined_on=d["joined_on"]
        ),
    )
    if done is not None:
        messages.success(request, "队员已入队。")
        return redirect("serviceteams:team", pk=pk)
    return _team_page(request, t, {"member": form}, status=400)


@login_required
@require_POST
def offer_new(request: HttpRequest, pk: int) -> HttpResponse:
    t = team_policy.get_or_404(request.user, pk=pk)
    form = OfferForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: offer_add(
            actor=acting_user(request),
            team=t,
            category=d["category"],
            weekdays=form.mask(),
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            note=d["note"],
        ),
    )
    if done is not None:
        messages.success(request, "已登记到意愿清单。")
        return redirect("serviceteams:team", pk=pk)
    return _team_page(request, t, {"offer": form}, status=400)


@login_required
@require_POST
def account_new(request: HttpRequest, pk: int) -> HttpResponse:
    t = team_policy.get_or_404(request.user, pk=pk)
    form = AccountForm(request.POST)
    done = form_action(
        request, form, lambda d: team_account_add(actor=acting_user(request), team=t, username=d["username"])
    )
    if done is not None:
        messages.success(request, "该账号可为本队接单。")
        return redirect("serviceteams:team", pk=pk)
    return _team_page(request, t, {"account": form}, status=400)


@login_required
@require_GET
def need(request: HttpRequest, pk: int) -> HttpResponse:
    n = need_policy.get_or_404(request.user, pk=pk)
    return render(
        request,
        "serviceteams/need.html",
        {
            "need": n,
            "matches": selectors.matches_for(n),
            "can_change": need_policy.can(request.user, "change", n),
        },
    )


@login_required
@require_POST
def need_order(request: HttpRequest, pk: int) -> HttpResponse:
    """下单 for a need of the list and dispatch it to the matching team the community picked, in one step."""
    n = need_policy.get_or_404(request.user, pk=pk)
    form = DispatchForm(request.POST, choices={"team": [(m.team_id, m.team_name) for m in selectors.matches_for(n)]})

    def place(d: dict[str, Any]) -> Order:
        o = order_place(
            actor=acting_user(request),
            region_code=n.region_id,
            category=n.category,
            resident=n.resident,
            description=n.description,
            wanted_on=n.wanted_on,
            need=n,
        )
        team = team_policy.get_or_404(request.user, pk=d["team"])
        return order_dispatch(actor=acting_user(request), order=o, team=team, expected_version=o.version)

    order = form_action(request, form, place)
    if order is None:
        messages.error(request, form_errors_text(form) or "未能派单。")
        return redirect("serviceteams:need", pk=pk)
    messages.success(request, f"已下单并派给{order.team.name if order.team else ''}。")
    return redirect("serviceteams:order", pk=order.pk)


def _order_page(request: HttpRequest, o: Order, forms: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    forms = forms or {}
    community = order_policy.can(request.user, "change", o)
    own = o.team_id is not None and o.team_id in team_ids_of(request.user)
    teams = list(ServiceTeam.objects.filter(region_id=o.region_id).values_list("pk", "name")) if community else []
    members = [(m.pk, m.person.name) for m in selectors.members_of(o.team)] if o.team else []
    return render(
        request,
        "serviceteams/order.html",
        {
            "order": o,
            "hours": selectors.hours_of(o),
            "may_dispatch": community and o.status == OrderStatus.PLACED,
            "may_answer": (community or own) and o.status == OrderStatus.DISPATCHED,
            "may_complete": (community or own) and o.status == OrderStatus.ACCEPTED,
            "may_cancel": community and o.status in (OrderStatus.PLACED, OrderStatus.DISPATCHED, OrderStatus.ACCEPTED),
            "dispatch_form": forms.get("dispatch")
            or DispatchForm(choices={"team": teams}, initial={"version": o.version}),
            "decline_form": forms.get("decline") or ReasonForm(initial={"version": o.version}),
            "cancel_form": forms.get("cancel") or ReasonForm(initial={"version": o.version}),
            "complete_form": forms.get("complete") or CompleteForm(members=members, initial={"version": o.version}),
        },
        status=status,
    )


@login_required
@require_GET
def order(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_page(request, order_or_404(request.user, pk))


@login_required
@require_POST
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    o = order_or_404(request.user, pk)
    teams = list(ServiceTeam.objects.filter(region_id=o.region_id).values_list("pk", "name"))
    form = DispatchForm(request.POST, choices={"team": teams})
    done = form_action(
        request,
        form,
        lambda d: order_dispatch(
            actor=acting_user(request),
            order=o,
            team=team_policy.get_or_404(request.user, pk=d["team"]),
            expected_version=d["version"],
        ),
    )
    if done is not None:
        messages.success(request, "已派单。")
        return redirect("serviceteams:order", pk=pk)
    return _order_page(request, o, {"dispatch": form}, status=400)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    o = order_or_404(request.user, pk)
    version = int(request.POST.get("version") or 0)
    button_action(
        request, lambda: order_accept(actor=acting_user(request), order=o, expected_version=version), done="已接单。"
    )
    return redirect("serviceteams:order", pk=pk)


def _reason_action(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    o = order_or_404(request.user, pk)
    form = ReasonForm(request.POST)
    service = order_decline if which == "decline" else order_cancel
    done = form_action(
        request,
        form,
        lambda d: service(actor=acting_user(request), order=o, reason=d["reason"], expected_version=d["version"]),
    )
    if done is not None:
        messages.success(request, "已拒单，退回社区重新派单。" if which == "decline" else "订单已取消。")
        return redirect("serviceteams:order", pk=pk)
    return _order_page(request, o, {which: form}, status=400)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(request, pk, "decline")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(request, pk, "cancel")


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    o = order_or_404(request.user, pk)
    members = [(m.pk, m.person.name) for m in selectors.members_of(o.team)] if o.team else []
    form = CompleteForm(request.POST, members=members)
    done = form_action(
        request,
        form,
        lambda d: order_complete(
            actor=acting_user(request),
            order=o,
            completed_on=d["completed_on"],
            minutes=form.minutes(),
            note=d["note"],
            expected_version=d["version"],
        ),
    )
    if done is not None:
        messages.success(request, "已完成，服务时长已登记。")
        return redirect(reverse("serviceteams:order", kwargs={"pk": pk}))
    return _order_page(request, o, {"complete": form}, status=400)
