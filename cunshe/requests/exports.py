"""Excel of the daily report and the weekly review (spreadsheets.layout), and the blank 12345 work-order sheet
the import reads."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from cunshe.requests.selectors import Report
from cunshe.requests.services import HOTLINE_COLUMNS
from cunshe.spreadsheets.layout import Column, write_workbook

REPORT_COLUMNS = [
    Column("区域代码", "code", as_text=True, width=14),
    Column("区域", "name", width=22),
    Column("受理", "received", width=8),
    Column("办结", "closed", width=8),
    Column("重新办理", "reopened", width=10),
    Column("在办", "open", width=8),
    Column("逾期在办", "overdue", width=10),
    Column("评价", "rated", width=8),
    Column("群众认为已解决", "solved", width=14),
    Column("解决率", "solved_rate", width=10),
    Column("平均满意度", "satisfaction", width=12),
]


def report_xlsx(report: Report, *, weekly: bool) -> bytes:
    def rows() -> Any:
        for r in [*report.rows, report.total]:
            yield {
                "code": r.code,
                "name": r.name,
                **r.values,
                "solved_rate": r.solved_rate,
                "satisfaction": r.satisfaction,
            }

    buffer = BytesIO()
    write_workbook("民情周会审" if weekly else "民情日报告", REPORT_COLUMNS, rows(), buffer)
    return buffer.getvalue()


def hotline_template_xlsx() -> bytes:
    buffer = BytesIO()
    write_workbook("12345工单", HOTLINE_COLUMNS, [], buffer)
    return buffer.getvalue()
