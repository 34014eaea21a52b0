"""Reads of the service teams, always from the scoped querysets of permissions.py; lists in a constant number of
queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from cunshe.serviceteams import matching
from cunshe.serviceteams.models import Hours, Member, Need, Offer, Order, OrderStatus, ServiceTeam
from cunshe.serviceteams.permissions import need_policy, orders_visible, team_policy

OPEN = (OrderStatus.PLACED, OrderStatus.DISPATCHED, OrderStatus.ACCEPTED)


def teams_visible(user: Any) -> QuerySet[ServiceTeam]:
    return (
        team_policy.visible_to(user)
        .select_related("region")
        .annotate(
            n_members=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            minutes=Sum("members__hours__minutes", default=0),
        )
        .order_by("region_id", "name", "pk")  # pk last: a total order, so pages neither skip nor repeat
    )


def needs_visible(user: Any) -> QuerySet[Need]:
    return need_policy.visible_to(user).select_related("region").order_by("-wanted_on", "-pk")


def orders_of(user: Any) -> QuerySet[Order]:
    return orders_visible(user, Order.objects.select_related("region", "team")).order_by("-created_at", "-pk")


def members_of(team: ServiceTeam) -> list[Member]:
    return list(
        team.members.filter(left_on__isnull=True)
        .select_related("person")
        .annotate(minutes=Sum("hours__minutes", default=0))
        .order_by("joined_on", "pk")
    )


def offers_of(team: ServiceTeam) -> list[Offer]:
    return list(team.offers.filter(withdrawn_at__isnull=True).order_by("category", "starts_at"))


def hours_of(order: Order) -> list[Hours]:
    return list(order.hours.select_related("member__person").order_by("pk"))


def matches_for(need: Need) -> list[matching.Match]:
    """The teams of the need's village whose willingness fits it (the rule is in matching.py)."""
    offers = Offer.objects.filter(team__region_id=need.region_id, withdrawn_at__isnull=True, category=need.category)
    rows = [
        (o.pk, o.team_id, o.team.name, matching.Window(o.category, o.weekdays, o.starts_at, o.ends_at))
        for o in offers.select_related("team")
    ]
    load = dict(
        Order.objects.filter(region_id=need.region_id, status__in=OPEN, team__isnull=False)
        .values_list("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    return matching.rank(need.category, need.wanted_on, need.starts_at, need.ends_at, rows, load)
