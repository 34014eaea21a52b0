"""The roll-up table as Excel, the way town and county offices pass figures up."""

from __future__ import annotations

from dataclasses import asdict
from typing import BinaryIO

from cunshe.handovers.selectors import RollupRow
from cunshe.spreadsheets.layout import Column, write_workbook

ROLLUP_COLUMNS = [
    Column("区划代码", "code", width=16, as_text=True),
    Column("单位", "name", width=24),
    Column("计划交接", "planned"),
    Column("已完成", "done"),
    Column("逾期未完成", "overdue"),
    Column("账户冻结中", "frozen"),
    Column("遗留事项未办结", "leftovers_open", width=16),
]


def rollup_export(*, rows: list[RollupRow], target: BinaryIO) -> int:
    return write_workbook("交接汇总", ROLLUP_COLUMNS, [asdict(r) for r in rows], target)
