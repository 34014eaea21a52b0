"""The files a page and the API both hand out, built once here under the same access rule: the progress ledger
(Excel, and ledger_import reading it back), the county (or town) report (PDF) and an item's evidence attachment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from io import BytesIO
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone

from cunshe.core.actors import Actor, user_of
from cunshe.core.printing import H2 as H2_STYLE
from cunshe.core.printing import grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.core.text import clean_text
from cunshe.deadlines.calendar import deadline_day
from cunshe.firstyear import selectors
from cunshe.firstyear.models import Progress, Source
from cunshe.firstyear.permissions import progress_policy
from cunshe.firstyear.services import _done_errors, _mark
from cunshe.records.services import Pending, record_many
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import (
    Column,
    ImportReport,
    bad_rows_error,
    parse_date,
    read_rows,
    write_workbook,
    xlsx_response,
)

# The ledger a village or town keeps: exported, filled in (完成日期 and 完成佐证 of the items entered by hand) and
# imported back (ledger_import below); the columns the system computes are written for the reader only.
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


def _import_row_errors(p: Progress, done_on: date | None, evidence: str) -> list[str]:
    """What is wrong with one ledger row against the recorded progress (empty: fine). A row repeating what is
    recorded is fine; the import only adds completions of items entered by hand, it never changes or takes one
    back (that is done on the page, with the reason)."""
    if done_on is None:
        if p.done_on is not None:
            return [f"“{p.item.name}”已于 {p.done_on:%Y-%m-%d} 完成；撤销请在页面上说明原因，不能通过导入清空"]
        return []
    if p.done_on is not None:
        if p.done_on != done_on:
            return [f"“{p.item.name}”已于 {p.done_on:%Y-%m-%d} 完成，导入不能改动完成日期"]
        return []
    if p.item.source != Source.MANUAL:
        return [f"“{p.item.name}”依据“{p.item.get_source_display()}”自动完成，不能导入"]
    return [
        f"{'完成日期' if k == 'done_on' else '完成佐证'}：{m}"
        for k, ms in _done_errors(p, done_on, evidence).items()
        for m in ms
    ]


@transaction.atomic
def ledger_import(*, actor: Actor, region_code: str, stream: BinaryIO) -> ImportReport:
    """The progress ledger filled in and read back (the export's layout): each row names a village and an item; a
    完成日期 with its 完成佐证 marks an item entered by hand done. Every row is checked first; one bad row and
    nothing is saved; rows equal to what is recorded change nothing, so importing the exported file is harmless."""
    progress_policy.check_in_region(actor, "change", region_code)
    rows = {
        (p.region_id, p.item.name): p
        for p in progress_policy.visible_to(actor, "change")
        .filter(region__startswith=region_code)
        .select_related("item", "programme", "region")
    }
    report = ImportReport(unit="项")
    good: list[tuple[Progress, date, str]] = []
    seen: set[tuple[str, str]] = set()
    for row in read_rows(stream, LEDGER_COLUMNS, max_rows=20_000):
        if not row.errors:
            key = (row.values["region"], clean_text(row.values["item"]))
            evidence = clean_text(row.values.get("evidence") or "")
            found = rows.get(key)
            if found is None:
                row.errors.append(f"{key[0]} 的“{key[1]}”不在您可登记的开门七件事中")
            elif key in seen:
                row.errors.append(f"{key[0]} 的“{key[1]}”重复")
            else:
                seen.add(key)
                row.errors.extend(_import_row_errors(found, row.values["done_on"], evidence))
                if not row.errors:
                    if found.done_on is None and row.values["done_on"] is not None:
                        good.append((found, row.values["done_on"], evidence))
                    else:
                        report.unchanged += 1
        if row.errors:
            report.bad_rows.append(row)
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    entries = []
    for progress, done_on, evidence in good:
        progress.version += 1
        Progress.objects.filter(pk=progress.pk).update(version=F("version") + 1)
        _mark(progress, done_on=done_on, evidence=evidence, source=Source.MANUAL, by=user_of(actor))
        entries.append(
            Pending(
                region_code=progress.region_id,
                event="firstyear.done",
                summary=f"{progress.region.name}开门七件事完成：{progress.item.name}（{done_on:%Y-%m-%d}，Excel 导入）",
                obj=progress,
                before={"完成日期": ""},
                after={"完成日期": done_on, "完成佐证": evidence},
            )
        )
    if entries:
        record_many(actor=actor, entries=entries)
    report.updated = len(entries)
    report.saved = True
    return report
