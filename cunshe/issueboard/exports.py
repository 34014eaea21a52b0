"""The board as a workbook download: the page and the API hand out the same file."""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

from django.http import HttpResponse

from cunshe.issueboard.selectors import Board, board
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response

BOARD_COLUMNS = [
    Column("区划代码", "code", width=14, as_text=True),
    Column("名称", "name", width=18),
    Column("未销号", "open", width=9),
    Column("其中逾期", "overdue", width=9),
    Column("已销号", "closed", width=9),
    Column("销号率(%)", "progress", width=10),
    Column("重点难点村", "difficult", width=10),
]


def board_export(table: Board, target: BinaryIO) -> int:
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "open": r.open,
            "overdue": r.overdue,
            "closed": r.closed,
            "progress": "" if r.progress is None else r.progress,
            "difficult": r.difficult,
        }
        for r in [*table.rows, table.total]
    ]
    return write_workbook("问题清单", BOARD_COLUMNS, rows, target)


def board_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    board_export(board(user, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"问题清单_{region.name}.xlsx")
