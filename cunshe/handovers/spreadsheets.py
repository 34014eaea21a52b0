"""The handovers' Excel, the module's one Excel home: the roll-up table (the way town and county offices pass
figures up) and a county's templates, exported and imported in the same layout."""

from __future__ import annotations

from dataclasses import asdict
from io import BytesIO
from typing import BinaryIO

from django.db import transaction
from django.http import HttpResponse

from cunshe.core.actors import Actor
from cunshe.handovers.models import ItemKind, Template
from cunshe.handovers.permissions import settings_policy
from cunshe.handovers.selectors import RollupRow, rollup
from cunshe.handovers.services import _county, template_create
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, ImportReport, bad_rows_error, read_rows, write_workbook, xlsx_response

# A county edits its templates in Excel: export one, change rows, import it under a new name.
TEMPLATE_COLUMNS = [
    Column("类别", "section", required=True, width=16),
    Column("事项", "title", required=True, width=20),
    Column("形式", "item_kind", required=True, width=14, choices={label: value for value, label in ItemKind.choices}),
    Column("应交内容", "expected", width=50),
]

ROLLUP_COLUMNS = [
    Column("区划代码", "code", width=16, as_text=True),
    Column("单位", "name", width=24),
    Column("计划交接", "planned"),
    Column("已完成", "done"),
    Column("逾期未完成", "overdue"),
    Column("账户冻结中", "frozen"),
    Column("遗留事项未办结", "leftovers_open", width=16),
]


def rollup_export(*, rows: list[RollupRow], target: BinaryIO) -> int:
    return write_workbook("交接汇总", ROLLUP_COLUMNS, [asdict(r) for r in rows], target)


def template_export(*, template: Template, target: BinaryIO) -> int:
    rows = [
        {"section": i.section, "title": i.title, "item_kind": i.get_item_kind_display(), "expected": i.expected}
        for i in template.items.all()
    ]
    return write_workbook(template.name, TEMPLATE_COLUMNS, rows, target)


def rollup_response(region: Region) -> HttpResponse:
    """The roll-up of a county or town as a download (the page and the API offer the same file)."""
    rows, total = rollup(region)
    buffer = BytesIO()
    rollup_export(rows=[*rows, total], target=buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}交接汇总.xlsx")


@transaction.atomic
def template_import(*, actor: Actor, county_code: str, kind: str, name: str, stream: BinaryIO) -> ImportReport:
    """A new template of the county from an Excel sheet in the layout of the template export, counted in its items;
    any bad row refuses the whole file (bad_rows_error). Each import makes a new template, so a second import under
    the same name is refused by the name rather than counted as unchanged."""
    county = _county(county_code)
    settings_policy.check_region(actor, "change", county.code)
    report = ImportReport(unit="项")
    items: list[tuple[str, str, str, str]] = []
    for row in read_rows(stream, TEMPLATE_COLUMNS, max_rows=200):
        if row.errors:
            report.bad_rows.append(row)
        else:
            report.created += 1
            items.append((row.values["section"], row.values["title"], row.values["item_kind"], row.values["expected"]))
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    template_create(actor=actor, county_code=county.code, kind=kind, name=name, items=items)
    report.saved = True
    return report
