"""Workbook downloads: the pages and the API hand out the same files."""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

from django.http import HttpResponse

from cunshe.people.selectors import shows_id_number
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response
from cunshe.visits.models import (
    Group,
)
from cunshe.visits.selectors import CoverageTable, coverage_table, targets_of_village
from cunshe.visits.services import PLAN_EXPORT_COLUMNS


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


def coverage_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    coverage_export(coverage_table(user, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"走访覆盖率_{region.name}.xlsx")


def plan_response(user: Any, village: Region) -> HttpResponse:
    """The village's plan in the import layout (so it doubles as the template), with who is still unvisited."""
    rows = []
    for t in targets_of_village(user, village.code):
        number = t.person.id_number if shows_id_number(user, t.person) else t.person.id_number_masked
        rows.append(
            {
                "id_number": number,
                "name": t.person.name,
                "group": t.group,
                "visitor": t.visitor,
                "due_on": t.due_on,
                "is_away": t.is_away,
                "visited_on": t.visited_on,
                "visited_mode": t.visited_mode,
            }
        )
    buffer = BytesIO()
    write_workbook("走访计划", PLAN_EXPORT_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"走访计划_{village.name}.xlsx")
