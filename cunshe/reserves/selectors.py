from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, QuerySet

from cunshe.reserves.models import CandidateEntry, ReserveCadre
from cunshe.reserves.permissions import candidate_policy, reserve_policy
from cunshe.termchanges.models import Status as TermChangeStatus


def reserves_visible(user: Any, *, under: str = "") -> QuerySet[ReserveCadre]:
    qs = reserve_policy.visible_to(user).select_related("person", "region", "mentor")
    return qs.filter(region__startswith=under) if under else qs


def reserve_list(user: Any, *, under: str = "") -> QuerySet[ReserveCadre]:
    """The reserve list of the term changes in progress (后备干部名册), as exported and imported."""
    return reserves_visible(user, under=under).exclude(term_change__status=TermChangeStatus.COMPLETED)


def stage_counts(reserves: QuerySet[ReserveCadre]) -> dict[str, int]:
    """How many reserves are at each stage, in one grouped query."""
    return dict(reserves.order_by().values_list("stage").annotate(n=Count("pk")))


def candidates_visible(user: Any, *, under: str = "") -> QuerySet[CandidateEntry]:
    qs = candidate_policy.visible_to(user).select_related("person", "region")
    return qs.filter(region__startswith=under) if under else qs


def candidates_of(village_code: str) -> QuerySet[CandidateEntry]:
    """For other modules (the joint review, the three rates) that have already checked access to the village."""
    return CandidateEntry.objects.filter(region_id=village_code).select_related("person")


def pool_people_of(code: str) -> QuerySet[CandidateEntry, int]:
    """Ids of the people in the candidate pool under a region (a town submits them to the joint review)."""
    return CandidateEntry.objects.filter(region__startswith=code).values_list("person_id", flat=True)


@dataclass(frozen=True)
class ThreeDegrees:
    loyalty: Decimal | None
    satisfaction: Decimal | None
    competence: Decimal | None
    panel: int


_DEGREES = {
    "degree_l": Avg("evaluations__loyalty"),
    "degree_s": Avg("evaluations__satisfaction"),
    "degree_c": Avg("evaluations__competence"),
    "degree_panel": Count("evaluations"),
}


def with_three_degrees(reserves: QuerySet[ReserveCadre]) -> QuerySet[ReserveCadre]:
    """The panel's averages read with the reserves, for lists (one query instead of two per reserve)."""
    return reserves.annotate(**_DEGREES)


def three_degrees(reserve: ReserveCadre) -> ThreeDegrees:
    """The panel's average on each degree."""
    if hasattr(reserve, "degree_panel"):
        got = {name: getattr(reserve, name) for name in _DEGREES}
    else:
        got = ReserveCadre.objects.filter(pk=reserve.pk).aggregate(**_DEGREES)
    q = Decimal("0.1")
    return ThreeDegrees(
        loyalty=Decimal(got["degree_l"]).quantize(q) if got["degree_l"] is not None else None,
        satisfaction=Decimal(got["degree_s"]).quantize(q) if got["degree_s"] is not None else None,
        competence=Decimal(got["degree_c"]).quantize(q) if got["degree_c"] is not None else None,
        panel=got["degree_panel"],
    )
