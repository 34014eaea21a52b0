"""The files a page and the API both hand out, built once here under the same access rule: the progress ledger
(Excel), the county (or town) report (PDF) and an item's evidence attachment."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone

from cunshe.core.printing import H2 as H2_STYLE
from cunshe.core.printing import grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.deadlines.calendar import deadline_day
from cunshe.firstyear import selectors
from cunshe.firstyear.models import Progress
from cunshe.firstyear.permissions import progress_policy
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, parse_date, write_workbook, xlsx_response

# The ledger a village or town keeps: exported, filled in (完成日期 and 完成佐证 of the items entered by hand) and
# imported back (services.ledger_import); the columns the system computes are written for the reader only.
LEDGER_COLUMNS = [
    Column("村(社区)代码", "region", width=14, as_text=True, required=True),
    Column("村(社区)", "region_name", width=22, export_only=True),
    Column("序号", "position", width=6, export_only=True),
    Column("事项", "item", width=30, required=True),
    Column("选举日", "elected_on", parse=parse_date, width=12, export_only=True),
    Column("完成时限", "due_on", parse=parse_date, width=12, export_only=True),
    Column("状态", "status", width=10, export_only=True),
    Column("完成日期", "done_on", parse=parse_date, width=12),
    Column("完成依据", "source", width=28, export_only=True),
    Column("完成佐证", "evidence", width=40),
]


def _status(p: Progress, now: Any) -> str:
    if p.done_on is not None:
        return "逾期完成" if selectors.is_late(p) else "已完成"
    return "已逾期" if p.due_at < now else "推进中"


def ledger_rows(progress: Iterable[Progress]) -> Iterable[dict[str, Any]]:
    now = timezone.now()
    for p in progress:
        yield {
            "region": p.region_id,
            "region_name": p.region.name,
            "position": p.item.position,
            "item": p.item.name,
            "elected_on": p.programme.elected_on,
            "due_on": deadline_day(p.due_at),
            "status": _status(p, now),
            "done_on": p.done_on,
            "source": p.get_done_source_display() if p.done_source else "",
            "evidence": p.evidence,
        }


def ledger_queryset(user: Any, under: str) -> QuerySet[Progress]:
    return (
        progress_policy.visible_to(user)
        .filter(region__startswith=under)
        .select_related("region", "item", "programme")
        .order_by("region_id", "item__position", "item_id")
    )


def ledger_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    write_workbook(
        "开门七件事进度台账", LEDGER_COLUMNS, ledger_rows(ledger_queryset(user, region.code).iterator(2000)), buffer
    )
    return xlsx_response(buffer.getvalue(), f"{region.name}开门七件事进度台账.xlsx")


def report_pdf(user: Any, region: Region) -> bytes:
    """The county's (or a town's) report: per item the villages that have it, the share done and the overdue; then
    per town (or village) the done count of each item."""
    table = selectors.rollup(user, region)
    story: list[Any] = heading(f"{region.name}“开门七件事”推进情况", "截至 " + f"{timezone.localdate():%Y年%m月%d日}")
    opened = sum(1 for row in table.rows if row.opened) if not table.drill else None
    totals = table.total_cells()
    villages = max((c.villages for c in totals), default=0)
    lines = [f"已开始开门七件事的村(社区) {villages} 个"]
    if opened is not None:
        lines.append(f"本乡镇(街道)共 {len(table.rows)} 个村(社区)，其中 {len(table.rows) - opened} 个选举结果尚未确认")
    story.append(paragraph("；".join(lines) + "。"))
    story.append(paragraph("一、各事项完成情况", H2_STYLE))
    rows: list[list[Any]] = [["序号", "事项", "完成时限", "村(社区)数", "已完成", "完成率(%)", "逾期未完成"]]
    for item, cell in zip(table.items, totals, strict=True):
        rows.append(
            [
                str(item.position),
                item.name,
                item.due_label,
                str(cell.villages),
                str(cell.done),
                cell.percent,
                str(cell.overdue),
            ]
        )
    story.append(grid_table(rows, [24, 150, 90, 56, 44, 56, 56]))
    story.append(
        paragraph("二、分{}完成情况（已完成/应完成）".format("乡镇(街道)" if table.drill else "村(社区)"), H2_STYLE)
    )
    head = ["单位", *[f"{i.position}" for i in table.items], "逾期"]
    body = [head]
    for row, cells in table.grid():
        if not row.opened:
            body.append([row.name, *["—" for _ in cells], "未开始"])
            continue
        body.append([row.name, *[f"{c.done}/{c.villages}" for c in cells], str(sum(c.overdue for c in cells))])
    width = (476 - 120 - 40) / max(len(table.items), 1)
    story.append(grid_table(body, [120, *[width] * len(table.items), 40]))
    story.append(paragraph("注：表头数字为事项序号；完成时限自村(居)民委员会选举日起算。"))
    return render_pdf(story, f"{region.name}开门七件事推进情况")


def report_response(user: Any, region: Region) -> HttpResponse:
    return pdf_response(report_pdf(user, region), f"{region.name}开门七件事推进情况.pdf")


def attachment_response(progress: Progress) -> FileResponse:
    # Evidence is not public (photos may show villagers); the caller fetched the row through the policy.
    if not progress.attachment:
        raise Http404("没有附件。")
    return FileResponse(
        progress.attachment.open("rb"), filename=(progress.attachment.name or "attachment").rsplit("/", 1)[-1]
    )
