"""Reads of centralized education; the roll-up groups the tasks in the database (a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.education.models import Campaign, Kind, VillageTask
from cunshe.education.permissions import campaign_policy, task_policy
from cunshe.regions.models import Region
from cunshe.regions.selectors import rollup_rows


def campaigns_visible(user: Any) -> QuerySet[Campaign]:
    return campaign_policy.visible_to(user).select_related("region").order_by("-starts_on", "-id")


@dataclass
class Cell:
    total: int = 0
    done: int = 0
    overdue: int = 0


@dataclass
class EducationRow:
    code: str
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)


def rollup(user: Any, campaign: Campaign, region: Region) -> tuple[list[EducationRow], EducationRow]:
    """Per town of a county or per village of a town: each task's villages, done and overdue (undone after the
    campaign's end)."""
    width = 12 if len(region.code) >= 9 else 9
    late = campaign.ends_on < timezone.localdate()
    rows = {
        code: EducationRow(code, name, {k: Cell() for k in campaign.kinds})
        for code, name in rollup_rows(user, region.code).items()
    }
    got = (
        task_policy.visible_to(user)
        .filter(campaign=campaign, region__startswith=region.code)
        .annotate(unit=Substr("region_id", 1, width))
        .values("unit", "kind")
        .annotate(total=Count("id"), done=Count("id", filter=Q(done_on__isnull=False)))
        .order_by()
    )
    for g in got:
        if g["unit"] in rows and g["kind"] in rows[g["unit"]].cells:
            cell = rows[g["unit"]].cells[g["kind"]]
            cell.total, cell.done = g["total"], g["done"]
            cell.overdue = cell.total - cell.done if late else 0
    total = EducationRow(region.code, f"{region.name}合计", {k: Cell() for k in campaign.kinds})
    for row in rows.values():
        for k, c in row.cells.items():
            t = total.cells[k]
            t.total, t.done, t.overdue = t.total + c.total, t.done + c.done, t.overdue + c.overdue
    return list(rows.values()), total


def tasks_of(user: Any, campaign: Campaign, village: str) -> QuerySet[VillageTask]:
    return task_policy.visible_to(user).filter(campaign=campaign, region_id=village).order_by("kind")


def kind_labels(campaign: Campaign) -> list[str]:
    return [Kind(k).label for k in campaign.kinds]
