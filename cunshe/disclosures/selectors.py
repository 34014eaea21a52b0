"""Reads of 党务村务财务公开, from the policy's scoped querysets; the county page reads the town roll-up rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.disclosures.models import Disclosure, Kind, Obligation
from cunshe.disclosures.permissions import disclosure_policy, obligation_policy, tally_policy
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import rollup_rows


def disclosures_in(user: Any, under: str) -> QuerySet[Disclosure]:
    return (
        disclosure_policy.visible_to(user)
        .filter(region_id__startswith=under)
        .select_related("region", "decision")
        .prefetch_related("photos")
        .order_by("region_id", "-published_on", "-created_at", "-id")  # a total order: the list pages
    )


def obligations_in(user: Any, under: str, *, open_only: bool = True) -> QuerySet[Obligation]:
    qs = obligation_policy.visible_to(user).filter(region_id__startswith=under).select_related("region")
    return (qs.filter(done_on__isnull=True) if open_only else qs).order_by("due_at", "region_id")


def disclosure_detail(user: Any, pk: int) -> Disclosure:
    return disclosure_policy.get_or_404(
        user, queryset=Disclosure.objects.select_related("region", "decision").prefetch_related("photos"), pk=pk
    )


def public_disclosures(village_code: str) -> QuerySet[Disclosure]:
    return (
        Disclosure.objects.filter(region_id=village_code, published_on__isnull=False)
        .prefetch_related("photos")
        .order_by("-published_on", "-pk")
    )


@dataclass
class Cell:
    due: int = 0
    done: int = 0
    done_late: int = 0
    overdue: int = 0
    published: int = 0


@dataclass
class RollupRow:
    code: str
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)


def rollup(user: Any, region: Region) -> list[RollupRow]:
    """Per town of a county (from the roll-up rows, plus one count of overdue obligations), or per village of a
    town (a town's few villages, counted from their obligations and disclosures)."""
    names = rollup_rows(user, region.code)
    rows = {code: RollupRow(code, name, {k: Cell() for k in Kind.values}) for code, name in names.items()}
    now = timezone.now()
    if region.level == Level.COUNTY:
        for t in tally_policy.visible_to(user).filter(region_id__startswith=region.code):
            if t.region_id in rows:
                c = rows[t.region_id].cells[t.kind]
                c.due, c.done, c.done_late, c.published = t.due, t.done, t.done_late, t.published
        overdue = (
            obligation_policy.visible_to(user)
            .filter(region_id__startswith=region.code, done_on__isnull=True, due_at__lt=now)
            .annotate(town=Substr("region_id", 1, 9))
            .values("town", "kind")
            .annotate(n=Count("id"))
        )
        for o in overdue:
            if o["town"] in rows:
                rows[o["town"]].cells[o["kind"]].overdue = o["n"]
        return list(rows.values())
    counts = (
        obligation_policy.visible_to(user)
        .filter(region_id__startswith=region.code)
        .values("region_id", "kind")
        .annotate(
            due=Count("id"),
            done=Count("id", filter=Q(done_on__isnull=False)),
            overdue=Count("id", filter=Q(done_on__isnull=True, due_at__lt=now)),
            late=Count("disclosure", filter=Q(disclosure__late=True)),
        )
    )
    for v in counts:
        if v["region_id"] in rows:
            c = rows[v["region_id"]].cells[v["kind"]]
            c.due, c.done, c.overdue, c.done_late = v["due"], v["done"], v["overdue"], v["late"]
    published = (
        disclosure_policy.visible_to(user)
        .filter(region_id__startswith=region.code, published_on__isnull=False)
        .values("region_id", "kind")
        .annotate(n=Count("id"))
    )
    for p in published:
        if p["region_id"] in rows:
            rows[p["region_id"]].cells[p["kind"]].published = p["n"]
    return list(rows.values())


def count_for_village(village: Region | str, start: date, end: date) -> int:
    """Disclosures the village published between start and end, both included (every kind): for the first
    secretaries' statistics. Unscoped: the caller has checked access to the village."""
    code = village if isinstance(village, str) else village.code
    return Disclosure.objects.filter(region_id=code, published_on__gte=start, published_on__lte=end).count()
