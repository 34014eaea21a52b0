"""The round report (联审情况报告): candidates reviewed, excluded by rule and time taken, in Excel and in PDF.
Every PDF page carries the viewer's name and the time as a watermark, so a printed copy names who printed it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from django.http import Http404
from django.utils import timezone

from cunshe.reviews import selectors
from cunshe.reviews.models import Candidate, ReviewRound
from cunshe.reviews.permissions import round_policy
from cunshe.reviews.selectors import RoundMetrics, RoundTotals
from cunshe.spreadsheets.layout import Column, write_workbook

REPORT_COLUMNS = [
    Column("类别", "section", width=12),
    Column("项目", "item", width=30),
    Column("数值", "value", width=14),
    Column("说明", "note", width=40),
]


@dataclass
class RoundReport:
    review_round: ReviewRound
    totals: RoundTotals
    metrics: RoundMetrics
    excluded: list[tuple[str, str, int]]
    batches: list[Any]

    def rows(self) -> list[dict[str, Any]]:
        t, m = self.totals, self.metrics
        rows: list[dict[str, Any]] = [
            {"section": "总体", "item": "报送批次", "value": t.batches, "note": f"已出结果 {t.completed} 批"},
            {"section": "总体", "item": "联审人数", "value": t.candidates, "note": ""},
            {"section": "总体", "item": "通过", "value": t.cleared, "note": "含存疑经县级研判通过"},
            {"section": "总体", "item": "不通过", "value": t.excluded, "note": "含存疑经县级研判不通过"},
            {"section": "总体", "item": "存疑待研判", "value": t.doubtful, "note": ""},
            {"section": "总体", "item": "审查中", "value": t.pending, "note": ""},
        ]
        rows += [
            {"section": "按排除规则", "item": f"{code}. {title}", "value": n, "note": "不通过人数（一人可涉多条）"}
            for code, title, n in self.excluded
        ]
        rows += [
            {
                "section": "批次用时",
                "item": "中位数 / 第90百分位（工作小时）",
                "value": _pair(m.batch_median_hours, m.batch_p90_hours),
                "note": f"纸质流转基线 3-7 天，约 {m.paper_min_hours:g}-{m.paper_max_hours:g} 工作小时",
            }
        ]
        rows += [
            {
                "section": "单位用时",
                "item": d.name,
                "value": _pair(d.median_hours, d.p90_hours),
                "note": f"已签署 {d.signed}/{d.batches} 批，已审 {d.answered}/{d.candidates} 人次",
            }
            for d in m.departments
        ]
        rows += [
            {
                "section": "批次",
                "item": f"{b.title}（{b.town.name}）",
                "value": b.candidate_count,
                "note": (
                    f"通过 {b.cleared_count}，不通过 {b.excluded_count}，存疑 {b.doubtful_count}；"
                    f"用时 {_hours(b.turnaround_minutes)} 工作小时"
                ),
            }
            for b in self.batches
        ]
        return rows


def _hours(minutes: int | None) -> str:
    return "—" if minutes is None else f"{minutes / 60:.1f}"


def _pair(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None else f"{a:g} / {b:g}"


def round_report(user: Any, round_id: int) -> RoundReport:
    """The report of a round the user may export (the organizers of its county); anyone else finds none."""
    review_round = round_policy.get_or_404(user, queryset=selectors.rounds_visible(user), pk=round_id)
    if not round_policy.can(user, "export", review_round):
        raise Http404("未找到该记录。")
    batches = selectors.batches_of_round(user, review_round)
    return RoundReport(
        review_round=review_round,
        totals=selectors.round_totals(batches),
        metrics=selectors.round_metrics(selectors.round_reviews(user, review_round), batches),
        excluded=selectors.excluded_by_rule(Candidate.objects.filter(batch__in=batches)),
        batches=list(batches.order_by("town", "submitted_at")),
    )


def write_xlsx(report: RoundReport, target: BinaryIO) -> None:
    write_workbook("联审情况报告", REPORT_COLUMNS, report.rows(), target)


def write_pdf(report: RoundReport, target: BinaryIO, *, viewer: str, at: datetime | None = None) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from cunshe.core.printing import cjk_font

    font = cjk_font()
    stamp = f"{viewer} {timezone.localtime(at or timezone.now()):%Y-%m-%d %H:%M}"

    def watermark(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 16)
        canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
        width, height = A4
        for y in range(0, int(height) + 200, 160):
            for x in range(-100, int(width), 260):
                canvas.saveState()
                canvas.translate(x, y)
                canvas.rotate(30)
                canvas.drawString(0, 0, stamp)
                canvas.restoreState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 10 * mm, f"内部资料 注意保密 · 打印：{stamp} · 第 {doc.page} 页")
        canvas.restoreState()

    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    doc = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        title=f"{report.review_round.title}情况报告",
        author="村社",
    )
    data = [["类别", "项目", "数值", "说明"]] + [
        [Paragraph(str(r[k]), body) for k in ("section", "item", "value", "note")] for r in report.rows()
    ]
    table = Table(data, colWidths=[22 * mm, 60 * mm, 25 * mm, 73 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(f"{report.review_round.title}情况报告", title_style),
        Spacer(1, 4 * mm),
        Paragraph(f"县(市、区)：{report.review_round.county.name}　启动日期：{report.review_round.opened_on}", body),
        Spacer(1, 4 * mm),
        table,
    ]
    doc.build(story, onFirstPage=watermark, onLaterPages=watermark)
