"""The files the pages and the API both hand out under the same access rule: the village's list in the import
layout (Excel), the visits ledger of a village, town or county (Excel), and the village's printed care list with
this month's 3+N (PDF, for the village's files and the town's check)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from cunshe.carelist import selectors
from cunshe.carelist.permissions import household_policy
from cunshe.carelist.services import HOUSEHOLD_COLUMNS, household_row
from cunshe.core.printing import grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, parse_date, write_workbook, xlsx_response

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
