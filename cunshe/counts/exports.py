"""The upward statistical return (选举情况统计表, the 民政 fields of RULES.md) as Excel, per village under a town or
per town under a county, read from CountSummary rows."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse

from cunshe.counts.selectors import statistical_return
from cunshe.elections.models import Kind
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response

# The 民政 fields of RULES.md in its order: registered, voted, proxies, mobile-box votes, ballots written for others,
# sub-venues, secret booths, elected, elected in 另行选举, women and party members among them.
RETURN_COLUMNS = [
    Column("区划代码", "code", as_text=True, width=14),
    Column("区划名称", "name", width=20),
    Column("登记选民数", "registered"),
    Column("参加投票人数", "voted"),
    Column("委托投票数", "proxies"),
    Column("流动票箱投票数", "mobile"),
    Column("代写选票数", "written_for"),
    Column("投票站数", "sub_venues"),
    Column("秘密写票处数", "booths"),
    Column("当选人数", "elected"),
    Column("其中另行选举当选", "elected_further", width=16),
    Column("当选妇女", "women"),
    Column("当选党员", "party"),
]


def return_workbook(user: Any, region: Any, kind: str) -> bytes:
    rows = statistical_return(user, region, kind)
    buffer = BytesIO()
    write_workbook(f"{region.name}{Kind(kind).label}统计", RETURN_COLUMNS, (r.__dict__ for r in rows), buffer)
    return buffer.getvalue()


def return_response(user: Any, region: Any, kind: str) -> HttpResponse:
    return xlsx_response(return_workbook(user, region, kind), f"{region.name}{Kind(kind).label}情况统计表.xlsx")
