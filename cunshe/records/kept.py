"""Values kept while the record book has not moved: the home page's to-do summary, the roll-up tables (issue 15).

Everything a summary or a roll-up shows changes through a service, and every service appends to the record book,
so the chains' sequence numbers move with every change. A value kept under the change number of the chains it
depends on, the minute (so "overdue" and "this month" follow the clock) and the reader is therefore either the
current value or one whose data has not changed. The cache ("summaries") is per process: nothing kept there is
shared between workers, and a worker that has not seen a change simply builds the value again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db.models import Q, Sum
from django.utils import timezone

from cunshe.records.models import RecordChain

SUMMARY_CACHE = "summaries"
KEPT_SECONDS = 120


def change_number(region_code: str | None = None) -> int:
    """The sum of the sequence numbers of the chains a region's data is written to: its own county's chain (or, for
    a province or city, every county's under it), the chains above it (a province-wide import chains on the
    province's code) and the national one; with no region, of every chain."""
    chains = RecordChain.objects.all()
    if region_code:
        above = [region_code[:n] for n in (2, 4) if n < len(region_code)] + ["00"]
        chains = chains.filter(Q(chain__startswith=region_code[:6]) | Q(chain__in=above))
    return chains.aggregate(n=Sum("last_seq"))["n"] or 0


def current_minute() -> int:
    """The clock's minute: a kept value lasts until it turns (tests hold it still, conftest.kept_summaries)."""
    return int(timezone.now().timestamp() // 60)


def kept[T](name: str, reader: Any, build: Callable[[], T], *, region_code: str | None = None) -> T:
    """`build()`, or the value it gave for the same `name` (which must say everything the value depends on but the
    reader and the data), reader and change number within this minute.

    The reader is part of the key with the marker of their role assignments (accounts.User.shell_version): what a
    user may see follows their grants at once, whatever chain the grant was recorded in."""
    cache = caches[SUMMARY_CACHE]
    if isinstance(cache, DummyCache):  # nothing is kept (the test settings): no change number to read either
        return build()
    minute = current_minute()
    marker = f"{getattr(reader, 'pk', None)}.{getattr(reader, 'shell_version', 0)}"
    # hashed: the name may carry what a query string said (spaces, anything), which a cache key must not
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    return _get_or_build(f"kept:{digest}:{marker}:{change_number(region_code)}:{minute}", build)


def kept_while_marked[T](name: str, user: Any, build: Callable[[], T]) -> T:
    """`build()` for this user, or what it gave while the account's marker (accounts.User.shell_version) had the
    same value: for what only changes with the user's own grants or notifications, whose services move the marker
    in the same transaction. No query: the marker comes with the user row every signed-in request reads."""
    return _get_or_build(f"{name}:{user.pk}.{user.shell_version}", build)


def _get_or_build[T](key: str, build: Callable[[], T]) -> T:
    cache = caches[SUMMARY_CACHE]
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, KEPT_SECONDS)
    return found
