"""Reads of the visits module: plans and visits of a village, and the coverage table of any region, summed from
the per-village coverage rows by code prefix (one query, however many villages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db.models import QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change
from cunshe.visits.models import DEFAULT_TARGETS, CoverageTarget, Group, Visit, VisitTarget
from cunshe.visits.permissions import coverage_policy, target_policy, visit_policy

CHILD_LENGTH = {2: 4, 4: 6, 6: 9, 9: 12, 12: 12}


@dataclass
class Cell:
    planned: int = 0
    visited: int = 0
    by_phone: int = 0
    away: int = 0
    target: int = 100

    @property
    def rate(self) -> float | None:
        return round(100 * self.visited / self.planned, 1) if self.planned else None

    @property
    def in_person(self) -> int:
        return self.visited - self.by_phone

    @property
    def unvisited(self) -> int:
        return self.planned - self.visited

    @property
    def met(self) -> bool:
        # Integer arithmetic: 99.5% of 200 party members is not 100%.
        return self.planned > 0 and self.visited * 100 >= self.target * self.planned

    def add(self, other: Cell) -> None:
        self.planned += other.planned
        self.visited += other.visited
        self.by_phone += other.by_phone
        self.away += other.away


@dataclass
class CoverageRow:
    code: str
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)

    @property
    def ordered(self) -> list[Cell]:
        return [self.cells[g] for g in Group.values]


@dataclass
class CoverageTable:
    under: str
    term_change: TermChange | None
    targets: dict[str, int]
    rows: list[CoverageRow]
    total: CoverageRow


def coverage_targets(term_change: TermChange | None) -> dict[str, int]:
    targets = dict(DEFAULT_TARGETS)
    if term_change is not None:
        targets.update(dict(CoverageTarget.objects.filter(term_change=term_change).values_list("group", "percent")))
    return targets


def coverage_table(user: Any, under: str) -> CoverageTable:
    term_change = current_term_change(under) if len(under) >= 6 else None
    targets = coverage_targets(term_change)
    groups = list(Group.values)
    total = CoverageRow(code=under, name="合计", cells={g: Cell(target=targets[g]) for g in groups})
    if term_change is None:
        return CoverageTable(under=under, term_change=None, targets=targets, rows=[], total=total)
    length = CHILD_LENGTH.get(len(under), 12)
    sums = (
        coverage_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under)
        .annotate(child=Substr("region_id", 1, length))
        .values("child", "group")
        .annotate(planned=Sum("planned"), visited=Sum("visited"), by_phone=Sum("by_phone"), away=Sum("away"))
        .order_by("child")
    )
    rows: dict[str, CoverageRow] = {}
    for s in sums:
        row = rows.setdefault(
            s["child"], CoverageRow(code=s["child"], name="", cells={g: Cell(target=targets[g]) for g in groups})
        )
        cell = Cell(s["planned"], s["visited"], s["by_phone"], s["away"], targets[s["group"]])
        row.cells[s["group"]] = cell
        row.total.add(cell)
        total.cells[s["group"]].add(cell)
        total.total.add(cell)
    names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
    for row in rows.values():
        row.name = names.get(row.code, row.code)
    return CoverageTable(under=under, term_change=term_change, targets=targets, rows=list(rows.values()), total=total)


def targets_of_village(user: Any, village_code: str, *, unvisited_only: bool = False) -> QuerySet[VisitTarget]:
    qs = target_policy.visible_to(user).filter(region_id=village_code).select_related("person")
    if unvisited_only:
        qs = qs.filter(visited_on__isnull=True)
    return qs.order_by("visited_on", "group", "person__name")


def visits_of_target(user: Any, target: VisitTarget) -> QuerySet[Visit]:
    return visit_policy.visible_to(user).filter(target=target).order_by("-visited_on", "-id")


def intended_candidates(village_code: str, term_change: TermChange) -> QuerySet[Visit]:
    """Visits that found an intention to stand, for the rehearsal view of a village already checked for access."""
    return Visit.objects.filter(
        region_id=village_code, target__term_change=term_change, intends_to_stand=True
    ).select_related("target__person")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def coverage_export(table: CoverageTable, target: BinaryIO) -> int:
    """The coverage table as one Excel sheet: a line per region, three columns per group, then the totals."""
    columns = [Column("区划代码", "code", width=14, as_text=True), Column("名称", "name", width=18)]
    for group, label in Group.choices:
        columns += [
            Column(f"{label}应访", f"{group}_planned", width=9),
            Column(f"{label}已访", f"{group}_visited", width=9),
            Column(f"{label}电话联访", f"{group}_by_phone", width=10),
            Column(f"{label}覆盖率(%)", f"{group}_rate", width=11),
            Column(f"{label}达标(目标{table.targets[group]}%)", f"{group}_met", width=12),
        ]
    rows = []
    for row in [*table.rows, table.total]:
        values: dict[str, Any] = {"code": row.code, "name": row.name}
        for group in Group.values:
            cell = row.cells[group]
            values |= {
                f"{group}_planned": cell.planned,
                f"{group}_visited": cell.visited,
                f"{group}_by_phone": cell.by_phone,
                f"{group}_rate": cell.rate if cell.rate is not None else "",
                f"{group}_met": ("是" if cell.met else "否") if cell.planned else "",
            }
        rows.append(values)
    return write_workbook("走访覆盖率", columns, rows, target)
