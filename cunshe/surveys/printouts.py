"""Printed documents of a survey: the paper form (one per household, boxes to tick), the results (counts per
question and the satisfaction scores beside last year's), and a batch of QR slips (one single-use link each)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer

from cunshe.core.printing import H2, SMALL, cjk_font, grid_table, heading, paragraph, render_pdf
from cunshe.surveys.models import Kind, Purpose, Survey, Token
from cunshe.surveys.selectors import Results, Scores, questions_of, shown


def form_pdf(survey: Survey) -> bytes:
    story: list[Any] = heading(f"{survey.title}", f"{survey.year}年", f"第{survey.number}版")
    if survey.intro:
        story.append(paragraph(survey.intro))
    story.append(paragraph("请在所选项前的方框内打“√”；本问卷不记名。", SMALL))
    for q in questions_of(survey):
        hint = {
            Kind.SINGLE: "（单选）",
            Kind.MULTIPLE: "（可多选）",
            Kind.SCALE: f"（1-{q.scale_max} 分，选一项）",
            Kind.TEXT: "",
        }[Kind(q.kind)]
        story.append(paragraph(f"{q.position}. {q.text}{hint}", H2))
        if q.kind == Kind.TEXT:
            story.append(grid_table([[""]], [170 * mm], header=False, rowHeights=[28 * mm]))
        else:
            story.append(paragraph("　　".join(f"□ {c.label}" for c in q.choices.all())))
    story += [Spacer(1, 8 * mm), paragraph("村(社区)：____________　　填写日期：______年____月____日", SMALL)]
    return render_pdf(story, survey.title)


def results_pdf(res: Results, region_name: str, scores: Scores | None) -> bytes:
    s = res.survey
    story: list[Any] = heading(f"{s.title} 结果", region_name, f"第{s.number}版", s.get_status_display())
    story.append(
        paragraph(f"收回问卷 {res.total.forms} 份（纸质 {res.total.papers} 份，逐份录入 {res.total.responses} 份）。")
    )
    if scores is not None:
        story.append(
            paragraph("满意度得分（每个 1-N 分答案折合 分数÷N×100，取全部打分答案的平均；四舍五入到 0.1）", H2)
        )
        rows = [["区域", "得分", "打分答案数", "上年得分", "变化"]]
        for r in [*scores.rows, scores.total]:
            rows.append([r.name, shown(r.score), str(r.answers), shown(r.last_year), shown(r.change)])
        story.append(grid_table(rows, [50 * mm, 28 * mm, 30 * mm, 28 * mm, 28 * mm]))
        if scores.people:
            rows = [["被测评人", "得分", "打分答案数", "上年得分", "变化"]]
            rows += [
                [p.name, shown(p.score), str(p.answers), shown(p.last_year), shown(p.change)] for p in scores.people
            ]
            story.append(Spacer(1, 4 * mm))
            story.append(grid_table(rows, [50 * mm, 28 * mm, 30 * mm, 28 * mm, 28 * mm]))
    for q in res.questions:
        story.append(paragraph(f"{q.position}. {q.text}（{q.get_kind_display()}）", H2))
        if q.kind == Kind.TEXT:
            story.append(paragraph("文字意见见各村(社区)页面。", SMALL))
            continue
        rows = [["选项", "份数", "占收回问卷"]]
        for c in q.choices.all():
            share = res.share(res.total, c.pk)
            rows.append(
                [c.label, str(res.total.by_choice.get(c.pk, 0)), f"{shown(share)}%" if share is not None else "—"]
            )
        story.append(grid_table(rows, [90 * mm, 30 * mm, 40 * mm]))
    return render_pdf(story, f"{s.title}结果")


def slips_pdf(survey: Survey, village_name: str, tokens: list[Token], base_url: str) -> bytes:
    """Eight slips a page, each with its own single-use QR code and the words a resident needs."""
    font = cjk_font()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{survey.title}扫码问卷")
    width, height = A4
    slip_w, slip_h = width / 2, height / 4
    for i, token in enumerate(tokens):
        if i and i % 8 == 0:
            canvas.showPage()
        col, row = i % 2, (i % 8) // 2
        x, top = col * slip_w, height - row * slip_h
        canvas.setDash(2, 2)
        canvas.rect(x + 3 * mm, top - slip_h + 3 * mm, slip_w - 6 * mm, slip_h - 6 * mm)
        canvas.setDash()
        canvas.setFont(font, 11)
        canvas.drawString(x + 8 * mm, top - 12 * mm, survey.title[:22])
        canvas.setFont(font, 9)
        canvas.drawString(x + 8 * mm, top - 18 * mm, f"{village_name}　第 {token.batch} 批 {i + 1} 号")
        canvas.drawString(x + 8 * mm, top - slip_h + 10 * mm, "微信扫码填写，一码一份，不记名")
        matrix = list(segno.make(f"{base_url}{token.code}/", error="m", micro=False).matrix)
        size = 42 * mm
        module = size / len(matrix)
        left, qtop = x + slip_w - size - 10 * mm, top - 10 * mm
        for y, line in enumerate(matrix):
            for xx, bit in enumerate(line):
                if bit:
                    canvas.rect(left + xx * module, qtop - (y + 1) * module, module, module, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def is_satisfaction(survey: Survey) -> bool:
    return survey.purpose == Purpose.SATISFACTION
