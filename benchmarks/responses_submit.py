"""Benchmark: public response submission under load, on SQLite and PostgreSQL.

Target: at least 300 accepted submissions per second sustained on a 2-core machine,
p99 <= 250 ms, and afterwards a count that proves none was lost or duplicated.

What it does, for each database:
1. builds a throwaway database (SQLite file, or a throwaway PostgreSQL cluster on
   loopback started with the local initdb/pg_ctl), migrates it and creates an open survey
   with three questions (yes/no, Likert, long text) on one page;
2. prepares the signed form states a browser would hold on the "Check your answers and
   send" page (each with its own submission token, started a minute ago so the
   minimum-time spam check passes; the per-address rate limit is raised because every
   request comes from 127.0.0.1);
3. starts gunicorn on 127.0.0.1 (gthread workers) and drives it with a closed-loop load
   generator (threads, http.client, keep-alive) for a fixed time; 5% of the submissions
   are sent a second time at once, as a retry or double click would;
4. stops gunicorn and checks the database: responses == distinct tokens accepted,
   answers == 3 x responses, no token twice, one audit event per response.

It only ever talks to 127.0.0.1 and stops by itself.

    .venv/bin/python benchmarks/responses_submit.py [--seconds 20] [--clients 24]
        [--workers 3] [--threads 4] [--db sqlite|postgresql|both]
"""

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SECRET = "bench-only-not-secret-heard-responses-0123456789abcdefghijklmnop"  # noqa: S105
WARM_STATES = 3000
CSRF = "B" * 32  # an unmasked CSRF secret: the same value as cookie and form field

SETTINGS = f"""
from heard.settings.dev import *  # noqa
DEBUG = False
SECRET_KEY = {SECRET!r}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
HEARD_RESPONSES_PER_ADDRESS_PER_HOUR = 10**9  # all load comes from one address
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
STORAGES = {{
    "default": {{"BACKEND": "django.core.files.storage.FileSystemStorage"}},
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}}
"""

NO_HOOK_APP = """
from heard.insight.apps import InsightConfig


class WithoutHooks(InsightConfig):
    def ready(self) -> None:
        from heard.insight import rules  # noqa: F401
"""
NO_HOOK_SETTINGS = """
INSTALLED_APPS = [
    "bench_insight.WithoutHooks" if a == "heard.insight" else a for a in INSTALLED_APPS
]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str], **kw: object) -> None:
    subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kw)  # type: ignore[call-overload]


def prepare(env: dict[str, str], count: int, out: Path) -> str:
    """Migrate, create the survey, write `count` signed states (one per line); return the URL."""
    code = f"""
import django, sys
django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
from heard.engagement.models import Activity, Question, Questionnaire, QuestionnaireVersion, Section
from heard.engagement import services_responses as s
now = timezone.now()
a = Activity.objects.create(title="Load test survey", slug="load-test-survey", summary="x",
    level="consult", kind="survey", status="open", opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=30))
q = Questionnaire.objects.create(activity=a, title=a.title)
v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
p = Section.objects.create(version=v, position=1, title="Your views")
Question.objects.create(version=v, section=p, key="used", position=1, kind="yes_no",
    text="Have you used community nursing?", required=True)
Question.objects.create(version=v, section=p, key="agree", position=2, kind="likert",
    text="Nurses should visit in the evening")
Question.objects.create(version=v, section=p, key="comment", position=3, kind="long_text",
    text="Tell us more", max_length=2000)
started = now - timedelta(minutes=1)
with open({str(out)!r}, "w") as fh:
    for i in range({count}):
        st = s.state_new(version=v, now=started)
        st["a"] = {{"used": "yes", "agree": "agree",
                   "comment": f"Comment {{i}}: the nurse came on time and listened to me."}}
        fh.write(s.state_sign(st) + "\\n")
print("/get-involved/load-test-survey/respond/")
"""
    result = subprocess.run(
        [PYTHON, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def verify(env: dict[str, str]) -> dict[str, int]:
    code = """
