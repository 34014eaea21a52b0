"""The reserve cadres in Excel, the module's one Excel home: the list and the candidates' table, and the import that
reads the list's layout back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.errors import DomainError
from cunshe.people import id_numbers
from cunshe.people.models import Person
from cunshe.people.selectors import shows_id_number
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.reserves.models import CandidateEntry, ReserveCadre, Source, Stage
from cunshe.reserves.permissions import reserve_policy
from cunshe.reserves.selectors import candidates_visible, reserve_list
from cunshe.reserves.services import _add_errors
from cunshe.spreadsheets.layout import Column, ImportReport, Row, parse_date, read_rows, write_workbook, xlsx_response
from cunshe.termchanges.selectors import current_term_change

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
    today = timezone.localdate()
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


# The reserve list officials keep in Excel (后备干部名册): the export writes it, the import reads it, so a round
# trip is lossless. A row names a person of the registry by ID number; the name is checked against the registry.
RESERVE_COLUMNS = [
    Column("村(社区)代码", "region", required=True, width=16, as_text=True),
    Column("村(社区)名称", "region_name", width=18, export_only=True),
    Column("姓名", "name", width=10),
    Column("身份证号码", "id_number", required=True, width=22, as_text=True),
    Column("来源", "source", required=True, width=14, choices={label: value for value, label in Source.choices}),
    Column("入库日期", "added_on", parse=parse_date, required=True, width=12),
    Column("简要情况", "note", width=30),
    Column("阶段", "stage", width=10, export_only=True, choices={label: value for value, label in Stage.choices}),
]


_LABELS = {"person": "身份证号码", "source": "来源", "added_on": "入库日期", "note": "简要情况"}


@dataclass(frozen=True)
class _Lookups:
    villages: dict[str, str]  # code -> name, of the codes in the file that are villages
    allowed: set[str]  # of those, the ones the actor may change
    term_changes: dict[str, Any]  # county code -> its term change in progress (or None)
    people: dict[tuple[str, str], Person]  # (village, ID number) -> the person registered there
    reserves: dict[int, ReserveCadre]  # person id -> their reserve row in the current term change


def _lookups(actor: Actor, rows: list[Row]) -> _Lookups:
    """Everything the rows are checked against, in a handful of queries whatever the length of the file."""
    codes = {str(r.values.get("region") or "") for r in rows} - {""}
    villages = dict(Region.objects.filter(code__in=codes, level=Level.VILLAGE).values_list("code", "name"))
    allowed = {c for c in villages if reserve_policy.can_in_region(actor, "change", c)}
    term_changes = {county: current_term_change(county) for county in {c[:6] for c in allowed}}
    numbers = {id_numbers.normalize(str(r.values.get("id_number") or "")) for r in rows} - {""}
    people = {
        (p.region_id, p.id_number): p for p in Person.objects.filter(id_number__in=numbers, region_id__in=allowed)
    }
    reserves = {
        r.person_id: r
        for r in ReserveCadre.objects.filter(
            term_change__in=[t for t in term_changes.values() if t is not None],
            person__in=[p.pk for p in people.values()],
        )
    }
    return _Lookups(villages, allowed, term_changes, people, reserves)


def _row_errors(row: Row, found: _Lookups) -> tuple[list[str], ReserveCadre | None]:
    """The row's errors in Chinese, each naming its column; or none and the person's existing reserve row."""
    code = str(row.values.get("region") or "")
    number = id_numbers.normalize(str(row.values.get("id_number") or ""))
    if code not in found.villages:
        return [f"村(社区)代码：{code} 不是本系统中的村(社区)"], None
    if code not in found.allowed:
        return [f"村(社区)代码：{code} 不在您负责的区域内，不能导入"], None
    if found.term_changes.get(code[:6]) is None:
        return ["村(社区)代码：本县尚未启动换届"], None
    person = found.people.get((code, number))
    if person is None:
        return [f"身份证号码：{found.villages[code]}的人员中没有 {number}，请先登记该人员"], None
    name = str(row.values.get("name") or "")
    if name and name != person.name:
        return [f"姓名：与人员信息中该身份证号码的姓名“{person.name}”不一致"], None
    existing = found.reserves.get(person.pk)
    if existing is not None:
        if existing.region_id != code:
            return [f"身份证号码：{person.name} 已是另一村(社区)的本届后备干部"], None
        return [], existing
    errors = _add_errors(
        term_change=found.term_changes.get(code[:6]),
        person=person,
        village_code=code,
        source=row.values["source"],
        added_on=row.values["added_on"],
        note=str(row.values.get("note") or ""),
    )
    return [f"{_LABELS[k]}：{m.removeprefix(_LABELS[k]).rstrip('。')}" for k, ms in errors.items() for m in ms], None


def reserves_import(*, actor: Actor, stream: BinaryIO) -> ImportReport:
    """Import a reserve list in the layout of `reserves_export`. Every row is checked first and nothing is saved
    while any row is wrong. A person already a reserve of that village in this term change is skipped and counted
    as unchanged, so importing the same file twice changes nothing. One record-book entry per village."""
    rows = list(read_rows(stream, RESERVE_COLUMNS))
    found = _lookups(actor, rows)
    report = ImportReport(unit="人")
    seen: dict[str, int] = {}
    plan: list[ReserveCadre] = []
    for row in rows:
        errors = list(row.errors)
        number = id_numbers.normalize(str(row.values.get("id_number") or ""))
        if number and number in seen:
            errors.append(f"身份证号码：与第 {seen[number]} 行是同一人")
        seen.setdefault(number, row.line)
        existing: ReserveCadre | None = None
        if not errors:
            errors, existing = _row_errors(row, found)
        if errors:
            report.bad_rows.append(Row(line=row.line, values=row.values, errors=errors))
        elif existing is not None:
            report.unchanged += 1
        else:
            code = str(row.values["region"])
            plan.append(
                ReserveCadre(
                    region_id=code,
                    term_change=found.term_changes[code[:6]],
                    person=found.people[(code, number)],
                    source=row.values["source"],
                    added_on=row.values["added_on"],
                    note=str(row.values.get("note") or "").strip(),
                )
            )
    if report.bad_rows:
        return report
    _reserves_save(actor, plan, found.villages)
    report.created = len(plan)
    report.saved = True
    return report


def _reserves_save(actor: Actor, plan: list[ReserveCadre], villages: dict[str, str]) -> None:
    by_village: dict[str, list[ReserveCadre]] = defaultdict(list)
    for reserve in plan:
        by_village[reserve.region_id].append(reserve)
    try:
        with transaction.atomic():
            ReserveCadre.objects.bulk_create(plan, batch_size=1000)
            for code, added in sorted(by_village.items()):
                record(
                    actor=actor,
                    region_code=code,
                    event="reserves.imported",
                    summary=f"{villages[code]}从 Excel 导入后备干部 {len(added)} 人",
                    after={
                        "新增": [f"{r.person.name}（{r.get_source_display()}，{r.added_on:%Y-%m-%d}）" for r in added]
                    },
                )
    except IntegrityError as exc:
        # Someone added one of these people while the file was being checked; the whole import is undone.
        raise DomainError("导入期间后备干部库已被他人修改，未保存，请重新导入。") from exc
