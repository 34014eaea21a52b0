"""Django's PostgreSQL backend, with the connection's health checked only after it has been idle (issue 15).

With CONN_HEALTH_CHECKS a kept connection is checked with `SELECT 1` before each request's first query. A signed-in
page that finds its page kept reads one row (its session with its account): the check was a second round trip to
the server on every such request, about a tenth of a signed-in request's time. What the check guards against — the
server restarted, the network dropped, an idle connection ended by the server — happens while a connection waits,
not between two queries a few milliseconds apart. So the check is made only when the connection has not been used
for `IDLE_SECONDS`; a worker that is serving requests keeps its connection unchecked. If a connection breaks while it
is in use, its request fails as it always could (a query can fail halfway too) and Django closes it when that request
ends (`errors_occurred`), so the next request connects anew."""

from __future__ import annotations

import time
from typing import Any

from django.db.backends.postgresql import base

IDLE_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_used = float("-inf")  # time.monotonic() of the last query (its cursor); never yet: check

    def close_if_health_check_failed(self) -> None:
        now = time.monotonic()
        recently_used = now - self.last_used < IDLE_SECONDS
        enabled = self.health_check_enabled  # type: ignore[attr-defined]  # Django's, not in the stubs
        if self.connection is not None and enabled and recently_used:
            self.health_check_done = True
        else:
            super().close_if_health_check_failed()
        self.last_used = now
