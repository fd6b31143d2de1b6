"""The fault run, short: kill -9 of a web worker and of the task worker mid-load.

Runs ``benchmarks/responses_fault.py`` (real gunicorn, real ``heard_worker``, real
``kill -9``, real client threads) on the database the suite runs on: an SQLite file, or
a new database on the PostgreSQL server of ``DATABASE_URL`` (bin/run-tests runs both).
Passes when no acknowledged response is missing or wrong, none is stored twice, none is
stored that its sender was not told was received, the responses made to fail are not
stored while every other one in flight is, and no insight is missing after the sweep.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    not Path("/proc").exists(), reason="needs Linux /proc to find gunicorn's workers"
)
def test_kill_9_of_a_web_worker_and_the_task_worker_loses_nothing_acknowledged():
    url = os.environ.get("DATABASE_URL", "")
    db = (
        ["--db", "postgresql", "--database-url", url]
        if url.startswith("postgres")
        else ["--db", "sqlite"]
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "responses_fault.py"), *db, "--seconds", "8"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "FAULT RUN PASSED" in run.stdout
