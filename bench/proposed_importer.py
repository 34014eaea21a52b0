"""PROTOTYPE, for measurement only — the change to cunshe/regions/services.py that bench/RESULTS.md recommends.

This file is cunshe/regions/services.py with that change applied (bench/proposed_importer.diff is the same change
as a patch). The application never imports it; `bench/regions_import.py --importer proposed` benchmarks it beside
the real importer, and `--reimport-with current` checks that it writes exactly what the real importer would.

Same contract as the real importer: every row checked before any is saved, the same messages, a re-import
changes nothing, one record-book entry when something changed. What differs:

1. Saving does not build a `Region` per row nor go through `bulk_create`'s per-field SQL compilation: new rows go
   to the database as plain tuples — `COPY … FROM STDIN` on PostgreSQL, one prepared INSERT with
   `cursor.executemany` on SQLite. (National file set, insert alone: PostgreSQL COPY 11.8 s, UNNEST 18.8 s,
   executemany 35.5 s, bulk_create 31.7 s; SQLite executemany 6.1 s, bulk_create 35.6 s.)
2. Existing rows are read per batch (one primary-key range covering the batch) instead of a whole level into a
   dict, so the re-import's memory no longer grows with the country; a first import skips the reads. (`code IN
   (…5000 codes…)` was measured 5-10x slower than the range: Django prepares every element and PostgreSQL plans it
   as a sequential scan.)
3. Files are read with `csv.reader`; a subtree import (`under=371681`) drops non-matching lines before CSV
   parsing (the code is the first column), so a county import no longer parses all 620,573 villages twice.
4. The first pass keeps only codes, and only as long as the next level needs them as parents.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models.functions import Length

from cunshe.core.errors import DomainError
from cunshe.records.services import record
from cunshe.regions.models import CODE_LENGTH, Level, Region, kind_from_name

# Each official file's header names its parent column, which tells the level.
PARENT_COLUMN = {
    "": Level.PROVINCE,
    "provinceCode": Level.CITY,
    "cityCode": Level.COUNTY,
    "areaCode": Level.TOWN,
    "streetCode": Level.VILLAGE,
}
LEVEL_PARENT_COLUMN = {level: column for column, level in PARENT_COLUMN.items()}
BATCH = 5000


@dataclass
class BadRow:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file} 第 {self.line} 行：{self.reason}"


@dataclass
class ImportReport:
    under: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    per_level: dict[int, int] = field(default_factory=dict)
    bad_rows: list[BadRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _level_of(path: Path) -> Level:
    with _open_text(path) as handle:
        header = next(csv.reader(handle), [])
    if header[:2] != ["code", "name"]:
        raise DomainError(f"{path.name} 不是区划代码文件：首行应以 code,name 开头。")
    parent_column = header[2] if len(header) > 2 else ""
    if parent_column not in PARENT_COLUMN:
        raise DomainError(f"{path.name} 的第三列 {parent_column} 无法识别。")
    return PARENT_COLUMN[parent_column]


def _line_prefixes(under: str) -> tuple[str, ...]:
    """A line is in scope when its first field (the code) starts with `under` or is one of its ancestors."""
    ancestors = [under[:n] for n in CODE_LENGTH.values() if n < len(under)]
    return (under, *(a + "," for a in ancestors), '"' + under, *('"' + a + '",' for a in ancestors))


def _rows(path: Path, level: Level, under: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for the rows in scope. With `under`, lines are filtered on their first characters before
    CSV parsing (the code is the first column; the official files have one record per line), so a county import
    does not parse all 620,573 village rows."""
    with _open_text(path) as handle:
        header = next(csv.reader([handle.readline()]), [])
        if not under:
            reader = csv.reader(handle)
            for values in reader:
                yield reader.line_num + 1, dict(zip(header, values, strict=False))
            return
        prefixes = _line_prefixes(under)
        last_line = 1

        def in_scope() -> Iterator[str]:
            nonlocal last_line
            for number, line in enumerate(handle, start=2):
                if line.startswith(prefixes):
                    last_line = number
                    yield line

        for values in csv.reader(in_scope()):
            row = dict(zip(header, values, strict=False))
            code = (row.get("code") or "").strip()
            if code.startswith(under) or under.startswith(code):
                yield last_line, row


def _check(row: dict[str, str], level: Level, known_parents: set[str]) -> str | None:
    code = (row.get("code") or "").strip()
    name = (row.get("name") or "").strip()
    length = CODE_LENGTH[level]
    if not code.isdigit() or len(code) != length:
        return f"代码 {code!r} 应为 {length} 位数字"
    if not name:
        return "名称为空"
    if len(name) > 100:
        return "名称超过 100 个字符"
    if level != Level.PROVINCE:
        parent = code[: CODE_LENGTH[Level(level - 1)]]
        declared = (row.get(LEVEL_PARENT_COLUMN[level]) or "").strip()
        if declared != parent:
            return f"上级代码 {declared!r} 与代码 {code} 不符"
        if parent not in known_parents:
            return f"上级区划 {parent} 不存在（请同时导入上级文件）"
    return None


