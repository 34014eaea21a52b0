"""The SQLite backend's write lock: held from BEGIN to COMMIT/ROLLBACK, by transactions only (issue 15)."""

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.utils import ConnectionHandler


@pytest.fixture
def handler(tmp_path: Path, django_db_blocker: Any) -> Iterator[ConnectionHandler]:
    """Connections of their own to a file database (the test database is in memory, where the lock is off)."""
    h = ConnectionHandler(
        {
            "default": {
                "ENGINE": "cunshe.core.sqlite",
                "NAME": str(tmp_path / "db.sqlite3"),
                "OPTIONS": {"transaction_mode": "IMMEDIATE"},
            }
        }
    )
    with django_db_blocker.unblock():
        yield h
        h.close_all()


def _taken(path: str) -> bool:
    """Whether another open file can take the lock right now."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _begin(conn: Any) -> None:
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def test_a_transaction_holds_the_lock_until_it_commits(handler: ConnectionHandler) -> None:
    conn = handler["default"]
    lock = conn.settings_dict["NAME"] + "-writelock"
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (x INTEGER)")  # autocommit: no lock
    assert not _taken(lock)
    _begin(conn)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO t VALUES (1)")
    assert _taken(lock)
    conn.commit()
    conn.set_autocommit(True)
    assert not _taken(lock)


def test_a_rollback_and_a_close_release_the_lock(handler: ConnectionHandler) -> None:
    conn = handler["default"]
    lock = conn.settings_dict["NAME"] + "-writelock"
    _begin(conn)
    assert _taken(lock)
    conn.rollback()
    conn.set_autocommit(True)
    assert not _taken(lock)
    _begin(conn)
    assert _taken(lock)
    conn.close()
    assert not _taken(lock)


def test_reads_in_autocommit_do_not_wait_for_a_writer(handler: ConnectionHandler, tmp_path: Path) -> None:
    writer = handler["default"]
    with writer.cursor() as cur:
        cur.execute("CREATE TABLE t (x INTEGER)")
    _begin(writer)
    reader = ConnectionHandler({"default": {**writer.settings_dict}})["default"]
    try:
        with reader.cursor() as cur:
            cur.execute("SELECT count(*) FROM t")
            assert cur.fetchone()[0] == 0
    finally:
        reader.close()
        writer.rollback()
        writer.set_autocommit(True)
