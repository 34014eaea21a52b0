"""The talks under a county or town as a workbook (the town's ledger of 点评谈心)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, format_date, write_workbook, xlsx_response
from cunshe.talks import selectors

COLUMNS = [
    Column("谈心日期", "held_on", width=12),
    Column("乡镇(街道)", "town", width=14),
    Column("村(社区)", "village", width=18),
    Column("谈心人", "talker", width=10),
    Column("谈心对象", "secretary", width=10),
    Column("地点", "place", width=16),
    Column("点评内容", "points", width=40),
    Column("反映的问题", "issues", width=30),
    Column("整改事项（责任人，时限，状态）", "follow_ups", width=50),
]


def ledger_response(user: Any, region: Region) -> HttpResponse:
    talks = list(selectors.talks_under(user, region.code)[:20000])
    towns = dict(Region.objects.filter(code__in={t.town_id for t in talks}).values_list("code", "name"))
    buffer = BytesIO()
    write_workbook(
        "点评谈心台账",
        COLUMNS,
        (
            {
                "held_on": format_date(t.held_on),
                "town": towns.get(t.town_id, t.town_id),
                "village": t.village.name,
                "talker": t.talker,
                "secretary": t.secretary,
                "place": t.place,
                "points": t.points,
                "issues": "；".join(i.title for i in t.issues.all()),
                "follow_ups": "；".join(
                    f"{f.task}（{f.owner}，{f.due_on:%Y-%m-%d}，{f.get_status_display()}）" for f in t.follow_ups.all()
                ),
            }
            for t in talks
        ),
        buffer,
    )
    return xlsx_response(buffer.getvalue(), f"{region.name}点评谈心台账.xlsx")