Row = tuple[str, str, int, str, str | None]  # code, name, level, kind, parent code
COLUMNS = ("code", "name", "level", "kind", "parent")


def _existing_between(codes: list[str], level: Level) -> dict[str, tuple[str, int, str]]:
    """Rows of `level` between the batch's smallest and largest code: one primary-key range read (the official
    files are sorted, so a batch is a narrow range). The level is tested on the code's length, after the range:
    `level = n` would make SQLite read the level index instead."""
    rows = (
        Region.objects.order_by()
        .alias(code_length=Length("code"))
        .filter(code__gte=min(codes), code__lte=max(codes), code_length=CODE_LENGTH[level])
        .values_list("code", "name", "level", "kind")
    )
    return {code: (name, lvl, kind) for code, name, lvl, kind in rows}


def _insert(rows: list[Row]) -> None:
    """New rows without model instances: COPY on PostgreSQL, one prepared INSERT with executemany elsewhere."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(Region._meta.db_table)
    columns = ", ".join(qn(Region._meta.get_field(name).column) for name in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _save(batch: list[Row], level: Level, look_up: bool, report: ImportReport) -> None:
    existing = _existing_between([row[0] for row in batch], level) if look_up and batch else {}
    fresh, changed = [], []
    for row in batch:
        before = existing.get(row[0])
        if before is None:
            fresh.append(row)
        elif before != row[1:4]:
            changed.append(Region(code=row[0], name=row[1], level=row[2], kind=row[3], parent_id=row[4]))
        else:
            report.unchanged += 1
    _insert(fresh)
    Region.objects.bulk_update(changed, ["name", "kind"], batch_size=BATCH)
    report.created += len(fresh)
    report.updated += len(changed)


def _in_scope(level: Level, under: str) -> Any:
    qs = Region.objects.filter(level=level)
    if len(under) >= CODE_LENGTH[level]:
        return qs.filter(code=under[: CODE_LENGTH[level]])
    return qs.filter(code__startswith=under) if under else qs


def _existing(level: Level, under: str) -> list[str]:
    """Codes of `level` in scope (the parents a file's rows may name)."""
    return list(_in_scope(level, under).order_by().values_list("code", flat=True))


def _any_existing(level: Level, under: str) -> bool:
    return _in_scope(level, under).exists()


def regions_import(*, actor: Any, files: Iterable[str | Path], under: str = "") -> ImportReport:
    """Import every region under `under` (and its ancestors) from official CSV files, parents before children.

    Re-importing the same files changes nothing; a renamed unit is updated in place (codes are stable).
    """
    under = under.strip()
    if under and (not under.isdigit() or len(under) not in CODE_LENGTH.values()):
        raise DomainError(f"--under 应为 2、4、6、9 或 12 位区划代码，而不是 {under!r}。")
    paths = sorted(((Path(f), _level_of(Path(f))) for f in files), key=lambda item: item[1])
    report = ImportReport(under=under)
    # First pass: check every row, so that nothing is saved when any row is bad.
    known: dict[int, set[str]] = {}
    for path, level in paths:
        # A level's codes are needed only to check the next level's parents.
        parents = known.pop(level - 1, set()) | set(_existing(Level(level - 1), under)) if level > 1 else set()
        seen: set[str] = set()
        for line, row in _rows(path, level, under):
            reason = _check(row, level, parents)
            code = row["code"].strip()
            if reason is None and code in seen:
                reason = f"代码 {code} 在文件中重复"
            if reason:
                report.bad_rows.append(BadRow(path.name, line, reason))
            seen.add(code)
        known[level] = seen
        report.per_level[level] = len(seen)
    if report.bad_rows:
        return report
    with transaction.atomic():
        for path, level in paths:
            look_up = _any_existing(level, under)  # nothing there yet (a first import): no lookups at all
            parent_length = CODE_LENGTH[Level(level - 1)] if level > 1 else 0
            batch: list[Row] = []
            for _line, row in _rows(path, level, under):
                code, name = row["code"].strip(), row["name"].strip()
                batch.append((code, name, int(level), kind_from_name(level, name), code[:parent_length] or None))
                if len(batch) >= BATCH:
                    _save(batch, level, look_up, report)
                    batch = []
            _save(batch, level, look_up, report)
        if report.created or report.updated:
            record(
                actor=actor,
                region_code=under[:6] if len(under) >= 6 else under,
                event="regions.imported",
                summary=f"导入区划代码：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}",
                after={"under": under, "created": report.created, "updated": report.updated},
            )
    return report


regions_import_proposed = regions_import  # the name bench/regions_import.py imports
