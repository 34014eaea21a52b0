"""Importing the official division codes (统计用区划代码) for a subtree. All rows are checked before any is
saved; a file with bad rows saves nothing and the report names each bad line and why.

The whole country is 665,276 rows, so saving skips the model layer: new rows go to the database as plain tuples
(COPY on PostgreSQL, one prepared INSERT run with executemany on SQLite), and the rows already there are read one
batch at a time, never a whole level at once. Measurements: bench/README.md."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

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

Row = tuple[str, str, int, str, str | None]  # what is saved: code, name, level, kind, parent code
ROW_COLUMNS = ("code", "name", "level", "kind", "parent_id")


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


def _rows(path: Path, under: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each row under `under` or naming one of its ancestors. The number is the file's own
    line (blank lines are skipped but counted), so a message points where an editor does."""
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        header = next(reader, [])  # starts with code, name (_level_of checked it)
        for values in reader:
            if not values:
                continue
            code = values[0].strip()
            if code.startswith(under) or under.startswith(code):
                yield reader.line_num, dict(zip(header, values, strict=False))


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


def _in_scope(level: Level, under: str) -> QuerySet[Region]:
    qs = Region.objects.filter(level=level)
    if len(under) >= CODE_LENGTH[level]:
        return qs.filter(code=under[: CODE_LENGTH[level]])
    return qs.filter(code__startswith=under) if under else qs


def _existing_codes(level: Level, under: str) -> set[str]:
    return set(_in_scope(level, under).order_by().values_list("code", flat=True))


def _existing_between(first: str, last: str, level: Level) -> dict[str, tuple[str, int, str]]:
    """The saved rows of `level` whose codes lie between a batch's smallest and largest: one range of the
    (level, code) index. The official files are sorted, so a batch is a narrow range; an unsorted file only makes
    the range wider."""
    rows = Region.objects.filter(level=level, code__gte=first, code__lte=last).order_by()
    return {code: (name, lvl, kind) for code, name, lvl, kind in rows.values_list("code", "name", "level", "kind")}


def _insert(rows: list[Row]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Region._meta.db_table)
    columns = ", ".join(quote(column) for column in ROW_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(ROW_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _save(batch: list[Row], level: Level, look_up: bool, report: ImportReport) -> None:
    if not batch:
        return
    existing = _existing_between(min(row[0] for row in batch), max(row[0] for row in batch), level) if look_up else {}
    fresh: list[Row] = []
    changed: list[Region] = []
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


def regions_import(*, actor: Any, files: Iterable[str | Path], under: str = "") -> ImportReport:
    """Import every region under `under` (and its ancestors) from official CSV files, parents before children.

    Re-importing the same files changes nothing; a renamed unit is updated in place (codes are stable).
    """
    under = under.strip()
    if under and (not under.isdigit() or len(under) not in CODE_LENGTH.values()):
        raise DomainError(f"--under 应为 2、4、6、9 或 12 位区划代码，而不是 {under!r}。")
    paths = sorted(((Path(f), _level_of(Path(f))) for f in files), key=lambda item: item[1])
    report = ImportReport(under=under)
    # First pass: check every row, so that nothing is saved when any row is bad. A level's codes are kept only
    # while the next level needs them as parents; a level may come in several files.
    codes: dict[int, set[str]] = {}
    for path, level in paths:
        for done in [lvl for lvl in codes if lvl < level - 1]:
            del codes[done]
        parents = codes.get(level - 1, set()) | _existing_codes(Level(level - 1), under) if level > 1 else set()
        seen: set[str] = set()
        for line, row in _rows(path, under):
            reason = _check(row, level, parents)
            code = row["code"].strip()
            if reason is None and code in seen:
                reason = f"代码 {code} 在文件中重复"
            if reason:
                report.bad_rows.append(BadRow(path.name, line, reason))
            seen.add(code)
        if level in codes:
            codes[level] |= seen
        else:
            codes[level] = seen
        report.per_level[level] = report.per_level.get(level, 0) + len(seen)
    codes.clear()
    if report.bad_rows:
        return report
    with transaction.atomic():
        for path, level in paths:
            # Nothing of this level saved in scope yet (a first import): every row is new, no lookups needed.
            look_up = _in_scope(level, under).exists()
            parent_length = CODE_LENGTH[Level(level - 1)] if level > 1 else 0
            batch: list[Row] = []
            for _line, row in _rows(path, under):
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
