"""A village's 六清 checklist on paper, for the team and the town to sign: the six items with their state, dates,
evidence and who cleared them, the problems each found on the issue board and whether they are closed, the team's
talks and visits, and lines to sign. Read through the same scoped selector as the village page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.core.printing import BODY, H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.investigations.selectors import checklist_of
from cunshe.regions.models import Region


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def checklist_pdf(user: Any, village: Region) -> bytes:
    checklist = checklist_of(user, village)
    title = f"{village.name}“六清”清单"
    teams = "、".join(sorted({c.team.name for c in checklist.teams})) or "尚未安排调研组"
    story: list[Any] = [*heading(title, f"调研组：{teams}")]
    if checklist.board is not None and checklist.board.is_difficult:
        story.append(
            paragraph(
                f"重点难点村（{checklist.board.difficulty}）：问题清单未销号 {checklist.board.open} 个，"
                f"已销号 {checklist.board.closed} 个，{'已清零' if not checklist.board.open else '未清零'}。",
                BODY,
            )
        )
    story += [
        paragraph("一、六清事项", H2),
        grid_table(
            [["序号", "事项", "状态", "开始日期", "清结日期", "清理情况及佐证", "清理责任人"]]
            + [
                [
                    str(i.position),
                    i.name,
                    i.get_status_display(),
                    _day(i.started_on),
                    _day(i.cleared_on),
                    i.evidence or "—",
                    i.cleared_by or "—",
                ]
                for i in checklist.items
            ],
            [10 * mm, 24 * mm, 16 * mm, 22 * mm, 22 * mm, 58 * mm, 22 * mm],
        )
        if checklist.items
        else paragraph("尚未建立六清清单。", BODY),
    ]
    found = [(i, link.issue) for i in checklist.items for link in i.links.all()]
    story.append(paragraph("二、清理中发现的问题（问题清单）", H2))
    story.append(
        grid_table(
            [["事项", "问题", "责任人", "办结时限", "状态", "销号日期"]]
            + [
                [
                    i.name,
                    issue.title,
                    issue.owner,
                    _day(issue.due_on),
                    issue.get_status_display(),
                    _day(issue.closed_on),
                ]
                for i, issue in found
            ],
            [24 * mm, 62 * mm, 22 * mm, 22 * mm, 18 * mm, 22 * mm],
        )
        if found
        else paragraph("无。", BODY)
    )
    tally = checklist.tally
    story += [
        paragraph("三、谈话走访", H2),
        paragraph(f"共谈话 {tally.talks if tally else 0} 人次，走访 {tally.households if tally else 0} 户。", BODY),
        paragraph("四、签字", H2),
        grid_table(
            [
                ["调研组组长（签字）", "", "驻村干部（签字）", ""],
                ["乡镇(街道)党(工)委（盖章）", "", "日期", ""],
            ],
            [40 * mm, 45 * mm, 40 * mm, 45 * mm],
            header=False,
            rowHeights=[16 * mm, 16 * mm],
        ),
    ]
    return render_pdf(story, title)


def checklist_response(user: Any, village: Region) -> HttpResponse:
    return pdf_response(checklist_pdf(user, village), f"{village.name}六清清单.pdf")
