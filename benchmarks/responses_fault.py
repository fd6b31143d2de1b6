"""Fault run: kill -9 a web worker and the task worker mid-load; nothing acknowledged lost.

Issue 19 item 8's done-when: "0 acknowledged responses missing, 0 duplicates, 0 insights
missing after the sweep; one response made to fail leaves every other response in
flight stored", on SQLite and on PostgreSQL. Real processes throughout:

1. a throwaway database (an SQLite file; or a new database on the PostgreSQL server of
   ``--database-url``, or else a throwaway PostgreSQL cluster), migrated, with the
   survey of ``responses_submit.py`` and its signed forms;
2. gunicorn (2 gthread workers) and ``manage.py heard_worker`` (the task worker making
   insights), with one test-only response hook that raises for every 50th comment
   (``Comment N:`` with N % 50 == 7): those responses fail inside their transaction while
   others are in flight;
3. client threads (http.client) send the forms, 5% twice at once, and send a form again
   after a broken connection or any answer but the redirect to the receipt – as a
   person would, with the same form, so the same submission token – giving up after 5
   tries;
4. a third of the way in, ``kill -9`` of one gunicorn worker (gunicorn starts another);
   half way, ``kill -9`` of the task worker, started again a second later (systemd's
   ``Restart=always``);
5. after the load: gunicorn stopped, the insight queue (``InsightOwed``) left to drain
   by the restarted worker, then the sweep the runbook runs (``jobs_sweep``: task
   results the dead worker left "running" are marked failed; ``insight_catch_up``:
   anything still owed is made – it should find nothing), and the database checked
   against what the clients were told.

    .venv/bin/python benchmarks/responses_fault.py [--db sqlite|postgresql|both]
        [--seconds 12] [--clients 8] [--database-url postgres://…/postgres]

Prints the figures and FAULT RUN PASSED or FAILED (exit status 0 or 1).
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import responses_submit as rs

ROOT = rs.ROOT
PYTHON = rs.PYTHON
FAIL_EVERY, FAIL_AT = 50, 7

FAULT_APP = f'''
import re
from django.apps import AppConfig

MARK = re.compile(r"^Comment (\\d+):")


def fail_marked(response):
    """Test-only: every {FAIL_EVERY}th form's response fails inside its transaction."""
    for text in response.answers.values_list("text", flat=True):
        m = MARK.match(text or "")
        if m and int(m.group(1)) % {FAIL_EVERY} == {FAIL_AT}:
            raise RuntimeError("this response was made to fail (fault run)")


class FaultConfig(AppConfig):
    name = "fault_hook"

    def ready(self):
        from heard.engagement import hooks
        hooks.on_response_submitted(fail_marked)
