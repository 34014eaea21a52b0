"""Workbook downloads: the pages and the API hand out the same files."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.people.selectors import shows_id_number
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import write_workbook, xlsx_response
from cunshe.visits.selectors import coverage_export, coverage_table, targets_of_village
from cunshe.visits.services import PLAN_EXPORT_COLUMNS


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
