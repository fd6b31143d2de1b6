"""Benchmark: involvement pages and services with a large membership.

Builds a throwaway SQLite database (or uses DATABASE_URL if set to something else),
bulk-inserts members with equality answers and a year of invitations, then times, with
the test client signed in as an engagement officer: the reach page, the participation
page, drawing a representative sample (sex and age x ethnic group) on the sample page,
and the criteria preview. Prints the median and 95th percentile per page.

    .venv/bin/python benchmarks/involvement_pages.py [--members 50000] [--runs 10]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "heard-bench-involvement.sqlite3"

AGES = ["18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus", "prefer_not_to_say", ""]
AGE_WEIGHTS = [3, 6, 8, 12, 18, 22, 16, 5, 10]
ETHNIC = ["white_british", "white_other", "asian_indian", "black_african", "mixed_other", ""]
ETHNIC_WEIGHTS = [85, 5, 2, 1, 1, 6]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    if os.environ["DATABASE_URL"] == f"sqlite:///{DB}":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)

    from heard.accounts.tests.factories import StaffFactory
    from heard.core.roles import Role
    from heard.involvement.models import Invitation, Opportunity
    from heard.involvement.selectors import BUILT_IN_KEY
    from heard.people.models import EqualityMonitoring, Member
    from heard.people.postcodes import LOCALITY_BY_DISTRICT

    rng = random.Random(11)
    started = time.perf_counter()
    localities = sorted(set(LOCALITY_BY_DISTRICT.values()))
    now = timezone.now()
    for start in range(0, args.members, 5000):
        batch = [
            Member(
                full_name=f"Bench Member {n}",
                email=f"bench{n}@example.org",
                locality=rng.choice(localities),
                status=rng.choices(["active", "left"], [92, 8])[0],
                joined_at=now - timedelta(days=rng.randint(0, 3000)),
            )
            for n in range(start, min(start + 5000, args.members))
        ]
        made = Member.objects.bulk_create(batch)
        EqualityMonitoring.objects.bulk_create(
            EqualityMonitoring(
                member=m,
                age_band=rng.choices(AGES, AGE_WEIGHTS)[0],
                sex=rng.choice(["female", "female", "male", "male", ""]),
                ethnic_group=rng.choices(ETHNIC, ETHNIC_WEIGHTS)[0],
            )
            for m in made
        )
    ids = list(Member.objects.values_list("pk", flat=True))
    opportunities = [
        Opportunity.objects.create(
            title=f"Bench opportunity {i}",
            summary="Bench",
            starts_at=now - timedelta(days=30 * i),
            time_asked="1 hour",
            status="open",
        )
        for i in range(12)
    ]
    invitations = []
    for opportunity in opportunities:
        for pk in rng.sample(ids, min(len(ids), args.members // 25)):
            invitations.append(
                Invitation(
                    opportunity=opportunity,
                    member_id=pk,
                    status=rng.choice(["invited", "accepted", "declined"]),
                    sent_at=opportunity.starts_at - timedelta(days=20),
                    emailed_at=opportunity.starts_at - timedelta(days=20),
                )
            )
    Invitation.objects.bulk_create(invitations, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Built {Member.objects.count():,} members, {Invitation.objects.count():,} invitations "
        f"on {connection.vendor} in {time.perf_counter() - started:.1f} s"
    )

    officer = StaffFactory(role=Role.ENGAGEMENT_OFFICER)
    client = Client()
    client.force_login(officer)
    target = Opportunity.objects.create(
        title="Bench target", summary="Bench", starts_at=now, time_asked="1 hour", status="open"
    )
    pages = {
        "reach page": ("get", reverse("involvement:reach"), {}),
        "participation page": ("get", reverse("involvement:participation"), {}),
        "opportunity page": (
            "get",
            reverse("involvement:opportunity", args=[opportunities[0].pk]),
            {},
        ),
        "criteria preview (locality)": (
            "post",
            reverse("involvement:invite", args=[target.pk]),
            {"action": "preview", "localities": [localities[0]], "not_asked_often": "on"},
        ),
        "draw sample of 500 (sex_age x ethnic)": (
            "post",
            reverse("involvement:sample_new", args=[target.pk]),
            {
                "size": "500",
                "dimensions": ["sex_age", "ethnic_group"],
                "population": BUILT_IN_KEY,
                "redistribute": "on",
            },
        ),
    }
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>8}")
    for name, (method, url, data) in pages.items():
        timings = []
        for _ in range(args.runs):
            t = time.perf_counter()
            response = client.get(url) if method == "get" else client.post(url, data)
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code in (200, 302), (name, response.status_code)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        print(f"{name:<40} {statistics.median(timings):>10.0f} {p95:>8.0f}")


if __name__ == "__main__":
    main()
