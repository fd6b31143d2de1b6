"""Benchmark: public response submission under load, on SQLite and PostgreSQL.

Target (issue 19 item 8, ADR 11): at least 150 accepted submissions per second
sustained on this 2-core machine, p99 <= 200 ms, on PostgreSQL, and afterwards a count
that proves none was lost or duplicated; also measured with two app servers sharing the
database (``--servers 2``).

What it does, for each database:
1. builds a throwaway database (SQLite file, or a throwaway PostgreSQL cluster on
   loopback started with the local initdb/pg_ctl), migrates it and creates an open survey
   with three questions (yes/no, Likert, long text) on one page;
2. prepares the signed form states a browser would hold on the "Check your answers and
   send" page (each with its own submission token, started a minute ago so the
   minimum-time spam check passes; the per-address rate limit is raised because every
   request comes from 127.0.0.1);
3. starts gunicorn on 127.0.0.1 (gthread workers) and drives it with a closed-loop load
   generator for a fixed time: wrk (C; `responses_submit.lua`, one keep-alive connection
   per wrk thread, so each answer is paired with the form it answers) by default, or
   Python threads with http.client (`--generator python`, which takes CPU the server
   needs on a small machine). 5% of the forms are sent a second time at once, as a double
   click or retry would; a form answered with anything but a redirect, or whose
   connection broke, is sent again. Latency is measured per request (POST to its 302
   redirect; the receipt page the browser would then load is not requested);
4. stops gunicorn and checks the database against what the generator saw: every
   confirmed form stored once with the reference it was given, a second send answered
   with the first send's reference, nothing stored that was not sent, nothing stored
   unconfirmed except a form whose answer was still on its way when the generator
   stopped, answers == 3 x responses, one audit event per response; and the insight bank
   holds one insight per free-text answer.

It only ever talks to 127.0.0.1 and stops by itself.

    .venv/bin/python benchmarks/responses_submit.py [--seconds 20] [--clients 24]
        [--workers 2] [--threads 6] [--servers 1] [--db sqlite|postgresql|both]
        [--generator wrk|python]
"""

import argparse
import http.client
import json
import os
import random
import re
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SECRET = "bench-only-not-secret-heard-responses-0123456789abcdefghijklmnop"  # noqa: S105
FORMS_PER_SECOND = 1200  # forms prepared per second of load (more than will be sent)
RESEND_SHARE = 0.05
WRK = shutil.which("wrk") or "/usr/bin/wrk"
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
        fh.write(st["t"] + "\\t" + s.state_sign(st) + "\\n")
print("/get-involved/load-test-survey/respond/")
"""
    result = subprocess.run(
        [PYTHON, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def verify(
    env: dict[str, str], confirmed: dict[str, str], sent: set[str], in_flight: set[str]
) -> dict[str, int]:
    """Count what the database holds against what the load generator saw.

    ``confirmed``: token -> the signed receipt reference the server redirected to (first
    send); ``sent``: every token sent at least once.
    """
    check = Path(env["HEARD_BENCH_DIR"]) / "confirmed.json"
    check.write_text(
        json.dumps({"confirmed": confirmed, "sent": sorted(sent), "in_flight": sorted(in_flight)})
    )
    code = f"""
