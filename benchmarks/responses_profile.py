"""Profile one public response submission in-process (cProfile), on a throwaway SQLite.

Builds the same survey as ``responses_submit.py``, then posts ``--count`` prepared
"Check your answers and send" forms through Django's test client (CSRF checks on) and
prints the CPU per submission and the top functions by cumulative time. A diagnostic
for where the time goes; the throughput figures come from ``responses_submit.py``.

    .venv/bin/python benchmarks/responses_profile.py [--count 500] [--top 40]
"""

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"  # as a browser (and wrk) sends it
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from responses_submit import CSRF, SETTINGS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--batch", type=int, default=100, help="responses per insight batch")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="heard-profile-responses-"))
    (workdir / "bench_settings.py").write_text(SETTINGS)
    sys.path.insert(0, str(workdir))
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from heard.engagement import services_responses as s
    from heard.engagement.models import (
        Activity,
        Question,
        Questionnaire,
        QuestionnaireVersion,
        Response,
        Section,
    )

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    now = timezone.now()
    a = Activity.objects.create(
        title="Load test survey",
        slug="load-test-survey",
        summary="x",
        level="consult",
        kind="survey",
        status="open",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    q = Questionnaire.objects.create(activity=a, title=a.title)
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    p = Section.objects.create(version=v, position=1, title="Your views")
    Question.objects.create(
        version=v, section=p, key="used", position=1, kind="yes_no", text="Used?", required=True
    )
    Question.objects.create(version=v, section=p, key="agree", position=2, kind="likert", text="A")
    Question.objects.create(
        version=v, section=p, key="comment", position=3, kind="long_text", text="T", max_length=2000
    )
    started = now - timedelta(minutes=1)
    bodies = []
    for i in range(args.count + 51):
        st = s.state_new(version=v, now=started)
        st["a"] = {
            "used": "yes",
            "agree": "agree",
            "comment": f"Comment {i}: the nurse came on time and listened to me.",
        }
        bodies.append(
            urlencode(
                {
                    "csrfmiddlewaretoken": CSRF,
                    "state": s.state_sign(st),
                    "page": "1",
                    "action": "send",
                    "publish_consent": "yes",
                }
            )
        )
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
    client.cookies["csrftoken"] = CSRF
    url = "/get-involved/load-test-survey/respond/"
    for body in bodies[:50]:  # warm: imports, models, caches
        r = client.post(url, body, content_type=FORM)
        assert r.status_code == 302, (r.status_code, r.content[:3000])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        r = client.post(url, bodies[50], content_type=FORM)
        assert r.status_code == 302, r.status_code
    print(f"{len(queries.captured_queries)} queries for one submission:")
    for query in queries.captured_queries:
        print("   ", query["sql"][:150])
    sent = len(bodies)
    bodies = bodies[1:]
    # Without the profiler first (half the forms), then under it (the other half).
    plain, bodies = bodies[: 50 + args.count // 2], bodies[:50] + bodies[50 + args.count // 2 :]
    cpu0 = time.process_time()
    for body in plain[50:]:
        r = client.post(url, body, content_type=FORM)
        assert r.status_code == 302, r.status_code
    cpu = time.process_time() - cpu0
    print(f"{len(plain) - 50} submissions: {cpu / (len(plain) - 50) * 1000:.2f} ms CPU each")
    args.count -= len(plain) - 50
    profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
    cpu0, wall0 = time.process_time(), time.perf_counter()
    profiler.enable()
    for body in bodies[50:]:
        r = client.post(url, body, content_type=FORM)
        assert r.status_code == 302, r.status_code
    profiler.disable()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    assert Response.objects.count() == sent
    print(
        f"{args.count} submissions: {cpu / args.count * 1000:.2f} ms CPU, "
        f"{wall / args.count * 1000:.2f} ms wall each (under the profiler)"
    )
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)

    # The insights, made afterwards in batches as the task worker does (ADR 7).
    from heard.insight.models import Insight
    from heard.insight.receivers import insights_for_responses

    ids = list(Response.objects.order_by("pk").values_list("pk", flat=True))
    Insight.objects.all().delete()
    insights_for_responses(ids[:10])  # warm: load the models
    rest = ids[10:]
    profiler = cProfile.Profile(time.process_time)
    cpu0 = time.process_time()
    profiler.enable()
    for i in range(0, len(rest), args.batch):
        insights_for_responses(rest[i : i + args.batch])
    profiler.disable()
    cpu = time.process_time() - cpu0
    assert Insight.objects.count() == len(ids)
    print(
        f"insights for {len(rest)} responses in batches of {args.batch}: "
        f"{cpu / len(rest) * 1000:.2f} ms CPU each (under the profiler)"
    )
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
