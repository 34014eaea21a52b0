"""The QR poster at the door of a class: a signed-in cadre scans it and signs their village's members in. The code
is drawn here from segno's matrix (nothing fetched), with real text for the title and the day it is valid."""

from __future__ import annotations

from io import BytesIO

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from cunshe.core.printing import cjk_font
from cunshe.trainings.models import Session


def poster_pdf(session: Session, url: str) -> bytes:
    font = cjk_font()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{session.course.title}签到二维码")
    width, height = A4
    canvas.setFont(font, 22)
    canvas.drawCentredString(width / 2, height - 40 * mm, session.course.title)
    canvas.setFont(font, 14)
    canvas.drawCentredString(width / 2, height - 52 * mm, f"{session.held_on:%Y年%m月%d日}　{session.place}")
    qr = segno.make(url, error="m", micro=False)
    matrix = list(qr.matrix)
    size = 120 * mm
    module = size / (len(matrix) + 4)
    left, top = (width - size) / 2 + 2 * module, height - 65 * mm - 2 * module
    canvas.setFillColorRGB(0, 0, 0)
    for y, row in enumerate(matrix):
        for x, bit in enumerate(row):
            if bit:
                canvas.rect(left + x * module, top - (y + 1) * module, module, module, stroke=0, fill=1)
    canvas.setFont(font, 13)
    base = height - 65 * mm - size - 12 * mm
    canvas.drawCentredString(width / 2, base, "村(社区)干部登录“村社”后扫码，为本村(社区)到场人员签到")
    canvas.drawCentredString(width / 2, base - 8 * mm, f"本二维码仅在 {session.held_on:%Y年%m月%d日} 当天有效")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
