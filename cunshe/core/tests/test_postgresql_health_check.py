"""PostgreSQL's health check only after the connection has been idle (core.postgresql, issue 15): a connection in use
is not asked `SELECT 1` before each request's first query, one idle for longer is, and one that fails the check is
replaced before the query runs."""

from typing import Any
from unittest import mock

import pytest
from django.db import connection as default_connection
from django.db import connections

from cunshe.core.postgresql.base import IDLE_SECONDS, DatabaseWrapper

connection: Any = default_connection  # Django's health-check attributes are not in the stubs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
]


def _next_request_first_query() -> None:
    connection.health_check_done = False  # as at each request's start (close_if_unusable_or_obsolete)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")


def test_a_connection_in_use_is_not_checked_and_an_idle_one_is() -> None:
    assert isinstance(connections["default"], DatabaseWrapper) and connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.ensure_connection()
    with mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as checked:
        _next_request_first_query()
        _next_request_first_query()
        assert checked.call_count == 0  # used a moment ago: no round trip for the check
        connection.last_used -= IDLE_SECONDS + 1
        _next_request_first_query()
        assert checked.call_count == 1  # idle: checked once, before the query
        _next_request_first_query()
        assert checked.call_count == 1


def test_an_idle_connection_that_fails_the_check_is_closed_before_the_query(monkeypatch: Any) -> None:
    connection.ensure_connection()
    connection.health_check_done = False
    connection.last_used -= IDLE_SECONDS + 1
    closed: list[bool] = []
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    connection.close_if_health_check_failed()
    assert closed == [True]
