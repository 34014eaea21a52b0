"""Lists a page at a time from a query: the API's for ninja's `@paginate`, and the pages' (`page_of`) for the one
pager, web/_pages.html."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest
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


class ListPage(Page):
    """A page of a web page's list whose number travels in the query parameter `param`, so a page showing several
    lists pages each on its own: the pager's links change that parameter and keep every other one."""

    param = "page"

    def previous_query(self) -> dict[str, int]:
        return {self.param: self.previous_page_number()}

    def next_query(self) -> dict[str, int]:
        return {self.param: self.next_page_number()}


class _ListPaginator(Paginator):
    def __init__(self, rows: Any, per_page: int, param: str) -> None:
        super().__init__(rows, per_page)
        self.param = param

    def _get_page(self, *args: Any, **kwargs: Any) -> ListPage:
        page = ListPage(*args, **kwargs)
        page.param = self.param
        return page


def page_of(request: HttpRequest, rows: Any, per_page: int, *, param: str = "page") -> ListPage:
    """The page of `rows` the request asks for in `param` (the first when it names none, the last when it names one
    past the end), for `{% include "web/_pages.html" with page=... %}`."""
    page = _ListPaginator(rows, per_page, param).get_page(request.GET.get(param))
    assert isinstance(page, ListPage)
    return page
