"""Reads of the volunteer teams, from the policies' scoped querysets. The roll-up sums the stored summary rows by
code prefix (one grouped query whatever the county's size), never the activities themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.polling.models import Station
from cunshe.regions.models import Region
from cunshe.regions.selectors import rollup_rows
from cunshe.volunteers.models import VolunteerActivity, VolunteerMember, VolunteerParticipation, VolunteerTeam
from cunshe.volunteers.permissions import activity_policy, member_policy, summary_policy, team_policy


def station_choices(village_code: str) -> QuerySet[Station]:
    """The polling stations a team of this village may name: those of its own village's elections only."""
    return (
        Station.objects.filter(election__region_id=village_code)
        .select_related("election")
        .order_by("-election__election_day", "election__kind", "position")
    )


def station_label(station: Station) -> str:
    return f"{station.election.election_day:%Y-%m-%d} {station.election.get_kind_display()} · {station}"


def teams_visible(user: Any, under: str = "") -> QuerySet[VolunteerTeam]:
    qs = team_policy.visible_to(user).select_related("region")
    if under:
        qs = qs.filter(region__startswith=under)
    return qs.annotate(n_members=Count("members", filter=Q(members__left_on__isnull=True))).order_by("region", "name")


def members_of(team: VolunteerTeam) -> list[VolunteerMember]:
    """Everyone who was ever in the team, those still in first."""
    return list(team.members.select_related("person").order_by("left_on", "joined_on", "pk"))


def activities_of(team: VolunteerTeam) -> list[VolunteerActivity]:
    names = VolunteerParticipation.objects.select_related("member").order_by("member__pk")
    return list(
        team.activities.select_related("station__election")
        .prefetch_related(Prefetch("participations", queryset=names))
        .order_by("-held_on")
    )


def members_under(user: Any, code: str) -> QuerySet[VolunteerMember]:
    return (
        member_policy.visible_to(user)
        .filter(team__region__startswith=code, left_on__isnull=True)
        .select_related("team__region")
        .order_by("team__region", "team__name", "joined_on", "pk")
    )


def activities_under(user: Any, code: str) -> QuerySet[VolunteerActivity]:
    return activity_policy.visible_to(user).filter(region__startswith=code)


@dataclass
class VolunteerRow:
    code: str
    name: str
    teams: int = 0
    people: int = 0
    activities: int = 0
    turnouts: int = 0
    households: int = 0


FIELDS = ("teams", "people", "activities", "turnouts", "households")


def rollup(user: Any, region: Region) -> tuple[list[VolunteerRow], VolunteerRow]:
    """Per village of a town, or per town of a county (or the village itself), from the summary rows."""
    width = {6: 9, 9: 12}.get(len(region.code), 12)
    rows = {code: VolunteerRow(code, name) for code, name in rollup_rows(user, region.code).items()}
    sums = (
        summary_policy.visible_to(user)
        .filter(region__startswith=region.code)
        .annotate(unit=Substr("region_id", 1, width))
        .values("unit")
        .annotate(**{f: Sum(f) for f in FIELDS})
        .order_by()
    )
    for s in sums:
        found: dict[str, Any] = dict(s)
        row = rows.get(found["unit"])
        if row is not None:
            for f in FIELDS:
                setattr(row, f, found[f] or 0)
    total = VolunteerRow(region.code, "合计")
    for row in rows.values():
        for f in FIELDS:
            setattr(total, f, getattr(total, f) + getattr(row, f))
    return list(rows.values()), total
