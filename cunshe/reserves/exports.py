from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from io import BytesIO
from typing import Any, BinaryIO

from django.http import HttpResponse

from cunshe.people.selectors import shows_id_number
from cunshe.reserves.models import CandidateEntry, ReserveCadre
from cunshe.reserves.selectors import candidates_visible, reserve_list
from cunshe.reserves.services import RESERVE_COLUMNS
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response

CANDIDATE_COLUMNS = [
    Column("村(社区)", "village", width=20),
    Column("姓名", "name", width=10),
    Column("性别", "gender", width=6),
    Column("年龄", "age", width=6),
    Column("学历", "education", width=10),
    Column("政治面貌", "party", width=10),
    Column("来源", "origin", width=16),
    Column("入选日期", "added_on", width=12),
    Column("说明", "note", width=30),
]


def candidates_export(*, candidates: Iterable[CandidateEntry], target: BinaryIO) -> int:
    today = date.today()
    return write_workbook(
        "人选库",
        CANDIDATE_COLUMNS,
        (
            {
                "village": c.region.name,
                "name": c.person.name,
                "gender": c.person.get_gender_display(),
                "age": c.person.age_on(today),
                "education": c.person.get_education_display(),
                "party": "中共党员" if c.person.is_party_member else "群众",
                "origin": c.get_origin_display(),
                "added_on": c.added_on,
                "note": c.note,
            }
            for c in candidates
        ),
        target,
    )


def reserves_export(*, viewer: Any, reserves: Iterable[ReserveCadre], target: BinaryIO) -> int:
    """The reserve list in the import layout; ID numbers whole only for roles that may see them."""
    return write_workbook(
        "后备干部名册",
        RESERVE_COLUMNS,
        (
            {
                "region": r.region_id,
                "region_name": r.region.name,
                "name": r.person.name,
                "id_number": r.person.id_number if shows_id_number(viewer, r.person) else r.person.id_number_masked,
                "source": r.source,
                "added_on": r.added_on,
                "note": r.note,
                "stage": r.stage,
            }
            for r in reserves
        ),
        target,
    )


# The downloads below are what the pages and the API both hand out.


def pool_response(user: Any, under: str) -> HttpResponse:
    buffer = BytesIO()
    candidates_export(candidates=candidates_visible(user, under=under), target=buffer)
    return xlsx_response(buffer.getvalue(), "人选库.xlsx")


def reserves_response(user: Any, under: str) -> HttpResponse:
    buffer = BytesIO()
    reserves_export(viewer=user, reserves=reserve_list(user, under=under).iterator(chunk_size=2000), target=buffer)
    return xlsx_response(buffer.getvalue(), "后备干部名册.xlsx")


def template_response(user: Any) -> HttpResponse:
    """The import sheet with its headers only: it reads back what the roster download writes."""
    buffer = BytesIO()
    reserves_export(viewer=user, reserves=[], target=buffer)
    return xlsx_response(buffer.getvalue(), "后备干部名册（模板）.xlsx")
