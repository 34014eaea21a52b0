"""A team's roster (换届志愿服务队花名册) printed for the village's file: the members in service on a date with
their role and phone (shown as the team page shows it), and lines for the team leader and the village to sign."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import HttpResponse
from reportlab.lib.units import mm

from cunshe.core.printing import H2, grid_table, heading, paragraph, pdf_response, render_pdf
from cunshe.volunteers.models import VolunteerMember, VolunteerTeam


def in_service(team: VolunteerTeam, on: date) -> list[VolunteerMember]:
    """Who was in the team on `on`: joined by then and not yet left (a member leaving that day served it)."""
    return list(
        team.members.filter(joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .order_by("joined_on", "pk")
    )


def roster_pdf(team: VolunteerTeam, members: list[VolunteerMember], on: date) -> bytes:
    title = f"{team.name}花名册"
    village = team.region.name
    lines = [
        [str(n), m.name, m.role_label, m.phone, "本村居民" if m.person_id else "村外人员", f"{m.joined_on:%Y-%m-%d}"]
        for n, m in enumerate(members, 1)
    ]
    header = ["序号", "姓名", "职责", "联系电话", "人员类别", "加入日期"]
    story: list[Any] = [
        *heading(title, village, f"在队日期：{on:%Y年%m月%d日}"),
        paragraph(
            f"{team.get_formed_by_display()}，{team.formed_on:%Y年%m月%d日}成立"
            + (f"，队长 {team.leader}" if team.leader else "")
            + f"；{on:%Y年%m月%d日}在队 {len(members)} 人。"
        ),
        grid_table(
            [header, *lines] if lines else [header, ["", "当日无在队人员。", "", "", "", ""]],
            [12 * mm, 30 * mm, 30 * mm, 36 * mm, 26 * mm, 40 * mm],
        ),
        paragraph("签字", H2),
        grid_table(
            [
                ["服务队队长（签字）", "", "村党组织书记（签字）", ""],
                ["村(社区)（盖章）", "", "日期", "　　年　　月　　日"],
            ],
            [36 * mm, 51 * mm, 36 * mm, 51 * mm],
            header=False,
        ),
    ]
    return render_pdf(story, title)


def roster_response(team: VolunteerTeam, on: date) -> HttpResponse:
    return pdf_response(roster_pdf(team, in_service(team, on), on), f"{team.name}花名册.pdf")
