"""人员花名册 in Excel, the module's one Excel home: the roster layout, its export and its import (all rows or
none, or the good rows when asked; a person is known by the ID number, so a re-import changes nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from django.db import transaction

from cunshe.accounts.models import User
from cunshe.core.errors import DomainError
from cunshe.people.models import ETHNICITIES, Education, Gender, Person
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import person_values
from cunshe.people.services import EDITABLE_FIELDS, _snapshot, _validate, person_create, person_update
from cunshe.spreadsheets.layout import Column, ImportReport, Row, parse_date, parse_yes_no, read_rows, write_workbook

# The roster layout officials keep (人员花名册): export writes it, import reads it, so a round trip is lossless.
PEOPLE_COLUMNS = [
    Column("姓名", "name", required=True, width=10),
    Column("身份证号码", "id_number", required=True, width=22, as_text=True),
    Column("性别", "gender", width=6, choices={label: value for value, label in Gender.choices}),
    Column("出生日期", "birth_date", parse=parse_date, width=12),
    Column("民族", "ethnicity", width=8, required=True, choices={e: e for e in ETHNICITIES}),
    Column("学历", "education", width=12, choices={label: value for value, label in Education.choices}),
    Column("中共党员", "is_party_member", parse=parse_yes_no, width=8),
    Column("入党时间", "party_joined_on", parse=parse_date, width=12),
    Column("联系电话", "phone", width=14, as_text=True),
    Column("村(社区)代码", "region", required=True, width=16, as_text=True),
    Column("村(社区)名称", "region_name", width=18, export_only=True),
]


def _row_person(actor: User, values: dict[str, Any], existing: Person | None) -> tuple[Person, list[str]]:
    person = Person(pk=existing.pk, version=existing.version) if existing else Person()
    if existing:
        person.created_at = existing.created_at
    for name in EDITABLE_FIELDS:
        if name == "region":
            person.region_id = values["region"]
        else:
            setattr(person, name, values.get(name))
    errors: list[str] = []
    if not person_policy.can_in_region(actor, "change", person.region_id or ""):
        errors.append(f"村(社区)代码 {person.region_id} 不在您负责的区域内")
    elif existing and not person_policy.can(actor, "change", existing):
        errors.append("该身份证号码已登记在您无权管理的村(社区)")
    else:
        try:
            _validate(person)
        except DomainError as exc:
            labels = {f.name: str(f.verbose_name) for f in Person._meta.fields}
            errors += [
                f"{labels.get(k, k)}：{m}" for k, ms in exc.field_errors.items() for m in ms if "已登记" not in m
            ]
    return person, errors


def people_import(*, actor: User, stream: BinaryIO, import_good_rows: bool = False) -> ImportReport:
    """Import a roster in the layout of `people_export`. Every row is checked first; while any row is bad nothing
    is saved, unless the user chose to import the good ones. A row whose person is already registered with the
    same data changes nothing, so importing the same file twice is harmless."""
    rows = list(read_rows(stream, PEOPLE_COLUMNS))
    numbers = [str(r.values.get("id_number", "")).upper() for r in rows]
    existing = {p.id_number: p for p in Person.objects.filter(id_number__in=[n for n in numbers if n])}
    report = ImportReport(unit="人")
    seen: dict[str, int] = {}
    plan: list[tuple[Person, Person | None]] = []
    for row, number in zip(rows, numbers, strict=True):
        errors = list(row.errors)
        if number and number in seen:
            errors.append(f"身份证号码与第 {seen[number]} 行重复")
        seen.setdefault(number, row.line)
        if not errors:
            person, problems = _row_person(actor, row.values, existing.get(number))
            errors += problems
        if errors:
            report.bad_rows.append(Row(line=row.line, values=row.values, errors=errors))
        else:
            plan.append((person, existing.get(number)))
    if report.bad_rows and not import_good_rows:
        return report
    with transaction.atomic():
        for person, before in plan:
            if before is None:
                fields = {k: getattr(person, k) for k in EDITABLE_FIELDS if k != "region"}
                person_create(actor=actor, region_code=person.region_id, **fields)
                report.created += 1
            elif _snapshot(before) == _snapshot(person):
                report.unchanged += 1
            else:
                fields = {k: getattr(person, k) for k in EDITABLE_FIELDS if k != "region"}
                person_update(
                    actor=actor, person=before, expected_version=before.version, region=person.region_id, **fields
                )
                report.updated += 1
    report.saved = True
    return report


def people_export(*, people: Iterable[Person], target: BinaryIO) -> int:
    """Write a roster in the import layout; ID numbers are written as the caller passes them (masked or whole)."""
    rows = ({**person_values(p), "region_name": p.region.name} for p in people)
    return write_workbook("人员花名册", PEOPLE_COLUMNS, rows, target)
