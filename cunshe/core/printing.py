"""What every printed document shares: reportlab's built-in CJK font (STSong-Light, a CID font: the PDF names it and
the reader supplies the glyphs, so the text stays real, searchable Chinese and the server needs no font file), the
paragraph and table styles, A4 rendering, and the HTTP answer that shows a PDF in the browser."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "STSong-Light"


def cjk_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


cjk_font()

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1, spaceAfter=6)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK")
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4)


def paragraph(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    return Paragraph(escaped, style)


def grid_table(
    rows: list[list[Any]],
    widths: list[float],
    *,
    style: ParagraphStyle = SMALL,
    header: bool = True,
    **options: Any,
) -> Table:
    """A ruled table; with `header` its first row is shaded and repeated on every page it runs onto (without, a
    plain box, e.g. room to write in). Text cells wrap (Chinese has no spaces to break at)."""
    options.setdefault("repeatRows", 1 if header else 0)
    table = Table(
        [[paragraph(c, style) if isinstance(c, str) else c for c in row] for row in rows], colWidths=widths, **options
    )
    commands: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    table.setStyle(TableStyle(commands))
    return table


def heading(title: str, *notes: str) -> list[Paragraph]:
    """The title, then one small line of what the document belongs to and when it was printed (and by whom)."""
    stamp = f"打印：{timezone.localtime():%Y-%m-%d %H:%M}"
    return [paragraph(title, TITLE), paragraph("　".join([*[n for n in notes if n], stamp]), SMALL)]


def render_pdf(story: list[Any], title: str) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm
    )
    doc.title = title
    doc.build(story)
    return buffer.getvalue()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Shown in the browser (inline) rather than saved, so the page and the API hand out the same document."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    return response
