from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cunshe.teams.models import Committee, Post, TeamMember
from cunshe.teams.permissions import team_policy


def team_of(user: Any, village_code: str, *, current: bool = True) -> QuerySet[TeamMember]:
    qs = team_policy.visible_to(user).filter(region_id=village_code).select_related("person")
    qs = qs.filter(ended_on__isnull=True) if current else qs.filter(ended_on__isnull=False)
    return qs.order_by("committee", "post", "started_on")


def current_members(village_code: str) -> QuerySet[TeamMember]:
    """For services of other modules that have already checked access to the village."""
    return TeamMember.objects.filter(region_id=village_code, ended_on__isnull=True).select_related("person")


def dual_role_holder(members: list[TeamMember]) -> Any:
    """一肩挑: the person who is both party secretary and committee director, if there is one."""
    secretaries = {m.person_id for m in members if m.post == Post.SECRETARY and m.committee == Committee.PARTY}
    for m in members:
        if m.post == Post.DIRECTOR and m.person_id in secretaries:
            return m.person
    return None
