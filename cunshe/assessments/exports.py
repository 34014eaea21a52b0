"""The Excel layouts officials take away: a village's results table and the town / county roll-up."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any, BinaryIO

from django.http import HttpResponse

from cunshe.assessments.models import MemberResult, TrustAssessment
from cunshe.assessments.rates import Rates
from cunshe.assessments.selectors import RollupRow, rates_today, results_of, rollup, rollup_total
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response
from cunshe.termchanges.selectors import current_term_change

RESULT_COLUMNS = [
    Column("姓名", "name", width=12),
    Column("职务", "post", width=16),
    Column("党员信任率(%)", "party", width=14),
    Column("村民代表信任率(%)", "representative", width=16),
    Column("满意率(%)", "satisfaction", width=12),
    Column("综合得分", "combined", width=10),
    Column("预警", "flagged", width=8),
    Column("预警原因", "reason", width=40),
]

ROLLUP_COLUMNS = [
    Column("区划代码", "code", width=14, as_text=True),
    Column("名称", "name", width=20),
    Column("村(社区)数", "villages", width=10),
    Column("已完成测评", "assessed", width=10),
    Column("完成率(%)", "done_rate", width=10),
    Column("测评成员数", "members", width=10),
    Column("预警成员数", "flagged", width=10),
    Column("平均综合得分", "average", width=12),
]


RATE_COLUMNS = [
    Column("人选", "name", width=12),
    Column("身份", "role", width=30),
    Column("满意率(%)", "satisfaction", width=11),
    Column("推荐得票率(%)", "recommendation", width=13),
    Column("党内支持率(%)", "party_support", width=13),
    Column("党外支持率(%)", "public_support", width=13),
    Column("当选概率(%)", "likelihood", width=12),
]


def _num(value: object) -> object:
    return float(value) if value is not None else ""  # type: ignore[arg-type]


def results_export(*, results: Iterable[MemberResult], target: BinaryIO) -> int:
    return write_workbook(
        "两票一度测评结果",
        RESULT_COLUMNS,
        (
            {
                "name": r.member.person.name,
                "post": r.member.get_post_display(),
                "party": _num(r.party_rate),
                "representative": _num(r.representative_rate),
                "satisfaction": _num(r.satisfaction_rate),
                "combined": _num(r.combined),
                "flagged": r.flagged,
                "reason": r.flag_reason,
            }
            for r in results
        ),
        target,
    )


def rollup_export(*, rows: Iterable[RollupRow], total: RollupRow, target: BinaryIO) -> int:
    """One line per region, then the 合计 line, as on the page."""
    return write_workbook(
        "两票一度汇总",
        ROLLUP_COLUMNS,
        (
            {
                "code": r.region.code,
                "name": "合计" if r is total else r.region.name,
                "villages": r.villages,
                "assessed": r.assessed,
                "done_rate": _num(r.done_rate),
                "members": r.members,
                "flagged": r.flagged,
                "average": _num(r.average),
            }
            for r in [*rows, total]
        ),
        target,
    )


def rates_export(*, rates: Iterable[Rates], target: BinaryIO) -> int:
    """The village's prospective candidates with their three rates and two support rates (blank: not yet known)."""
    keys = ("satisfaction", "recommendation", "party_support", "public_support", "likelihood")
    return write_workbook(
        "人选三率两率",
        RATE_COLUMNS,
        ({"name": r.person.name, "role": r.role, **{k: _num(getattr(r, k)) for k in keys}} for r in rates),
        target,
    )


# The downloads below are what the page and the API both hand out, so the two cannot drift apart.


def results_download(assessment: TrustAssessment) -> HttpResponse:
    buffer = BytesIO()
    results_export(results=results_of(assessment), target=buffer)
    return xlsx_response(buffer.getvalue(), f"{assessment.region.name}两票一度测评结果.xlsx")


def rollup_download(user: Any, place: Region) -> HttpResponse:
    buffer = BytesIO()
    rows = rollup(user, place, current_term_change(place.code))
    rollup_export(rows=rows, total=rollup_total(place, rows), target=buffer)
    return xlsx_response(buffer.getvalue(), f"{place.name}两票一度汇总.xlsx")


def rates_sheet_download(village: Region) -> HttpResponse:
    buffer = BytesIO()
    rates_export(rates=rates_today(village.code, current_term_change(village.code)), target=buffer)
    return xlsx_response(buffer.getvalue(), f"{village.name}人选三率两率.xlsx")
