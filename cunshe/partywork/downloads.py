"""The files pages and the API both hand out: a meeting's minutes (PDF), the meetings ledger (Excel), the model-post
rating sheet (PDF, to fill in), the quarter's results (Excel), the floating members' ledger (Excel), and one
floating member's registration form (流动党员登记表) and card (流动党员活动证) (PDF)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.styles import ParagraphStyle

from cunshe.core.errors import DomainError
from cunshe.core.printing import FONT, H2, TITLE, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.partywork import rules
from cunshe.partywork.models import (
    Branch,
    FloatingCard,
    FloatingMember,
    Grade,
    GroupMembership,
    MeetingStatus,
    PartyMeeting,
)
from cunshe.partywork.permissions import meeting_policy, rating_policy
from cunshe.partywork.selectors import floating_of, latest_card, posts_of
from cunshe.partywork.services import branch_name, counts_of
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


# One floating member's papers. Both take the member as selectors.member_full fetched it (visibility checked there).


def branch_of(member: FloatingMember) -> str:
    """The home branch's name: as registered, or as the village's party organisation is usually called."""
    found = Branch.objects.filter(region_id=member.region_id).values_list("name", flat=True).first()
    return found or branch_name(member.region)


def card_state(card: FloatingCard, today: date) -> str:
    """Blank while the card is good; else what the printout is marked with (an old card still prints, for the
    file, but never passes for a valid one)."""
    if card.revoked_on is not None:
        return f"已收回（{card.revoked_on:%Y-%m-%d}）"
    if card.valid_until < today:
        return "已过期"
    return ""


def _card_line(card: FloatingCard | None, today: date) -> str:
    if card is None:
        return "未发证"
    state = card_state(card, today)
    valid = f"{card.number}，{card.issued_on:%Y-%m-%d} 发证，有效期至 {card.valid_until:%Y-%m-%d}"
    return valid + (f"（{state}）" if state else "")


def registration_pdf(member: FloatingMember) -> bytes:
    """流动党员登记表: who, the home branch, where they went and since when, whether the membership could not be
    transferred, the card, the groups joined away, the reports home, and a box for the branch's opinion and seal."""
    m, p, today = member, member.person, timezone.localdate()
    branch = branch_of(m)
    story: list[Any] = heading("流动党员登记表", f"{m.region.name} {branch}")
    returned = f"已于 {m.returned_on:%Y-%m-%d} 返回" if m.returned_on else "在外"
    rows = [
        ["姓名", p.name, "性别", p.get_gender_display(), "出生日期", f"{p.birth_date:%Y-%m-%d}"],
        [
            "入党时间",
            f"{p.party_joined_on:%Y-%m-%d}" if p.party_joined_on else "—",
            "身份证号码",
            p.id_number_masked,
            "联系方式",
            m.phone or p.phone or "—",
        ],
        ["所在党支部", branch, "外出日期", f"{m.left_on:%Y-%m-%d}", "预计返回", _day(m.expected_back_on)],
        ["流入地（所在地）", m.whereabouts, "从事工作", m.work or "—", "目前状态", returned],
        [
            "组织关系",
            "无法转移，保留在原党支部（" + m.cannot_transfer_reason + "）"
            if m.cannot_transfer
            else "保留在原党支部（外出不超过 6 个月）",
            "流动党员活动证",
            _card_line(latest_card(m), today),
            "年度报告截止",
            f"{m.report_due_on:%Y-%m-%d}",
        ],
    ]
    story.append(grid_table(rows, [62, 100, 62, 100, 62, 88], header=False))
    story.append(paragraph("临时党小组（船头党小组）", H2))
    groups = [["名称", "类型", "活动地点", "加入日期", "退出日期及原因"]] + [
        [
            r.group.name,
            r.group.get_kind_display(),
            r.group.whereabouts,
            f"{r.joined_on:%Y-%m-%d}",
            f"{r.left_on:%Y-%m-%d} {r.left_reason}" if r.left_on else "—",
        ]
        for r in m.memberships.all()
    ]
    story.append(grid_table(groups if len(groups) > 1 else [*groups, ["无", "", "", "", ""]], [120, 70, 110, 64, 110]))
    story.append(paragraph("向党组织报告情况", H2))
    reports = [["年度", "报告日期", "报告内容"]] + [
        [str(r.year), f"{r.reported_on:%Y-%m-%d}", r.content] for r in m.reports.all()
    ]
    story.append(grid_table(reports if len(reports) > 1 else [*reports, ["—", "", "暂无"]], [50, 70, 354]))
    story.append(paragraph("党支部意见", H2))
    story.append(
        grid_table(
            [["\n\n\n" + "　" * 16 + f"{branch}（盖章）\n" + "　" * 20 + "年　　月　　日"]],
            [474],
            header=False,
        )
    )
    return render_pdf(story, f"{p.name}流动党员登记表")


def _day(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


CARD_TITLE = ParagraphStyle("card_title", parent=TITLE, fontName=FONT, fontSize=22, leading=30)
MARK = ParagraphStyle(
    "card_mark", parent=TITLE, fontName=FONT, fontSize=16, leading=22, textColor=colors.HexColor("#b00000")
)


def card_pdf(member: FloatingMember) -> bytes:
    """流动党员活动证, the card last issued (A5 landscape, to cut out): name, home branch, where they went, number,
    issued and valid-until dates, the issuing organisation and a box for its seal. A card past its date or
    taken back prints marked so (已过期 / 已收回), never as a valid one; a member never carded has nothing to print."""
    m, today = member, timezone.localdate()
    card = latest_card(m)
    if card is None:
        raise DomainError("该党员尚未发放流动党员活动证，无可打印。")
    branch = branch_of(m)
    state = card_state(card, today)
    story: list[Any] = [paragraph("流动党员活动证", CARD_TITLE)]
    if state:
        story.append(paragraph(f"【{state}】本证有效期至 {card.valid_until:%Y-%m-%d}，不作有效证件使用", MARK))
    seal = paragraph(f"发证党组织（盖章）\n\n\n{branch}\n{card.issued_on:%Y年%m月%d日}")
    rows: list[list[Any]] = [
        ["证号", card.number, seal],
        ["姓名", f"{m.person.name}（{m.person.get_gender_display()}）", ""],
        ["入党时间", _day(m.person.party_joined_on), ""],
        ["所属党组织", branch, ""],
        ["外出去向", m.whereabouts + (f"（{m.work}）" if m.work else ""), ""],
        ["发证日期", f"{card.issued_on:%Y-%m-%d}", ""],
        ["有效期至", f"{card.valid_until:%Y-%m-%d}", ""],
        ["发证机关", branch, ""],
    ]
    table = grid_table(rows, [72, 250, 150], header=False)
    table.setStyle([("SPAN", (2, 0), (2, -1)), ("VALIGN", (2, 0), (2, -1), "MIDDLE")])
    story.append(table)
    story.append(
        paragraph(
            "持证人凭本证在流入地参加党的组织生活、交纳党费，在原党支部参加选举；外出期间每年至少向党组织报告一次。"
            "返回时本证交回原党支部。"
        )
    )
    return render_pdf(story, f"{m.person.name}流动党员活动证", pagesize=landscape(A5))


def registration_response(member: FloatingMember) -> HttpResponse:
    return pdf_response(registration_pdf(member), f"{member.person.name}流动党员登记表.pdf")


def card_response(member: FloatingMember) -> HttpResponse:
    return pdf_response(card_pdf(member), f"{member.person.name}流动党员活动证.pdf")
