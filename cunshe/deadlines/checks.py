"""`cunshe check`: warn when a working-day deadline may fall in a year whose holiday schedule is not known here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone


@checks.register()
def holiday_schedule_loaded(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """This year, and next year from November on (when deadlines start to reach into it and the State Council has
    usually published it), must have their make-up days known: loaded, or in the chinese-calendar package."""
    from cunshe.deadlines.holidays import Source, source_of

    today = timezone.localdate()
    years = [today.year] + ([today.year + 1] if today >= date(today.year, 11, 1) else [])
    try:
        missing = [y for y in years if source_of(y) is Source.STATUTORY]
    except DatabaseError:  # not migrated yet: `cunshe migrate` runs the checks too
        return []
    return [
        checks.Warning(
            f"{y} 年的国务院放假调休安排尚未载入：工作日期限只避开法定节假日，未计入调休。",
            hint=f"系统管理员在“期限 › 放假调休安排”页面或用 `cunshe holidays load {y} ...` 载入（见 docs/deploy.md）。",
            id="cunshe.W001",
        )
        for y in missing
    ]
