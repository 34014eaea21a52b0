"""API lists a page at a time from a query, for ninja's `@paginate`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from ninja import Field, Query
from ninja.pagination import LimitOffsetPagination

from cunshe.core.schema import Schema


class RowsOfQuery[M: Model]:
    """What ninja's pagination counts and slices: the query stays a query (a county registry has hundreds of
    thousands of rows), and only the page asked for becomes output rows through `row` (a dict, or the row with a few
    computed values: `core.schema.WithFields`). A list whose rows need nothing computed pages the query itself."""

    def __init__(self, query: QuerySet[M], row: Callable[[M], object]) -> None:
        self.query, self.row = query, row

    def __len__(self) -> int:
        return self.query.count()

    def __getitem__(self, window: slice) -> list[object]:
        return [self.row(obj) for obj in self.query[window]]


# The largest offset a list accepts: far past any real registry, far below the 64-bit integers the databases take
# (offset=9223372036854775808 reached SQLite as an overflow and answered 500).
MAX_OFFSET = 1_000_000_000
MAX_LIMIT = 1000
# What a list answers when no limit is asked for; a record's detail answers this first page of a sub-list beside its
# total, and the sub-list's own paged operation reaches the rest (`first_page`).
FIRST_PAGE = 100


class Paged(LimitOffsetPagination):
    """ninja's limit/offset paging with both numbers bounded, so an odd page is a 422 in Chinese, not a 500."""

    class Input(Schema):
        limit: int = Field(FIRST_PAGE, ge=1, le=MAX_LIMIT, description=f"每页条数，1～{MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


def page_query(*, default: int = 200) -> tuple[Any, Any]:
    """The `limit` and `offset` query parameters of a list that pages by hand, bounded as in `Paged`."""
    return (
        Query(default, ge=1, le=MAX_LIMIT, description=f"每页条数，1～{MAX_LIMIT}"),
        Query(0, ge=0, le=MAX_OFFSET, description="跳过的条数"),
    )


def first_page[M: Model](query: QuerySet[M]) -> tuple[list[M], int]:
    """The rows of a sub-list's first page and how many there are in all, for a detail that shows the first page and
    leaves the rest to the sub-list's paged operation: a cut list says how much it left out."""
    rows = list(query[:FIRST_PAGE])
    return rows, len(rows) if len(rows) < FIRST_PAGE else query.count()
