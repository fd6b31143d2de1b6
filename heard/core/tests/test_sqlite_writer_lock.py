"""On a SQLite file, write transactions from every connection queue on a file lock."""

import fcntl
import os
import threading
import time

import pytest
from django.db.utils import ConnectionHandler


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    # These tests open their own SQLite files, not the test database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def handler(tmp_path):
    name = str(tmp_path / "db.sqlite3")
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "heard.core.db.sqlite3",
                "NAME": name,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5},
            }
        }
    )
    yield handler, name
    handler.close_all()


def _lock_is_free(name: str) -> bool:
    fd = os.open(f"{name}.writer-lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_the_lock_is_held_from_begin_to_commit_rollback_or_close(handler):
    handler, name = handler
    conn = handler["default"]
    with conn.cursor() as c:
        c.execute("CREATE TABLE t (x integer)")
    assert _lock_is_free(name)
    for end in ("commit", "rollback", "close"):
        conn.ensure_connection()
        conn._start_transaction_under_autocommit()
        with conn.cursor() as c:
            c.execute("INSERT INTO t VALUES (1)")
        assert not _lock_is_free(name), end
        if end == "close":
            conn.close()
        else:
            getattr(conn, end)()
        assert _lock_is_free(name), end
    with conn.cursor() as c:
        c.execute("SELECT count(*) FROM t")
        assert c.fetchone()[0] == 1  # the committed row only


def test_a_second_writer_waits_for_the_first_and_goes_on_when_it_commits(tmp_path):
    name = str(tmp_path / "db.sqlite3")
    settings = {
        "ENGINE": "heard.core.db.sqlite3",
        "NAME": name,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5},
    }
    first_conn = ConnectionHandler({"default": dict(settings)})["default"]
    with first_conn.cursor() as c:
        c.execute("CREATE TABLE t (x integer)")
    first_conn._start_transaction_under_autocommit()
    order: list[str] = []

    def second() -> None:
        conn = ConnectionHandler({"default": dict(settings)})["default"]
        conn.ensure_connection()
        conn._start_transaction_under_autocommit()  # type: ignore[attr-defined]  # waits
        order.append("second began")
        with conn.cursor() as c:
            c.execute("INSERT INTO t VALUES (2)")
        conn.commit()
        conn.close()

    t = threading.Thread(target=second)
    t.start()
    time.sleep(0.3)
    assert order == []  # still waiting, not failed
    with first_conn.cursor() as c:
        c.execute("INSERT INTO t VALUES (1)")
    order.append("first committed")
    first_conn.commit()
    t.join(5)
    assert order == ["first committed", "second began"]
    with first_conn.cursor() as c:
        c.execute("SELECT x FROM t ORDER BY rowid")
        assert [r[0] for r in c.fetchall()] == [1, 2]
    first_conn.close()


def test_an_in_memory_database_takes_no_lock():
    conn = ConnectionHandler(
        {
            "default": {
                "ENGINE": "heard.core.db.sqlite3",
                "NAME": ":memory:",
                "OPTIONS": {"transaction_mode": "IMMEDIATE"},
            }
        }
    )["default"]
    conn.ensure_connection()
    conn._start_transaction_under_autocommit()
    assert conn._writer_fd is None and not conn._writer_locked
    conn.rollback()
