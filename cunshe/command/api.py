"""The command view in the API: the same board and wall chart as the page, for a county or a town."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from cunshe.command.printouts import wall_chart_response
from cunshe.command.selectors import board
from cunshe.command.serialize import board_data
from cunshe.command.views import board_region
from cunshe.core.openapi import pdf_route
from cunshe.core.schema import Schema

router = Router(tags=["换届作战图"])


class CommandSeriesOut(Schema):
    key: str
    label: str
    color: str
    stacked: bool


class CommandRowOut(Schema):
    code: str
    name: str
    url: str
    values: dict[str, int]


class CommandChartOut(Schema):
    key: str
    title: str
    note: str
    link: str
    series: list[CommandSeriesOut]
    rows: list[CommandRowOut]
    total: dict[str, int]


class CommandStageOut(Schema):
    status: str
    label: str
    title: str
    milestones_done: int
    milestones_total: int
    next_title: str
    next_due: str | None


class CommandBoardOut(Schema):
    region: str
    name: str
    level: str
    stage: CommandStageOut | None
    charts: list[CommandChartOut]


@router.get("/{code}", response=CommandBoardOut, url_name="api_command_board", summary="换届作战图（县或乡镇）")
def board_get(request: HttpRequest, code: str) -> dict[str, Any]:
    return board_data(board(request.user, board_region(request, code)))


@pdf_route(
    router,
    "/{code}/wall-chart.pdf",
    url_name="api_command_wall_chart",
    summary="换届作战图挂图（A3 横向 PDF）",
    title="换届作战图挂图",
)
def wall_chart_get(request: HttpRequest, code: str) -> HttpResponse:
    return wall_chart_response(board(request.user, board_region(request, code)))
