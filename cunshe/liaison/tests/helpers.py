"""Liaison records set up through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from conftest import COUNTY
from cunshe.core.actors import SYSTEM
from cunshe.liaison.models import Assignment, CadreLevel, Matter
from cunshe.liaison.services import assignment_create, matter_raise
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_open


def ensure_term_change() -> None:
    """Matters go on the issue board, which belongs to the county's term change."""
    if current_term_change(COUNTY) is None:
        term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


def assign(village: str, *, name: str = "蒋明星", actor: Any = SYSTEM, days_ago: int = 90) -> Assignment:
    return assignment_create(
        actor=actor,
        village_code=village,
        name=name,
        unit="邹平市民政局副局长",
        level=CadreLevel.COUNTY,
        started_on=timezone.localdate() - timedelta(days=days_ago),
    )


def matter_for(a: Assignment, *, title: str = "协调修复村内道路", actor: Any = SYSTEM) -> Matter:
    ensure_term_change()
    return matter_raise(actor=actor, assignment=a, raised_on=timezone.localdate(), title=title)
