"""The village board's QR poster (a resident scans it and files a request on the phone, no account), and the
printable daily report and weekly review, with real text (tested through pypdf)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from cunshe.core.printing import cjk_font, grid_table, heading, paragraph, render_pdf
from cunshe.deadlines.calendar import deadline_text
from cunshe.requests.selectors import Report


def poster_pdf(village: Any, url: str) -> bytes:
    font = cjk_font()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{village.name}民情诉求二维码")
    width, height = A4
    canvas.setFont(font, 26)
    canvas.drawCentredString(width / 2, height - 38 * mm, "有事找村(社区)  扫码反映诉求")
    canvas.setFont(font, 16)
    canvas.drawCentredString(width / 2, height - 50 * mm, village.name)
    matrix = list(segno.make(url, error="m", micro=False).matrix)
    size = 110 * mm
    module = size / (len(matrix) + 4)
    left, top = (width - size) / 2 + 2 * module, height - 62 * mm - 2 * module
    for y, row in enumerate(matrix):
        for x, bit in enumerate(row):
            if bit:
                canvas.rect(left + x * module, top - (y + 1) * module, module, module, stroke=0, fill=1)
    canvas.setFont(font, 13)
    base = height - 62 * mm - size - 12 * mm
    for n, line in enumerate(
        (
            "用手机扫码，无需注册，写下您的诉求（可附照片）。",
            "姓名、电话可不填；不留电话则无法回访，请保存提交后显示的查询链接。",
            "紧急事项 2 小时内响应；一般事项 7 个工作日内办结（以县里设置为准）。",
            "办结后请您评价是否解决、是否满意；不满意的将重新办理。",
        )
    ):
        canvas.drawCentredString(width / 2, base - n * 8 * mm, line)
    canvas.setFont(font, 9)
    canvas.drawCentredString(width / 2, 20 * mm, url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


HEADERS = ["区域", "受理", "办结", "重新办理", "在办", "逾期在办", "评价", "解决率", "平均满意度"]


def _table(report: Report) -> Any:
    rows = [HEADERS]
    for r in [*report.rows, report.total]:
        v = r.values
        rows.append(
            [
                r.name,
                str(v["received"]),
                str(v["closed"]),
                str(v["reopened"]),
                str(v["open"]),
                str(v["overdue"]),
                str(v["rated"]),
                r.solved_rate,
                r.satisfaction,
            ]
        )
    return grid_table(rows, [40 * mm] + [15.5 * mm] * 8)


def report_pdf(report: Report, *, weekly: bool) -> bytes:
    what = "民情周会审" if weekly else "民情日报告"
    span = f"{report.first:%Y-%m-%d}" + (f" 至 {report.last:%Y-%m-%d}" if weekly else "")
    story: list[Any] = [*heading(f"{report.region.name}{what}", span), _table(report)]
    story.append(paragraph("“在办”“逾期在办”为打印时的数字；受理、办结、重新办理、评价为所列日期内的数字。"))
    if weekly:
        story.append(paragraph("会审清单（逾期、重新办理、低满意度）"))
        rows = [["编号", "村(社区)", "标题", "状态", "时限", "重新办理"]]
        rows += [
            [
                c.number,
                c.region.name,
                c.title,
                c.get_status_display(),
                deadline_text(c.due_at),
                str(c.reopen_count),
            ]
            for c in report.cases
        ]
        story.append(grid_table(rows, [24 * mm, 30 * mm, 58 * mm, 20 * mm, 26 * mm, 16 * mm]))
    return render_pdf(story, f"{report.region.name}{what}")
