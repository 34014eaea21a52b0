"""What every printed document shares: the embedded CJK font, the paragraph and table styles, A4 rendering, and the
HTTP answer that shows a PDF in the browser.

The font is a free TrueType CJK font installed from the system's package registry (Debian's fonts-wqy-zenhei, see
docs/deploy.md), or the file named by CUNSHE_CJK_FONT. reportlab embeds the subset of glyphs each document uses
(FontFile2), so an office PC without the font prints exactly what the server drew; the text stays real, searchable
Chinese. A referenced-only font (reportlab's STSong-Light) would leave the reader to substitute whatever it has.
Noto CJK is not used: its OpenType files have CFF outlines, which reportlab cannot embed."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "CunsheCJK"
# Where Debian's packages put a TrueType CJK font reportlab can embed (first found wins).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # apt-get install fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # apt-get install fonts-wqy-microhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # apt-get install fonts-arphic-uming
)
MISSING_FONT = (
    "找不到可嵌入 PDF 的中文字体：请安装 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei），"
    "或用环境变量 CUNSHE_CJK_FONT 指向一个 TrueType 中文字体文件（.ttf/.ttc）。"
)


def font_path() -> Path | None:
    """The font file documents embed, or None when none is installed."""
    named = os.environ.get("CUNSHE_CJK_FONT")
    candidates = [named] if named else list(FONT_CANDIDATES)
    return next((Path(c) for c in candidates if Path(c).is_file()), None)


def cjk_font() -> str:
    """Registers the embedded font once; without one, a clear error rather than a PDF of empty boxes."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = font_path()
        if path is None:
            raise ImproperlyConfigured(MISSING_FONT)
        # A .ttc holds several faces; the first is the regular one of every candidate above.
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
        # One face for every weight: Chinese documents mark headings by size, and <b> must not fail to map.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


if font_path() is not None:
    cjk_font()  # Paragraphs look their font up when built, before render_pdf runs

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1, spaceAfter=6)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK")
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4)


def paragraph(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    cjk_font()
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


def signatures(*signers: str, label_width: float = 50 * mm) -> list[Any]:
    """The 签字 section that closes a document: one row per signer (their label, room to sign, the date), on the A4
    body's 174 mm."""
    rows = [[signer, "", "日期", ""] for signer in signers]
    widths = [label_width, 124 * mm - label_width, 14 * mm, 36 * mm]
    table = grid_table(rows, widths, header=False, rowHeights=[14 * mm] * len(rows))
    return [paragraph("签字", H2), table]


def heading(title: str, *notes: str) -> list[Paragraph]:
    """The title, then one small line of what the document belongs to and when it was printed (and by whom)."""
    stamp = f"打印：{timezone.localtime():%Y-%m-%d %H:%M}"
    return [paragraph(title, TITLE), paragraph("　".join([*[n for n in notes if n], stamp]), SMALL)]


def render_pdf(story: list[Any], title: str, *, pagesize: tuple[float, float] = A4) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm
    )
    cjk_font()
    doc.title = title
    doc.author = "村社"
    doc.build(story)
    return buffer.getvalue()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Shown in the browser (inline) rather than saved, so the page and the API hand out the same document."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    return response
