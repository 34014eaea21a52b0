"""The wall chart (挂图): the command view printed on A3 landscape in colour, to hang in the county's or the town's
war room (挂图作战). Each chart is a stacked bar per town or village in the page's colours beside its table of
numbers, all real text."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, landscape
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Table, TableStyle

from cunshe.command.selectors import Board, Chart, Series
from cunshe.core.printing import (
    FONT,
    H2,
    SMALL,
    TITLE,
    cjk_font,
    grid_table,
    heading,
    paragraph,
    pdf_response,
    render_pdf,
)

PAGE = landscape(A3)
WIDTH = PAGE[0] - 36 * mm  # render_pdf's margins
COLUMNS = 3  # three charts side by side, three rows: the whole board on the first page
CELL = WIDTH / COLUMNS
BAR = 5 * mm  # one row's height in a bar chart, less for a town of many villages so the board stays on one page
PLOT_MAX = 48 * mm
LEGEND_LINE = 4.5 * mm


def _legend(chart: Chart, width: float) -> list[tuple[float, float, Series]]:
    """Where each legend entry goes: left to right, wrapping onto a second line when a chart has many series."""
    placed, x, line = [], 0.0, 0
    for series in chart.series:
        size = 6 * mm + len(series.label) * 3 * mm
        if x and x + size > width:
            x, line = 0.0, line + 1
        placed.append((x, line * LEGEND_LINE, series))
        x += size
    return placed


def _bars(chart: Chart) -> Drawing:
    """A stacked horizontal bar per row, coloured by series, with a legend: the picture on the wall. A count
    across the parts of a whole (accounts frozen) is a bar of its own beside the stack."""
    cjk_font()
    rows = chart.rows or []
    width = CELL - 4 * mm
    legend = _legend(chart, width - 4 * mm)
    legend_height = (max(line for _, line, _ in legend) + LEGEND_LINE) if legend else 0
    plot_height = min(max(len(rows), 1) * BAR, PLOT_MAX)
    drawing = Drawing(width, plot_height + legend_height + 8 * mm)
    bars = HorizontalBarChart()
    bars.x, bars.y = 22 * mm, 4 * mm
    bars.width, bars.height = width - 26 * mm, plot_height
    # Top to bottom in code order, as in the tables.
    ordered = list(reversed(rows))
    bars.data = [[r.values.get(s.key, 0) for r in ordered] or [0] for s in chart.series]
    bars.categoryAxis.categoryNames = [r.name for r in ordered] or [""]
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 6 if len(rows) > 12 else 7
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.style = "stacked" if all(s.stacked for s in chart.series) else "parallel"
    bars.valueAxis.labels.fontName = FONT
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    if not any(v for r in rows for v in r.values.values()):
        bars.valueAxis.valueMax = 1
    for index, series in enumerate(chart.series):
        bars.bars[index].fillColor = colors.HexColor(series.color)
        bars.bars[index].strokeColor = None
    drawing.add(bars)
    top = plot_height + 6 * mm + legend_height - LEGEND_LINE
    for x, dy, series in legend:
        y = top - dy
        drawing.add(Rect(2 * mm + x, y, 3 * mm, 3 * mm, fillColor=colors.HexColor(series.color), strokeColor=None))
        drawing.add(String(2 * mm + x + 4 * mm, y + 0.5 * mm, series.label, fontName=FONT, fontSize=8))
    return drawing


def _numbers(chart: Chart) -> Table:
    header = ["单位", *[s.label for s in chart.series]]
    body = [[r.name, *[str(r.values.get(s.key, 0)) for s in chart.series]] for r in chart.rows]
    total = ["合计", *[str(chart.total.get(s.key, 0)) for s in chart.series]]
    first = 34 * mm
    rest = (WIDTH - first) / max(len(chart.series), 1)
    table = grid_table([header, *body, total], [first, *[rest] * len(chart.series)])
    # The header cells carry the series' colours, so the table reads as the chart's legend too.
    table.setStyle(
        TableStyle(
            [("BACKGROUND", (i + 1, 0), (i + 1, 0), colors.HexColor(s.color)) for i, s in enumerate(chart.series)]
            + [
                ("TEXTCOLOR", (1, 0), (-1, 0), colors.white),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#eeeeee")),
            ]
        )
    )
    return table


def wall_chart_pdf(board: Board) -> bytes:
    region = board.region
    title = f"{region.name}换届作战图"
    stage = board.stage
    if stage is None:
        status = "本县尚未启动换届。"
    else:
        status = (
            f"{stage.title}：当前阶段 {stage.label}；关键节点已完成 {stage.milestones_done}/{stage.milestones_total}"
        )
        if stage.next_title:
            status += f"，下一节点 {stage.next_title}（{stage.next_due:%Y-%m-%d} 前）"
        status += "。"
    story: list[Any] = [
        *heading(title, "下级单位：" + ("乡镇(街道)" if len(region.code) == 6 else "村(社区)")),
        paragraph(status),
    ]
    cells: list[Any] = [[paragraph(c.title, H2), paragraph(c.note, SMALL), _bars(c)] for c in board.charts]
    grid: list[list[Any]] = [cells[i : i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
    grid[-1] += [""] * (COLUMNS - len(grid[-1]))
    story.append(Table(grid, colWidths=[CELL] * COLUMNS, style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
    # After the board, the numbers behind each chart, a table per chart (a long one runs onto the next page).
    story.append(PageBreak())
    story.append(paragraph("明细表", TITLE))
    for chart in board.charts:
        story.append(paragraph(chart.title, H2))
        story.append(_numbers(chart))
    return render_pdf(story, title, pagesize=PAGE)


def wall_chart_response(board: Board) -> HttpResponse:
    return pdf_response(wall_chart_pdf(board), f"{board.region.name}换届作战图.pdf")
