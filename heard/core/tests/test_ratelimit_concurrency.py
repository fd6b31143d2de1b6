"""The rate counter under real concurrency: several processes, several threads each,
one SQLite file (the in-memory test database cannot be shared by processes).

Every hit must get a different count: a read-then-write counter hands the same number
to concurrent hits (24 concurrent sends were accepted 41 times against a limit of 30).
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

WORKER = textwrap.dedent(
    """
    import json, sys, threading, time
    import django
    django.setup()
    from django.db import connection
    from heard.core import ratelimit

    start_at, threads, hits = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    counts, errors = [], []

    def work():
        try:
            time.sleep(max(0.0, start_at - time.time()))
            for _ in range(hits):
                counts.append(ratelimit.count_add(purpose="t", subject="203.0.113.9", seconds=3600))
        except Exception as exc:  # reported to the test
            errors.append(repr(exc))
        finally:
            connection.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print(json.dumps({"counts": counts, "errors": errors}))
    """
)

SETUP = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import connection
    from heard.core.models import RateCounter
    with connection.schema_editor() as editor:
        editor.create_model(RateCounter)
    """
)


def test_concurrent_hits_from_several_processes_each_get_their_own_count(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "heard.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rate.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True, timeout=120)
    import time

    processes, threads, hits = 3, 4, 5
    start_at = time.time() + 6  # every process set up and waiting before the first hit
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start_at), str(threads), str(hits)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    counts: list[int] = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
        result = json.loads(out.strip().splitlines()[-1])
        assert result["errors"] == []
        counts.extend(result["counts"])
    total = processes * threads * hits
    assert sorted(counts) == list(range(1, total + 1))  # no count handed out twice