import django, json
django.setup()
from django.db.models import Count
from heard.audit.models import AuditEvent
from heard.engagement.models import Answer, Response
print(json.dumps({
  "responses": Response.objects.count(),
  "distinct_tokens": Response.objects.values("submission_token").distinct().count(),
  "tokens_twice": Response.objects.values("submission_token").annotate(n=Count("id")).filter(n__gt=1).count(),
  "answers": Answer.objects.count(),
  "audit_events": AuditEvent.objects.filter(action="response.submitted").count(),
}))
"""
    import json

    out = subprocess.run(
        [PYTHON, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


class Load:
    def __init__(self, port: int, path: str, states: list[str], seconds: float, clients: int):
        self.port, self.path, self.seconds, self.clients = port, path, seconds, clients
        self.states = states
        self.index = 0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.accepted_tokens: set[int] = set()
        self.statuses: dict[int, int] = {}
        self.resent = 0
        self.errors = 0

    def next_state(self) -> tuple[int, str] | None:
        with self.lock:
            if self.index >= len(self.states):
                return None
            i = self.index
            self.index += 1
            return i, self.states[i]

    def worker(self, deadline: float, seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={CSRF}",
        }
        local_lat: list[float] = []
        local_status: dict[int, int] = {}
        accepted: set[int] = set()
        while time.perf_counter() < deadline:
            item = self.next_state()
            if item is None:
                break
            i, state = item
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": CSRF,
                    "state": state,
                    "page": "1",
                    "action": "send",
                    "publish_consent": "yes",
                }
            )
            sends = 2 if rng.random() < 0.05 else 1
            resent = sends == 2
            attempt = 0
            while sends > 0 and attempt < 5:
                attempt += 1
                t0 = time.perf_counter()
                try:
                    conn.request("POST", self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                except (OSError, http.client.HTTPException):
                    # A network error: retry the same form, as a browser would on reload.
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    status = 0
                    with self.lock:
                        self.errors += 1
                local_lat.append(time.perf_counter() - t0)
                local_status[status] = local_status.get(status, 0) + 1
                if status == 302:
                    accepted.add(i)
                    sends -= 1
            if resent:
                with self.lock:
                    self.resent += 1
        conn.close()
        with self.lock:
            self.latencies.extend(local_lat)
            for k, n in local_status.items():
                self.statuses[k] = self.statuses.get(k, 0) + n
            self.accepted_tokens |= accepted

    def run(self) -> float:
        started = time.perf_counter()
        deadline = started + self.seconds
        threads = [
            threading.Thread(target=self.worker, args=(deadline, n)) for n in range(self.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of gunicorn's master and workers so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == master_pid or ppid == master_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/get-involved/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start in time")


def bench(db: str, args: argparse.Namespace, env: dict[str, str], workdir: Path) -> bool:
    count = int(args.seconds * 800) + WARM_STATES
    states_file = workdir / f"states-{db}.txt"
    t0 = time.perf_counter()
    path = prepare(env, count, states_file)
    states = states_file.read_text().splitlines()
    print(f"[{db}] prepared database and {len(states):,} forms in {time.perf_counter() - t0:.1f}s")
    port = free_port()
    gunicorn = [
        str(Path(PYTHON).parent / "gunicorn"),
        "heard.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(gunicorn, env=env, cwd=ROOT, start_new_session=True)
    try:
        wait_ready(port, proc)
        # Warm up every worker and thread (imports, database connections, and the
        # insight hook's models, which load on first use and take seconds) until a round
        # of submissions is fast; warm-up submissions are counted in the check below.
        warm = Load(port, path, states[:WARM_STATES], 3, args.workers * args.threads)
        warm_started = time.perf_counter()
        best = 0.0
        while time.perf_counter() - warm_started < 90:
            before = len(warm.accepted_tokens)
            took = warm.run()
            rate = (len(warm.accepted_tokens) - before) / took
            if rate < best * 1.1 and rate > 0:
                break  # no longer getting faster: warm
            best = max(best, rate)
        print(
            f"[{db}] warmed up with {len(warm.accepted_tokens)} submissions in "
            f"{time.perf_counter() - warm_started:.0f}s"
        )
        cpu_before = server_cpu_seconds(proc.pid)
        load = Load(port, path, states[WARM_STATES:], args.seconds, args.clients)
        elapsed = load.run()
        cpu_used = server_cpu_seconds(proc.pid) - cpu_before
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    lat = sorted(load.latencies)
    accepted = len(load.accepted_tokens)
    rate = accepted / elapsed
    q = statistics.quantiles(lat, n=100) if len(lat) > 100 else [0.0] * 99
    p50, p95, p99 = q[49] * 1000, q[94] * 1000, q[98] * 1000
    counts = verify(env)
    expected = accepted + len(warm.accepted_tokens)
    ok_count = (
        counts["responses"] == expected
        and counts["distinct_tokens"] == expected
        and counts["tokens_twice"] == 0
        and counts["answers"] == 3 * expected
        and counts["audit_events"] == expected
    )
    print(
        f"[{db}] {args.clients} clients, {args.workers} gunicorn workers x {args.threads} threads, "
        f"{elapsed:.1f}s: {accepted:,} accepted submissions = {rate:.0f}/s; "
        f"{len(lat):,} requests incl. {load.resent:,} resent duplicates and "
        f"{load.errors} retries after network errors; "
        f"statuses {dict(sorted(load.statuses.items()))}"
    )
    print(
        f"[{db}] server CPU: {cpu_used:.1f}s for {len(lat):,} requests = "
        f"{cpu_used / max(1, len(lat)) * 1000:.1f} ms per request "
        f"(so at most {len(lat) / max(cpu_used, 0.001) * 2:.0f} requests/s with both cores "
        f"free); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"[{db}] latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {lat[-1] * 1000:.0f} ms"
    )
    print(
        f"[{db}] database: {counts['responses']:,} responses (expected {expected:,} incl. "
        f"{len(warm.accepted_tokens)} warm-up), {counts['distinct_tokens']:,} distinct tokens, "
        f"{counts['tokens_twice']} tokens stored twice, {counts['answers']:,} answers, "
        f"{counts['audit_events']:,} audit events -> {'NONE LOST OR DUPLICATED' if ok_count else 'MISMATCH'}"
    )
    passed = rate >= 300 and p99 <= 250 and ok_count
    print(f"[{db}] target (>= 300/s, p99 <= 250 ms, exact count): {'MET' if passed else 'NOT MET'}")
    return passed


def start_postgres(workdir: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    pg_bin = shutil.which("initdb")
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = str(candidates[-1]) if candidates else pg_bin
    if not initdb:
        raise RuntimeError("PostgreSQL (initdb) is not installed")
    bindir = Path(initdb).parent
    data = workdir / "pg"
    port = free_port()
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_pg,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            *as_pg,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(workdir / "pg.log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c max_connections=200",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            *as_pg,
            str(bindir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "heard",
        ],
        check=True,
    )

    def stop() -> None:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            check=False,
        )

    return f"postgres://postgres@127.0.0.1:{port}/heard", stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--without-insight-hook",
        action="store_true",
        help="diagnostic: do not register the insight bank's response hook, to show what "
        "the submission path costs without it (not a valid run against the target)",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="heard-bench-responses-"))
    settings = SETTINGS
    if args.without_insight_hook:
        (workdir / "bench_insight.py").write_text(NO_HOOK_APP)
        settings += NO_HOOK_SETTINGS
        print("DIAGNOSTIC RUN: the insight hook is not registered")
    (workdir / "bench_settings.py").write_text(settings)
    base_env = {
        **os.environ,
        "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_DEBUG": "false",
    }
    results = []
    try:
        if args.db in ("sqlite", "both"):
            env = {**base_env, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"}
            results.append(bench("sqlite", args, env, workdir))
        if args.db in ("postgresql", "both"):
            try:
                url, stop = start_postgres(workdir)
            except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
                print(f"[postgresql] skipped: could not start a throwaway cluster ({exc})")
            else:
                try:
                    env = {**base_env, "DATABASE_URL": url}
                    results.append(bench("postgresql", args, env, workdir))
                finally:
                    stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
