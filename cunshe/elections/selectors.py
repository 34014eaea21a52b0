"""Reads of the elections module, always through the access rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from cunshe.elections.models import CommitteeMember, Election, ElectionPost, ElectionRules
from cunshe.elections.permissions import election_policy, rules_policy


def elections_visible(
    user: Any, *, under: str = "", kind: str = "", status: str = "", day: Any = None
) -> QuerySet[Election]:
    qs = (
        election_policy.visible_to(user)
        .select_related("region", "rules", "term_change")
        .prefetch_related(Prefetch("posts", queryset=ElectionPost.objects.order_by("position")))
    )
    if under:
        qs = qs.filter(region__startswith=under)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if day:
        qs = qs.filter(election_day=day)
    return qs.order_by("region", "kind", "election_day", "pk")


def committee_of(election: Election) -> list[CommitteeMember]:
    """Serving members first (chair, vice chair, members, then alternates in order), then those who left."""
    members = list(election.committee_members.select_related("person", "replaces__person"))
    order = {"chair": 0, "vice_chair": 1, "member": 2, "alternate": 3}
    return sorted(members, key=lambda m: (m.withdrawn_on is not None, order[m.role], m.position))


def rules_visible(user: Any) -> QuerySet[ElectionRules]:
    """The national sets, the provinces' of the user's regions, and the county sets the user may read."""
    provinces = sorted({p[:2] for p in election_policy.regions_for(user)})
    county_q = rules_policy.visible_to(user).values("pk")
    return ElectionRules.objects.filter(
        Q(county__isnull=True, province="") | Q(county__isnull=True, province__in=provinces) | Q(pk__in=county_q)
    ).order_by("kind", "province", "county", "-effective_from")
