"""The 走访任务单 on paper: the people of a village still to be visited, by visitor, with room to note the visit
(date, in person or by phone, what was said) for those who go door to door with a notebook and enter it afterwards.
Read through the same scoped selector as the village page."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.core.printing import BODY, H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.regions.models import Region
from cunshe.visits.selectors import targets_of_village
from cunshe.visits.services import term_change_of


def task_sheet_pdf(user: Any, village: Region) -> bytes:
    title = f"{village.name}走访任务单"
    targets = sorted(
        targets_of_village(user, village.code, unvisited_only=True), key=lambda t: (t.visitor, t.due_on, t.pk)
    )
    story: list[Any] = heading(title, term_change_of(village.code).title, f"未走访 {len(targets)} 人")
    if not targets:
        story.append(paragraph("走访计划中的对象均已走访。", BODY))
    for visitor, mine in groupby(targets, key=lambda t: t.visitor):
        rows = list(mine)
        story.append(paragraph(f"走访人：{visitor}（{len(rows)} 人）", H2))
        story.append(
            grid_table(
                [["序号", "走访对象", "类别", "计划完成", "走访日期", "方式", "反映的问题和意见"]]
                + [
                    [
                        str(n),
                        t.person.name + ("（在外，电话联访）" if t.is_away else ""),
                        t.get_group_display(),
                        f"{t.due_on:%m-%d}",
                        "",
                        "入户 / 电话",
                        "",
                    ]
                    for n, t in enumerate(rows, start=1)
                ],
                [12 * mm, 34 * mm, 20 * mm, 20 * mm, 20 * mm, 22 * mm, 46 * mm],
                rowHeights=[8 * mm] + [14 * mm] * len(rows),
            )
        )
    return render_pdf(story, title)


def task_sheet_response(user: Any, village: Region) -> HttpResponse:
    return pdf_response(task_sheet_pdf(user, village), f"{village.name}走访任务单.pdf")
