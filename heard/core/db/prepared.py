"""Cursors that run fixed statements as prepared statements on PostgreSQL.

The busiest public path runs the same few statements hundreds of times a second. Django
sends each one with its values inlined, so PostgreSQL parses and plans it every time
(about a quarter of a millisecond of the server's CPU for the questionnaire lookup
alone). On PostgreSQL, :func:`prepared_cursor` gives a psycopg cursor on the same
connection that binds values on the server and prepares each statement once per
connection (psycopg keeps them, up to its ``prepared_max``); elsewhere it is the usual
Django cursor. Only for statements written once in the code, whose text does not change
with the values. Errors are Django's (``IntegrityError`` and so on), as from any cursor.

Not for a connection pooler in transaction mode (PgBouncer before 1.21), which cannot
keep prepared statements; set ``HEARD_PREPARED_STATEMENTS=false`` behind one (the
settings then leave psycopg's ``prepare_threshold`` at Django's ``None``, which turns
them off).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings


class _Prepared:
    def __init__(self, db: Any, cursor: Any) -> None:
        self._db = db
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        start = time.monotonic()
        try:
            with self._db.wrap_database_errors:
                self._cursor.execute(sql, params, prepare=True)
        finally:
            if self._db.queries_logged:  # as Django's debug cursor logs (and tests count)
                self._db.queries_log.append(
                    {"sql": f"{sql} -- prepared", "time": f"{time.monotonic() - start:.3f}"}
                )

    def fetchone(self) -> Any:
        with self._db.wrap_database_errors:
            return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        with self._db.wrap_database_errors:
            return list(self._cursor.fetchall())


@contextmanager
def prepared_cursor(db: Any) -> Iterator[Any]:
    """A cursor for fixed statements on ``db`` (a connection wrapper, not the proxy)."""
    with db.cursor() as cursor:  # connects, health-checks and validates as usual
        if db.vendor != "postgresql" or not getattr(settings, "HEARD_PREPARED_STATEMENTS", True):
            yield cursor
            return
        import psycopg

        raw = psycopg.Cursor(db.connection)
        try:
            yield _Prepared(db, raw)
        finally:
            raw.close()
