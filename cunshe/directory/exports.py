"""The public directory as an Excel ledger (电话公开台账) of a region and every unit under it — a county's sheet holds
its own, its towns' and its villages' leaders — with exactly what the public page shows: published entries only, a
private number only where the person's consent is recorded (Entry.public_mobile)."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse

from cunshe.directory.selectors import public_ledger
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response

LEVELS: dict[int, str] = {Level.COUNTY: "县(市、区)", Level.TOWN: "乡镇(街道)", Level.VILLAGE: "村(社区)"}

COLUMNS = [
    Column("层级", "level", width=12),
    Column("区划代码", "code", width=14, as_text=True),
    Column("所属乡镇(街道)", "town", width=14),
    Column("单位", "unit", width=18),
    Column("姓名", "name", width=10),
    Column("职务", "post", width=16),
    Column("分工职责", "duties", width=40),
    Column("办公电话", "office_phone", width=16, as_text=True),
    Column("手机号码（本人同意公开）", "mobile", width=16, as_text=True),
]


def ledger_xlsx(region: Region) -> bytes:
    buffer = BytesIO()
    write_workbook(
        "领导干部电话公开台账",
        COLUMNS,
        (
            {
                "level": LEVELS.get(e.region.level, e.region.get_level_display()),
                "code": e.region_id,
                # a village's town, so the sheet sorts and filters by town; a town's or county's own row leaves it empty
                "town": e.region.parent.name if e.region.level == Level.VILLAGE and e.region.parent else "",
                "unit": e.region.name,
                "name": e.name,
                "post": e.post,
                "duties": e.duties,
                "office_phone": e.office_phone,
                "mobile": e.public_mobile,
            }
            for e in public_ledger(region)
        ),
        buffer,
    )
    return buffer.getvalue()


def ledger_response(region: Region) -> HttpResponse:
    return xlsx_response(ledger_xlsx(region), f"{region.name}领导干部电话公开台账.xlsx")
