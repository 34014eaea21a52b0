"""一村一策一表 on paper: the village's file as the town's working group prints it for the 研判会 and the archive —
the latest 选情评估表 with the earlier ones, the village plan, the 选务作战图 and the 沙盘推演 — read through the same
scoped selectors as the page, so it holds exactly what the reader may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from cunshe.core.printing import BODY, H2, SMALL, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.people.models import Gender
from cunshe.readiness.selectors import assessments_of, plan_items_of, rehearsal, tasks_of
from cunshe.regions.models import Region
from cunshe.termchanges.selectors import current_term_change


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def village_file_pdf(user: Any, village: Region) -> bytes:
    code = village.code
    term_change = current_term_change(code)
    title = f"{village.name}换届“一村一策一表”"
    story: list[Any] = [
        *heading(title, term_change.title if term_change else "尚未启动换届", getattr(user, "display_name", "")),
        paragraph("一、选情评估表", H2),
    ]
    assessments = list(assessments_of(user, code).select_related("assessed_by"))
    if assessments:
        latest = assessments[0]
        story.append(
            grid_table(
                [
                    ["项目", "情况"],
                    ["评估日期", _day(latest.assessed_on)],
                    ["风险等级", latest.get_risk_display()],
                    ["班子稳定", latest.get_stability_display()],
                    ["矛盾纠纷", latest.conflicts or "无"],
                    ["近一年信访件数", str(latest.petitions)],
                    ["人选情况", latest.candidates or "—"],
                    ["研判意见", latest.note or "—"],
                    ["评估人", getattr(latest.assessed_by, "display_name", "") or "—"],
                ],
                [40 * mm, 134 * mm],
                style=BODY,
            )
        )
        if len(assessments) > 1:
            earlier = "；".join(f"{_day(a.assessed_on)} {a.get_risk_display()}" for a in assessments[1:])
            story.append(paragraph(f"此前评估：{earlier}", SMALL))
    else:
        story.append(paragraph("尚未评估。", BODY))

    story.append(paragraph("二、一村一策（问题与对策）", H2))
    items = list(plan_items_of(user, code))
    story.append(
        grid_table(
            [["序号", "问题", "对策措施", "责任人", "完成时限", "完成情况"]]
            + [
                [
                    str(n),
                    i.problem,
                    i.measure,
                    i.owner,
                    _day(i.due_on),
                    f"已完成 {_day(i.done_on)}" if i.done_on else "未完成",
                ]
                for n, i in enumerate(items, start=1)
            ],
            [12 * mm, 36 * mm, 56 * mm, 24 * mm, 22 * mm, 24 * mm],
        )
        if items
        else paragraph("暂无。", BODY)
    )

    story.append(paragraph("三、选务作战图", H2))
    tasks = list(tasks_of(user, code))
    story.append(
        grid_table(
            [["序号", "工作事项", "责任人", "完成时限", "状态"]]
            + [
                [str(n), t.title, t.owner, _day(t.due_on), f"{t.get_status_display()} {_day(t.done_on)}".strip()]
                for n, t in enumerate(tasks, start=1)
            ],
            [12 * mm, 76 * mm, 30 * mm, 24 * mm, 32 * mm],
        )
        if tasks
        else paragraph("尚未生成作战图。", BODY)
    )

    story.append(paragraph("四、沙盘推演", H2))
    board = rehearsal(user, code)
    story.append(paragraph("职数：" + "、".join(f"{post} {n} 名" for post, n in board.seats), BODY))
    story.append(
        grid_table(
            [["人选", "性别", "拟任职务", "来源"]]
            + [[c.name, Gender(c.gender).label, c.post, c.source] for c in board.candidates],
            [40 * mm, 20 * mm, 70 * mm, 44 * mm],
        )
        if board.candidates
        else paragraph("暂无人选。", BODY)
    )
    story.append(Spacer(1, 2 * mm))
    story.append(paragraph("需要关注：" + ("".join(board.gaps) if board.gaps else "无"), BODY))
    return render_pdf(story, title)


def village_file_response(user: Any, village: Region) -> HttpResponse:
    return pdf_response(village_file_pdf(user, village), f"{village.name}一村一策一表.pdf")
