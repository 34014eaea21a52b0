"""Who sees what: staff by region (the community keeps its teams, needs and orders and dispatches); a team's own
account (TeamAccount) sees and answers only the orders dispatched to its team, whatever its region."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cunshe.access.policy import RegionPolicy, scope_q
from cunshe.core.actors import is_system
from cunshe.core.errors import NotPermitted
from cunshe.serviceteams.models import Need, Order, ServiceTeam

_VIEW = "serviceteams.view"
_CHANGE = "serviceteams.change"
NOT_FOUND = "未找到该记录。"

team_policy = RegionPolicy(ServiceTeam, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
need_policy = RegionPolicy(Need, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
order_policy = RegionPolicy(Order, region_path="region", actions={"view": _VIEW, "change": _CHANGE})


def team_ids_of(user: Any) -> list[int]:
    """The teams this account answers for (kept on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_cunshe_service_teams", None)
    if cached is None:
        cached = user._cunshe_service_teams = list(user.service_teams.values_list("team_id", flat=True))
    return list(cached)


def orders_visible(user: Any, queryset: QuerySet[Order] | None = None) -> QuerySet[Order]:
    """Orders under the user's regions, or dispatched to a team the user answers for."""
    qs = queryset if queryset is not None else Order.objects.all()
    condition: Q | None = scope_q(user, _VIEW, "region")
    teams = team_ids_of(user)
    if teams:
        condition = (condition | Q(team_id__in=teams)) if condition is not None else Q(team_id__in=teams)
    return qs.none() if condition is None else qs.filter(condition)


def order_or_404(user: Any, pk: int) -> Order:
    order = orders_visible(user, Order.objects.select_related("team", "need")).filter(pk=pk).first()
    if order is None:
        raise Http404(NOT_FOUND)
    return order


def check_team_answer(actor: Any, order: Order) -> None:
    """Accept, decline, complete: the team's own account, or the community on the team's behalf (a phone call)."""
    if is_system(actor) or (order.team_id is not None and order.team_id in team_ids_of(actor)):
        return
    if not order_policy.can(actor, "view", order) and order.team_id not in team_ids_of(actor):
        raise Http404(NOT_FOUND)
    if not order_policy.can(actor, "change", order):
        raise NotPermitted("只有承接的服务队或村(社区)可以办理此订单。")
