"""The special inspection's written report (专项考察报告), kept with the person and the village."""

from __future__ import annotations

from reportlab.lib.units import mm

from cunshe.appraisals.models import Appraisal, Inspection
from cunshe.core.printing import H2, grid_table, heading, paragraph, render_pdf


def report_pdf(appraisal: Appraisal, inspection: Inspection, papers: list, inquiries: list, problems: list) -> bytes:
    person = appraisal.person
    title = f"{person.name}同志专项考察报告"
    rate = appraisal.rate
    story = [
        *heading(title, appraisal.region.name, appraisal.get_post_display()),
        grid_table(
            [
                ["姓名", person.name, "考察对象类别", appraisal.get_post_display()],
                ["考察日期", f"{inspection.inspected_on:%Y-%m-%d}", "考察组成员", inspection.inspectors],
                ["自评等次", appraisal.get_self_grade_display() or "未自评", "群众评价票数", str(appraisal.ratings)],
                [
                    "群众满意率",
                    "未评价" if rate is None else f"{rate.numerator}/{rate.denominator}（{float(rate):.1%}）",
                    "法律法规考",
                    "；".join(
                        f"{p.score}/{p.total}{'及格' if p.passed else '不及格'}" for p in papers if p.submitted_at
                    )
                    or "未考",
                ],
            ],
            [28 * mm, 55 * mm, 28 * mm, 63 * mm],
            header=False,
        ),
        paragraph("部长问询考", H2),
        *[paragraph(f"{i.held_on:%Y-%m-%d} {i.inquirer}：{i.get_grade_display()}。{i.assessment}") for i in inquiries],
        paragraph("考察情况", H2),
        paragraph(inspection.findings),
        paragraph("发现问题", H2),
        *(
            [paragraph(f"{n}. 〔{p.kind.name}〕{p.description}") for n, p in enumerate(problems, 1)]
            or [paragraph("未发现问题。")]
        ),
        paragraph("考察结论", H2),
        paragraph(inspection.conclusion),
    ]
    return render_pdf(story, title)
