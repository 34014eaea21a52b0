"""PostgreSQL keeps prepared the statements every request runs — the session with its account, the API token with its
account — and nothing else (core.postgresql, issue 15); `CUNSHE_PG_PREPARED=0` turns that off for a pooler that
cannot keep prepared statements, and the same reads still work."""

from typing import Any

import pytest
from django.db import connection as default_connection
from django.test import Client

from conftest import PASSWORD, TOWN_A
from cunshe.accounts import services as account_services
from cunshe.accounts.models import Session, User
from cunshe.core.postgresql.base import ONLY_WHEN_ASKED, DatabaseWrapper
from cunshe.settings import base as settings_base

connection: Any = default_connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
]


def _prepared_statements(on: Any = connection) -> list[str]:
    with on.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def test_the_session_and_the_token_reads_are_prepared_and_ordinary_queries_are_not(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    before = _prepared_statements()
    for _ in range(3):
        assert client.get("/home/").status_code == 200
    # the ORM's own queries (the page's, run more often than psycopg's default threshold of 5) stay unprepared
    for _ in range(8):
        assert User.objects.filter(pk=user.pk).exists()
    prepared = [s for s in _prepared_statements() if s not in before]
    assert len(prepared) == 1, prepared
    assert "accounts_session" in prepared[0] and "accounts_user" in prepared[0] and "$1" in prepared[0]

    _, raw = account_services.token_issue(user=user, name="测试")
    api = Client(headers={"authorization": f"Bearer {raw}"})
    for _ in range(2):
        assert api.get("/api/v1/auth/me").status_code == 200
    token_statements = [s for s in _prepared_statements() if "accounts_apitoken" in s]
    assert len(token_statements) == 1, token_statements


def test_a_session_read_through_the_prepared_statement_is_the_accounts_and_an_unknown_one_is_empty(
    make_user: Any,
) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    for _ in range(2):  # the second read runs the statement prepared by the first
        assert client.get("/home/").wsgi_request.user == user
    Session.objects.all().delete()
    assert client.get("/home/").status_code == 302  # the statement finds no row: signed out, sent to sign in


def test_turned_off_nothing_is_prepared_and_the_reads_still_work(monkeypatch: Any, make_user: Any) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://cunshe:pw@127.0.0.1:5432/cunshe")
    assert "prepare_threshold" not in settings_base._database_from_environment().get("OPTIONS", {})
    assert connection.get_connection_params()["prepare_threshold"] == ONLY_WHEN_ASKED
    monkeypatch.setenv("CUNSHE_PG_PREPARED", "0")
    assert settings_base._database_from_environment()["OPTIONS"]["prepare_threshold"] is None

    # a second connection to the test database with the setting turned off: it reads, and prepares nothing
    options = {**connection.settings_dict["OPTIONS"], "prepare_threshold": None}
    off = DatabaseWrapper({**connection.settings_dict, "OPTIONS": options}, alias="prepared_off")
    try:
        assert off.get_connection_params()["prepare_threshold"] is None
        for _ in range(3):
            with off.prepared_cursor() as cursor:
                cursor.execute("SELECT count(*) FROM accounts_session WHERE session_key = %s", ["无此会话"])
                assert cursor.fetchone() == (0,)
        assert _prepared_statements(off) == []
    finally:
        off.close()
