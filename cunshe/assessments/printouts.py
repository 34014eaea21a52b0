"""The paper of a 两票一度 assessment: the blank ballots handed out at the meeting (one per voter, anonymous) and
the count sheet the tellers fill in and sign, whose totals are then entered as 纸质汇总录入 (OpenSlides prints its
paper polls the same way: the ballot lists exactly what the system will count)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from cunshe.assessments.models import Poll, PollKind, TrustAssessment
from cunshe.core.errors import DomainError
from cunshe.core.printing import BODY, FONT, SMALL, TITLE, grid_table, paragraph, pdf_response, render_pdf

# The three marks of a ballot, in the order of Tally.good / fair / poor.
MARK_LABELS = {
    PollKind.PARTY: ("信任", "基本信任", "不信任"),
    PollKind.REPRESENTATIVE: ("信任", "基本信任", "不信任"),
    PollKind.SATISFACTION: ("满意", "基本满意", "不满意"),
}
TITLES = {
    PollKind.PARTY: "党员信任票",
    PollKind.REPRESENTATIVE: "村(居)民代表信任票",
    PollKind.SATISFACTION: "班子及成员满意度测评表",
}
VOTERS = {PollKind.PARTY: "党员", PollKind.REPRESENTATIVE: "村(居)民代表", PollKind.SATISFACTION: "参评群众"}


def ballots_response(poll: Poll, copies: int | None) -> HttpResponse:
    """The blank ballots as the page and the API hand them out: by default one per voter entitled, never more (the
    count could not then exceed them either), at least one."""
    copies = poll.entitled if copies is None else copies
    if copies < 1 or copies > poll.entitled:
        refused = "打印份数至少为 1 份。" if copies < 1 else f"打印份数不能多于应参加人数（{poll.entitled} 人）。"
        raise DomainError(refused, {"copies": [refused]})
    return pdf_response(ballots_pdf(poll, copies=copies), f"{_heading(poll.assessment, poll.kind)}.pdf")


def count_sheet_response(poll: Poll) -> HttpResponse:
    return pdf_response(count_sheet_pdf(poll), f"{_heading(poll.assessment, poll.kind)}计票单.pdf")


def _members(poll: Poll) -> list[tuple[str, str]]:
    """In the order of the tally rows, which is the order of the entry form on the screen."""
    return [(t.member.person.name, t.member.post_title) for t in poll.tallies.select_related("member__person")]


def _heading(assessment: TrustAssessment, kind: str) -> str:
    return f"{assessment.region.name}“两委”班子及成员{TITLES[PollKind(kind)]}"


BALLOT_TITLE = ParagraphStyle("ballot_title", parent=TITLE, fontName=FONT, fontSize=14, leading=19, spaceAfter=2)
CUT_LINE = "- " * 60


def ballots_pdf(poll: Poll, *, copies: int) -> bytes:
    """`copies` identical anonymous ballots: no number or name on them, so a ballot cannot be traced. As many fit on
    an A4 sheet as its length allows (a team of five or six gives two or three), each kept whole and separated by a
    line to cut along, so a meeting of 40 does not print 40 mostly blank sheets."""
    assessment = poll.assessment
    marks = MARK_LABELS[PollKind(poll.kind)]
    rows: list[list[Any]] = [["序号", "姓名", "职务", *marks]]
    rows += [[str(n), name, post, "", "", ""] for n, (name, post) in enumerate(_members(poll), start=1)]
    story: list[Any] = []
    for copy in range(copies):
        ballot = [
            paragraph(_heading(assessment, poll.kind), BALLOT_TITLE),
            paragraph(f"测评日期：{assessment.held_on:%Y年%m月%d日}", SMALL),
            Spacer(1, 1.5 * mm),
            paragraph(
                f"填写说明：请在每名成员对应的“{marks[0]}”“{marks[1]}”“{marks[2]}”栏中选一栏划“√”。"
                "每名成员只能选一项，多选、不选或无法辨认的，对该成员视为弃权。本票不记名，不得在票上署名或做标记。",
                SMALL,
            ),
            Spacer(1, 1.5 * mm),
            grid_table(
                rows,
                [12 * mm, 34 * mm, 50 * mm, 25 * mm, 25 * mm, 25 * mm],
                style=BODY,
                rowHeights=[7 * mm] + [8 * mm] * (len(rows) - 1),  # room for a tick
            ),
        ]
        if copy < copies - 1:
            ballot += [Spacer(1, 3 * mm), paragraph(CUT_LINE, SMALL), Spacer(1, 3 * mm)]
        story.append(KeepTogether(ballot))
    return render_pdf(story, _heading(assessment, poll.kind))


def count_sheet_pdf(poll: Poll) -> bytes:
    """The tellers' sheet: totals per member and mark, the ballots handed out, returned and invalid, signed."""
    assessment = poll.assessment
    marks = MARK_LABELS[PollKind(poll.kind)]
    rows: list[list[Any]] = [["序号", "姓名", "职务", *marks, "合计"]]
    rows += [[str(n), name, post, "", "", "", ""] for n, (name, post) in enumerate(_members(poll), start=1)]
    voters = VOTERS[PollKind(poll.kind)]
    story: list[Any] = [
        paragraph(f"{_heading(assessment, poll.kind)}计票单", TITLE),
        paragraph(f"测评日期：{assessment.held_on:%Y年%m月%d日}", SMALL),
        Spacer(1, 4 * mm),
        paragraph(
            f"应参加{voters} {poll.entitled} 人，发出票 ____ 张，收回票 ____ 张，其中无效票 ____ 张。"
            f"收回票数不得多于应参加人数；每名成员的“{marks[0]}”“{marks[1]}”“{marks[2]}”票数之和不得多于有效票数。",
            BODY,
        ),
        Spacer(1, 4 * mm),
        grid_table(
            rows,
            [12 * mm, 30 * mm, 46 * mm, 22 * mm, 22 * mm, 22 * mm, 20 * mm],
            style=BODY,
            rowHeights=[9 * mm] + [10 * mm] * (len(rows) - 1),  # room for handwritten counts
        ),
        Spacer(1, 12 * mm),
        paragraph("计票人：____________　　监票人：____________　　记录人：____________", BODY),
        Spacer(1, 6 * mm),
        paragraph("年　　月　　日", BODY),
    ]
    return render_pdf(story, f"{_heading(assessment, poll.kind)}计票单")
