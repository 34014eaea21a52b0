"""The ledger in Excel, out and back in, in one file: the layout (LEDGER_COLUMNS) the export writes is the one the
import reads (decisions 0009 and 0011); the cases workbook. The import is a service like the others: it checks
the access rule, validates every row first and saves nothing when a row is wrong (unless asked to keep the good
rows), then records one entry per village."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from django.db import transaction

from cunshe.commitments.models import TRANSITIONS, Commitment, Kind, Source, Status
from cunshe.commitments.permissions import commitment_policy
from cunshe.commitments.responsibility import ThreeLevelRow, ThreeLevelTable
from cunshe.commitments.services.common import EDITABLE, LABELS, clean
from cunshe.commitments.services.ledger import field_errors, status_errors, term_errors, term_pk, village_terms
from cunshe.commitments.services.rules import rules_of
from cunshe.commitments.services.summaries import summaries_rebuild
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.transitions import refusal
from cunshe.records.services import Pending, record_many
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import (
    CellError,
    Column,
    ImportReport,
    Row,
    parse_date,
    parse_yes_no,
    read_rows,
    write_workbook,
)


def parse_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip().rstrip("年"))
    except ValueError as exc:
        raise CellError(f"“{value}”不是年份") from exc
    if not number.is_integer():
        raise CellError(f"“{value}”不是年份")
    return int(number)


def parse_flag(value: Any) -> bool:
    return parse_yes_no(value)


LEDGER_COLUMNS = [
    Column("台账编号", "ledger_no", width=24, as_text=True),
    Column("村(社区)代码", "region", width=16, required=True, as_text=True),
    Column("村(社区)名称", "region_name", width=18, export_only=True),
    Column("类型", "kind", width=12, choices={label: value for value, label in Kind.choices}),
    Column("年度", "year", parse=parse_year, width=8, required=True),
    Column("类别", "category", width=18, required=True),
    Column("事项", "title", width=30, required=True),
    Column("内容举措", "content", width=40, required=True),
    Column("目标成效", "target", width=30, required=True),
    Column("完成时限", "deadline", parse=parse_date, width=12, required=True),
    Column("责任岗位", "responsible_post", width=16, required=True),
    Column("来源", "source", width=12, choices={label: value for value, label in Source.choices}),
    Column("状态", "status", width=10, choices={label: value for value, label in Status.choices}),
    Column("放弃原因", "drop_reason", width=20),
    Column("完成日期", "completed_on", parse=parse_date, width=12),
    Column("完成佐证", "evidence", width=30),
    Column("典型案例", "is_showcase", parse=parse_flag, width=8),
    Column("案例材料", "showcase_writeup", width=30),
]
# What a row of the file sets; a file row equal to the saved commitment on all of these changes nothing.
ROW_FIELDS = (
    *EDITABLE,
    "status",
    "drop_reason",
    "completed_on",
    "evidence",
    "is_showcase",
    "showcase_writeup",
)


def _row_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {name: values.get(name) for name in ROW_FIELDS}
    for name in ("title", "content", "target", "responsible_post", "category", "drop_reason", "evidence"):
        out[name] = clean(str(out[name] or ""))
    out["showcase_writeup"] = str(out["showcase_writeup"] or "").strip()
    out["kind"] = out["kind"] or Kind.FIRST
    out["source"] = out["source"] or Source.VISITS
    out["status"] = out["status"] or Status.PLANNED
    out["is_showcase"] = bool(out["is_showcase"])
    return out


def _existing(
    numbers: list[str], villages: list[str]
) -> tuple[dict[str, Commitment], dict[tuple[Any, ...], Commitment]]:
    by_number: dict[str, Commitment] = {}
    for start in range(0, len(numbers), 2000):
        by_number.update(Commitment.objects.in_bulk(numbers[start : start + 2000], field_name="ledger_no"))
    by_title: dict[tuple[Any, ...], Commitment] = {}
    for start in range(0, len(villages), 500):
        for c in Commitment.objects.filter(region_id__in=villages[start : start + 500]):
            by_title.setdefault((c.region_id, c.kind, c.year, c.title), c)
            by_number.setdefault(c.ledger_no, c)
    return by_number, by_title


def ledger_import(*, actor: Actor, stream: BinaryIO, import_good_rows: bool = False) -> ImportReport:
    """Import a ledger in the layout of `ledger_export` (one row per commitment). Rows are matched to the saved
    commitments by 台账编号, or, without one, by village, type, year and title, so importing the same file twice
    changes nothing. Every row is checked first; while any row is bad nothing is saved, unless the caller chose
    to import the good ones. A changed status must be a legal move from the saved one."""
    rows = list(read_rows(stream, LEDGER_COLUMNS))
    codes = sorted({str(r.values.get("region") or "") for r in rows} - {""})
    villages: dict[str, str] = {}
    for start in range(0, len(codes), 2000):
        villages.update(
            Region.objects.filter(code__in=codes[start : start + 2000], level=Level.VILLAGE).values_list("code", "name")
        )
    allowed = {c for c in villages if commitment_policy.can_in_region(actor, "change", c)}
    rules = {county: rules_of(county) for county in {c[:6] for c in villages}}
    numbers = sorted({str(r.values.get("ledger_no") or "") for r in rows} - {""})
    unnumbered = {str(r.values.get("region") or "") for r in rows if not r.values.get("ledger_no")}
    by_number, by_title = _existing(numbers, sorted(unnumbered & allowed))
    terms = village_terms(sorted(allowed))
    report = ImportReport(unit="件")
    seen: dict[str, int] = {}
    plan: list[tuple[dict[str, Any], Commitment | None, str, str]] = []
    for row in rows:
        errors = list(row.errors)
        number, code = str(row.values.get("ledger_no") or ""), str(row.values.get("region") or "")
        values = _row_values(row.values)
        key = number or f"{code}|{values['kind']}|{values['year']}|{values['title']}"
        if key in seen:
            errors.append(f"与第 {seen[key]} 行是同一事项")
        seen.setdefault(key, row.line)
        existing: Commitment | None = None
        if not errors:
            if code not in villages:
                errors.append(f"村(社区)代码 {code} 不是本系统中的村(社区)")
            elif code not in allowed:
                errors.append(f"村(社区)代码 {code} 不在您负责的区域内")
        if not errors:
            existing = (
                by_number.get(number)
                if number
                else by_title.get((code, values["kind"], values["year"], values["title"]))
            )
            if number and existing is None and not number.startswith(f"{code}-"):
                errors.append(f"台账编号 {number} 应以村(社区)代码 {code} 开头")
            if existing is not None and existing.region_id != code:
                errors.append(f"台账编号 {number} 属于另一个村(社区)（{existing.region_id}）")
        if not errors:
            problems = field_errors(values, rules[code[:6]]) | status_errors(values)
            if existing is None:
                problems |= term_errors(values["year"], terms.get(code))
            errors += [f"{LABELS.get(k, k)}：{m}" for k, ms in problems.items() for m in ms]
        moved = existing is not None and values["status"] != existing.status
        why = (
            refusal(TRANSITIONS, existing.status, values["status"], Status, what="事项") if moved and existing else None
        )
        if why and not errors:
            errors.append(f"状态：{why}")
        if errors:
            report.bad_rows.append(Row(line=row.line, values=row.values, errors=errors))
        else:
            plan.append((values, existing, code, number))
    if report.bad_rows and not import_good_rows:
        return report
    _ledger_save(actor, plan, villages, terms, report)
    report.saved = True
    return report


def _ledger_save(
    actor: Actor,
    plan: list[tuple[dict[str, Any], Commitment | None, str, str]],
    villages: dict[str, str],
    terms: dict[str, tuple[int, int]],
    report: ImportReport,
) -> None:
    touched: dict[str, dict[str, list[str]]] = {}
    taken: dict[str, set[str]] = {}
    numbers_in_file = {number for _, _, _, number in plan if number}
    with transaction.atomic():
        # Numbers follow the village's own sequence for the year and a file may add many at once: read the numbers
        # of every village that gets an unnumbered row, 500 villages a query, inside the transaction that uses them.
        to_number = sorted({code for _, existing, code, number in plan if existing is None and not number})
        for start in range(0, len(to_number), 500):
            saved = Commitment.objects.filter(region_id__in=to_number[start : start + 500])
            for saved_number in saved.values_list("ledger_no", flat=True):
                taken.setdefault(saved_number[: saved_number.rindex("-") + 1], set()).add(saved_number)
        for number in numbers_in_file:
            taken.setdefault(number[: number.rindex("-") + 1], set()).add(number)
        new: list[Commitment] = []
        for values, existing, code, number in plan:
            if existing is None:
                if not number:
                    prefix = f"{code}-{values['year']}-"
                    taken.setdefault(prefix, set())
                    n = len(taken[prefix]) + 1
                    while f"{prefix}{n:03d}" in taken[prefix]:
                        n += 1
                    number = f"{prefix}{n:03d}"
                    taken[prefix].add(number)
                new.append(Commitment(region_id=code, ledger_no=number, term_change_id=term_pk(terms, code), **values))
                touched.setdefault(code, {"新增": [], "更新": []})["新增"].append(number)
                report.created += 1
            elif all(getattr(existing, k) == v for k, v in values.items()):
                report.unchanged += 1
            else:
                bump_version(existing, expected_version=existing.version)
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save(update_fields=list(values))
                touched.setdefault(existing.region_id, {"新增": [], "更新": []})["更新"].append(existing.ledger_no)
                report.updated += 1
        Commitment.objects.bulk_create(new, batch_size=1000)
        summaries_rebuild(touched)
        # One entry per village, appended together: a county ledger touches thousands of villages.
        record_many(
            actor=actor,
            entries=[
                Pending(
                    region_code=code,
                    event="commitments.imported",
                    summary=f"{villages.get(code, code)}从 Excel 导入台账：新增 {len(changes['新增'])} 件，"
                    f"更新 {len(changes['更新'])} 件",
                    after={k: v for k, v in changes.items() if v},
                )
                for code, changes in sorted(touched.items())
            ],
        )


def ledger_rows(commitments: Iterable[Commitment]) -> Iterable[dict[str, Any]]:
    """The ledger's rows as the pages show them: a commitment past its deadline reads 已逾期 on the day the sheet is
    made, whether or not the daily check has marked it (re-importing the sheet records that move)."""
    for c in commitments:
        yield {
            **{name: getattr(c, name) for name in ROW_FIELDS},
            "status": c.current_status,
            "ledger_no": c.ledger_no,
            "region": c.region_id,
            "region_name": c.region.name,
        }


def ledger_export(*, commitments: Iterable[Commitment], target: BinaryIO) -> int:
    """Write the ledger in the import layout (one row per commitment)."""
    return write_workbook("开门一件事台账", LEDGER_COLUMNS, ledger_rows(commitments), target)


CASE_COLUMNS = [
    Column("台账编号", "ledger_no", width=24, as_text=True),
    Column("村(社区)", "region_name", width=20),
    Column("类别", "category", width=18),
    Column("事项", "title", width=30),
    Column("完成日期", "completed_on", parse=parse_date, width=12),
    Column("目标成效", "target", width=30),
    Column("案例材料", "showcase_writeup", width=60),
]


def cases_export(*, commitments: Iterable[Commitment], target: BinaryIO) -> int:
    rows = (
        {
            "ledger_no": c.ledger_no,
            "region_name": c.region.name,
            "category": c.category,
            "title": c.title,
            "completed_on": c.completed_on,
            "target": c.target,
            "showcase_writeup": c.showcase_writeup,
        }
        for c in commitments
    )
    return write_workbook("典型案例", CASE_COLUMNS, rows, target)


# --- the three-level table of a month (三级责任, read from responsibility.three_level_table) ---------------


THREE_LEVEL_COLUMNS = [
    Column("代码", "code", width=14, as_text=True),
    Column("名称", "name", width=20),
    Column("村(社区)数", "villages", width=10),
    Column("已自查村数", "self_checked", width=10),
    Column("自查事项数", "self_checks", width=10),
    Column("督导次数", "visits", width=10),
    Column("被督导村数", "visited", width=10),
    Column("被抽查村数", "checked", width=10),
    Column("案例报送次数", "cases_sent", width=12),
]


def three_level_export(*, table: ThreeLevelTable, target: BinaryIO) -> int:
    """The three-level table of a month as a workbook (a row per town or village, then the total)."""

    def as_dict(row: ThreeLevelRow) -> dict[str, Any]:
        return {c.key: getattr(row, c.key) for c in THREE_LEVEL_COLUMNS}

    total = {**as_dict(table.total), "name": f"{table.total.name}（县级抽查 {table.checks} 次）"}
    rows = [as_dict(r) for r in table.rows] + [total]
    return write_workbook(f"三级责任{table.month:%Y年%m月}", THREE_LEVEL_COLUMNS, rows, target)
