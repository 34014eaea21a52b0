"""挂图作战 on paper: the issue board of a county, town or village as the wall chart a town hangs in its office —
the closing progress by region, the difficult villages' clearing, and (below a county) every open issue with its
owner and deadline, overdue ones marked. Read through the same scoped selectors as the board page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib.units import mm

from cunshe.core.printing import BODY, H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.issueboard.selectors import board, open_issues_under
from cunshe.regions.models import Region

# A town has some hundreds of open issues; a sheet longer than this is not a wall chart but the Excel export.
MOST_ISSUES = 1000


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value}%"


def wall_chart_pdf(user: Any, region: Region) -> bytes:
    table = board(user, region.code)
    title = f"{region.name}问题清单挂图作战表"
    story: list[Any] = [
        *heading(title, table.term_change.title if table.term_change else "尚未启动换届"),
        paragraph("一、销号进度", H2),
        grid_table(
            [["区划", "未销号", "其中逾期", "已销号", "销号率", "重点难点村"]]
            + [
                [r.name, str(r.open), str(r.overdue), str(r.closed), _rate(r.progress), str(r.difficult)]
                for r in [*table.rows, table.total]
            ],
            [54 * mm, 24 * mm, 24 * mm, 24 * mm, 24 * mm, 24 * mm],
        ),
    ]
    if table.difficult:
        story += [
            paragraph("二、重点难点村问题清零", H2),
            grid_table(
                [["村(社区)", "难点", "未销号", "已销号", "清零"]]
                + [
                    [
                        t.region.name,
                        t.difficulty or "—",
                        str(t.open),
                        str(t.closed),
                        "已清零" if not t.open else "未清零",
                    ]
                    for t in table.difficult
                ],
                [40 * mm, 74 * mm, 20 * mm, 20 * mm, 20 * mm],
            ),
        ]
    if len(region.code) >= 9:
        today = timezone.localdate()
        issues = list(open_issues_under(user, region.code)[: MOST_ISSUES + 1])
        story.append(paragraph("三、未销号问题", H2))
        if len(issues) > MOST_ISSUES:
            story.append(paragraph(f"超过 {MOST_ISSUES} 条，仅列前 {MOST_ISSUES} 条，全部请导出 Excel。", BODY))
        story.append(
            grid_table(
                [["村(社区)", "问题", "责任人", "办结时限", "状态"]]
                + [
                    [
                        i.region.name,
                        i.title,
                        i.owner,
                        f"{i.due_on:%Y-%m-%d}" + ("（逾期）" if i.due_on < today else ""),
                        i.get_status_display(),
                    ]
                    for i in issues[:MOST_ISSUES]
                ],
                [30 * mm, 56 * mm, 26 * mm, 40 * mm, 22 * mm],
            )
            if issues
            else paragraph("无。", BODY)
        )
    return render_pdf(story, title)


def wall_chart_response(user: Any, region: Region) -> HttpResponse:
    return pdf_response(wall_chart_pdf(user, region), f"{region.name}问题清单挂图作战表.pdf")
