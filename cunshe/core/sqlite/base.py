"""Django's SQLite backend with a fair write lock: a transaction waits in the kernel for its turn to write.

SQLite lets one transaction write at a time. A BEGIN IMMEDIATE that finds the write lock taken is retried by SQLite's
busy handler, which sleeps and polls (up to 100 ms between tries): under 20 concurrent writers some waited 6-10 s
(p99 6.1 s against a median of 6 ms; near busy_timeout, "database is locked"). Here every transaction first takes an
exclusive flock on `<database>-writelock`; a waiting transaction sleeps in flock() and is woken as soon as the holder
commits or rolls back, so waits are the work queued ahead and nothing more. The lock is per open file, so it orders
threads of one process and gunicorn's worker processes alike; it dies with its process.

Only transactions (atomic blocks, BEGIN IMMEDIATE in settings) take it; reads in autocommit never wait. The lock is
always taken before SQLite's own, so it adds no deadlock. A transaction that never ends blocks the writers behind it
(gunicorn's worker timeout ends it), where plain SQLite would fail them after busy_timeout.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None
        self._write_lock_held = False

    def _write_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writelock"

    def _write_lock_acquire(self) -> None:
        path = self._write_lock_path()
        if path is None or self._write_lock_held:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        self._write_lock_held = True

    def _write_lock_release(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._write_lock_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._write_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._write_lock_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private in the stubs, present in Django
        finally:
            self._write_lock_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._write_lock_release()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._write_lock_release()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None
