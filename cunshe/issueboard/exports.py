"""The board as a workbook download: the page and the API hand out the same file."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.issueboard.selectors import board, board_export
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import xlsx_response


def board_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    board_export(board(user, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"问题清单_{region.name}.xlsx")
