"""Benchmark: a 1,000,000-row people import survives kill -9 of the task worker.

Generates a people CSV (about 1% of rows repeating an earlier address, 1% with a bad
address), uploads and starts it as the staff pages do, runs the real task worker
(``manage.py heard_worker``, as ``make run`` does) in its own process, kills it with
SIGKILL part-way, starts a new worker, and runs the sweeper (``manage.py jobs_sweep``)
until it gives the import a new attempt – which resumes from the last committed chunk.
Prints the rows stored, duplicates (people stored twice, and rows stored more than once
against the file's own counts), the final state and the times; then removes the import
with the people it added (the same worker) and prints what is left.

    .venv/bin/python benchmarks/import_kill.py [--rows 1000000] [--kill-at 0.3]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/import_kill.py

The sweeper treats an import as stale after HEARD_JOB_STALE_MINUTES (1 here, 10 by
default), so about a minute passes between the kill and the resume.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.gettempdir())
DB = TMP / "heard-bench-kill.sqlite3"


def make_csv(rows: int) -> bytes:
    lines = ["Full name,Email"]
    for i in range(1, rows + 1):
        if i % 100 == 50:  # the address of the row before: a repeat within the file
            lines.append(f"R{i},p{i - 1}@x.uk")
        elif i % 100 == 99:
            lines.append(f"B{i},not-an-address")
        else:
            lines.append(f"P{i},p{i}@x.uk")
    return ("\n".join(lines) + "\n").encode()


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.dev")
    e.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    e.setdefault("HEARD_MEDIA_ROOT", str(TMP / "heard-bench-kill-media"))
    e.setdefault("HEARD_AUDIT_SIGNING_KEY_FILE", str(TMP / "heard-bench-kill-key.pem"))
    e.setdefault("HEARD_JOB_STALE_MINUTES", "1")
    e.setdefault("DJANGO_DEBUG", "0")
    return e


def worker(e: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(TMP / "heard-bench-kill-worker.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "heard_worker",
            "--queue-name",
            "default",
            "--interval",
            "0.5",
        ],
        cwd=ROOT,
        env=e,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kill-at", type=float, default=0.3, help="fraction of rows")
    args = parser.parse_args()
    e = env()
    os.environ.update(e)
    if e["DATABASE_URL"] == f"sqlite:///{DB}":
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from heard.accounts.tests.factories import StaffFactory
    from heard.core.roles import Role
    from heard.people.models import ImportBatch, Member
    from heard.people.services.imports import import_delete, import_start, import_upload

    officer = StaffFactory(role=Role.ENGAGEMENT_OFFICER)
    data = make_csv(args.rows)
    print(f"CSV: {args.rows:,} rows, {len(data) / 1e6:.1f} MB; database: {connection.vendor}")
    t0 = time.perf_counter()
    batch = import_upload(filename="people.csv", data=data, actor=officer)
    import_start(batch=batch, mapping=dict(batch.mapping), group=None, actor=officer)
    print(f"uploaded and queued in {time.perf_counter() - t0:.1f} s")

    def state() -> ImportBatch:
        return ImportBatch.objects.get(pk=batch.pk)

    first = worker(e)
    started = time.perf_counter()
    kill_rows = int(args.rows * args.kill_at)
    while state().processed_rows < kill_rows:
        if first.poll() is not None:
            sys.exit(f"the worker exited by itself ({first.returncode}); see its log")
        time.sleep(0.2)
    before = state()
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = time.perf_counter()
    print(
        f"kill -9 of the worker after {killed_at - started:.1f} s: "
        f"{before.processed_rows:,} rows committed ({before.imported_rows:,} people), "
        f"status {before.status}"
    )
    time.sleep(2)
    after_kill = state()
    print(
        f"2 s later: {after_kill.processed_rows:,} rows committed, status {after_kill.status}, "
        f"people stored {Member.objects.filter(import_batch=batch).count():,}"
    )

    second = worker(e)
    resumed_at = None
    while resumed_at is None:
        out = subprocess.run(
            [sys.executable, "manage.py", "jobs_sweep"],
            cwd=ROOT,
            env=e,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "people imports: 1 resumed" in out:
            resumed_at = time.perf_counter()
            print(f"sweeper: {' | '.join(out.strip().splitlines())}")
        else:
            time.sleep(5)
    print(f"resumed {resumed_at - killed_at:.0f} s after the kill (stale after 1 minute)")
    while state().status == ImportBatch.Status.RUNNING:
        if second.poll() is not None:
            sys.exit(f"the second worker exited by itself ({second.returncode})")
        time.sleep(1)
    done = time.perf_counter()
    final = state()
    stored = Member.objects.filter(import_batch=batch)
    people = stored.count()
    twice = Member.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
    expected_rejected = sum(1 for i in range(1, args.rows + 1) if i % 100 in (50, 99))
    print(
        f"final state: {final.status} (attempt {final.attempt}) in {done - started:.0f} s "
        f"of worker time from the first start ({done - resumed_at:.0f} s after the resume)"
    )
    print(
        f"rows: {final.total_rows:,} in the file, {final.processed_rows:,} processed, "
        f"{final.imported_rows:,} imported, {final.existing_rows:,} already held, "
        f"{final.rejected_rows:,} rejected (expected {expected_rejected:,}); "
        f"rejected rows stored: {final.rejected.count():,}"
    )
    print(
        f"people stored by the import: {people:,} (expected "
        f"{args.rows - expected_rejected:,}); addresses stored twice: {twice}"
    )
    dead = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    print(f"task results: {dead} failed (the killed worker's), {running} still running")

    t1 = time.perf_counter()
    import_delete(batch=final, actor=officer)
    while state().status == ImportBatch.Status.DELETING:
        time.sleep(1)
    removed = state()
    print(
        f"removed: {removed.status}, {removed.removed_rows:,} people deleted in "
        f"{time.perf_counter() - t1:.0f} s; left with the import: "
        f"{Member.objects.filter(import_batch=batch).count()}, members in the database: "
        f"{Member.objects.count():,}"
    )
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} on {os.cpu_count()} CPUs")
    ok = (
        final.status == ImportBatch.Status.DONE
        and twice == 0
        and people == args.rows - expected_rejected
        and removed.removed_rows == people
    )
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
