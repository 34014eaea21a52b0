"""Reads of polling, for the pages, the API and the printouts: one election's arrangements in a constant number of
queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from cunshe.elections.models import Election
from cunshe.polling.models import MobileVoter, Proxy, Publication, StaffMember, Station
from cunshe.voters.models import Voter


@dataclass
class Overview:
    election: Election
    stations: list[Station]
    proxies: list[Proxy]
    published: dict[str, Publication]


def overview(election: Election) -> Overview:
    stations = list(
        Station.objects.filter(election=election)
        .prefetch_related(
            Prefetch("staff", queryset=StaffMember.objects.select_related("person").order_by("role", "pk")),
            Prefetch("mobile_voters", queryset=MobileVoter.objects.select_related("voter__person")),
        )
        .order_by("position")
    )
    proxies = list(
        Proxy.objects.filter(election=election).prefetch_related("principal__person", "trustee__person").order_by("pk")
    )
    published = {p.what: p for p in Publication.objects.filter(election=election)}
    return Overview(election, stations, proxies, published)


def voters_of(election: Election) -> Any:
    return (
        Voter.objects.filter(register__election=election, removed_on__isnull=True)
        .select_related("person")
        .order_by("group", "pk")
    )
