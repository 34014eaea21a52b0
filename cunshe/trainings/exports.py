"""A session's attendance sheet in Excel, the module's one Excel home: the export (one row per person due) and
the import that reads it back (all rows or none; rows equal to what is recorded change nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.records.services import record_many
from cunshe.spreadsheets.layout import Column, ImportReport, bad_rows_error, read_rows, write_workbook
from cunshe.trainings.models import Attendance, Method, Presence, Session
from cunshe.trainings.permissions import attendance_policy, session_policy
from cunshe.trainings.services import _apply, _errors_for

IMPORT_COLUMNS = [
    Column("编号", "id", width=10, required=True, internal=True, parse=lambda v: str(v or "").strip()),
    Column("村(社区)", "village_name", width=20, export_only=True),
    Column("姓名", "name", width=10, export_only=True),
    Column("职务", "post", width=14, export_only=True),
    Column(
        "出勤",
        "status",
        width=10,
        required=True,
        choices={label: value for value, label in Presence.choices},
    ),
    Column("缺席原因", "reason", width=30),
]


def sheet_export(*, session: Session, rows: Iterable[Attendance], target: BinaryIO) -> int:
    """The session's list in the import layout: fill in 出勤 (and the reason of an absence) and import it back."""
    return write_workbook(
        f"{session.held_on:%Y%m%d}签到表",
        IMPORT_COLUMNS,
        (
            {
                "id": str(a.pk),
                "village_name": a.village.name,
                "name": a.person.name,
                "post": a.post,
                "status": a.status,
                "reason": a.reason,
            }
            for a in rows
        ),
        target,
    )


@transaction.atomic
def attendance_import(*, actor: Actor, session: Session, stream: BinaryIO) -> ImportReport:
    """Read the filled-in list: every row is checked first; one bad row and nothing is saved. Rows equal to what
    is recorded change nothing, so importing the same file twice is harmless."""
    session_policy.check_in_region(actor, "change", session.region_id)
    if session.held_on > timezone.localdate():
        raise DomainError("培训尚未举行，不能导入出勤。")
    by_id = {
        str(a.pk): a
        for a in attendance_policy.visible_to(actor, "change")
        .filter(session=session)
        .select_related("person", "session")
    }
    report = ImportReport(unit="人")
    good: list[tuple[Attendance, str, str]] = []
    seen: set[str] = set()
    for row in read_rows(stream, IMPORT_COLUMNS):
        if not row.errors:
            key = row.values["id"]
            a = by_id.get(key)
            if a is None:
                row.errors.append(f"编号 {key} 不在本场次的名单中")
            elif key in seen:
                row.errors.append(f"编号 {key} 重复")
            else:
                reason = clean_text(row.values.get("reason") or "")
                row.errors.extend(_errors_for(row.values["status"], reason))
                seen.add(key)
                good.append((a, row.values["status"], reason))
        if row.errors:
            report.bad_rows.append(row)
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    entries = []
    for a, status, reason in good:
        said = f"{Presence(status).label}（Excel 导入）"
        entry = _apply(a, status=status, reason=reason, method=Method.EXCEL, event="trainings.attendance", said=said)
        if entry is None:
            report.unchanged += 1
        else:
            report.updated += 1
            entries.append(entry)
    record_many(actor=actor, entries=entries)
    report.saved = True
    return report
