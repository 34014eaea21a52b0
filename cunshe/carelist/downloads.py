"""The files the pages and the API both hand out under the same access rule: the village's list in the import
layout (Excel) and the import that reads it back (households_import), the visits ledger of a village, town or county (Excel), and the village's printed care list with
this month's 3+N (PDF, for the village's files and the town's check)."""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from cunshe.carelist import selectors
from cunshe.carelist.models import Household
from cunshe.carelist.permissions import household_policy
from cunshe.carelist.services import NEEDS, _household_errors, _open_months, _snapshot, _values, _village
from cunshe.core.actors import Actor
from cunshe.core.printing import grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.records.services import Pending, record_many
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import (
    Column,
    ImportReport,
    bad_rows_error,
    parse_date,
    parse_yes_no,
    read_rows,
    write_workbook,
    xlsx_response,
)

VISIT_COLUMNS = [
    Column("村(社区)代码", "region", width=14, as_text=True),
    Column("村(社区)", "region_name", width=20),
    Column("户主", "household", width=12),
    Column("走访日期", "visited_on", parse=parse_date, width=12),
    Column("走访人", "visitors", width=24),
    Column("暖心聊天", "chat", width=8),
    Column("爱心家常饭", "meal", width=10),
    Column("精心清扫", "cleaning", width=8),
    Column("解决的问题", "problems", width=40),
    Column("备注", "note", width=24),
]


def households_response(user: Any, village: Region) -> HttpResponse:
    buffer = BytesIO()
    rows = household_policy.visible_to(user).filter(region=village, removed_on__isnull=True).order_by("name", "id")
    write_workbook("暖心清单", HOUSEHOLD_COLUMNS, (household_row(h) for h in rows), buffer)
    return xlsx_response(buffer.getvalue(), f"{village.name}暖心清单.xlsx")


def visits_response(user: Any, region: Region) -> HttpResponse:
    yes = {True: "是", False: "否"}
    rows = (
        {
            "region": v.region_id,
            "region_name": v.region.name,
            "household": v.household.name,
            "visited_on": v.visited_on,
            "visitors": v.visitors,
            "chat": yes[v.chat],
            "meal": yes[v.meal],
            "cleaning": yes[v.cleaning],
            "problems": "；".join(v.problem_list),
            "note": v.note,
        }
        for v in selectors.visits_under(user, region.code).iterator(2000)
    )
    buffer = BytesIO()
    write_workbook("暖心走访台账", VISIT_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}暖心走访台账.xlsx")


def list_pdf(user: Any, village: Region) -> bytes:
    today = timezone.localdate()
    lines = selectors.village_list(user, village, today)
    story: list[Any] = heading(f"{village.name}暖心清单", f"截至 {today:%Y年%m月%d日}，共 {len(lines)} 户")
    body: list[list[Any]] = [["序号", "户主", "住址", "困难类型", "结对帮扶人", f"{today:%m}月3+N", "未完成月数"]]
    for n, line in enumerate(lines, start=1):
        h, month = line.household, line.this_month
        status = "已完成" if month and month.done_on else "未完成"
        body.append([str(n), h.name, h.address, h.needs_label, h.carer, status, str(line.overdue)])
    story.append(grid_table(body, [28, 60, 110, 70, 80, 60, 60]))
    story.append(paragraph("注：“3+N”为每月一次暖心聊天、一顿爱心家常饭、一次精心清扫，并帮助解决 N 件实际困难。"))
    return render_pdf(story, f"{village.name}暖心清单")


def list_response(user: Any, village: Region) -> HttpResponse:
    return pdf_response(list_pdf(user, village), f"{village.name}暖心清单.pdf")


HOUSEHOLD_COLUMNS = [
    Column("户主", "name", width=12, required=True),
    Column("住址", "address", width=24),
    Column("贫困户", "poor", parse=parse_yes_no, width=8),
    Column("低保户", "dibao", parse=parse_yes_no, width=8),
    Column("五保户", "wubao", parse=parse_yes_no, width=8),
    Column("独居", "alone", parse=parse_yes_no, width=8),
    Column("结对帮扶人", "carer", width=16),
    Column("列入日期", "listed_on", parse=parse_date, width=12, required=True),
]


def household_row(h: Household) -> dict[str, Any]:
    return {
        "name": h.name,
        "address": h.address,
        **{n: "是" if getattr(h, n) else "否" for n in NEEDS},
        "carer": h.carer,
        "listed_on": h.listed_on,
    }


@transaction.atomic
def households_import(*, actor: Actor, village_code: str, stream: BinaryIO) -> ImportReport:
    """The village's list kept in Excel (the export's layout): a household is its 户主 and 住址; a new one is listed,
    a listed one with other needs or another 结对帮扶人 is updated, an equal one left alone. Every row is checked
    first; one bad row and nothing is saved."""
    village = _village(actor, village_code)
    current = {(h.name, h.address): h for h in Household.objects.filter(region=village, removed_on__isnull=True)}
    report = ImportReport(unit="户")
    new: list[dict[str, Any]] = []
    changed: list[tuple[Household, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    for row in read_rows(stream, HOUSEHOLD_COLUMNS, max_rows=5_000):
        if not row.errors:
            values = _values(**row.values)
            key = (values["name"], values["address"])
            problems = _household_errors(values)
            row.errors.extend(m for ms in problems.values() for m in ms)
            if key in seen:
                row.errors.append(f"{key[0]}（{key[1] or '无住址'}）重复")
            seen.add(key)
            if not row.errors:
                found = current.get(key)
                if found is None:
                    new.append(values)
                elif any(getattr(found, k) != values[k] for k in ("carer", *NEEDS)):
                    changed.append((found, values))
                else:
                    report.unchanged += 1
        if row.errors:
            report.bad_rows.append(row)
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    entries = []
    created = [Household.objects.create(region=village, **values) for values in new]
    _open_months(created, timezone.localdate())
    for h in created:
        entries.append(
            Pending(
                region_code=village.code,
                event="carelist.listed",
                summary=f"{village.name}暖心清单列入：{h.name}（{h.needs_label}，Excel 导入）",
                obj=h,
                after=_snapshot(h),
            )
        )
    for h, values in changed:
        before = _snapshot(h)
        for k in ("carer", *NEEDS):
            setattr(h, k, values[k])
        h.version += 1
        h.save(update_fields=["carer", *NEEDS, "version"])
        entries.append(
            Pending(
                region_code=village.code,
                event="carelist.changed",
                summary=f"{village.name}暖心清单更新：{h.name}（Excel 导入）",
                obj=h,
                before=before,
                after=_snapshot(h),
            )
        )
    if entries:
        record_many(actor=actor, entries=entries)
    report.created, report.updated, report.saved = len(created), len(changed), True
    return report
