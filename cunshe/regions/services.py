"""Importing the official division codes (统计用区划代码) for a subtree. All rows are checked before any is
saved; a file with bad rows saves nothing and the report names each bad line and why."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

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


def _rows(path: Path, level: Level, under: str) -> Iterator[tuple[int, dict[str, str]]]:
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        for line, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip()
            if code.startswith(under) or under.startswith(code):
                yield line, row


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


def _upsert(batch: list[Region], existing: dict[str, tuple[str, int, str]], report: ImportReport) -> None:
    fresh, changed = [], []
    for region in batch:
        before = existing.get(region.code)
        if before is None:
            fresh.append(region)
        elif before != (region.name, region.level, region.kind):
            changed.append(region)
        else:
            report.unchanged += 1
    Region.objects.bulk_create(fresh, batch_size=BATCH)
    Region.objects.bulk_update(changed, ["name", "kind"], batch_size=BATCH)
    report.created += len(fresh)
    report.updated += len(changed)


def _existing(level: Level, under: str) -> dict[str, tuple[str, int, str]]:
    qs = Region.objects.filter(level=level)
    if len(under) >= CODE_LENGTH[level]:
        qs = qs.filter(code=under[: CODE_LENGTH[level]])
    elif under:
        qs = qs.filter(code__startswith=under)
    return {code: (name, lvl, kind) for code, name, lvl, kind in qs.values_list("code", "name", "level", "kind")}


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
        parents = known.get(level - 1, set()) | set(_existing(Level(level - 1), under)) if level > 1 else set()
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
    if report.bad_rows:
        return report
    with transaction.atomic():
        for path, level in paths:
            existing = _existing(level, under)
            batch: list[Region] = []
            for _line, row in _rows(path, level, under):
                code, name = row["code"].strip(), row["name"].strip()
                parent = code[: CODE_LENGTH[Level(level - 1)]] if level > 1 else None
                batch.append(
                    Region(code=code, name=name, level=level, kind=kind_from_name(level, name), parent_id=parent)
                )
                if len(batch) >= BATCH:
                    _upsert(batch, existing, report)
                    batch = []
            _upsert(batch, existing, report)
            report.per_level[level] = len(known.get(level, ()))
        if report.created or report.updated:
            record(
                actor=actor,
                region_code=under[:6] if len(under) >= 6 else under,
                event="regions.imported",
                summary=f"导入区划代码：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}",
                after={"under": under, "created": report.created, "updated": report.updated},
            )
    return report
