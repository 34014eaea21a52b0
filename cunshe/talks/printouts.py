"""One talk printed for signing (谈心谈话记录表): who talked with whom (names and posts), when and where, the points
raised with the channel each issue came through, the follow-ups agreed with their owners, deadlines and state, and
the lines both sign on paper with the date."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.core.printing import BODY, H2, grid_table, heading, paragraph, pdf_response, render_pdf, signatures
from cunshe.regions.models import Kind, Region
from cunshe.talks.models import Talk


def talker_post(town: Region) -> str:
    # A street office's party body is a working committee (党工委); a town's or township's is a committee (党委).
    return f"{town.name}{'党工委' if town.kind == Kind.STREET_OFFICE else '党委'}书记"


def secretary_post(village: Region) -> str:
    return village.named("村(社区)党组织书记")


def talk_pdf(talk: Talk, town: Region) -> bytes:
    """The talk with its issues and follow-ups prefetched (selectors.talks_under) and its town."""
    title = "点评谈心谈话记录表"
    story: list[Any] = heading(title, town.name, talk.village.name)
    story.append(
        grid_table(
            [
                ["谈心人", talk.talker, "职务", talker_post(town)],
                ["谈心对象", talk.secretary, "职务", secretary_post(talk.village)],
                ["谈心日期", f"{talk.held_on:%Y年%m月%d日}", "地点", talk.place],
            ],
            [24 * mm, 40 * mm, 18 * mm, 92 * mm],
            header=False,
        )
    )
    story.append(paragraph("点评内容", H2))
    story.append(grid_table([[talk.points]], [174 * mm], header=False, style=BODY))
    story.append(paragraph("反映的问题（来源渠道）", H2))
    issues = list(talk.issues.all())
    rows = [["序号", "问题", "来源渠道", "办理状态"]]
    rows += [[str(n), i.title, i.get_source_display(), i.get_status_display()] for n, i in enumerate(issues, 1)]
    story.append(grid_table(rows, [14 * mm, 100 * mm, 30 * mm, 30 * mm]) if issues else paragraph("无。"))
    story.append(paragraph("整改事项", H2))
    follow_ups = list(talk.follow_ups.all())
    rows = [["序号", "整改事项", "责任人", "完成时限", "状态", "落实情况"]]
    rows += [
        [
            str(n),
            f.task,
            f.owner,
            f"{f.due_on:%Y-%m-%d}",
            f.get_status_display(),
            f"{f.result}（{f.done_on:%Y-%m-%d}）" if f.done_on else "",
        ]
        for n, f in enumerate(follow_ups, 1)
    ]
    story.append(
        grid_table(rows, [12 * mm, 62 * mm, 22 * mm, 24 * mm, 18 * mm, 36 * mm]) if follow_ups else paragraph("无。")
    )
    story += signatures("谈心人（签字）", "谈心对象（签字）", label_width=40 * mm)
    return render_pdf(story, f"{talk.village.name}{title}")


def talk_response(talk: Talk) -> HttpResponse:
    town = Region.objects.get(code=talk.town_id)
    return pdf_response(talk_pdf(talk, town), f"{talk.village.name}谈心谈话记录{talk.held_on:%Y%m%d}.pdf")
