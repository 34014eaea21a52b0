"""The announced result: the result report (选举结果报告单) with the count's figures, each elected person's votes and
the rule lines of the tally, signed by the scrutineers and the election committee; the certificates (当选证书), one
per page, issued by the town; and the QR code of the village's public result page."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import segno
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from cunshe.core.printing import BODY, H2, TITLE, grid_table, heading, paragraph, render_pdf
from cunshe.elections.models import Election, ElectionResult
from cunshe.regions.models import Region
from cunshe.results.selectors import elected_of, rounds_of
from cunshe.teams.models import COMMITTEE_POSTS, Committee, Post

# The post's own word once the body is named in front of it: the labels of the lists carry a short form of the body.
_POST_WORD = {Post.PARTY_MEMBER: "委员会委员", Post.SUPERVISION_CHAIR: "主任", Post.SUPERVISION_MEMBER: "委员"}


def post_title(village: Region, post: str) -> str:
    """A post as a certificate names it: 西范村村民委员会主任, 多福巷社区居务监督委员会委员, 西范村党组织委员会委员."""
    committee = next(c for c, posts in COMMITTEE_POSTS.items() if post in posts)
    return village.named(f"{Committee(committee).label}{_POST_WORD.get(Post(post), Post(post).label)}")


def _rule_lines(result: ElectionResult) -> list[str]:
    lines = (result.outcome or {}).get("lines", [])
    out = []
    for line in lines:
        if isinstance(line, dict):
            text = line.get("text") or "；".join(str(v) for v in line.values() if isinstance(v, str))
        else:
            text = str(line)
        if text:
            out.append(text)
    return out


def result_report_pdf(election: Election) -> bytes:
    village: Region = election.region
    town = Region.objects.filter(code=village.code[:9]).first()
    story: list[Any] = heading(
        f"{village.named(election.get_kind_display())}结果报告单", town.name if town else "", str(election)
    )
    for rnd in rounds_of(election):
        result = ElectionResult.objects.filter(election=rnd).first()
        if result is None:
            continue
        story.append(paragraph(f"{rnd}　选举日：{rnd.election_day:%Y年%m月%d日}", H2))
        story.append(
            grid_table(
                [
                    ["登记选民(应到)", "发出选票", "收回选票", "有效票", "无效票", "选举结果"],
                    [
                        str(result.registered),
                        str(result.issued),
                        str(result.returned),
                        str(result.returned - result.invalid),
                        str(result.invalid),
                        result.get_status_display(),
                    ],
                ],
                [28 * mm, 26 * mm, 26 * mm, 26 * mm, 26 * mm, 42 * mm],
            )
        )
        story.append(paragraph("计票依据", H2))
        for n, text in enumerate(_rule_lines(result), start=1):
            story.append(paragraph(f"{n}. {text}"))
    story.append(paragraph("当选人", H2))
    rows = [["序号", "职务", "姓名", "得票", "选举日"]]
    for n, (member, day) in enumerate(elected_of(election), start=1):
        rows.append([str(n), member.get_post_display(), member.person.name, str(member.votes), f"{day:%Y-%m-%d}"])
    story.append(grid_table(rows, [14 * mm, 40 * mm, 40 * mm, 26 * mm, 40 * mm]))
    story.append(Spacer(1, 10 * mm))
    for line in (
        "总监票人（签字）：",
        "监票人（签字）：",
        "计票人（签字）：",
        "村民选举委员会（盖章）　主任（签字）：",
    ):
        story.append(paragraph(line))
        story.append(Spacer(1, 6 * mm))
    story.append(paragraph("日期：　　　　年　　月　　日"))
    return render_pdf(story, f"{village.short_name}选举结果报告单")


def certificates_pdf(election: Election) -> bytes:
    """当选证书, one per page, issued by the town (乡镇人民政府 / 街道办事处 for a committee, 党委 for a party one)."""
    village: Region = election.region
    town = Region.objects.filter(code=village.code[:9]).first()
    town_name = town.name if town else ""
    issuer = f"中共{town_name}委员会" if election.kind == "party" else f"{town_name}"
    story: list[Any] = []
    elected = elected_of(election)
    certified_on = next((r.result.certified_on for r in rounds_of(election)[::-1] if hasattr(r, "result")), None)
    for n, (member, day) in enumerate(elected):
        if n:
            story.append(PageBreak())
        story.append(Spacer(1, 40 * mm))
        story.append(paragraph("当 选 证 书", TITLE))
        story.append(Spacer(1, 16 * mm))
        story.append(
            paragraph(
                f"{member.person.name}同志：\n　　在 {day:%Y年%m月%d日} {village.named(election.get_kind_display())}中，"
                f"您以 {member.votes} 票当选为{post_title(village, member.post)}。\n　　特发此证。",
                BODY,
            )
        )
        story.append(Spacer(1, 30 * mm))
        story.append(paragraph(f"发证机关：{issuer}（盖章）"))
        story.append(paragraph(f"发证日期：{certified_on:%Y年%m月%d日}" if certified_on else "发证日期："))
    if not elected:
        story.append(paragraph("本次选举没有当选人。"))
    return render_pdf(story, f"{village.short_name}当选证书")


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """The QR code of the public result page as scalable SVG (a viewBox, no fixed size: it fills the poster)."""
    buffer = BytesIO()
    qr_code(url).save(
        buffer, kind="svg", border=2, xmldecl=False, svgns=True, nl=False, omitsize=True, title="扫码查看选举结果"
    )
    return buffer.getvalue().decode()
