"""A first secretary's reports printed for the town (seed 003's figures): the monthly work report (工作月报) with the
month's statistics and work log, and the quarterly and half-year summaries (季度、半年工作总结) with the period's
figures summed and the summary the secretary wrote; each with the lines the secretary and the town sign.

The figures come from the statistics registry (statistics.py), as the roll-up does: a module that counts a figure
(visits, reserve cadres) gives it for the period; what only the monthly report states is the report's own figure on
the month's sheet and, on a summary, the sum of the period's submitted monthly reports. A report not yet submitted
prints as a form to fill in by hand (blank figures and text), since a report handed in on paper is then entered with
the day it reached the town."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.core.printing import BODY, H2, grid_table, heading, paragraph, pdf_response, render_pdf, signatures
from cunshe.firstsecretaries.models import Kind, LogEntry, Report, Status
from cunshe.firstsecretaries.services import FIGURES
from cunshe.firstsecretaries.statistics import Statistic, statistics

REPORTED = "月报"
TITLES = {Kind.MONTH: "第一书记工作月报", Kind.QUARTER: "第一书记季度工作总结", Kind.HALF: "第一书记半年工作总结"}


@dataclass
class Line:
    label: str
    unit: str
    value: Decimal | int | None  # None: left blank to be written by hand
    source: str


def is_reported(s: Statistic) -> bool:
    return s.source == REPORTED and s.kind in FIGURES


def figure_lines(report: Report) -> list[Line]:
    """Each registered statistic for the report's village and period (one query per counted figure)."""
    filled = report.status != Status.DUE
    lines = []
    for s in statistics():
        if report.kind == Kind.MONTH and is_reported(s):
            value = getattr(report, s.kind) if filled else None
        else:
            value = s.figure(report.village_id, report.period_start, report.period_end)
        source = "各月月报合计" if report.kind != Kind.MONTH and is_reported(s) else s.source
        lines.append(Line(s.label, s.unit, value, source))
    return lines


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value != value.to_integral() else str(int(value))
    return str(value)


def _period(report: Report) -> str:
    if report.kind == Kind.MONTH:
        return f"{report.period_start:%Y年%m月}"
    return f"{report.period_start:%Y-%m-%d} 至 {report.period_end:%Y-%m-%d}"


def _state(report: Report) -> str:
    said = f"{report.get_status_display()}（报送时限 {report.due_on:%Y-%m-%d}"
    if report.submitted_on:
        said += f"，{report.submitted_on:%Y-%m-%d} 报送"
    if report.acknowledged_on:
        said += f"，{report.acknowledged_on:%Y-%m-%d} 签收"
    return said + "）"


def report_pdf(report: Report, log: list[LogEntry], months: list[Report], log_count: int) -> bytes:
    """The report with its posting and village (select_related); `log` the month's entries (monthly report only),
    `months` the period's monthly reports (summaries only), `log_count` the period's entries."""
    p = report.posting
    title = TITLES[Kind(report.kind)]
    story: list[Any] = heading(title, p.village.name, _period(report))
    story.append(
        grid_table(
            [
                ["第一书记", p.name, "派出单位", p.sending_unit],
                ["派驻村(社区)", p.village.name, "任期", f"{p.started_on:%Y-%m-%d} 至 {p.ends_on:%Y-%m-%d}"],
                ["工作队成员", p.team_members or "—", "报告期间", _period(report)],
                ["状态", _state(report), "驻村日志", f"{log_count} 条"],
            ],
            [24 * mm, 55 * mm, 22 * mm, 73 * mm],
            header=False,
        )
    )
    what = "本月" if report.kind == Kind.MONTH else "本期"
    story.append(paragraph(f"{what}工作统计", H2))
    rows = [["指标", "数值", "单位", "来源"]]
    rows += [[line.label, _number(line.value), line.unit, line.source] for line in figure_lines(report)]
    story.append(grid_table(rows, [70 * mm, 36 * mm, 20 * mm, 48 * mm]))
    if report.kind != Kind.MONTH:
        story.append(paragraph("各月月报（已报送和已签收的月报计入合计）", H2))
        rows = [["月份", "状态", "报送日期", "签收日期"]]
        rows += [
            [
                f"{m.period_start:%Y年%m月}",
                m.get_status_display(),
                f"{m.submitted_on:%Y-%m-%d}" if m.submitted_on else "",
                f"{m.acknowledged_on:%Y-%m-%d}" if m.acknowledged_on else "",
            ]
            for m in months
        ]
        story.append(grid_table(rows, [40 * mm, 44 * mm, 45 * mm, 45 * mm]))
    story.append(paragraph("工作总结" if report.kind != Kind.MONTH else "工作情况", H2))
    if report.text:
        story.append(grid_table([[report.text]], [174 * mm], header=False, style=BODY))
    else:  # room to write the report by hand
        story.append(grid_table([[""]], [174 * mm], header=False, rowHeights=[60 * mm]))
    if report.kind == Kind.MONTH:
        story.append(paragraph("本月驻村日志", H2))
        rows = [["日期", "工作内容"]]
        rows += [[f"{e.written_on:%Y-%m-%d}", e.content] for e in log]
        story.append(grid_table(rows, [26 * mm, 148 * mm]) if log else paragraph("本月无驻村日志。"))
    story += signatures("第一书记（签字）", "乡镇(街道)签收人（签字）", label_width=46 * mm)
    return render_pdf(story, f"{p.village.name}{title}")


def report_response(report: Report) -> HttpResponse:
    """The document of a report fetched through the report policy with its posting and village."""
    in_period = LogEntry.objects.filter(
        posting=report.posting_id, written_on__gte=report.period_start, written_on__lte=report.period_end
    )
    log = list(in_period.order_by("written_on", "id")[:500]) if report.kind == Kind.MONTH else []
    months = (
        list(
            Report.objects.filter(
                posting=report.posting_id,
                kind=Kind.MONTH,
                period_start__gte=report.period_start,
                period_start__lte=report.period_end,
            ).order_by("period_start", "id")
        )
        if report.kind != Kind.MONTH
        else []
    )
    content = report_pdf(report, log, months, len(log) if report.kind == Kind.MONTH else in_period.count())
    title = TITLES[Kind(report.kind)]
    return pdf_response(
        content, f"{report.posting.village.name}{report.posting.name}{title}{report.period_start:%Y%m}.pdf"
    )
