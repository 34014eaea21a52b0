"""API lists a page at a time from a query, for ninja's `@paginate`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet


class RowsOfQuery[M: Model]:
    """What ninja's pagination counts and slices: the query stays a query (a county registry has hundreds of
    thousands of rows), and only the page asked for becomes output rows through `row`."""

    def __init__(self, query: QuerySet[M], row: Callable[[M], dict[str, Any]]) -> None:
        self.query, self.row = query, row

    def __len__(self) -> int:
        return self.query.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.row(obj) for obj in self.query[window]]
