"""The files pages and the API both hand out: a meeting's minutes (PDF), the meetings ledger (Excel), the model-post
rating sheet (PDF, to fill in), the quarter's results (Excel) and the floating members' ledger (Excel)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from cunshe.core.printing import H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.partywork import rules
from cunshe.partywork.models import Grade, GroupMembership, MeetingStatus, PartyMeeting
from cunshe.partywork.permissions import meeting_policy, rating_policy
from cunshe.partywork.selectors import floating_of, posts_of
from cunshe.partywork.services import counts_of
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, parse_date, write_workbook, xlsx_response


def _signature(at: Any) -> str:
    return f"已确认（{timezone.localtime(at):%Y-%m-%d %H:%M}）" if at else "未确认"


def minutes_pdf(meeting: PartyMeeting) -> bytes:
    """The minutes as the rules list them: number, time, place, chair, recorder, due / present / absent with
    reasons, agenda, what was said including dissent, votes, decisions with owner and deadline, the two signatures,
    and the addenda after signing."""
    m = meeting
    counts = counts_of(m)
    status = "" if m.status == MeetingStatus.SIGNED else "（草稿，未经签字确认）"
    story: list[Any] = heading(f"{m.title}会议记录{status}", m.branch.name)
    away = [a for a in m.attendance.all() if a.status != "present"]
    rows = [
        [
            "编号",
            f"{m.held_at:%Y}年{m.get_kind_display()}第 {m.number} 次",
            "时间",
            f"{timezone.localtime(m.held_at):%Y-%m-%d %H:%M}",
        ],
        ["地点", m.place, "主题", m.topic or "—"],
        ["主持人", m.chair.name, "记录人", m.recorder.name],
        [
            "应到",
            f"{counts['due']} 人",
            "实到",
            f"{counts['present']} 人（请假 {counts['leave']} 人，缺席 {counts['absent']} 人）",
        ],
    ]
    story.append(grid_table(rows, [60, 170, 60, 184], header=False))
    if away:
        story.append(
            paragraph(
                "请假、缺席人员及原因："
                + "；".join(f"{a.person.name}（{a.get_status_display()}：{a.reason}）" for a in away)
            )
        )
    story.append(
        paragraph("出席人员：" + "、".join(a.person.name for a in m.attendance.all() if a.status == "present"))
    )
    story += [paragraph("一、议程", H2), paragraph(m.agenda)]
    story += [paragraph("二、发言情况（含不同意见）", H2), paragraph(m.discussion or "无")]
    story += [paragraph("三、表决情况", H2), paragraph(m.votes or "无")]
    story.append(paragraph("四、决定事项", H2))
    decisions = [["序号", "决定事项", "责任人", "完成时限"]] + [
        [str(n), d.text, d.owner, f"{d.due_on:%Y-%m-%d}"] for n, d in enumerate(m.decisions.all(), start=1)
    ]
    story.append(grid_table(decisions if len(decisions) > 1 else [*decisions, ["—", "无", "", ""]], [34, 290, 80, 70]))
    story.append(paragraph("五、签字确认", H2))
    story.append(
        grid_table(
            [
                ["记录人", f"{m.recorder.name}　{_signature(m.recorder_signed_at)}"],
                ["主持人", f"{m.chair.name}　{_signature(m.chair_signed_at)}"],
            ],
            [60, 414],
            header=False,
        )
    )
    addenda = list(m.addenda.all())
    if addenda:
        story.append(paragraph("六、补充更正说明（签字确认后）", H2))
        story += [paragraph(f"{a.written_on:%Y-%m-%d}：{a.text}") for a in addenda]
    return render_pdf(story, f"{m.title}会议记录")


def minutes_response(meeting: PartyMeeting) -> HttpResponse:
    return pdf_response(minutes_pdf(meeting), f"{meeting.title}会议记录.pdf")


LEDGER_COLUMNS = [
    Column("村(社区)代码", "region", width=14, as_text=True),
    Column("党组织", "branch", width=24),
    Column("会议类型", "kind", width=14),
    Column("编号", "number", width=6),
    Column("时间", "held_at", width=18),
    Column("地点", "place", width=20),
    Column("主持人", "chair", width=10),
    Column("记录人", "recorder", width=10),
    Column("应到", "due", width=6),
    Column("实到", "present", width=6),
    Column("议程", "agenda", width=40),
    Column("决定事项", "decisions", width=40),
    Column("状态", "status", width=12),
    Column("签字确认日期", "signed_on", parse=parse_date, width=12),
]


def ledger_response(user: Any, region: Region) -> HttpResponse:
    """The meetings of the branches under a region, one row per meeting (三会一课台账)."""
    meetings = (
        meeting_policy.visible_to(user)
        .filter(region__startswith=region.code)
        .select_related("branch", "chair", "recorder")
        .prefetch_related("attendance", "decisions")
        .order_by("region_id", "held_at", "id")
    )
    rows = (
        {
            "region": m.region_id,
            "branch": m.branch.name,
            "kind": m.get_kind_display(),
            "number": m.number,
            "held_at": f"{timezone.localtime(m.held_at):%Y-%m-%d %H:%M}",
            "place": m.place,
            "chair": m.chair.name,
            "recorder": m.recorder.name,
            "due": len(m.attendance.all()),
            "present": sum(a.status == "present" for a in m.attendance.all()),
            "agenda": m.agenda,
            "decisions": "；".join(f"{d.text}（{d.owner}，{d.due_on:%Y-%m-%d}前）" for d in m.decisions.all()),
            "status": m.get_status_display(),
            "signed_on": timezone.localdate(max(m.recorder_signed_at, m.chair_signed_at))
            if m.recorder_signed_at and m.chair_signed_at
            else None,
        }
        for m in meetings
    )
    buffer = BytesIO()
    write_workbook("三会一课台账", LEDGER_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}三会一课台账.xlsx")


def rating_sheet_pdf(user: Any, region: Region, year: int, quarter: int) -> bytes:
    """The quarter's rating sheet of the model posts under a region: the criteria with their full marks as columns,
    the scores already given filled in, blank cells to fill in for the rest."""
    sheet = rules.rating_sheet(region.code, rules.quarter_end(year, quarter))
    story: list[Any] = heading(f"{region.name}党员示范岗 {year} 年第 {quarter} 季度评比表")
    grades = "，".join(f"{float(low * 100):.0f} 分以上{Grade(g).label}" for low, g in sheet.grades)
    story.append(
        paragraph(f"评分标准（满分 100 分）：{grades}，不足 {float(sheet.grades[-1][0] * 100):.0f} 分不合格。")
    )
    head = ["村(社区)", "示范岗", "党员", *[f"{name}（{points}）" for name, points in sheet.criteria], "总分", "结果"]
    body = [head]
    # the posts due a rating for the quarter: set up by its end and not ended before it began (撤岗)
    due = (
        posts_of(user, region.code)
        .filter(set_up_on__lte=rules.quarter_end(year, quarter))
        .exclude(ended_on__lt=rules.quarter_start(year, quarter))
    )
    for post in due:
        rated = next((r for r in post.ratings.all() if (r.year, r.quarter) == (year, quarter)), None)
        scores = [str(rated.scores.get(name, "")) if rated else "" for name, _ in sheet.criteria]
        body.append(
            [
                post.region.name,
                post.title,
                post.person.name,
                *scores,
                str(rated.total) if rated else "",
                rated.get_grade_display() if rated else "",
            ]
        )
    width = (474 - 200 - 70) / len(sheet.criteria)
    story.append(grid_table(body, [70, 80, 50, *[width] * len(sheet.criteria), 34, 36]))
    story.append(paragraph("评比单位（盖章）：　　　　　　评比人：　　　　　　日期：　　年　　月　　日"))
    return render_pdf(story, f"{region.name}党员示范岗评比表")


RESULT_COLUMNS = [
    Column("村(社区)代码", "region", width=14, as_text=True),
    Column("村(社区)", "region_name", width=20),
    Column("示范岗", "title", width=24),
    Column("党员", "person", width=10),
    Column("季度", "quarter", width=10),
    Column("各项得分", "scores", width=50),
    Column("总分", "total", width=8),
    Column("评定结果", "grade", width=10),
    Column("评语", "note", width=30),
]


def results_response(user: Any, region: Region, year: int, quarter: int) -> HttpResponse:
    ratings = (
        rating_policy.visible_to(user)
        .filter(region__startswith=region.code, year=year, quarter=quarter)
        .select_related("post__person", "region")
        .order_by("region_id", "-total", "id")
    )
    rows = (
        {
            "region": r.region_id,
            "region_name": r.region.name,
            "title": r.post.title,
            "person": r.post.person.name,
            "quarter": f"{year}年第{quarter}季度",
            "scores": "；".join(f"{k} {v}" for k, v in r.scores.items()),
            "total": r.total,
            "grade": r.get_grade_display(),
            "note": r.note,
        }
        for r in ratings
    )
    buffer = BytesIO()
    write_workbook("示范岗评比结果", RESULT_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}党员示范岗{year}年第{quarter}季度评比结果.xlsx")


FLOATING_COLUMNS = [
    Column("村(社区)", "village", width=20),
    Column("姓名", "name", width=10),
    Column("流入地（所在地）", "whereabouts", width=28),
    Column("从事工作", "work", width=14),
    Column("联系方式", "phone", width=14, as_text=True),
    Column("外出日期", "left_on", parse=parse_date, width=12),
    Column("预计返回日期", "expected_back_on", parse=parse_date, width=12),
    Column("无法转移组织关系", "cannot_transfer", width=10),
    Column("流动党员活动证", "card", width=26),
    Column("临时党小组", "group", width=28),
    Column("已报告年度", "reported", width=12),
    Column("年度报告截止", "report_due_on", parse=parse_date, width=12),
]


def floating_ledger_response(user: Any, region: Region) -> HttpResponse:
    """The floating members away under a region, one row each (流动党员台账): where they are, their card, their
    present group and their reports home; in a constant number of queries."""
    members = floating_of(user, region.code).prefetch_related(
        Prefetch("memberships", queryset=GroupMembership.objects.filter(left_on__isnull=True).select_related("group"))
    )
    today = timezone.localdate()

    def card(m: Any) -> str:
        held = [c for c in m.cards.all() if c.revoked_on is None]
        if not held:
            return "未发证"
        c = max(held, key=lambda c: c.issued_on)
        return f"{c.number}，有效期至 {c.valid_until:%Y-%m-%d}" + ("（已过期）" if c.valid_until < today else "")

    rows = (
        {
            "village": m.region.name,
            "name": m.person.name,
            "whereabouts": m.whereabouts,
            "work": m.work,
            "phone": m.phone,
            "left_on": m.left_on,
            "expected_back_on": m.expected_back_on,
            "cannot_transfer": "是" if m.cannot_transfer else "否",
            "card": card(m),
            "group": "、".join(f"{r.group.name}（{r.joined_on:%Y-%m-%d} 加入）" for r in m.memberships.all()),
            "reported": "、".join(str(r.year) for r in sorted(m.reports.all(), key=lambda r: r.year)),
            "report_due_on": m.report_due_on,
        }
        for m in members
    )
    buffer = BytesIO()
    write_workbook("流动党员台账", FLOATING_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}流动党员台账.xlsx")