'''


def marked_to_fail(index: int) -> bool:
    return index % FAIL_EVERY == FAIL_AT


def gunicorn_children(master: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            kids.append(int(stat.parent.name))
    return sorted(kids)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PYTHON, "manage.py", "heard_worker", "--interval", "0.2", "--no-reload"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return out.stdout


def queue_left(env: dict[str, str]) -> int:
    code = """
import django
django.setup()
from django_tasks_db.models import DBTaskResult
from heard.insight.models import InsightOwed
print(DBTaskResult.objects.filter(status="READY").count() + InsightOwed.objects.count())
"""
    out = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return int(out.stdout.split()[-1])


def check(env: dict[str, str], workdir: Path, seen: dict[str, object]) -> dict[str, int]:
    path = workdir / "seen.json"
    path.write_text(json.dumps(seen))
    code = f"""
import django, json
django.setup()
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from heard.audit.models import AuditEvent
from heard.engagement.models import Answer, Response
from heard.engagement.services_responses import receipt_read
from heard.insight.models import Insight
seen = json.load(open({str(path)!r}))
confirmed, failing, sent = seen["confirmed"], set(seen["failing"]), set(seen["sent"])
stored = {{r.submission_token.hex: r.reference for r in Response.objects.only("submission_token", "reference")}}
free = Answer.objects.filter(question__kind__in=["short_text", "long_text"]).exclude(text="")
print(json.dumps({{
  "responses": len(stored),
  "tokens_twice": Response.objects.values("submission_token").annotate(n=Count("id")).filter(n__gt=1).count(),
  "answers": Answer.objects.count(),
  "audit_events": AuditEvent.objects.filter(action="response.submitted").count(),
  "confirmed_missing": sum(1 for t in confirmed if t not in stored),
  "confirmed_wrong_reference": sum(1 for t, s in confirmed.items() if t in stored and receipt_read(s) != stored[t]),
  "failing_stored": sum(1 for t in failing if t in stored),
  "stored_not_confirmed": sum(1 for t in stored if t not in confirmed),
  "stored_never_sent": sum(1 for t in stored if t not in sent),
  "free_text_answers": free.count(),
  "insights_missing": free.exclude(pk__in=Insight.objects.filter(answer__isnull=False).values("answer_id")).count(),
  "task_results_failed": DBTaskResult.objects.filter(status="FAILED").count(),
}}))
"""
    out = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


class Clients:
    """Client threads sending forms the way a person's browser would."""

    def __init__(self, port: int, path: str, forms: list[tuple[int, rs.Form]], clients: int):
        self.port, self.path, self.clients = port, path, clients
        self.forms = forms
        self.index = 0
        self.lock = threading.Lock()
        self.confirmed: dict[str, str] = {}
        self.sent: set[str] = set()
        self.failing: set[str] = set()  # marked to fail, and never confirmed
        self.gave_up: set[str] = set()  # not marked, and never confirmed after 5 tries
        self.statuses: dict[int, int] = {}
        self.broken = 0  # connections broken mid-request (the killed worker)
        self.mismatched = 0

    def next_form(self) -> tuple[int, rs.Form] | None:
        with self.lock:
            if self.index >= len(self.forms):
                return None
            self.index += 1
            return self.forms[self.index - 1]

    def send(self, conn: object, body: str) -> tuple[int, str]:
        import http.client

        assert isinstance(conn, http.client.HTTPConnection)
        conn.request(
            "POST",
            self.path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={rs.CSRF}",
            },
        )
        resp = conn.getresponse()
        resp.read()
        return resp.status, resp.getheader("Location", "")

    def worker(self, deadline: float, seed: int) -> None:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < deadline:
            item = self.next_form()
            if item is None:
                break
            index, form = item
            with self.lock:
                self.sent.add(form.token)
            sends = 2 if (index * 7919 + seed) % 20 == 0 else 1  # 5% sent twice at once
            tries = 0
            refs: list[str] = []
            while sends > 0 and tries < 5:
                tries += 1
                try:
                    status, location = self.send(conn, form.body)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                    status, location = 0, ""
                    with self.lock:
                        self.broken += 1
                    time.sleep(0.2)
                with self.lock:
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 302:
                    refs.append(rs.receipt_of(location))
                    sends -= 1
            with self.lock:
                if refs:
                    self.confirmed[form.token] = refs[0]
                    if any(r.split(":")[0] != refs[0].split(":")[0] for r in refs[1:]):
                        self.mismatched += 1
                elif marked_to_fail(index):
                    self.failing.add(form.token)
                else:
                    self.gave_up.add(form.token)
        conn.close()

    def run(self, seconds: float) -> float:
        started = time.monotonic()
        threads = [
            threading.Thread(target=self.worker, args=(started + seconds, n))
            for n in range(self.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.monotonic() - started


def fault_run(db: str, env: dict[str, str], workdir: Path, args: argparse.Namespace) -> bool:
    t0 = time.monotonic()
    count = int(args.seconds * 120) + 200
    states = workdir / f"states-{db}.txt"
    path = rs.prepare(env, count, states)
    forms = list(enumerate(rs.form_bodies(states.read_text().splitlines())))
    print(
        f"[{db}] database migrated and {len(forms)} forms prepared in {time.monotonic() - t0:.0f}s"
    )
    port = rs.free_port()
    log = workdir / f"servers-{db}.log"
    web = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "heard.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--graceful-timeout",
            "5",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    worker = start_worker(env, log)
    killed: list[str] = []
    try:
        rs.wait_ready(port, web)
        clients = Clients(port, path, forms, args.clients)

        def faults() -> None:
            nonlocal worker
            time.sleep(args.seconds / 3)
            kids = gunicorn_children(web.pid)
            if kids:
                os.kill(kids[0], signal.SIGKILL)
                killed.append(f"gunicorn worker {kids[0]}")
            time.sleep(args.seconds / 6)
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            killed.append(f"task worker {worker.pid}")
            time.sleep(1)
            worker = start_worker(env, log)

        killer = threading.Thread(target=faults)
        killer.start()
        elapsed = clients.run(args.seconds)
        killer.join()
        rs.stop(web)
        # Let the (restarted) task worker drain the queue, then sweep as the runbook says.
        end = time.monotonic() + 120
        while queue_left(env) and time.monotonic() < end:
            time.sleep(0.5)
        time.sleep(1)  # the task it may be running
    finally:
        if web.poll() is None:
            rs.stop(web)
        if worker.poll() is None:
            rs.stop(worker)
    swept = manage(env, "jobs_sweep").strip().splitlines()[-1]
    made = int(manage(env, "insight_catch_up").split()[0])
    seen = {
        "confirmed": clients.confirmed,
        "failing": sorted(clients.failing),
        "sent": sorted(clients.sent),
    }
    counts = check(env, workdir, seen)
    n = counts["responses"]
    ok = (
        counts["confirmed_missing"] == 0
        and counts["confirmed_wrong_reference"] == 0
        and counts["tokens_twice"] == 0
        and counts["answers"] == 3 * n
        and counts["audit_events"] == n
        and counts["failing_stored"] == 0
        and counts["stored_not_confirmed"] == 0
        and counts["stored_never_sent"] == 0
        and counts["insights_missing"] == 0
        and counts["free_text_answers"] == n
        and not clients.gave_up
        and clients.mismatched == 0
        and len(clients.failing) > 0
        and len(killed) == 2
    )
    print(
        f"[{db}] {elapsed:.1f}s, {args.clients} clients: {len(clients.confirmed)} acknowledged "
        f"({len(clients.confirmed) / elapsed:.0f}/s), statuses "
        f"{dict(sorted(clients.statuses.items()))}, {clients.broken} connections broken "
        f"mid-request; killed with SIGKILL: {', '.join(killed)}"
    )
    print(
        f"[{db}] {len(clients.failing)} responses made to fail (not stored: "
        f"{len(clients.failing) - counts['failing_stored']}); other forms given up: "
        f"{len(clients.gave_up)}; second sends answered with another reference: "
        f"{clients.mismatched}"
    )
    print(
        f"[{db}] database: {n} responses, acknowledged but missing "
        f"{counts['confirmed_missing']}, wrong reference {counts['confirmed_wrong_reference']}, "
        f"duplicates {counts['tokens_twice']}, stored but never acknowledged "
        f"{counts['stored_not_confirmed']}, answers {counts['answers']} (3 x {n}), audit events "
        f"{counts['audit_events']}"
    )
    print(
        f"[{db}] sweep: {swept}; insight_catch_up made {made}; insights missing after the "
        f"sweep {counts['insights_missing']} of {counts['free_text_answers']} free-text answers"
    )
    print(f"[{db}] FAULT RUN {'PASSED' if ok else 'FAILED'}")
    if not ok:
        print(f"[{db}] counts {counts}; gave up {sorted(clients.gave_up)[:5]}")
        print(log.read_text()[-3000:])
    return ok


def pg_database(server_url: str) -> tuple[str, object]:
    """A new database on an existing PostgreSQL server, and how to drop it."""
    import psycopg

    name = f"heard_fault_{uuid.uuid4().hex[:10]}"
    base = re.sub(r"/[^/]*$", "/postgres", server_url)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return re.sub(r"/[^/]*$", f"/{name}", server_url), drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to use")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="heard-fault-"))
    (workdir / "fault_hook.py").write_text(FAULT_APP)
    settings = rs.SETTINGS + '\nINSTALLED_APPS = [*INSTALLED_APPS, "fault_hook.FaultConfig"]\n'
    settings += f'HEARD_MEDIA_ROOT = "{workdir / "media"}"\n'
    (workdir / "bench_settings.py").write_text(settings)
    base_env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT), str(ROOT / "engine")]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_DEBUG": "false",
        "HEARD_BENCH_DIR": str(workdir),
    }
    results = []
    try:
        if args.db in ("sqlite", "both"):
            env = {**base_env, "DATABASE_URL": f"sqlite:///{workdir / 'fault.sqlite3'}"}
            results.append(fault_run("sqlite", env, workdir, args))
        if args.db in ("postgresql", "both"):
            if args.database_url:
                url, drop = pg_database(args.database_url)
            else:
                url, drop = rs.start_postgres(workdir)
            try:
                results.append(
                    fault_run("postgresql", {**base_env, "DATABASE_URL": url}, workdir, args)
                )
            finally:
                drop()  # type: ignore[operator]
    finally:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
