"""Reads of the first-year programme, always from the policy's scoped querysets (or a region already checked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.deadlines.calendar import deadline_day, working_days_between
from cunshe.firstyear.models import DueUnit, Programme, ProgrammeItem, Progress
from cunshe.firstyear.permissions import item_policy, programme_policy, progress_policy, tally_policy
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import rollup_rows


def county_items(user: Any, county_code: str) -> list[ProgrammeItem]:
    return list(item_policy.visible_to(user).filter(county_id=county_code[:6]).order_by("position", "id"))


def programme_of(user: Any, village_code: str) -> Programme | None:
    """The village's programme of its latest term change (None: its committee election is not certified yet)."""
    return (
        programme_policy.visible_to(user)
        .filter(region_id=village_code)
        .select_related("election", "term_change")
        .order_by("-elected_on")
        .first()
    )


def progress_of(user: Any, programme: Programme) -> list[Progress]:
    return list(
        progress_policy.visible_to(user)
        .filter(programme=programme)
        .select_related("item", "done_by")
        .order_by("item__position", "item_id")
    )


def overdue_text(progress: Progress, now: datetime | None = None) -> str:
    """How late an open item is, in the unit its deadline is counted in (working days follow the holiday
    schedule with its make-up weekends); empty when not late."""
    now = now or timezone.now()
    if progress.is_done or now <= progress.due_at:
        return ""
    if progress.item.due_unit == DueUnit.WORKING_DAYS:
        days = working_days_between(progress.due_at, now)
        return f"逾期 {days.normalize():f} 个工作日"
    return f"逾期 {(timezone.localdate(now) - deadline_day(progress.due_at)).days} 天"


def is_late(progress: Progress) -> bool:
    return progress.done_on is not None and progress.done_on > deadline_day(progress.due_at)


@dataclass
class Cell:
    villages: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def share(self) -> Fraction:
        return Fraction(self.done, self.villages) if self.villages else Fraction(0)

    @property
    def percent(self) -> str:
        """The share done as a percentage to one decimal, for reading (the figure itself is the exact fraction)."""
        return f"{float(self.share * 100):.1f}" if self.villages else "—"

    def add(self, other: Cell) -> None:
        self.villages += other.villages
        self.done += other.done
        self.overdue += other.overdue


@dataclass
class RollupRow:
    code: str
    name: str
    cells: dict[int, Cell] = field(default_factory=dict)
    opened: bool = True

    @property
    def overdue_total(self) -> int:
        return sum(c.overdue for c in self.cells.values())

    def cell(self, item_id: int) -> Cell:
        return self.cells.setdefault(item_id, Cell())


@dataclass
class RollupTable:
    region: Region
    items: list[ProgrammeItem]
    rows: list[RollupRow]
    total: RollupRow
    drill: bool  # rows are towns (link to their table) rather than villages (link to the village page)

    def grid(self) -> list[tuple[RollupRow, list[Cell]]]:
        return [(row, [row.cell(i.pk) for i in self.items]) for row in self.rows]

    def total_cells(self) -> list[Cell]:
        return [self.total.cell(i.pk) for i in self.items]


def rollup(user: Any, region: Region) -> RollupTable:
    """Per town of a county (sums of the town roll-up rows, plus overdue from the open rows' indexed due moment) or
    per village of a town (its villages' progress rows). A constant number of queries whatever the size."""
    items = county_items(user, region.code)
    names = rollup_rows(user, region.code)
    rows = {code: RollupRow(code=code, name=name) for code, name in names.items()}
    now = timezone.now()
    if region.level == Level.COUNTY:
        tallies = tally_policy.visible_to(user).filter(region__startswith=region.code)
        for t in tallies.values("region_id", "item_id", "villages", "done"):
            if t["region_id"] in rows:
                cell = rows[t["region_id"]].cell(t["item_id"])
                cell.villages, cell.done = t["villages"], t["done"]
        overdue = (
            progress_policy.visible_to(user)
            .filter(region__startswith=region.code, done_on__isnull=True, due_at__lt=now)
            .annotate(town=Substr("region_id", 1, 9))
            .values("town", "item_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for o in overdue:
            if o["town"] in rows:
                rows[o["town"]].cell(o["item_id"]).overdue = o["n"]
    else:
        for code in rows:
            rows[code].opened = False
        progress = progress_policy.visible_to(user).filter(region__startswith=region.code)
        for p in progress.values("region_id", "item_id", "done_on", "due_at"):
            if p["region_id"] not in rows:
                continue
            row = rows[p["region_id"]]
            row.opened = True
            cell = row.cell(p["item_id"])
            cell.villages = 1
            cell.done = 1 if p["done_on"] else 0
            cell.overdue = 1 if not p["done_on"] and p["due_at"] < now else 0
    total = RollupRow(code=region.code, name=f"{region.name}合计")
    for row in rows.values():
        for item in items:
            total.cell(item.pk).add(row.cell(item.pk))
    return RollupTable(
        region=region, items=items, rows=list(rows.values()), total=total, drill=region.level == Level.COUNTY
    )
