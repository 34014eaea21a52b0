"""A village's record of a centralized education campaign, printed for signing (集中教育签到及记录表): the tasks and
what was done, the attendance sheet of those the education is for — the village's team in office and its party
members, one line each to sign in, and blank lines for others present — and the lines the village's secretary and the
town's cadre sign on paper."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.core.printing import H2, grid_table, heading, paragraph, pdf_response, render_pdf, signatures
from cunshe.education.models import Campaign, VillageTask
from cunshe.people.models import Person
from cunshe.regions.models import Region
from cunshe.teams.models import TeamMember

BLANK_LINES = 5


def attendees(village_code: str) -> list[tuple[str, str]]:
    """(name, what they are) of the team in office first (by committee and post), then the other party members."""
    posts: dict[int, list[str]] = {}
    order: list[int] = []
    names: dict[int, str] = {}
    for m in (
        TeamMember.objects.filter(region_id=village_code, ended_on__isnull=True)
        .select_related("person")
        .order_by("committee", "post", "person__name")
    ):
        if m.person_id not in posts:
            order.append(m.person_id)
            names[m.person_id] = m.person.name
        posts.setdefault(m.person_id, []).append(m.get_post_display())
    lines = [(names[pid], "、".join(posts[pid])) for pid in order]
    members = (
        Person.objects.filter(region_id=village_code, is_party_member=True)
        .exclude(pk__in=order)
        .order_by("name", "id")
        .values_list("name", flat=True)
    )
    return lines + [(name, "党员") for name in members]


def village_sheet_pdf(campaign: Campaign, village: Region, tasks: list[VillageTask]) -> bytes:
    story: list[Any] = heading(
        f"{campaign.title}签到及记录表",
        village.name,
        f"{campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}",
    )
    story.append(paragraph("教育任务及完成情况", H2))
    rows = [["任务", "完成日期", "完成情况"]]
    rows += [[t.get_kind_display(), f"{t.done_on:%Y-%m-%d}" if t.done_on else "未完成", t.note] for t in tasks]
    story.append(grid_table(rows, [32 * mm, 26 * mm, 116 * mm]))
    story.append(paragraph("会议（学习）时间：　　　　年　　月　　日　　　地点：", H2))
    story.append(paragraph("参加人员签到", H2))
    people = attendees(village.code)
    rows = [["序号", "姓名", "职务（身份）", "签到（签字）", "备注"]]
    rows += [[str(i), name, what, "", ""] for i, (name, what) in enumerate(people, start=1)]
    rows += [[str(i), "", "", "", ""] for i in range(len(people) + 1, len(people) + 1 + BLANK_LINES)]
    story.append(grid_table(rows, [14 * mm, 30 * mm, 50 * mm, 46 * mm, 34 * mm]))
    story.append(paragraph(f"应到 {len(people)} 人，实到　　人；缺席人员及原因：", H2))
    story += signatures("村(社区)党组织书记（签字）", "乡镇(街道)包村干部（签字）")
    return render_pdf(story, f"{village.name}{campaign.title}签到及记录表")


def village_sheet_response(campaign: Campaign, village: Region, tasks: list[VillageTask]) -> HttpResponse:
    return pdf_response(village_sheet_pdf(campaign, village, tasks), f"{village.name}{campaign.title}签到表.pdf")
