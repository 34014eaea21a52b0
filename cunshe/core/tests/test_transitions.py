"""core.transitions.move: the one versioned status change (a county's measure of 每日四个必查 as the record)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import COUNTY
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, IllegalTransition
from cunshe.core.transitions import move
from cunshe.dailychecks.models import Measure, MeasureStatus
from cunshe.dailychecks.services import MEASURE_TRANSITIONS, measure_add
from cunshe.regions.models import Region

MEASURE: dict[str, Any] = {
    "number": 1,
    "area": "routine",
    "title": "每日四个必查",
    "target": "每天四个必查",
    "unit": "县委组织部",
}


def _measure() -> Measure:
    return measure_add(actor=SYSTEM, county_code=COUNTY, due_on=date(2026, 12, 31), **MEASURE)


def _move(m: Measure, target: str, version: int | None) -> str:
    return move(m, target, table=MEASURE_TRANSITIONS, labels=MeasureStatus, what="举措", expected_version=version)


def test_a_move_checks_the_table_then_the_version_and_answers_the_status_it_left(zouping: Region) -> None:
    m = _measure()
    with pytest.raises(IllegalTransition) as illegal:
        _move(m, MeasureStatus.DONE, m.version)
    assert str(illegal.value.message) == "举措不能从“未启动”转为“已完成”（可转为：推进中）。"
    with pytest.raises(ConcurrentEdit):
        _move(m, MeasureStatus.ONGOING, m.version + 1)
    assert Measure.objects.get(pk=m.pk).version == 1 and m.status == MeasureStatus.PLANNED  # nothing moved
    assert _move(m, MeasureStatus.ONGOING, 1) == "未启动"
    # The instance carries the new status and version; the row has the version (claimed), the caller saves the rest.
    assert (m.status, m.version) == (MeasureStatus.ONGOING, 2)
    stored = Measure.objects.get(pk=m.pk)
    assert (stored.status, stored.version) == (MeasureStatus.PLANNED, 2)
    with pytest.raises(ConcurrentEdit):
        _move(Measure.objects.get(pk=m.pk), MeasureStatus.ONGOING, 1)  # a second writer from version 1 is refused
