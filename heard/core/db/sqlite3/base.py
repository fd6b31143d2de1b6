"""SQLite with writers queued on an operating-system file lock, across processes.

SQLite lets one writer in at a time. A writer that finds the lock taken waits in
SQLite's busy handler, which sleeps in steps of up to 100 ms and tries again, so under
load a write can wait several of those steps while others get in first: the long tail
of the response benchmark (ADR 8). Here every write transaction (Heard's are
``BEGIN IMMEDIATE``: ``transaction_mode`` in the settings) first takes an exclusive
``flock`` on a file beside the database. A waiting process sleeps in the kernel and is
woken the moment the lock is released, so writers from every server process, thread
and task worker follow one another with no sleeping steps. The lock goes with the
transaction's end (commit, rollback, or the connection closing), and with the process
if it dies. In-memory databases (the tests) have no file and skip it.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writer_locked = False

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writer-lock"

    def _writer_acquire(self) -> None:
        if self._writer_locked or getattr(self, "transaction_mode", None) != "IMMEDIATE":
            return
        if self._writer_fd is None:
            path = self._writer_lock_path()
            if path is None:
                return
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)  # waits, without the GIL
        self._writer_locked = True

    def _writer_release(self) -> None:
        if self._writer_locked and self._writer_fd is not None:
            self._writer_locked = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._writer_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            if self.connection is None or not self.connection.in_transaction:
                self._writer_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._writer_release()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._writer_release()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
