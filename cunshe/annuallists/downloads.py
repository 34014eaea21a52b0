"""The files the pages and the API both hand out under the same access rule: the list and five-year plan printed
for the village's bulletin board (PDF), and the town's or county's table (Excel)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.annuallists import selectors
from cunshe.annuallists.models import AnnualList
from cunshe.core.printing import H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response

ROLLUP_COLUMNS = [
    Column("代码", "code", width=14, as_text=True),
    Column("单位", "name", width=22),
    Column("已制定清单的村(社区)", "villages", width=18),
    Column("审核通过的", "approved", width=12),
    Column("已公开承诺的", "public", width=12),
    Column("公开承诺事项", "items", width=12),
    Column("已完成事项", "done", width=12),
]


def rollup_response(user: Any, region: Region, year: int) -> HttpResponse:
    rows, total = selectors.rollup(user, region, year)
    buffer = BytesIO()
    write_workbook(f"{year}年初心清单", ROLLUP_COLUMNS, (r.__dict__ for r in [*rows, total]), buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}{year}年初心清单汇总.xlsx")


def list_pdf(annual_list: AnnualList) -> bytes:
    village = Region.objects.get(code=annual_list.region_id)
    title = f"{village.name}{annual_list.year}年初心清单"
    note = (
        f"{annual_list.pledged_on:%Y年%m月%d日}主题党日公开承诺"
        if annual_list.pledged_on
        else annual_list.get_status_display()
    )
    story: list[Any] = heading(title, note)
    body: list[list[Any]] = [["序号", "承诺事项", "责任人", "完成时限", "进展"]]
    for n, item in enumerate(selectors.items_of(annual_list), start=1):
        body.append([str(n), item.title, item.responsible, f"{item.due_on:%Y-%m-%d}", item.get_status_display()])
    story.append(grid_table(body, [30, 230, 80, 70, 60]))
    story.append(paragraph("五年规划", H2))
    plan: list[list[Any]] = [["领域", "任期目标", "年度节点"]]
    for goal in annual_list.goals.all():
        steps = "\n".join(f"{m['year']}年：{m['text']}" for m in goal.milestones)
        plan.append([goal.get_area_display(), goal.goal, steps])
    story.append(grid_table(plan, [60, 170, 240]))
    story.append(paragraph("欢迎广大群众监督。对清单事项有意见建议的，请向村(社区)党组织反映。"))
    return render_pdf(story, title)


def list_response(annual_list: AnnualList) -> HttpResponse:
    village = Region.objects.get(code=annual_list.region_id)
    return pdf_response(list_pdf(annual_list), f"{village.name}{annual_list.year}年初心清单.pdf")
