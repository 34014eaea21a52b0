"""The register (选民名单) in Excel, the module's one Excel home: the export (the full list, or the public one
without ID numbers and consent) and the import that reads the full layout back."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO

from django.db import transaction

from cunshe.core.actors import Actor
from cunshe.people.models import Person
from cunshe.spreadsheets.layout import Column, ImportReport, Row, read_rows, write_workbook
from cunshe.voters.models import ChangeReason, Register, Route, Voter
from cunshe.voters.permissions import register_policy
from cunshe.voters.services import CONSENT_ROUTES, _add, _eligible_errors, _require_editable, voter_update

ROUTE_CHOICES = {label: value for value, label in Route.choices}


REGISTER_COLUMNS = [
    Column("身份证号码", "id_number", width=22, required=True, as_text=True),
    Column("姓名", "name", width=10, required=True),
    Column("性别", "gender", width=6, export_only=True),
    Column("村民小组", "group", width=12),
    Column("登记方式", "route", width=40, required=True, choices=ROUTE_CHOICES),
    Column("会议同意情况", "consent", width=30),
]


PUBLIC_COLUMNS = [c for c in REGISTER_COLUMNS if c.key not in ("id_number", "consent")]


def register_export(*, register: Register, target: BinaryIO, public: bool = False) -> int:
    voters = register.voters.filter(removed_on__isnull=True).select_related("person").order_by("group", "person__name")
    rows = (
        {
            "id_number": v.person.id_number,
            "name": v.person.name,
            "gender": v.person.get_gender_display(),
            "group": v.group,
            "route": v.route,
            "consent": v.consent,
        }
        for v in voters
    )
    return write_workbook("选民名单", PUBLIC_COLUMNS if public else REGISTER_COLUMNS, rows, target)


def register_import(*, actor: Actor, register: Register, stream: BinaryIO, on: date) -> ImportReport:
    """Import a register kept elsewhere (before publication). Every row is checked first (ID number in the
    registry, the name matching it, route and consent, group, age, registered elsewhere); while any row is bad
    nothing is saved. A row already in the register as written changes nothing, so importing twice is harmless."""
    register_policy.check(actor, "enter", register)
    _require_editable(register, "")
    election = register.election
    rows = list(read_rows(stream, REGISTER_COLUMNS))
    numbers = [str(r.values.get("id_number", "")).strip().upper() for r in rows]
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=[n for n in numbers if n])}
    current = {v.person_id: v for v in register.voters.filter(removed_on__isnull=True)}
    report = ImportReport(unit="人")
    seen: dict[str, int] = {}
    plan: list[tuple[Person, dict[str, Any], Voter | None]] = []
    for row, number in zip(rows, numbers, strict=True):
        errors = list(row.errors)
        if number in seen:
            errors.append(f"身份证号码与第 {seen[number]} 行重复")
        seen.setdefault(number, row.line)
        person = people.get(number)
        if not errors and person is None:
            errors.append("身份证号码不在人员信息库中，请先登记人员")
        if not errors and person is not None:
            if person.name != str(row.values.get("name", "")).strip():
                errors.append(f"姓名与人员信息库不符（库中为“{person.name}”）")
            elif person.pk not in current:
                errors += _eligible_errors(election, person, row.values["route"], row.values.get("consent", ""))
            elif row.values["route"] in CONSENT_ROUTES and not str(row.values.get("consent", "")).strip():
                errors.append("该登记方式须写明会议同意情况")
        if errors:
            report.bad_rows.append(Row(line=row.line, values=row.values, errors=errors))
        elif person is not None:
            plan.append((person, row.values, current.get(person.pk)))
    if report.bad_rows:
        return report
    with transaction.atomic():
        for person, values, voter in plan:
            group, route, consent = str(values.get("group") or ""), values["route"], str(values.get("consent") or "")
            if voter is None:
                _add(
                    actor=actor,
                    register=register,
                    person=person,
                    route=route,
                    group=group,
                    consent=consent,
                    reason=ChangeReason.EDIT,
                    evidence="Excel导入",
                    decision_ref="",
                    on=on,
                )
                report.created += 1
            elif (voter.group, voter.route, voter.consent) == (group.strip(), route, consent.strip()):
                report.unchanged += 1
            else:
                voter_update(
                    actor=actor, voter=voter, group=group, route=route, consent=consent, expected_version=voter.version
                )
                report.updated += 1
    report.saved = True
    return report
