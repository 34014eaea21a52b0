"""The projects' ledger under a region as a workbook (the page and the API hand out the same file)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.breakthroughs import selectors
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, parse_date, write_workbook, xlsx_response

LEDGER_COLUMNS = [
    Column("村(社区)", "region", width=20),
    Column("书记", "secretary", width=10),
    Column("任务", "task", width=24),
    Column("项目名称", "title", width=30),
    Column("状态", "status", width=12),
    Column("节点完成", "milestones", width=10),
    Column("逾期节点", "late", width=8),
    Column("审定日期", "approved_on", parse=parse_date, width=12),
    Column("完成日期", "finished_on", parse=parse_date, width=12),
    Column("评价等次", "rating", width=8),
]


def ledger_response(user: Any, place: Region) -> HttpResponse:
    projects: Any = selectors.projects_under(user, place.code)  # annotated with the milestone counts
    rows = (
        {
            "region": p.region.name,
            "secretary": p.secretary.name,
            "task": p.task.title,
            "title": p.title,
            "status": p.get_status_display(),
            "milestones": f"{p.reached}/{p.planned}",
            "late": p.late,
            "approved_on": p.approved_on,
            "finished_on": p.finished_on,
            "rating": p.get_rating_display() if p.rating else "",
        }
        for p in projects
    )
    buffer = BytesIO()
    write_workbook("书记突破项目台账", LEDGER_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{place.name}书记突破项目台账.xlsx")
