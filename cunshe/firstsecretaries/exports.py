"""The statistics roll-up as a workbook: one row per town (or village) and the total, one column per statistic."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.firstsecretaries import selectors
from cunshe.firstsecretaries.statistics import statistics
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response


def statistics_response(user: Any, region: Region) -> HttpResponse:
    rows, total = selectors.rollup(user, region)
    columns = [
        Column("区划代码", "code", width=14, as_text=True),
        Column("名称", "name", width=20),
        Column("在任第一书记（名）", "postings", width=12),
        *[Column(f"{s.label}（{s.unit}）", s.kind, width=14) for s in statistics()],
    ]
    buffer = BytesIO()
    write_workbook(
        "第一书记工作统计",
        columns,
        ({"code": r.code, "name": r.name, "postings": r.postings, **r.values} for r in [*rows, total]),
        buffer,
    )
    return xlsx_response(buffer.getvalue(), f"{region.name}第一书记工作统计.xlsx")
