from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cunshe.records.models import RecordEntry
from cunshe.records.permissions import record_policy


def record_book(user: Any, region_code: str, *, module: str = "") -> QuerySet[RecordEntry]:
    """A region's record book, newest first: its own entries and those of everything under it."""
    qs = record_policy.visible_to(user).filter(region__startswith=region_code).select_related("region")
    if module:
        qs = qs.filter(module=module)
    return qs.order_by("-at", "-seq")


def modules_in_book(user: Any, region_code: str) -> list[str]:
    return sorted(set(record_book(user, region_code).values_list("module", flat=True).distinct()))
