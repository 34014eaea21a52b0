"""The monthly service table (集中服务日登记表) printed for the town's or county's file: every assignment under the
region, a column per month (✓ held, 缺 a gap), the gaps counted, and lines for those who sign it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from cunshe.core.printing import H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.liaison import selectors
from cunshe.regions.models import Region


def service_table_pdf(region: Region, months: list[date], rows: list[selectors.ServiceRow]) -> bytes:
    title = f"{region.name}驻村联系干部集中服务日登记表"
    span = f"{months[0]:%Y年%m月}至{months[-1]:%Y年%m月}"
    header = ["村(社区)", "干部姓名", "所在单位及职务", "联系期间", *[f"{m.month}月" for m in months], "缺月"]
    lines = [
        [
            r.assignment.village.name,
            r.assignment.name,
            r.assignment.unit,
            f"{r.assignment.started_on:%Y-%m-%d}至{f'{r.assignment.ended_on:%Y-%m-%d}' if r.assignment.ended_on else '今'}",
            *[mark for _, mark in r.cells],
            str(r.gaps),
        ]
        for r in rows
    ]
    gaps = sum(r.gaps for r in rows)
    widths = [34 * mm, 20 * mm, 50 * mm, 44 * mm, *[12 * mm] * len(months), 12 * mm]
    story: list[Any] = [
        *heading(title, region.name, span),
        grid_table([header, *lines] if lines else [header, ["暂无联系干部。", *[""] * (len(header) - 1)]], widths),
        paragraph(f"共 {len(rows)} 名联系干部，缺月 {gaps} 个（✓ 已开展集中服务日，缺 应开展而未登记）。"),
        paragraph("审核", H2),
        grid_table(
            [["填表人（签字）", "", "审核人（签字）", ""], ["单位（盖章）", "", "日期", "　　年　　月　　日"]],
            [40 * mm, 80 * mm, 40 * mm, 80 * mm],
            header=False,
        ),
    ]
    return render_pdf(story, title, pagesize=landscape(A4))


def service_table_response(user: Any, region: Region, today: date) -> HttpResponse:
    months = selectors.month_columns(today)
    rows = selectors.service_rows(user, list(selectors.service_assignments(user, region, months)), months, today)
    return pdf_response(service_table_pdf(region, months, rows), f"{region.name}集中服务日登记表.pdf")
