"""The campaign's ledger of a region as a workbook (the page and the API hand out the same file)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.education.models import Campaign
from cunshe.education.permissions import task_policy
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, parse_date, write_workbook, xlsx_response

LEDGER_COLUMNS = [
    Column("村(社区)代码", "region", width=14, as_text=True),
    Column("村(社区)", "region_name", width=20),
    Column("任务", "kind", width=14),
    Column("完成日期", "done_on", parse=parse_date, width=12),
    Column("完成情况", "note", width=50),
]


def ledger_response(user: Any, c: Campaign, region: Region) -> HttpResponse:
    tasks = (
        task_policy.visible_to(user)
        .filter(campaign=c, region__startswith=region.code)
        .select_related("region")
        .order_by("region_id", "kind")
    )
    rows = (
        {
            "region": t.region_id,
            "region_name": t.region.name,
            "kind": t.get_kind_display(),
            "done_on": t.done_on,
            "note": t.note,
        }
        for t in tasks.iterator(2000)
    )
    buffer = BytesIO()
    write_workbook("集中教育台账", LEDGER_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}{c.title}台账.xlsx")
