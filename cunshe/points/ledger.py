"""The ledger's arithmetic, without the database: first-in first-out consumption of earned lots (what expires is
what is left of the oldest earnings), and the checks `cunshe points verify` runs over every holder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass
class Line:
    pk: int
    kind: str
    points: int
    occurred_on: date
    expires_on: date | None
    lot: int | None = None  # an expiry names the earning it closes (its key "expire:<pk>")


@dataclass
class Lot:
    pk: int
    expires_on: date | None
    left: int


def lots_after(lines: Iterable[Line]) -> list[Lot]:
    """Replay a holder's lines in order (day, then entry): a positive line opens a lot, an expiry empties the lot
    it names, every other negative line takes from the oldest lots first."""
    lots: list[Lot] = []
    by_pk: dict[int, Lot] = {}
    for line in sorted(lines, key=lambda x: (x.occurred_on, x.pk)):
        if line.points > 0:
            lot = Lot(line.pk, line.expires_on, line.points)
            lots.append(lot)
            by_pk[line.pk] = lot
        elif line.kind == "expire" and line.lot in by_pk:
            by_pk[line.lot].left += line.points  # points < 0: what was left of it
        else:
            owed = -line.points
            for lot in lots:
                if not owed:
                    break
                take = min(lot.left, owed)
                lot.left -= take
                owed -= take
    return lots


def due_to_expire(lines: Iterable[Line], on: date) -> list[tuple[int, int]]:
    """(earning pk, points left) for every lot past its date on `on` with points left."""
    return [(lot.pk, lot.left) for lot in lots_after(lines) if lot.expires_on and lot.expires_on <= on and lot.left > 0]


def problems(lines: Iterable[Line], stored_balance: int | None) -> list[str]:
    """What is wrong with one holder's ledger: a stored balance that is not the sum, a running sum below zero."""
    lines = list(lines)
    found: list[str] = []
    total = 0
    for line in sorted(lines, key=lambda x: x.pk):  # in the order they were written
        total += line.points
        if total < 0:
            found.append(f"第 {line.pk} 笔后余额为负（{total}）")
            break
    total = sum(line.points for line in lines)
    if stored_balance is None:
        found.append("缺少余额行")
    elif stored_balance != total:
        found.append(f"余额 {stored_balance} 与流水合计 {total} 不符")
    return found
