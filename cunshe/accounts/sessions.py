"""The session store: Django's database sessions, read with their account in one written-out statement (issue 15).

Every signed-in request reads its session and then its user. Through the ORM each was a query to build and compile
(0.42 and 0.28 ms of CPU, half of a signed-in request that does nothing else) and, on PostgreSQL, a round trip to the
server each. The store keeps its rows in `accounts.Session`, which holds the signed-in account's id beside the data
(written whenever the session is saved), and reads the session with its account in one statement. The account read
is handed to `accounts.backends.AccountBackend.get_user`, which `django.contrib.auth.get_user` asks next, on the
same request: it takes the row instead of reading it again, if it is the account the session names. Everything
else — the encoding, creating, saving, deleting, `clearsessions`, the auth hash check that signs a session out after
a password change — is Django's. The expiry is checked in the statement as Django checks it: an idle session is gone
(accounts.middleware.SessionRefreshMiddleware renews the active ones)."""

from __future__ import annotations

import functools
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from cunshe.accounts.models import Session, User
from cunshe.accounts.selectors import RowColumns, prepared_cursor, row_columns, row_instance, selected
from cunshe.records.kept import (
    change_number_read,
    change_number_statement,
    keeping,
    regions_asked,
    request_path,
)

# The account read with the session this thread loaded last, for the backend's get_user that follows on the same
# request (it takes it once). Each load sets it (to None without an account), so it never outlives the next load;
# and the backend takes it only for the very id it is asked for.
read_with_session: ContextVar[User | None] = ContextVar("cunshe_account_read_with_session", default=None)


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        session = super().create_model_instance(data)
        assert isinstance(session, Session)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if isinstance(user_id, str | int) and str(user_id).isdecimal() else None
        return session

    def load(self) -> dict[str, Any]:
        connection = connections[router.db_for_read(self.model)]
        select, tail, columns = _session_statement(connection.alias)
        params: list[Any] = [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())]
        regions = _regions_asked.get((self.session_key or "", request_path()), ()) if keeping() else ()
        for region in regions:  # the change numbers its pages asked for last time, in the same round trip
            number_sql, number_params = change_number_statement(region)
            select, params = f"{select}, ({number_sql})", [*number_params, *params]
        with prepared_cursor(connection) as cursor:
            cursor.execute(f"{select} {tail}", params)
            row = cursor.fetchone()
        if row is None:  # unknown or expired: as Django's store, the key is dropped and the session starts empty
            read_with_session.set(None)
            self._session_key = None
            return {}
        if regions:
            for region, number in zip(regions, row[-len(regions) :], strict=True):
                change_number_read(region, number)
            row = row[: -len(regions)]
        signed_in = row[0] is not None  # the account's id; LEFT JOIN: a session nobody is signed in to has none
        read_with_session.set(row_instance(User, connection, columns, row[:-1]) if signed_in else None)
        return self.decode(row[-1])


# The regions whose change numbers (records.kept) a session's last request of a path asked for, by session key and
# path, remembered by each worker (`regions_asked_remember`, at the end of every request): the next load of the
# session for that path reads those numbers with the session, so a kept page costs one round trip to the database,
# not two. A number read so is the region's change number at the start of the request, as `change_number` would
# read it; a page that asks for another region reads that one itself; a path that asked for none (a form, the API)
# reads none. At most `REGIONS_ASKED_KEPT` pages (all forgotten when full) and `REGIONS_PER_PAGE` regions each (a
# page asks for one or two: its own and every chain's).
_regions_asked: dict[tuple[str, str], tuple[str | None, ...]] = {}
REGIONS_ASKED_KEPT = 50_000
REGIONS_PER_PAGE = 3


def regions_asked_remember(session_key: str | None) -> None:
    regions, key = tuple(regions_asked()[:REGIONS_PER_PAGE]), (session_key or "", request_path())
    if not session_key or _regions_asked.get(key, ()) == regions:
        return
    if len(_regions_asked) >= REGIONS_ASKED_KEPT:
        _regions_asked.clear()
    _regions_asked[key] = regions


@functools.cache
def _session_statement(alias: str) -> tuple[str, str, RowColumns]:
    """The session's data with its account's row — the SELECT list and the rest — and the columns the ORM reads and
    converts (`row_columns`: the account is the ORM's instance, its id first). Written out and read with
    `fetchone`: through `User.objects.raw` the statement was compiled on every request and psycopg described its
    columns (0.3 ms of CPU per request on PostgreSQL, a third of a signed-in request that does nothing else)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    session, user = quote(Session._meta.db_table), quote(User._meta.db_table)
    columns = row_columns(connection, User)
    assert columns[0][0] == "id"
    select = f"SELECT {selected(connection, columns)}, {session}.{quote('session_data')}"
    tail = (
        f"FROM {session} LEFT JOIN {user} ON {user}.{quote('id')} = {session}.{quote('user_id')} "
        f"WHERE {session}.{quote('session_key')} = %s AND {session}.{quote('expire_date')} > %s"
    )
    return select, tail, columns


def sessions_expired_clear() -> str:
    """The daily job's sweep (`cunshe daily`, as `clearsessions` would): a session past its expiry can never be read
    again, and without the sweep every sign-in would leave a row behind for good. No record book entry: a session is
    the browser's state, not part of the county's work."""
    cleared, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"清理过期会话 {cleared} 个"
