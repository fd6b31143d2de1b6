"""Benchmark: a member's journey through the public membership pages, timed step by step.

Builds a throwaway SQLite database (or uses DATABASE_URL if set to something else),
bulk-inserts existing members (so the "already a member?" checks run against a realistic
table), then walks ``--journeys`` new members through: join → confirm by the emailed
link → my account → change details → equality → download my data → unsubscribe →
delete, with Django's test client (mail kept in memory, so no SMTP time). Prints the
median and 95th percentile time and the number of SQL queries for each step.

    .venv/bin/python benchmarks/membership_journey.py [--members 20000] [--journeys 50]
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "heard-bench-membership.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--journeys", type=int, default=50)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    if os.environ["DATABASE_URL"] == f"sqlite:///{DB}":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # mail kept in memory (mail.outbox)
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)

    from heard.people.models import Member, Topic

    started = time.perf_counter()
    Member.objects.bulk_create(
        [
            Member(
                full_name=f"Existing Member {n}",
                email=f"existing{n}@example.org",
                postcode="NR1 3SR",
                postcode_district="NR1",
                locality="Norwich",
                status=Member.Status.ACTIVE,
            )
            for n in range(args.members)
        ],
        batch_size=2000,
    )
    print(f"{args.members} existing members inserted in {time.perf_counter() - started:.1f} s")
    topics = list(Topic.objects.values_list("pk", flat=True)[:3])

    timings: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)

    def step(name: str, call: Callable[..., Any], *call_args: Any) -> Any:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = call(*call_args)
            timings[name].append((time.perf_counter() - t0) * 1000)
        queries[name].append(len(ctx.captured_queries))
        assert response.status_code in (200, 302), (name, response.status_code)
        return response

    def link(prefix: str) -> str:
        found = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", mail.outbox[-1].body)
        assert found, mail.outbox[-1].body
        return found.group(1)

    for n in range(args.journeys):
        client = Client()
        join = {
            "full_name": f"Bench Person {n}",
            "email": f"bench{n}@example.org",
            "postcode": "NR2 1AA",
            "interests": topics,
            "contact_methods": ["email"],
            "consent": "on",
        }
        details = {
            "full_name": f"Bench Changed {n}",
            "postcode": "NR32 1AB",
            "interests": topics[:1],
            "contact_methods": ["email"],
        }
        equality = {"age_band": "35_44", "religion": "none"}
        step("join (POST)", client.post, reverse("members:join"), join)
        step("confirm link (GET)", client.get, link("/join/confirm/"))
        step("my account (GET)", client.get, reverse("members:account"))
        step("change details (POST)", client.post, reverse("members:account_details"), details)
        step("equality (POST)", client.post, reverse("members:equality"), equality)
        step("download (POST)", client.post, reverse("members:download"))
        step("unsubscribe (POST)", Client().post, link("/unsubscribe/"))
        step("delete (POST)", client.post, reverse("members:delete"))

    print(
        f"\n{args.journeys} journeys, {connection.vendor}, against {args.members} existing members"
    )
    print(f"{'step':<24}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, values in timings.items():
        ordered = sorted(values)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print(f"{name:<24}{statistics.median(values):>10.1f}{p95:>10.1f}{max(queries[name]):>9}")
    erased = Member.objects.filter(status=Member.Status.ERASED).count()
    print(f"\nmembers erased by the journeys: {erased} (emails sent: {len(mail.outbox)})")


if __name__ == "__main__":
    main()
