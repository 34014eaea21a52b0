"""Printed documents of polling: the ballots (选票), voter cards (选民证), the count sheet per box (计票单) and the
published lists (流动票箱服务选民名单, 委托投票名单). Ballots carry no number or mark that could trace a voter."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, TableStyle

from cunshe.candidates.models import Candidate, CandidateStatus
from cunshe.core.errors import DomainError
from cunshe.core.printing import BODY, FONT, H2, SMALL, grid_table, heading, paragraph, render_pdf
from cunshe.elections.models import Election
from cunshe.polling.models import MobileVoter, Proxy, Station, StationKind
from cunshe.voters.models import Voter

# Ballots are compact so that several fit on an A4 sheet.
BALLOT_TITLE = ParagraphStyle("ballot_title", fontName=FONT, fontSize=14, leading=20, alignment=1)
BALLOT_POST = ParagraphStyle("ballot_post", fontName=FONT, fontSize=11, leading=15, spaceBefore=3, spaceAfter=2)
OVERVOTE_RULE = "所选人数多于应选人数的为无效票"
WIDTH = 174 * mm  # A4 less the margins of render_pdf


def ballot_layout(election: Election) -> list[tuple[Any, list[Candidate]]]:
    """The posts of the election in ballot order, each with its formal candidates in ballot order."""
    candidates = list(
        Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL)
        .select_related("person")
        .order_by("position", "rank", "pk")
    )
    return [(post, [c for c in candidates if c.post == post.post]) for post in election.posts.order_by("position")]


def _ballot(election: Election, layout: list[tuple[Any, list[Candidate]]]) -> KeepTogether:
    parts: list[Any] = [
        paragraph(f"{election.heading}选票", BALLOT_TITLE),
        paragraph(
            f"选举日：{election.election_day:%Y年%m月%d日}。在同意的候选人姓名下方空格内划“○”，不同意的划“×”，"
            f"另选他人的在“另选他人”栏内写上其姓名并在下方空格划“○”。{OVERVOTE_RULE}。",
            SMALL,
        ),
    ]
    for post, candidates in layout:
        parts.append(paragraph(f"{post.get_post_display()}（应选{post.seats}名）", BALLOT_POST))
        # a write-in column per seat: a blank line to write the name on, the box to mark below it
        columns = len(candidates) + post.seats
        width = WIDTH / max(columns, 1)
        # "另选他人" wraps in a narrow column: between its two words, not before its last character
        # (and its line to write on is as long as the column holds)
        # in three lines the name row is taller (another's name is written on the third)
        write_in, tall = ("另选他人\n＿＿＿＿", 12 * mm) if width >= 18 * mm else ("另选\n他人\n＿＿＿", 18 * mm)
        names = [c.person.name for c in candidates] + [write_in] * post.seats
        grid = grid_table([names, [""] * columns], [width] * columns, style=BODY, rowHeights=[tall, 8 * mm])
        # narrow padding: eleven columns (five seats, six candidates) leave 15.8 mm each, and a three-character name
        # at 11 pt with the default 6 pt a side broke inside itself ("田华" over "生" reads as two people)
        grid.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
        parts.append(grid)
    parts.append(Spacer(1, 2 * mm))
    parts.append(paragraph("－ － － － － － － － 沿此线裁开 － － － － － － － －", SMALL))
    parts.append(Spacer(1, 2 * mm))
    return KeepTogether(parts)


def ballots_pdf(election: Election, *, copies: int = 4) -> bytes:
    """`copies` identical ballots, as many to an A4 page as fit (cut apart on the dashed lines)."""
    if not 1 <= copies <= 500:
        raise DomainError("打印份数须在 1 到 500 之间。", {"copies": ["打印份数须在 1 到 500 之间。"]})
    layout = ballot_layout(election)
    if not any(candidates for _, candidates in layout):
        raise DomainError("还没有正式候选人，不能打印选票。")
    return render_pdf([_ballot(election, layout) for _ in range(copies)], f"{election.heading}选票")


def _station_of(election: Election) -> tuple[dict[int, str], str]:
    mobile = dict(MobileVoter.objects.filter(station__election=election).values_list("voter_id", "station__name"))
    central = election.stations.filter(kind=StationKind.CENTRAL).values_list("name", flat=True).first()
    return mobile, central or "中心会场"


def voter_cards_pdf(election: Election) -> bytes:
    """A voter card (选民证) per voter of the register: name, group, number on the register, day, station."""
    voters = list(
        Voter.objects.filter(register__election=election, removed_on__isnull=True)
        .select_related("person")
        .order_by("group", "pk")
    )
    if not voters:
        raise DomainError("选民名单上还没有选民，不能打印选民证。")
    mobile, central = _station_of(election)
    story: list[Any] = []
    for number, voter in enumerate(voters, start=1):
        rows = [
            [f"{election.heading}　选民证", ""],
            ["姓名", voter.person.name],
            ["村民小组", voter.group or "—"],
            ["选民名单编号", str(number)],
            ["选举日", f"{election.election_day:%Y年%m月%d日}"],
            ["投票站", mobile.get(voter.pk, central)],
        ]
        table = grid_table(rows, [40 * mm, 80 * mm], style=BODY, header=True)
        table.setStyle([("SPAN", (0, 0), (1, 0))])
        story += [KeepTogether([table, Spacer(1, 6 * mm)])]
    return render_pdf(story, f"{election.heading}选民证")


def count_sheet_pdf(station: Station) -> bytes:
    """The count sheet (计票单) of one box: the candidates per post with tally columns, write-in rows, the
    figures of the box and signature lines for the caller, the counter and the scrutineers."""
    election = station.election
    story: list[Any] = heading(f"{election.heading}计票单", f"{station.get_kind_display()}：{station.name}")
    story.append(
        grid_table(
            [["发出选票", "收回选票", "有效票", "无效票"], ["", "", "", ""]],
            [WIDTH / 4] * 4,
            rowHeights=[7 * mm, 9 * mm],
        )
    )
    for post, candidates in ballot_layout(election):
        story.append(paragraph(f"{post.get_post_display()}（应选{post.seats}名）", H2))
        rows = [["候选人", "划“正”字计票", "得票数"]]
        rows += [[c.person.name, "", ""] for c in candidates]
        rows += [["另选他人：", "", ""] for _ in range(post.seats + 1)]
        story.append(grid_table(rows, [40 * mm, 104 * mm, 30 * mm], style=BODY))
    story.append(Spacer(1, 6 * mm))
    story.append(paragraph(OVERVOTE_RULE + "。", SMALL))
    scrutineers = max(station.election.rules.scrutineers_min, 3)
    lines = ["唱票人（签名）：＿＿＿＿＿＿", "计票人（签名）：＿＿＿＿＿＿"]
    lines += ["监票人（签名）：＿＿＿＿＿＿" for _ in range(scrutineers)]
    story += [paragraph(line, BODY) for line in lines]
    story.append(paragraph("日期：＿＿＿＿年＿＿月＿＿日", BODY))
    return render_pdf(story, f"{station.name}计票单")


def mobile_list_pdf(election: Election) -> bytes:
    rows = [["流动票箱", "姓名", "村民小组", "原因"]]
    entries = MobileVoter.objects.filter(station__election=election).select_related("station", "voter__person")
    rows += [[e.station.name, e.voter.person.name, e.voter.group or "—", e.reason] for e in entries]
    story = heading(f"{election.heading}流动票箱服务选民名单", f"选举日：{election.election_day:%Y-%m-%d}")
    story.append(grid_table(rows, [40 * mm, 30 * mm, 30 * mm, 74 * mm]))
    return render_pdf(story, "流动票箱服务选民名单")


def proxy_list_pdf(election: Election) -> bytes:
    rows = [["委托人", "受托人", "书面委托日期", "同意日期"]]
    entries = Proxy.objects.filter(election=election).prefetch_related("principal__person", "trustee__person")
    rows += [
        [p.principal.person.name, p.trustee.person.name, f"{p.written_on:%Y-%m-%d}", f"{p.approved_on:%Y-%m-%d}"]
        for p in entries
    ]
    story = heading(f"{election.heading}委托投票名单", f"选举日：{election.election_day:%Y-%m-%d}")
    story.append(grid_table(rows, [44 * mm, 44 * mm, 43 * mm, 43 * mm]))
    return render_pdf(story, "委托投票名单")
