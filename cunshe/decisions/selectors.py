"""Reads of 四议两公开, from the policy's scoped querysets (or, for the public and other modules' statistics, a
village already checked by the caller)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from cunshe.decisions.models import Decision, Meeting, Status
from cunshe.decisions.permissions import decision_policy, rules_policy
from cunshe.regions.models import Region

# A decision is public once its resolution is disclosed: before that it is the village's internal deliberation.
PUBLIC_STATUSES = (Status.RESULT_DISCLOSURE, Status.DONE)


def decisions_in(user: Any, under: str) -> QuerySet[Decision]:
    return (
        decision_policy.visible_to(user)
        .filter(region_id__startswith=under)
        .select_related("region")
        .order_by("region_id", "-created_at", "-pk")  # pk last: rows made in one instant keep one order
    )


def decision_detail(user: Any, pk: int) -> Decision:
    return decision_policy.get_or_404(
        user,
        queryset=Decision.objects.select_related("region").prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.order_by("number")), "disclosures"
        ),
        pk=pk,
    )


def rules_of(user: Any, county_code: str) -> list[Any]:
    return list(rules_policy.visible_to(user).filter(region_id__in=[county_code[:6], county_code[:2]]))


def public_decisions(village_code: str) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(region_id=village_code, status__in=PUBLIC_STATUSES)
        .prefetch_related("disclosures")
        .order_by("-resolved_on", "-pk")
    )


def count_for_village(village: Region | str, start: date, end: date) -> int:
    """四议两公开 decisions the village resolved (its villagers' (representatives') meeting passed the resolution)
    between start and end, both included: for the first secretaries' statistics. Unscoped: the caller has checked
    access to the village."""
    code = village if isinstance(village, str) else village.code
    return Decision.objects.filter(region_id=code, resolved_on__gte=start, resolved_on__lte=end).count()
