"""Workbooks of the liaison-cadre module: the assignments (which the county's import, assignments_import below, reads back) and the counts."""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

from django.db import transaction
from django.http import HttpResponse

from cunshe.core.actors import Actor
from cunshe.core.text import clean_text
from cunshe.liaison import selectors
from cunshe.liaison.models import Assignment, CadreLevel
from cunshe.liaison.permissions import assignment_policy
from cunshe.liaison.services import _assignment_errors, _create, _end, _end_errors
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import (
    Column,
    ImportReport,
    bad_rows_error,
    format_date,
    parse_date,
    read_rows,
    write_workbook,
    xlsx_response,
)

LEVELS = {str(label): value for value, label in CadreLevel.choices}

IMPORT_COLUMNS = [
    Column("村(社区)代码", "village", width=16, required=True, as_text=True),
    Column("村(社区)名称", "village_name", width=18, export_only=True),
    Column("干部姓名", "name", width=10, required=True),
    Column("所在单位及职务", "unit", width=24, required=True),
    Column("干部类别", "level", width=14, required=True, choices=LEVELS),
    Column("联系起始日期", "started_on", parse=parse_date, width=12, required=True),
    Column("联系结束日期", "ended_on", parse=parse_date, width=12),
    Column("结束原因", "end_reason", width=20, export_only=True),
]


def assignments_response(user: Any, region: Region) -> HttpResponse:
    rows = (
        {
            "village": a.village_id,
            "village_name": a.village.name,
            "name": a.name,
            "unit": a.unit,
            "level": a.get_level_display(),
            "started_on": format_date(a.started_on),
            "ended_on": format_date(a.ended_on),
            "end_reason": a.end_reason,
        }
        for a in selectors.assignments_visible(user, region.code).iterator(chunk_size=2000)
    )
    buffer = BytesIO()
    write_workbook("驻村(包村)干部联系表", IMPORT_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}驻村(包村)干部联系表.xlsx")


def counts_response(user: Any, region: Region) -> HttpResponse:
    rows, total = selectors.counts(user, region)
    columns = [
        Column("区划代码", "code", width=14, as_text=True),
        Column("名称", "name", width=20),
        *[Column(label, key, width=14) for key, label in selectors.COUNT_LABELS.items()],
    ]
    buffer = BytesIO()
    write_workbook(
        "驻村干部三访三察统计",
        columns,
        ({"code": r.code, "name": r.name, **r.values} for r in [*rows, total]),
        buffer,
    )
    return xlsx_response(buffer.getvalue(), f"{region.name}驻村干部三访三察统计.xlsx")


@transaction.atomic
def assignments_import(*, actor: Actor, region_code: str, stream: BinaryIO) -> ImportReport:
    """The county's list of assignments: every row checked first, one bad row and nothing is saved. A row the
    system already holds (same village, name and start) is left as it is, so the same file imports twice
    harmlessly; an end date on such a row ends the assignment."""

    assignment_policy.check_in_region(actor, "change", region_code, missing="未找到该区域。")
    report = ImportReport(unit="人")
    todo: list[tuple[str, dict[str, Any], Assignment | None]] = []
    seen: set[tuple[str, str]] = set()
    rows = list(read_rows(stream, IMPORT_COLUMNS, max_rows=5000))
    known = {
        (a.village_id, a.name, a.started_on): a
        for a in Assignment.objects.filter(
            village__startswith=region_code, name__in={r.values.get("name") for r in rows}
        )
    }
    for row in rows:
        v = row.values
        if row.errors:
            report.bad_rows.append(row)
            continue
        code, name, unit = str(v["village"]), clean_text(v["name"]), clean_text(v["unit"])
        existing = known.get((code, name, v["started_on"]))
        problems: list[str] = []
        if not code.startswith(region_code) or not assignment_policy.can_in_region(actor, "change", code):
            problems.append("村(社区)代码不在本区域或您无权管理。")
        elif (code, name) in seen:
            problems.append("同一干部同一村(社区)重复出现。")
        elif existing is None:
            errs = _assignment_errors(code, name, unit, v["level"], v["started_on"], v["ended_on"])
            problems += [m for msgs in errs.values() for m in msgs]
        elif v["ended_on"] and existing.ended_on is None:
            problems += [m for msgs in _end_errors(existing, v["ended_on"], "导入").values() for m in msgs]
        seen.add((code, name))
        if problems:
            row.errors.extend(problems)
            report.bad_rows.append(row)
        else:
            todo.append((code, v | {"name": name, "unit": unit}, existing))
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    for code, v, existing in todo:
        if existing is None:
            _create(
                actor=actor,
                village_code=code,
                name=v["name"],
                unit=v["unit"],
                level=v["level"],
                started_on=v["started_on"],
                ended_on=v["ended_on"],
            )
            report.created += 1
        elif v["ended_on"] and existing.ended_on is None:
            _end(
                actor=actor,
                assignment=existing,
                ended_on=v["ended_on"],
                reason="导入",
                expected_version=existing.version,
            )
            report.updated += 1
        else:
            report.unchanged += 1
    report.saved = True
    return report
