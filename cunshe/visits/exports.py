"""The visits' Excel, the module's one Excel home: the workbooks the pages and the API hand out (coverage, the
village's plan) and the plan import, which reads the plan export's layout."""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

from django.db import transaction
from django.http import HttpResponse

from cunshe.core.actors import Actor
from cunshe.core.errors import DomainError
from cunshe.people import id_numbers
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import shows_id_number
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import (
    Column,
    ImportReport,
    bad_rows_error,
    parse_date,
    parse_yes_no,
    read_rows,
    write_workbook,
    xlsx_response,
)
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change
from cunshe.visits.models import (
    Group,
    Mode,
    VisitTarget,
)
from cunshe.visits.permissions import target_policy
from cunshe.visits.selectors import CoverageTable, coverage_table, targets_of_village
from cunshe.visits.services import _add_target, _validate_target


def coverage_export(table: CoverageTable, target: BinaryIO) -> int:
    """The coverage table as one Excel sheet: a line per region, three columns per group, then the totals."""
    columns = [Column("区划代码", "code", width=14, as_text=True), Column("名称", "name", width=18)]
    for group, label in Group.choices:
        columns += [
            Column(f"{label}应访", f"{group}_planned", width=9),
            Column(f"{label}已访", f"{group}_visited", width=9),
            Column(f"{label}电话联访", f"{group}_by_phone", width=10),
            Column(f"{label}覆盖率(%)", f"{group}_rate", width=11),
            Column(f"{label}达标(目标{table.targets[group]}%)", f"{group}_met", width=12),
        ]
    rows = []
    for row in [*table.rows, table.total]:
        values: dict[str, Any] = {"code": row.code, "name": row.name}
        for group in Group.values:
            cell = row.cells[group]
            values |= {
                f"{group}_planned": cell.planned,
                f"{group}_visited": cell.visited,
                f"{group}_by_phone": cell.by_phone,
                f"{group}_rate": cell.rate if cell.rate is not None else "",
                f"{group}_met": ("是" if cell.met else "否") if cell.planned else "",
            }
        rows.append(values)
    return write_workbook("走访覆盖率", columns, rows, target)


def coverage_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    coverage_export(coverage_table(user, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"走访覆盖率_{region.name}.xlsx")


def plan_response(user: Any, village: Region) -> HttpResponse:
    """The village's plan in the import layout (so it doubles as the template), with who is still unvisited."""
    rows = []
    for t in targets_of_village(user, village.code):
        number = t.person.id_number if shows_id_number(user, t.person) else t.person.id_number_masked
        rows.append(
            {
                "id_number": number,
                "name": t.person.name,
                "group": t.group,
                "visitor": t.visitor,
                "due_on": t.due_on,
                "is_away": t.is_away,
                "visited_on": t.visited_on,
                "visited_mode": t.visited_mode,
            }
        )
    buffer = BytesIO()
    write_workbook("走访计划", PLAN_EXPORT_COLUMNS, rows, buffer)
    return xlsx_response(buffer.getvalue(), f"走访计划_{village.name}.xlsx")


PLAN_COLUMNS = [
    Column("身份证号码", "id_number", width=22, required=True, as_text=True),
    Column("姓名", "name", width=10, export_only=True),
    Column("类别", "group", required=True, choices={label: value for value, label in Group.choices}),
    Column("走访人", "visitor", required=True),
    Column("计划完成日期", "due_on", parse=parse_date, required=True, width=14),
    Column("是否在外", "is_away", parse=parse_yes_no, width=10),
]


PLAN_EXPORT_COLUMNS = [
    *PLAN_COLUMNS,
    Column("首次走访日期", "visited_on", width=14, export_only=True),
    Column(
        "走访方式", "visited_mode", width=10, export_only=True, choices={label: value for value, label in Mode.choices}
    ),
]


@transaction.atomic
def visit_plan_import(*, actor: Actor, stream: BinaryIO) -> ImportReport:
    """Import plan lines from Excel (the layout of the plan export). Every row is checked first; one bad row saves
    nothing and the refusal names each bad row by its line (bad_rows_error). A line already in the plan is refused,
    not counted as unchanged: the import adds lines, it never edits one."""
    rows = list(read_rows(stream, PLAN_COLUMNS))
    report = ImportReport(unit="条")
    accepted: list[tuple[Person, dict[str, Any], TermChange]] = []
    seen: set[tuple[int, str]] = set()
    numbers = [id_numbers.normalize(str(r.values.get("id_number") or "")) for r in rows]
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=numbers)}
    for row in rows:
        if not row.errors:
            row.errors.extend(_plan_row_errors(actor, row.values, people, seen, accepted))
        if row.errors:
            report.bad_rows.append(row)
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    if not accepted:
        raise DomainError("表格中没有走访计划。", {"file": ["表格中没有走访计划。"]})
    for person, values, term_change in accepted:
        _add_target(
            actor=actor,
            term_change=term_change,
            person=person,
            group=values["group"],
            visitor=values["visitor"],
            due_on=values["due_on"],
            away=bool(values["is_away"]),
        )
    report.created = len(accepted)
    report.saved = True
    return report


def _plan_row_errors(
    actor: Actor,
    values: dict[str, Any],
    people: dict[str, Person],
    seen: set[tuple[int, str]],
    accepted: list[tuple[Person, dict[str, Any], TermChange]],
) -> list[str]:
    """What is wrong with one plan line (empty: it is accepted and added to `accepted`)."""
    person = people.get(id_numbers.normalize(str(values["id_number"])))
    if person is None or (not person_policy.can(actor, "view", person)):
        return ["人员信息中没有该身份证号码的人员。"]
    if not target_policy.can_in_region(actor, "change", person.region_id):
        return [f"您无权为{person.name}所在村(社区)制定走访计划。"]
    term_change = current_term_change(person.region_id)
    if term_change is None:
        return ["本县尚未启动换届。"]
    errors = _validate_target(term_change, person, values["group"], values["visitor"], values["due_on"])
    key = (person.pk, values["group"])
    if key in seen or VisitTarget.objects.filter(term_change=term_change, person=person, group=key[1]).exists():
        errors.setdefault("person", []).append("已在走访计划中。")
    if errors:
        return [m for ms in errors.values() for m in ms]
    seen.add(key)
    accepted.append((person, values, term_change))
    return []
