"""The printed register (选民名单) for posting: by group, names, gender and route, never an ID number."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from reportlab.lib.units import mm

from cunshe.core.printing import grid_table, heading, paragraph, render_pdf
from cunshe.voters.models import Register
from cunshe.voters.selectors import voters_of


def register_pdf(register: Register) -> bytes:
    election = register.election
    title = f"{election.heading}选民名单"
    published = election.register_published_on
    story: list[Any] = heading(
        title,
        f"选举日：{election.election_day:%Y-%m-%d}",
        f"公布日期：{published:%Y-%m-%d}" if published else "（未公布）",
    )
    voters = list(voters_of(register))
    story.append(paragraph(f"登记选民共 {len(voters)} 人。"))
    for group, members in groupby(voters, key=lambda v: v.group or "未分组"):
        rows: list[list[object]] = [["序号", "姓名", "性别", "登记方式"]]
        for n, voter in enumerate(members, start=1):
            rows.append([str(n), voter.person.name, voter.person.get_gender_display(), voter.get_route_display()])
        story.append(paragraph(f"{group}（{len(rows) - 1} 人）"))
        story.append(grid_table(rows, [14 * mm, 30 * mm, 14 * mm, 110 * mm]))
    return render_pdf(story, title)
