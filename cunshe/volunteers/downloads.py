"""The files the pages and the API both hand out under the same access rule: the roster (the import's layout) and
the roll-up table of a village, town or county, in Excel."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response
from cunshe.volunteers import selectors
from cunshe.volunteers.services import ROSTER_COLUMNS, roster_row

ROLLUP_COLUMNS = [
    Column("单位代码", "code", width=14, as_text=True),
    Column("单位", "name", width=20),
    Column("服务队（支）", "teams", width=12),
    Column("在队志愿者（人）", "people", width=14),
    Column("活动（次）", "activities", width=10),
    Column("参加（人次）", "turnouts", width=12),
    Column("覆盖户数", "households", width=10),
]


def roster_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    rows = (roster_row(m) for m in selectors.members_under(user, region.code).iterator(2000))
    write_workbook("志愿者花名册", ROSTER_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}换届志愿服务队花名册.xlsx")


def rollup_response(user: Any, region: Region) -> HttpResponse:
    rows, total = selectors.rollup(user, region)
    buffer = BytesIO()
    write_workbook("志愿服务汇总", ROLLUP_COLUMNS, (vars(r) for r in [*rows, total]), buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}换届志愿服务汇总.xlsx")
