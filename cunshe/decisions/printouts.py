"""The six sign-off sheets of a decision (四议两公开签字表), one page each: the four meeting records (the meeting
that passed the step, or the latest one held, with every vote and the signatures of chair and recorder) and the two
disclosures. A step not yet reached prints as a blank form to fill in by hand."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from cunshe.core.printing import grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.decisions.models import Decision, Meeting, Step

SHEET_TITLES = {
    Step.PROPOSAL: "四议两公开 · 第一步 党组织提议签字表",
    Step.CONSULTATION: "四议两公开 · 第二步 “两委”会议商议签字表",
    Step.PARTY_REVIEW: "四议两公开 · 第三步 党员大会审议签字表",
    Step.RESOLUTION: "四议两公开 · 第四步 村民(代表)会议决议签字表",
    Step.RESOLUTION_DISCLOSURE: "四议两公开 · 决议公开签字表",
    Step.RESULT_DISCLOSURE: "四议两公开 · 实施结果公开签字表",
}
W = [34 * mm, 140 * mm]


def _meeting_for(decision: Decision, step: str) -> Meeting | None:
    meetings = [m for m in decision.meetings.all() if m.step == step or (step == Step.CONSULTATION and m.merged)]
    passed = [m for m in meetings if m.passed]
    found = passed or meetings
    return found[-1] if found else None


def _meeting_rows(decision: Decision, step: str, m: Meeting | None) -> list[list[Any]]:
    if m is None:
        blank = ""
        return [
            ["会议时间", blank],
            ["地点", blank],
            ["主持人", blank],
            ["记录人", blank],
            ["应到 / 实到", "应到　　人，实到　　人"],
            ["缺席人员及原因", blank],
            ["表决情况", "赞成　　票，反对　　票，弃权　　票"],
            ["发言情况（含不同意见）", "\n\n\n"],
            ["会议决定", "\n\n"],
        ]
    absent = "；".join(f"{a['name']}（{a['reason']}）" for a in m.absentees) or "无"
    verdict = "通过" if m.passed else ("到会人数不足，未通过" if not m.quorum_met else "赞成票未过半数，未通过")
    rows = [
        ["会议时间", f"{timezone.localtime(m.held_at):%Y年%m月%d日 %H:%M}（第 {m.number} 次会议记录）"],
        ["地点", m.place],
        ["主持人", m.chair],
        ["记录人", m.recorder],
        ["应到 / 实到", f"应到 {m.due} 人，实到 {m.present} 人"],
        ["缺席人员及原因", absent],
        ["表决情况", f"赞成 {m.votes_for} 票，反对 {m.votes_against} 票，弃权 {m.votes_abstain} 票：{verdict}"],
        ["适用规则", m.rule_text],
        ["发言情况（含不同意见）", m.discussion],
        ["会议决定", m.outcome],
    ]
    if m.merged:
        rows.insert(0, ["说明", "书记、主任一肩挑，党组织提议与“两委”会议商议合并召开。"])
    if m.notice_sent_on:
        rows.insert(5, ["方案送达党员", f"{m.notice_sent_on:%Y年%m月%d日}"])
    return rows


def _disclosure_rows(decision: Decision, step: str) -> list[list[Any]]:
    found = next((d for d in decision.disclosures.all() if d.decision_step == step), None)
    if found is None or found.published_on is None:
        return [["公开日期", ""], ["公开渠道", "□公开栏　□大喇叭　□村务网站　□微信群"], ["公开内容", "\n\n\n"]]
    return [
        ["公开日期", f"{found.published_on:%Y年%m月%d日}{'（逾期公开）' if found.late else ''}"],
        ["公开渠道", "、".join(found.channel_labels)],
        ["标题", found.title],
        ["公开内容", found.content],
        ["公开栏照片", f"{found.photos.count()} 张（见系统记录）"],
    ]


def sheets_pdf(decision: Decision) -> bytes:
    story: list[Any] = []
    for n, step in enumerate(Step.values):
        if n:
            story.append(PageBreak())
        story += heading(SHEET_TITLES[Step(step)], decision.region.name)
        story.append(Spacer(1, 4 * mm))
        head = [["事项名称", decision.title], ["事项内容", decision.matter], ["提议人", decision.proposer]]
        if step in (Step.RESOLUTION_DISCLOSURE, Step.RESULT_DISCLOSURE):
            rows = _disclosure_rows(decision, step)
            signers = "村党组织书记（签字）：　　　　　　村(居)务监督委员会主任（签字）："
        else:
            rows = _meeting_rows(decision, step, _meeting_for(decision, step))
            signers = "主持人（签字）：　　　　　　　　　　记录人（签字）："
        story.append(grid_table(head + rows, W, header=False))
        story.append(Spacer(1, 10 * mm))
        story.append(paragraph(signers))
        story.append(Spacer(1, 6 * mm))
        story.append(paragraph("日期：　　　年　　月　　日"))
    return render_pdf(story, f"{decision.title} 四议两公开签字表")


def sheets_response(decision: Decision) -> HttpResponse:
    return pdf_response(sheets_pdf(decision), f"四议两公开签字表-{decision.pk}.pdf")
