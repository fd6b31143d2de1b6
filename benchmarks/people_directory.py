"""Benchmark: the staff people directory at 100,000 members (target: p95 <= 300 ms).

Builds a throwaway SQLite database (or uses DATABASE_URL if set to something else),
bulk-inserts 100,000 members with interests and group memberships, signs in an
engagement officer with the test client, and times the directory page for realistic
queries, printing the median and 95th percentile per query type.

    .venv/bin/python benchmarks/people_directory.py [--members 100000] [--runs 30]
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "heard-bench-directory.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    fresh = os.environ["DATABASE_URL"] == f"sqlite:///{DB}"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    # No setup_test_environment(): its template instrumentation would add to every timing.
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)

    from heard.accounts.tests.factories import StaffFactory
    from heard.core.roles import Role
    from heard.people.models import Group, GroupMembership, Member, Topic
    from heard.people.postcodes import LOCALITY_BY_DISTRICT

    rng = random.Random(7)
    started = time.perf_counter()
    first = [
        "Margaret",
        "Susan",
        "John",
        "David",
        "Peter",
        "Sarah",
        "Emma",
        "James",
        "Aisha",
        "Ravi",
        "Tomasz",
        "Niamh",
        "Grace",
        "Oliver",
    ]
    last = [
        "Smith",
        "Jones",
        "Brown",
        "Taylor",
        "Pegg",
        "Gotts",
        "Kett",
        "Patel",
        "Okafor",
        "Nowak",
        "Murphy",
        "Catchpole",
        "Rix",
        "Howes",
    ]
    districts = sorted(LOCALITY_BY_DISTRICT)
    groups = [Group.objects.create(name=f"Bench group {i}", kind="forum") for i in range(30)]
    topics = list(Topic.objects.all())
    batch: list[Member] = []
    for n in range(args.members):
        district = rng.choice(districts)
        f, s = rng.choice(first), rng.choice(last)
        batch.append(
            Member(
                full_name=f"{f} {s}{'' if n % 7 else '-' + rng.choice(last)}",
                email=f"{f}.{s}.{n}@bench.example".lower(),
                postcode=f"{district} {rng.randint(1, 9)}AB",
                postcode_district=district,
                locality=LOCALITY_BY_DISTRICT[district],
                status=rng.choices(["active", "pending", "left"], [88, 4, 8])[0],
            )
        )
        if len(batch) == 5000:
            _flush(batch, rng, groups, topics, Member, GroupMembership)
            batch = []
    if batch:
        _flush(batch, rng, groups, topics, Member, GroupMembership)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    print(
        f"Built {Member.objects.count():,} members, {GroupMembership.objects.count():,} "
        f"memberships on {connection.vendor} in {time.perf_counter() - started:.1f} s"
    )

    officer = StaffFactory(role=Role.ENGAGEMENT_OFFICER)
    client = Client()
    client.force_login(officer)
    url = reverse("people:directory")
    interest = topics[0].pk if topics else ""
    queries = {
        "no filter, page 1": {},
        "no filter, page 500": {"page": "500"},
        "name contains 'pegg'": {"q": "pegg"},
        "full name 'margaret smith'": {"q": "margaret smith"},
        "email prefix 'john.kett.1'": {"q": "john.kett.1"},
        "email exact": {"q": Member.objects.order_by("pk").values_list("email", flat=True)[4242]},
        "postcode district NR1": {"district": "NR1"},
        "locality Norwich + active": {"locality": "Norwich", "status": "active"},
        "interest": {"interest": str(interest)},
        "group": {"group": str(groups[3].pk)},
        "name + district + interest": {"q": "smith", "district": "NR2", "interest": str(interest)},
        "no match": {"q": "zzzzqqq"},
    }
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    print(f"\nDirectory page, {args.runs} requests per query (ms):")
    print(f"{'query':32} {'median':>8} {'p95':>8} {'max':>8}  results")
    worst = 0.0
    for label, params in queries.items():
        timings = []
        response = client.get(url, params)
        assert response.status_code == 200, (label, response.status_code)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        worst = max(worst, p95)
        found = re.search(r"([\d,]+) (?:people|person)", response.content.decode())
        count = int(found.group(1).replace(",", "")) if found else -1
        print(
            f"{label:32} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}  {count:,}"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nMachine load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs")
    verdict = "PASS" if worst <= 300 else "FAIL"
    print(f"\nWorst p95: {worst:.1f} ms (target <= 300 ms): {verdict}")


def _flush(batch, rng, groups, topics, Member, GroupMembership) -> None:  # type: ignore[no-untyped-def]
    created = Member.objects.bulk_create(batch, batch_size=1000)
    Interest = Member.interests.through
    links = []
    memberships = []
    for member in created:
        for topic in rng.sample(topics, k=min(len(topics), rng.randint(0, 3))):
            links.append(Interest(member_id=member.pk, topic_id=topic.pk))
        if rng.random() < 0.2:
            memberships.append(GroupMembership(group=rng.choice(groups), member_id=member.pk))
    Interest.objects.bulk_create(links, batch_size=2000)
    GroupMembership.objects.bulk_create(memberships, batch_size=2000, ignore_conflicts=True)


if __name__ == "__main__":
    main()
