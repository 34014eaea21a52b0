"""The project sheet of a secretary's breakthrough project (书记突破项目书), printed for the file and for signing:
the project, its goal, the milestones planned and reached, the progress reports, the result and the town's rating,
then the lines the secretary, the village and the town sign on paper."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.breakthroughs.models import Project
from cunshe.core.printing import H2, grid_table, heading, paragraph, pdf_response, render_pdf, signatures


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def project_sheet_pdf(project: Project) -> bytes:
    p = project
    story: list[Any] = heading(f"{p.region.name}书记突破项目书", f"状态：{p.get_status_display()}")
    story.append(
        grid_table(
            [
                ["项目名称", p.title, "党组织书记", p.secretary.name],
                ["任务清单事项", p.task.title, "申报日期", _day(p.proposed_on)],
                ["乡镇审定日期", _day(p.approved_on) or "未审定", "完成日期", _day(p.finished_on) or "未完成"],
            ],
            [28 * mm, 62 * mm, 28 * mm, 56 * mm],
            header=False,
        )
    )
    story += [paragraph("目标", H2), paragraph(p.goal)]
    story.append(paragraph("推进节点", H2))
    milestones = list(p.milestones.order_by("position"))
    rows = [["序号", "节点", "计划完成", "实际完成"]]
    rows += [[str(m.position), m.title, _day(m.due_on), _day(m.done_on) or "未完成"] for m in milestones]
    story.append(grid_table(rows, [14 * mm, 100 * mm, 30 * mm, 30 * mm]))
    reached = sum(m.done_on is not None for m in milestones)
    story.append(paragraph(f"已完成节点 {reached} / {len(milestones)} 个。"))
    story.append(paragraph("工作进展", H2))
    reports = list(p.reports.order_by("reported_on", "id"))
    if reports:
        rows = [["日期", "进展", "照片"]]
        rows += [[_day(r.reported_on), r.text, "有" if r.photo else ""] for r in reports]
        story.append(grid_table(rows, [26 * mm, 134 * mm, 14 * mm]))
    else:
        story.append(paragraph("暂无进展报告。"))
    story.append(paragraph("成效与评价", H2))
    story.append(paragraph(p.result or "（项目完成后填写）"))
    if p.rating:
        story.append(paragraph(f"乡镇评价：{p.get_rating_display()}（{_day(p.rated_on)}）{p.rating_note}"))
    story += signatures("党组织书记（签字）", "村(社区)党组织（盖章）", "乡镇(街道)党(工)委审定意见（盖章）")
    return render_pdf(story, f"{p.title}项目书")


def project_sheet_response(project: Project) -> HttpResponse:
    return pdf_response(project_sheet_pdf(project), f"{project.region.name}书记突破项目书.pdf")
