"""Workbooks of the liaison-cadre module: the assignments (which the county's import reads back) and the counts."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.liaison import selectors
from cunshe.liaison.models import CadreLevel
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, format_date, parse_date, write_workbook, xlsx_response

LEVELS = {str(label): value for value, label in CadreLevel.choices}

IMPORT_COLUMNS = [
    Column("村(社区)代码", "village", width=16, required=True, as_text=True),
    Column("村(社区)名称", "village_name", width=18, export_only=True),
    Column("干部姓名", "name", width=10, required=True),
    Column("所在单位及职务", "unit", width=24, required=True),
    Column("干部类别", "level", width=14, required=True, choices=LEVELS),
    Column("联系起始日期", "started_on", parse=parse_date, width=12, required=True),
    Column("联系结束日期", "ended_on", parse=parse_date, width=12),
    Column("结束原因", "end_reason", width=20, export_only=True),
]


def assignments_response(user: Any, region: Region) -> HttpResponse:
    rows = (
        {
            "village": a.village_id,
            "village_name": a.village.name,
            "name": a.name,
            "unit": a.unit,
            "level": a.get_level_display(),
            "started_on": format_date(a.started_on),
            "ended_on": format_date(a.ended_on),
            "end_reason": a.end_reason,
        }
        for a in selectors.assignments_visible(user, region.code).iterator(chunk_size=2000)
    )
    buffer = BytesIO()
    write_workbook("驻村(包村)干部联系表", IMPORT_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}驻村(包村)干部联系表.xlsx")


def counts_response(user: Any, region: Region) -> HttpResponse:
    rows, total = selectors.counts(user, region)
    columns = [
        Column("区划代码", "code", width=14, as_text=True),
        Column("名称", "name", width=20),
        *[Column(label, key, width=14) for key, label in selectors.COUNT_LABELS.items()],
    ]
    buffer = BytesIO()
    write_workbook(
        "驻村干部三访三察统计",
        columns,
        ({"code": r.code, "name": r.name, **r.values} for r in [*rows, total]),
        buffer,
    )
    return xlsx_response(buffer.getvalue(), f"{region.name}驻村干部三访三察统计.xlsx")
