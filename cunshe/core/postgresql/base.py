"""Django's PostgreSQL backend, with the connection's health checked only after it has been idle (issue 15).

With CONN_HEALTH_CHECKS a kept connection is checked with `SELECT 1` before each request's first query. A signed-in
page that finds its page kept reads one row (its session with its account): the check was a second round trip to
the server on every such request, about a tenth of a signed-in request's time. What the check guards against — the
server restarted, the network dropped, an idle connection ended by the server — happens while a connection waits,
not between two queries a few milliseconds apart. So the check is made only when the connection has not been used
for `IDLE_SECONDS`; a worker that is serving requests keeps its connection unchecked. If a connection breaks while it
is in use, its request fails as it always could (a query can fail halfway too) and Django closes it when that request
ends (`errors_occurred`), so the next request connects anew.

It also keeps prepared on the server the statements that every request runs — the session with its account, the API
token with its account (`prepared_cursor`). Planning that two-table join took the server about 130 µs on every
request, half of its round trip; prepared, it is parsed once per connection and, after its first five runs, planned
once (PostgreSQL's generic plan, taken only where it estimates that plan no costlier than one made for each run's
values; otherwise it plans each run, as before). Every other statement is sent as Django sends it (bound on the
client, never prepared: the ORM's SQL is not written to be prepared, Django #20516). psycopg prepares nothing while
the connection's `prepare_threshold` is None, as Django sets it, not even a statement asked for; here it is a count
no statement reaches, so only what is asked for is prepared. Behind PgBouncer in transaction mode, prepared
statements need PgBouncer 1.21 or later with `max_prepared_statements` set; with an older pooler
`CUNSHE_PG_PREPARED=0` (settings) turns them off and these statements are sent like all others."""

from __future__ import annotations

import time
from typing import Any

from django.db.backends.postgresql import base

IDLE_SECONDS = 5.0
ONLY_WHEN_ASKED = 2**31 - 1  # psycopg's prepare_threshold: executions before it prepares a statement unasked


_ServerBindingCursor: Any = base.ServerBindingCursor  # Django's, for psycopg 3; not described by the stubs


class PreparedCursor(_ServerBindingCursor):
    """A server-binding cursor whose every statement psycopg prepares (once per connection, up to its
    `prepared_max`), for the statements `prepared_cursor` is used for; parameters go to the server apart from the
    statement, as a prepared statement needs."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_used = float("-inf")  # time.monotonic() of the last query (its cursor); never yet: check

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if "prepare_threshold" not in self.settings_dict["OPTIONS"]:  # set (None: never prepare) by CUNSHE_PG_PREPARED
            params["prepare_threshold"] = ONLY_WHEN_ASKED
        return params

    def prepared_cursor(self) -> Any:
        """A cursor, wrapped as `cursor()` wraps Django's (queries logged and counted alike), whose statements the
        server keeps prepared."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparedCursor(self.connection))  # type: ignore[attr-defined]  # Django's

    def close_if_health_check_failed(self) -> None:
        now = time.monotonic()
        recently_used = now - self.last_used < IDLE_SECONDS
        enabled = self.health_check_enabled  # type: ignore[attr-defined]  # Django's, not in the stubs
        if self.connection is not None and enabled and recently_used:
            self.health_check_done = True
        else:
            super().close_if_health_check_failed()
        self.last_used = now
