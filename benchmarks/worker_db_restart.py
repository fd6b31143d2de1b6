"""Fault run: the task worker survives a PostgreSQL restart (issue 19, item 8).

Starts ``manage.py heard_worker`` (and, for comparison, django-tasks-db's own
``db_worker``) against a PostgreSQL database, restarts PostgreSQL (``pg_ctl restart -m
fast``), then queues a small people import and prints whether each worker is still
running and whether the import was done, and how long it took.

    DATABASE_URL=postgres://postgres@127.0.0.1:55499/heard \\
    PG_CTL="runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/heard-pg-kill/data -l /tmp/heard-pg-kill/log" \\
    .venv/bin/python benchmarks/worker_db_restart.py

Give PG_CTL a ``-l`` log file: without one the restarted server keeps this script's
captured output open and ``pg_ctl restart`` never returns.
"""

import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.gettempdir())


def main() -> None:
    e = dict(os.environ)
    e.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.dev")
    e.setdefault("HEARD_MEDIA_ROOT", str(TMP / "heard-bench-restart-media"))
    e.setdefault("HEARD_AUDIT_SIGNING_KEY_FILE", str(TMP / "heard-bench-kill-key.pem"))
    e.setdefault("DJANGO_DEBUG", "0")
    if not e.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database and PG_CTL to its pg_ctl command.")
    os.environ.update(e)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    workers = {}
    for command in ("heard_worker", "db_worker"):
        log = open(TMP / f"heard-bench-restart-{command}.log", "wb")  # noqa: SIM115
        workers[command] = subprocess.Popen(
            [sys.executable, "manage.py", command, "--queue-name", "default", "--interval", "0.5"],
            cwd=ROOT,
            env=e,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    time.sleep(8)
    connection.close()
    pg_ctl = shlex.split(e["PG_CTL"])
    started = time.perf_counter()
    subprocess.run([*pg_ctl, "-m", "fast", "-w", "restart"], check=True, capture_output=True)
    print(f"PostgreSQL restarted in {time.perf_counter() - started:.1f} s")
    time.sleep(3)
    for command, process in workers.items():
        print(
            f"{command}: {'running' if process.poll() is None else f'exited ({process.returncode})'}"
        )
    workers["db_worker"].terminate()  # only heard_worker should take the next task

    from heard.people.models import ImportBatch
    from heard.people.services.imports import import_start, import_upload

    data = ("Full name,Email\n" + "".join(f"P{i},p{i}@r.uk\n" for i in range(50))).encode()
    queued = time.perf_counter()
    batch = import_upload(filename="restart.csv", data=data, actor=None)
    import_start(batch=batch, mapping=dict(batch.mapping), group=None, actor=None)
    status = ""
    while time.perf_counter() - queued < 120:
        status = ImportBatch.objects.get(pk=batch.pk).status
        if status != ImportBatch.Status.RUNNING:
            break
        time.sleep(0.5)
    print(
        f"an import queued after the restart: {status} in {time.perf_counter() - queued:.1f} s "
        f"(heard_worker {'still running' if workers['heard_worker'].poll() is None else 'exited'})"
    )
    workers["heard_worker"].terminate()
    workers["heard_worker"].wait(timeout=30)


if __name__ == "__main__":
    main()