import django, json
django.setup()
from django.db.models import Count
from heard.audit.models import AuditEvent
from heard.engagement.models import Answer, Response
from heard.engagement.services_responses import receipt_read
from heard.insight.models import Insight
seen = json.load(open({str(check)!r}))
confirmed, sent, in_flight = seen["confirmed"], set(seen["sent"]), set(seen["in_flight"])
stored = {{r.submission_token.hex: r.reference for r in Response.objects.only("submission_token", "reference")}}
print(json.dumps({{
  "responses": Response.objects.count(),
  "distinct_tokens": Response.objects.values("submission_token").distinct().count(),
  "tokens_twice": Response.objects.values("submission_token").annotate(n=Count("id")).filter(n__gt=1).count(),
  "answers": Answer.objects.count(),
  "free_text_answers": Answer.objects.filter(question__kind__in=["short_text", "long_text"]).exclude(text="").count(),
  "insights": Insight.objects.filter(answer__isnull=False).count(),
  "audit_events": AuditEvent.objects.filter(action="response.submitted").count(),
  "confirmed_missing": sum(1 for t in confirmed if t not in stored),
  "confirmed_wrong_reference": sum(1 for t, signed in confirmed.items() if t in stored and receipt_read(signed) != stored[t]),
  "stored_never_sent": sum(1 for t in stored if t not in sent),
  "stored_unconfirmed": sum(1 for t in stored if t not in confirmed),
  "stored_unconfirmed_not_in_flight": sum(1 for t in stored if t not in confirmed and t not in in_flight),
}}))
"""
    out = subprocess.run(
        [PYTHON, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@dataclass
class Form:
    token: str
    body: str


@dataclass
class Result:
    """What one load-generator run saw."""

    elapsed: float
    requests: int
    confirmed: dict[str, str] = field(default_factory=dict)  # token -> signed reference
    sent: set[str] = field(default_factory=set)
    in_flight: set[str] = field(default_factory=set)  # answer not read when the run stopped
    statuses: dict[int, int] = field(default_factory=dict)
    resent: int = 0  # forms sent twice on purpose (double click, retry)
    retried: int = 0  # sent again after a connection error or a non-redirect answer
    mismatched: int = 0  # a second send confirmed with another reference than the first
    errors: int = 0
    p50: float = 0.0  # milliseconds
    p95: float = 0.0
    p99: float = 0.0
    max: float = 0.0
    client_cpu: float = 0.0  # CPU seconds used by the load generator itself


def form_bodies(states: list[str]) -> list[Form]:
    forms = []
    for line in states:
        token, state = line.split("\t")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": CSRF,
                "state": state,
                "page": "1",
                "action": "send",
                "publish_consent": "yes",
            }
        )
        forms.append(Form(token, body))
    return forms


def receipt_of(location: str) -> str:
    match = re.search(r"/received/([^/]+)/", location)
    return match.group(1) if match else location


def run_wrk(
    port: int, path: str, forms: list[Form], seconds: float, clients: int, workdir: Path
) -> Result:
    """Drive the server with wrk (C, epoll; one connection per wrk thread)."""
    run_dir = Path(tempfile.mkdtemp(dir=workdir, prefix="wrk-"))
    per_thread = [forms[t::clients] for t in range(clients)]
    for t, mine in enumerate(per_thread):
        (run_dir / f"bodies-{t}.txt").write_text("".join(f.body + "\n" for f in mine))
    results = run_dir / "results.txt"
    cmd = [
        WRK,
        "-t",
        str(clients),
        "-c",
        str(clients),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "benchmarks" / "responses_submit.lua"),
        f"http://127.0.0.1:{port}/",
        "--",
        str(run_dir),
        str(RESEND_SHARE),
        CSRF,
        path,
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env={**os.environ, "HEARD_WRK_RESULTS": str(results)},
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode})")
    result = Result(elapsed=elapsed, requests=0, client_cpu=usage.ru_utime + usage.ru_stime)
    for line in results.read_text().splitlines():
        key, *rest = line.split()
        if key == "requests":
            result.requests = int(rest[0])
        elif key == "duration_us":
            result.elapsed = int(rest[0]) / 1e6
        elif key == "errors":
            result.errors = sum(int(n) for n in rest)
        elif key in ("p50_us", "p95_us", "p99_us", "max_us"):
            setattr(result, key[:-3], int(rest[0]) / 1000)
        elif key == "thread":
            fields = dict(zip(rest[1::2], rest[2::2], strict=True))
            result.mismatched += int(fields["mismatch"])
            result.retried += int(fields["retried"])
            result.resent += int(fields["resent"])
            last = int(fields["last"])
            mine = per_thread[int(rest[0])]
            result.sent |= {f.token for f in mine[:last]}
            if int(fields["waiting"]) and last > 0:
                # Sent, and stopped before its answer was read: may or may not be stored.
                result.in_flight.add(mine[last - 1].token)
        elif key == "status":
            result.statuses[int(rest[0])] = result.statuses.get(int(rest[0]), 0) + int(rest[1])
        elif key == "ref":
            thread, index, ref = int(rest[0]), int(rest[1]), rest[2]
            result.confirmed[per_thread[thread][index - 1].token] = receipt_of(ref)
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


class PythonLoad:
    """The fallback load generator: threads with http.client (costs the server CPU)."""

    def __init__(self, port: int, path: str, forms: list[Form], seconds: float, clients: int):
        self.port, self.path, self.seconds, self.clients = port, path, seconds, clients
        self.forms = forms
        self.index = 0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.result = Result(elapsed=0.0, requests=0)

    def next_form(self) -> Form | None:
        with self.lock:
            if self.index >= len(self.forms):
                return None
            self.index += 1
            return self.forms[self.index - 1]

    def worker(self, deadline: float, seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={CSRF}",
        }
        local_lat: list[float] = []
        r = Result(elapsed=0.0, requests=0)
        while time.perf_counter() < deadline:
            form = self.next_form()
            if form is None:
                break
            r.sent.add(form.token)
            sends = 2 if rng.random() < RESEND_SHARE else 1
            r.resent += sends == 2
            attempt = 0
            while sends > 0 and attempt < 5:
                attempt += 1
                t0 = time.perf_counter()
                location = ""
                try:
                    conn.request("POST", self.path, body=form.body, headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                    location = resp.getheader("Location", "")
                except (OSError, http.client.HTTPException):
                    # A network error: send the same form again, as a browser would.
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    status = 0
                    r.errors += 1
                local_lat.append(time.perf_counter() - t0)
                r.statuses[status] = r.statuses.get(status, 0) + 1
                if status == 302:
                    ref = receipt_of(location)
                    if form.token not in r.confirmed:
                        r.confirmed[form.token] = ref
                    elif r.confirmed[form.token].split(":")[0] != ref.split(":")[0]:
                        r.mismatched += 1
                    sends -= 1
                else:
                    r.retried += 1
        conn.close()
        with self.lock:
            self.latencies.extend(local_lat)
            res = self.result
            res.confirmed.update(r.confirmed)
            res.sent |= r.sent
            for k, n in r.statuses.items():
                res.statuses[k] = res.statuses.get(k, 0) + n
            res.resent += r.resent
            res.retried += r.retried
            res.errors += r.errors
            res.mismatched += r.mismatched

    def run(self) -> Result:
        cpu0 = time.process_time()
        started = time.perf_counter()
        deadline = started + self.seconds
        threads = [
            threading.Thread(target=self.worker, args=(deadline, n)) for n in range(self.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        res = self.result
        res.elapsed = time.perf_counter() - started
        res.client_cpu = time.process_time() - cpu0
        lat = sorted(self.latencies)
        res.requests = len(lat)
        if len(lat) > 100:
            q = statistics.quantiles(lat, n=100)
            res.p50, res.p95, res.p99 = q[49] * 1000, q[94] * 1000, q[98] * 1000
        res.max = lat[-1] * 1000 if lat else 0.0
        return res


def generate(
    args: argparse.Namespace,
    ports: list[int],
    path: str,
    forms: list[Form],
    seconds: float,
    workdir: Path,
) -> Result:
    """Drive every app server at once, each with its share of the connections and forms.

    With several servers the latency percentiles given are the highest of the servers'
    (a percentile of the pooled requests lies between the servers' own, so this is an
    upper bound), and the rate is the sum."""
    n = len(ports)
    clients = max(1, args.clients // n)

    def one(i: int) -> Result:
        mine = forms[i::n]
        if args.generator == "wrk":
            return run_wrk(ports[i], path, mine, seconds, clients, workdir)
        return PythonLoad(ports[i], path, mine, seconds, clients).run()

    if n == 1:
        return one(0)
    parts: list[Result] = [Result(elapsed=0.0, requests=0) for _ in ports]

    def run_part(i: int) -> None:
        parts[i] = one(i)

    threads = [threading.Thread(target=run_part, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = Result(elapsed=max(r.elapsed for r in parts), requests=0)
    for r in parts:
        total.requests += r.requests
        total.confirmed.update(r.confirmed)
        total.sent |= r.sent
        total.in_flight |= r.in_flight
        for k, v in r.statuses.items():
            total.statuses[k] = total.statuses.get(k, 0) + v
        total.resent += r.resent
        total.retried += r.retried
        total.mismatched += r.mismatched
        total.errors += r.errors
        total.client_cpu += r.client_cpu
        total.p50, total.p95 = max(total.p50, r.p50), max(total.p95, r.p95)
        total.p99, total.max = max(total.p99, r.p99), max(total.max, r.max)
    return total


def processes_cpu_seconds(root_pids: list[int]) -> float:
    """User + system CPU of these processes and their children so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid in root_pids or ppid in root_pids:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wait_for_insights(env: dict[str, str], timeout: float) -> float | None:
    """Wait until the task worker has made an insight of every free-text answer (one
    child process polling every 0.2 s, so the waiting costs little CPU); the wall-clock
    time it saw the last one, or None if it gave up."""
    code = f"""
import time, django
django.setup()
from heard.engagement.models import Answer
from heard.insight.models import Insight
free = Answer.objects.filter(question__kind__in=["short_text", "long_text"]).exclude(text="")
end = time.monotonic() + {timeout}
while time.monotonic() < end:
    if Insight.objects.filter(answer__isnull=False).count() >= free.count():
        print("yes", time.time())
        break
    time.sleep(0.2)
else:
    print("no")
"""
    out = subprocess.run(
        [PYTHON, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    words = out.stdout.split()
    return float(words[-1]) if words and words[0] == "yes" else None


def catch_up(env: dict[str, str]) -> int:
    """Run the safety net (it should find nothing: every insight was made by the tasks)."""
    out = subprocess.run(
        [PYTHON, "manage.py", "insight_catch_up"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.split()[0])


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


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def bench(db: str, args: argparse.Namespace, env: dict[str, str], workdir: Path) -> bool:
    count = int((args.seconds + args.warmup) * FORMS_PER_SECOND)
    states_file = workdir / f"states-{db}.txt"
    t0 = time.perf_counter()
    path = prepare(env, count, states_file)
    forms = form_bodies(states_file.read_text().splitlines())
    print(f"[{db}] prepared database and {len(forms):,} forms in {time.perf_counter() - t0:.1f}s")
    ports = [free_port() for _ in range(args.servers)]

    def gunicorn(port: int) -> subprocess.Popen[bytes]:
        cmd = [
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
        return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)

    # One app server, or several sharing the one database (``--servers``).
    servers = [gunicorn(port) for port in ports]
    # The task worker that makes insights from online responses in batches (ADR 7); it
    # runs during the load, on the same two cores, and its CPU is counted.
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "heard_worker", "--no-reload", "--interval", "0.5"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    warm_forms = forms[: int(args.warmup * FORMS_PER_SECOND)]
    main_forms = forms[len(warm_forms) :]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_ready(port, server)
        # Warm up every worker and thread (imports, database connections, caches); the
        # warm-up submissions are counted in the check below.
        # Rounds of 3 seconds until a round is no faster than the one before (the
        # first requests of each worker load models and fill caches).
        warm = Result(elapsed=0.0, requests=0)
        best = 0.0
        while warm.elapsed < 90:
            unsent = [f for f in warm_forms if f.token not in warm.sent]
            if len(unsent) < 3 * FORMS_PER_SECOND:
                break
            r = generate(args, ports, path, unsent[: 3 * FORMS_PER_SECOND], 3, workdir)
            warm.elapsed += r.elapsed
            warm.sent |= r.sent
            warm.confirmed.update(r.confirmed)
            warm.in_flight |= r.in_flight
            warm.mismatched += r.mismatched
            rate = len(r.confirmed) / r.elapsed
            if 0 < rate < best * 1.1:
                break
            best = max(best, rate)
        print(
            f"[{db}] warmed up with {len(warm.confirmed):,} submissions in {warm.elapsed:.0f}s "
            f"(last rounds {best:.0f}/s)"
        )
        # The task worker loads its models on its first batch: let it catch up first.
        if wait_for_insights(env, timeout=180) is None:
            raise RuntimeError("the task worker did not make the warm-up's insights")
        db_pids = [int(env["HEARD_BENCH_PG_PID"])] if env.get("HEARD_BENCH_PG_PID") else []
        web_pids = [server.pid for server in servers]
        cpu_before = processes_cpu_seconds(web_pids)
        worker_before = processes_cpu_seconds([worker.pid])
        db_before = processes_cpu_seconds(db_pids) if db_pids else 0.0
        load = generate(args, ports, path, main_forms, args.seconds, workdir)
        cpu_used = processes_cpu_seconds(web_pids) - cpu_before
        worker_during = processes_cpu_seconds([worker.pid]) - worker_before
        db_cpu = processes_cpu_seconds(db_pids) - db_before if db_pids else 0.0
        for server in servers:
            stop(server)
        stopped = time.time()
        done_at = wait_for_insights(env, timeout=180)
        caught_up = done_at is not None
        lag = (done_at or stopped) - stopped
        worker_used = processes_cpu_seconds([worker.pid]) - worker_before
    finally:
        for server in servers:
            if server.poll() is None:
                stop(server)
        stop(worker)
    made_by_catch_up = catch_up(env)
    accepted = len(load.confirmed)
    rate = accepted / load.elapsed
    per_accepted = (cpu_used + worker_during + db_cpu) / max(1, accepted) * 1000
    confirmed = {**warm.confirmed, **load.confirmed}
    counts = verify(env, confirmed, warm.sent | load.sent, warm.in_flight | load.in_flight)
    in_flight = counts["stored_unconfirmed"]
    expected = len(confirmed) + in_flight
    ok_count = (
        counts["responses"] == expected
        and counts["distinct_tokens"] == expected
        and counts["tokens_twice"] == 0
        and counts["answers"] == 3 * expected
        and counts["audit_events"] == expected
        and counts["confirmed_missing"] == 0
        and counts["confirmed_wrong_reference"] == 0
        and counts["stored_never_sent"] == 0
        and counts["stored_unconfirmed_not_in_flight"] == 0
        and counts["insights"] == counts["free_text_answers"] == expected
        and caught_up
        and made_by_catch_up == 0
        and load.mismatched + warm.mismatched == 0
    )
    print(
        f"[{db}] {args.generator}: {args.clients} connections, {args.servers} app server(s) of "
        f"{args.workers} gunicorn workers x {args.threads} threads, {load.elapsed:.1f}s: {accepted:,} accepted submissions "
        f"= {rate:.0f}/s; {load.requests:,} requests incl. {load.resent:,} forms sent twice "
        f"on purpose and {load.retried} sent again after an error "
        f"({load.errors} connection errors); statuses {dict(sorted(load.statuses.items()))}"
    )
    print(
        f"[{db}] CPU during the load: gunicorn {cpu_used:.1f}s "
        f"({cpu_used / max(1, load.requests) * 1000:.1f} ms per request), task worker "
        f"{worker_during:.1f}s, database server {db_cpu:.1f}s, load generator "
        f"{load.client_cpu:.1f}s; all but the generator: {per_accepted:.1f} ms per accepted "
        f"submission, so at most {2000 / max(per_accepted, 0.001):.0f}/s with both cores free; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"[{db}] latency p50 {load.p50:.0f} ms, p95 {load.p95:.0f} ms, p99 {load.p99:.0f} ms, "
        f"max {load.max:.0f} ms"
    )
    print(
        f"[{db}] database: {counts['responses']:,} responses (confirmed {len(confirmed):,} "
        f"incl. {len(warm.confirmed):,} warm-up, + {in_flight} stored whose answer the "
        f"generator did not read when it stopped), {counts['distinct_tokens']:,} distinct "
        f"tokens, {counts['tokens_twice']} tokens stored twice, {counts['answers']:,} answers, "
        f"{counts['audit_events']:,} audit events; confirmed but missing "
        f"{counts['confirmed_missing']}, wrong reference {counts['confirmed_wrong_reference']}, "
        f"second send answered with another reference {load.mismatched + warm.mismatched} "
        f"-> {'NONE LOST OR DUPLICATED' if ok_count else 'MISMATCH'}"
    )
    print(
        f"[{db}] insight bank: {counts['insights']:,} insights for "
        f"{counts['free_text_answers']:,} free-text answers; the task worker used "
        f"{worker_during:.1f}s CPU during the load ({worker_during / max(1, accepted) * 1000:.1f} ms "
        f"per accepted submission) and {worker_used:.1f}s in all; "
        + (f"all made {lag:.1f}s after the load stopped" if caught_up else "NOT CAUGHT UP")
        + f"; the catch-up command then found {made_by_catch_up} missing"
    )
    if not ok_count:
        print(f"[{db}] counts: {counts}")
    passed = rate >= 150 and load.p99 <= 200 and ok_count
    print(f"[{db}] target (>= 150/s, p99 <= 200 ms, exact count): {'MET' if passed else 'NOT MET'}")
    return passed


def start_postgres(workdir: Path) -> tuple[str, Callable[[], None]]:
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
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument(
        "--servers", type=int, default=1, help="app servers (gunicorn masters) sharing the database"
    )
    parser.add_argument(
        "--warmup", type=float, default=30, help="forms for up to this many seconds of warm-up"
    )
    parser.add_argument("--generator", choices=["wrk", "python"], default="wrk")
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
        # This checkout's code (also when run from a copy of the repository).
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT), str(ROOT / "engine")]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_DEBUG": "false",
        "HEARD_BENCH_DIR": str(workdir),
    }
    results = []
    try:
        if args.db in ("sqlite", "both"):
            env = {**base_env, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"}
            results.append(bench("sqlite", args, env, workdir))
        if args.db in ("postgresql", "both"):
            try:
                url, stop_pg = start_postgres(workdir)
            except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
                print(f"[postgresql] skipped: could not start a throwaway cluster ({exc})")
            else:
                try:
                    postmaster = (workdir / "pg" / "postmaster.pid").read_text().split()[0]
                    env = {**base_env, "DATABASE_URL": url, "HEARD_BENCH_PG_PID": postmaster}
                    results.append(bench("postgresql", args, env, workdir))
                finally:
                    stop_pg()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
