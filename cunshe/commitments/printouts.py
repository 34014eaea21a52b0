"""What officials print: the target letter (目标承诺书) as a PDF with real, searchable Chinese text, and the QR code
of the poster for the bulletin board, drawn here (never fetched from a service)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import Any

import segno
from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from cunshe.commitments.models import Commitment, TargetLetter
from cunshe.commitments.responsibility import ThreeLevelRow, ThreeLevelTable, three_level_table
from cunshe.core import printing
from cunshe.core.printing import FONT, H2, cjk_font, grid_table, heading, pdf_response, render_pdf
from cunshe.regions.models import Level, Region


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break Chinese text by measured width (it has no spaces to break at)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(line + char, FONT, size) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def target_letter_pdf(
    *, village: Region, town: Region | None, year: int, commitments: Sequence[Commitment], letter: TargetLetter | None
) -> bytes:
    font = cjk_font()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{village.name}{year}年“开门一件事”目标承诺书")
    width, height = A4
    left, right, bottom = 25 * mm, width - 25 * mm, 25 * mm
    y = height - 30 * mm

    def line(text: str, size: float = 11, indent: float = 0, gap: float = 1.6) -> None:
        nonlocal y
        for part in _wrap(text, right - left - indent, size):
            if y < bottom:
                canvas.showPage()
                y = height - 25 * mm
            canvas.setFont(font, size)
            canvas.drawString(left + indent, y, part)
            y -= size * gap

    canvas.setFont(font, 18)
    canvas.drawCentredString(width / 2, y, f"{year}年“开门一件事”目标承诺书")
    y -= 14 * mm
    town_name = town.name if town else "乡镇(街道)"
    line(f"承诺方：{village.name}党组织、村(居)民委员会")
    line(f"受诺方：{town_name}党(工)委、政府(办事处)")
    y -= 3 * mm
    line(
        f"为践行“我为群众办实事”，{village.name}新一届“两委”班子向{town_name}党(工)委、政府(办事处)"
        "和本村(社区)党员群众郑重承诺，在规定时限内办好以下事项，接受党员群众监督：",
        indent=0,
    )
    y -= 2 * mm
    for n, c in enumerate(commitments, start=1):
        line(f"{n}. 【{c.category}】{c.title}（{c.get_kind_display()}，台账编号 {c.ledger_no}）", size=12)
        line(f"内容举措：{c.content}", indent=6 * mm)
        line(f"目标成效：{c.target}", indent=6 * mm)
        line(f"完成时限：{c.deadline:%Y年%m月%d日}    责任岗位：{c.responsible_post}", indent=6 * mm)
        y -= 2 * mm
    y -= 6 * mm
    village_post = letter.village_signatory_post if letter else "村党组织书记"
    town_post = letter.town_signatory_post if letter else "乡镇(街道)党(工)委书记"
    line(f"承诺方（盖章）：{village.name}        {village_post}（签字）：")
    y -= 6 * mm
    line(f"受诺方（盖章）：{town_name}        {town_post}（签字）：")
    y -= 6 * mm
    signed = letter.signed_on if letter else None
    line(f"签订日期：{signed:%Y年%m月%d日}" if signed else "签订日期：    年    月    日")
    if letter:
        line(f"已于 {letter.signed_on:%Y-%m-%d} 登记签订（{len(letter.ledger_nos)} 件）。", size=9)
    canvas.setFont(font, 8)
    canvas.drawString(left, 12 * mm, f"村社 · 生成于 {timezone.localdate():%Y-%m-%d}")
    canvas.save()
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """An inline SVG QR code for the URL (error correction M, so a faded print still scans). It carries a viewBox and
    no width or height (`omitsize`), so the page's CSS scales the whole code to its printed size; with a fixed pixel
    size the CSS box would crop it instead. The border is the 4-module quiet zone a scanner needs."""
    qr = segno.make(url, error="m", micro=False)
    buffer = BytesIO()
    qr.save(
        buffer, kind="svg", border=4, omitsize=True, xmldecl=False, svgns=True, nl=False, title="扫码查看本村开门一件事"
    )
    return buffer.getvalue().decode()


def three_level_pdf(table: ThreeLevelTable) -> bytes:
    """The three-level responsibility table of a month (三级责任落实情况表), from the roll-up rows the page reads,
    with the lines where the town's or county's officials sign it."""
    region = table.region
    title = f"{region.name}“开门一件事”三级责任落实情况表"
    per_village = region.level == Level.TOWN
    header = [
        "村(社区)" if per_village else "乡镇(街道)",
        "村(社区)数",
        "已自查村数",
        "自查事项数",
        "督导次数",
        "被督导村数",
        "被抽查村数",
        "案例报送",
    ]

    keys = ("villages", "self_checked", "self_checks", "visits", "visited", "checked", "cases_sent")

    def cells(r: ThreeLevelRow) -> list[str]:
        return [r.name, *(str(getattr(r, k)) for k in keys)]

    story: list[Any] = [
        *heading(title, region.name, f"{table.month:%Y年%m月}"),
        grid_table([header, *[cells(r) for r in table.rows], cells(table.total)], [38 * mm, *[19 * mm] * 7]),
        printing.paragraph(f"县级抽查 {table.checks} 次。未自查的村(社区)：{'、'.join(table.total.missing) or '无'}。"),
        printing.paragraph("签字", H2),
        grid_table(
            [
                [
                    "填表人（签字）",
                    "",
                    "乡镇(街道)党(工)委负责人（签字）" if per_village else "县委组织部负责人（签字）",
                    "",
                ],
                ["单位（盖章）", "", "日期", "　　年　　月　　日"],
            ],
            [30 * mm, 50 * mm, 54 * mm, 40 * mm],
            header=False,
        ),
    ]
    return render_pdf(story, title)


def three_level_response(region: Region, month: date) -> HttpResponse:
    table = three_level_table(region, month)
    return pdf_response(three_level_pdf(table), f"{region.name}{table.month:%Y-%m}三级责任落实情况表.pdf")
