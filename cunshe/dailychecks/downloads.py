"""The monthly indicator table of a town or county (Excel), handed out by the page and the API alike."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.dailychecks import selectors
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response

INDICATOR_COLUMNS = [
    Column("村(社区)代码", "code", width=14, as_text=True),
    Column("村(社区)", "village", width=20),
    Column("姓名", "name", width=10),
    Column("应查天数(工作日)", "due", width=10),
    Column("已查天数", "done", width=10),
    Column("完成率", "rate", width=8),
    Column("发现问题", "found", width=10),
    Column("已整改", "closed", width=10),
]


def indicators_response(user: Any, region: Region, month: date, as_of: date) -> HttpResponse:
    buffer = BytesIO()
    rows = ({**line.__dict__, "rate": line.rate} for line in selectors.cadre_lines(user, region, month, as_of))
    write_workbook(f"{month:%Y-%m}每日必查", INDICATOR_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}{month:%Y年%m月}村干部每日必查指标.xlsx")
