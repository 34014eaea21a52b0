"""Values kept while the record book has not moved: the home page's to-do summary, the roll-up tables (issue 15).

Everything a summary or a roll-up shows changes through a service, and every service appends to the record book,
so the chains' sequence numbers move with every change. A value kept under the change number of the chains it
depends on, the clock as far as the value reads it (the day in Asia/Shanghai, so "overdue" and "this month" follow
it; the minute for the home page's to-do summary, whose deadlines carry a time of day) and the reader is therefore
either the current value or one whose data has not changed. The cache ("summaries") is per process: nothing kept
there is shared between workers, and a worker that has not seen a change simply builds the value again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Literal

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from cunshe.records.models import RecordChain

type Clock = Literal["day", "minute"]

SUMMARY_CACHE = "summaries"
# How long a value stays in a worker's cache unasked. The key already says when the value is out of date; the time
# only frees the memory of values nobody asks for again (and bounds how long a change no chain of the key records —
# a region renamed by an import scoped to another county — can go unseen). A value keyed on the minute is out of date
# when it turns; one keyed on the day is built again every ten minutes at most, instead of every minute: under load
# each rebuild (up to ~100 ms) is a request's tail (issue 15, p99).
KEPT_SECONDS = 120
KEPT_DAY_SECONDS = 600


def change_number(region_code: str | None = None) -> int:
    """The sum of the sequence numbers of the chains a region's data is written to: its own county's chain (or, for
    a province or city, every county's under it), the chains above it (a province-wide import chains on the
    province's code) and the national one; with no region (or a code that is not digits), of every chain.

    Read once per request and region (`KeptPerRequest`; a write recorded in the request asks again), as one
    statement written out: the ORM's aggregate over a Q cost 0.4 ms of CPU to build, a third of a signed-in bare
    view, for a query SQLite answers in 0.05 ms (issue 15)."""
    region_code = _chains_of(region_code)
    memo = _per_request.get()
    if memo is not None and region_code in memo:
        return memo[region_code]
    sql, params = change_number_statement(region_code)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        number = int(cursor.fetchone()[0] or 0)
    if memo is not None:
        memo[region_code] = number
    return number


def _chains_of(region_code: str | None) -> str | None:
    """The region as the change number reads it: None for every chain (no region, or a code that is not digits)."""
    return region_code if (region_code or "")[:6].isdigit() else None


def change_number_statement(region_code: str | None) -> tuple[str, list[str]]:
    """The statement `change_number` reads (also read as a column of another statement: accounts.sessions)."""
    table = connection.ops.quote_name(RecordChain._meta.db_table)
    region_code = _chains_of(region_code)
    if region_code is None:
        return f"SELECT SUM(last_seq) FROM {table}", []
    above = [region_code[:n] for n in (2, 4) if n < len(region_code)] + ["00"]
    marks = ", ".join(["%s"] * len(above))
    sql = f"SELECT SUM(last_seq) FROM {table} WHERE chain LIKE %s OR chain IN ({marks})"
    return sql, [f"{region_code[:6]}%", *above]


def change_number_read(region_code: str | None, number: int | None) -> None:
    """`number` is the region's change number, read in this request by another statement (accounts.sessions reads
    it with the session): `change_number` takes it instead of asking again."""
    memo, region_code = _per_request.get(), _chains_of(region_code)
    if memo is not None and region_code not in memo:
        memo[region_code] = int(number or 0)


# The path of the request (KeptPerRequest): a page asks the same change numbers each time (accounts.sessions).
_request_path: ContextVar[str] = ContextVar("kept_request_path", default="")


def request_path() -> str:
    return _request_path.get()


def regions_asked() -> list[str | None]:
    """The regions whose change numbers this request asked for, in order, None for every chain (none outside a
    request)."""
    memo = _per_request.get()
    return list(memo) if memo else []


def keeping() -> bool:
    """Are values kept (not the test settings' DummyCache, where nothing is kept and no change number is read)?"""
    return not isinstance(caches[SUMMARY_CACHE], DummyCache)


# The change numbers read in this request, by region (None outside a request: every call asks the database).
_per_request: ContextVar[dict[str | None, int] | None] = ContextVar("kept_change_numbers", default=None)


def forget_change_numbers() -> None:
    """A write was recorded (records.services): the next kept value of this request reads the number again."""
    memo = _per_request.get()
    if memo:
        memo.clear()


class KeptPerRequest:
    """Middleware: a request asks each region's change number once, however many kept values its page shows (the
    commitments roll-up asked twice, a roll-up's region lookup once more)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token, path = _per_request.set({}), _request_path.set(getattr(request, "path", ""))
        try:
            return self.get_response(request)
        finally:
            _per_request.reset(token)
            _request_path.reset(path)


def current_minute() -> int:
    """The clock's minute: a value kept on it lasts until it turns (tests hold it still, conftest.kept_summaries)."""
    return int(timezone.now().timestamp() // 60)


def current_day() -> int:
    """The day in Asia/Shanghai (TIME_ZONE): a value kept on it lasts until midnight there."""
    return timezone.localdate().toordinal()


def kept[T](
    name: str, reader: Any, build: Callable[[], T], *, region_code: str | None = None, clock: Clock = "day"
) -> T:
    """`build()`, or the value it gave for the same `name` (which must say everything the value depends on but the
    reader, the data and the clock), reader and change number on this day (`clock="minute"`: within this minute).

    The reader is part of the key with the marker of their role assignments (accounts.User.shell_version): what a
    user may see follows their grants at once, whatever chain the grant was recorded in."""
    return Kept(name, reader, build, region_code=region_code, clock=clock).value


class Kept[T]:
    """`kept`'s value, read or built only when first asked for (`value`), and its key (`key`), under which a page
    keeps the table it renders from the value as well:

        {% load cache %}{% cache kept.seconds "visits.coverage" kept.key using="summaries" %}...{% endcache %}

    so a repeat view neither reads the value nor renders it (issue 15). The key says what the value depends on (its
    name, the reader and the marker of their grants, the change number, the minute); a fragment kept under it must
    show nothing else: the CSRF token, the CSP nonce, messages and anything read from the request but the name's
    parts stay outside it. `clock` is what the value reads of the clock: "day" (dates: overdue by a deadline's day,
    this month's figures) or "minute" (a deadline with a time of day); a value that compares times keyed on the day
    would say "not yet overdue" until midnight. What the reader may do may be inside (their grants move the marker).
    With nothing kept (the test settings) the key is None and the fragment is rendered every time.

    `value_kept=False`: only the key is kept's, the value is built whenever asked (a list's page of rows, which
    nothing but its kept fragment shows, and which is no use kept beside it)."""

    def __init__(
        self,
        name: str,
        reader: Any,
        build: Callable[[], T],
        *,
        region_code: str | None = None,
        value_kept: bool = True,
        clock: Clock = "day",
    ) -> None:
        self._build = build
        self._value_kept = value_kept
        self.key: str | None = None
        minute = clock == "minute"
        self.seconds = KEPT_SECONDS if minute else KEPT_DAY_SECONDS
        if keeping():  # nothing kept: no change number to read either
            marker = f"{getattr(reader, 'pk', None)}.{getattr(reader, 'shell_version', 0)}"
            # hashed: the name may carry what a query string said (spaces, anything), which a cache key must not
            digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
            now = f"m{current_minute()}" if minute else f"d{current_day()}"
            self.key = f"kept:{digest}:{marker}:{change_number(region_code)}:{now}"

    @cached_property
    def value(self) -> T:
        if self.key is None or not self._value_kept:
            return self._build()
        return _get_or_build(self.key, self._build, self.seconds)

    def lazy(self) -> Any:
        """The value as the page's context holds it: read only if something outside the kept fragment asks."""
        return SimpleLazyObject(lambda: self.value)


def kept_while_marked[T](name: str, user: Any, build: Callable[[], T]) -> T:
    """`build()` for this user, or what it gave while the account's marker (accounts.User.shell_version) had the
    same value: for what only changes with the user's own grants or notifications, whose services move the marker
    in the same transaction. No query: the marker comes with the user row every signed-in request reads."""
    return _get_or_build(f"{name}:{user.pk}.{user.shell_version}", build)


def _get_or_build[T](key: str, build: Callable[[], T], seconds: int = KEPT_SECONDS) -> T:
    cache = caches[SUMMARY_CACHE]
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds)
    return found
