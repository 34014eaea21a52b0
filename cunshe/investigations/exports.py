"""The 六清 table as a workbook: one row per village with its six items' states (the page and the API hand out the
same file). Export only: the states change through the services, item by item, with their evidence."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from cunshe.investigations.models import clearing_set_on
from cunshe.investigations.selectors import checklist_rows
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, format_date, write_workbook, xlsx_response


def _columns(names: list[str]) -> list[Column]:
    return [
        Column("村(社区)代码", "code", as_text=True, width=14),
        Column("村(社区)", "village", width=18),
        *[Column(name, f"item{n}", width=14) for n, name in enumerate(names)],
        Column("已清项数", "cleared", width=10),
        Column("谈话人次", "talks", width=10),
        Column("走访户数", "households", width=10),
    ]


def _state(item: Any) -> str:
    label = item.get_status_display()
    return f"{label} {format_date(item.cleared_on)}" if item.cleared_on else label


def table_workbook(user: Any, region: Region) -> bytes:
    rows = checklist_rows(user, region.code)
    names = (
        [i.name for i in rows[0]["items"]] if rows else [name for _code, name in clearing_set_on(timezone.localdate())]
    )
    out = [
        {
            "code": r["code"],
            "village": r["village"],
            **{f"item{n}": _state(item) for n, item in enumerate(r["items"])},
            "cleared": r["cleared"],
            "talks": r["talks"],
            "households": r["households"],
        }
        for r in rows
    ]
    buffer = BytesIO()
    write_workbook("六清进度", _columns(names), out, buffer)
    return buffer.getvalue()


def table_response(user: Any, region: Region) -> HttpResponse:
    return xlsx_response(table_workbook(user, region), f"六清进度_{region.name}.xlsx")
