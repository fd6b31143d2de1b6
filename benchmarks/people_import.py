"""Benchmark: importing 50,000 rows from CSV end to end (target: under a minute).

Generates a 50,000-row CSV (about 2% bad rows – invalid emails, bad postcodes, missing
names – and some rows repeated within the file), runs the import service as the staff
pages do (upload → start → the background task, here run at once), and prints seconds
and rows per second. Then imports the same file again to show nothing is added twice.

    .venv/bin/python benchmarks/people_import.py [--rows 50000]
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "heard-bench-import.sqlite3"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def make_csv(rows: int, rng: random.Random) -> bytes:
    first = [
        "Margaret",
        "Zoë",
        "Seán",
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
    ]
    last = [
        "Smith",
        "Jones",
        "Brontë",
        "Pegg",
        "Gotts",
        "Kett",
        "Patel",
        "Okafor",
        "Nowak",
        "Murphy",
        "Catchpole",
        "Rix",
    ]
    districts = ["NR1", "NR2", "NR3", "NR14", "NR21", "NR30", "NR32", "PE30", "IP22", "IP24"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["First name", "Surname", "Email address", "Post code", "Telephone", "Interests"]
    )
    written: list[list[str]] = []
    for n in range(rows):
        roll = rng.random()
        if written and roll < 0.01:  # a repeat of an earlier row
            writer.writerow(rng.choice(written))
            continue
        f, s = rng.choice(first), rng.choice(last)
        row = [
            f,
            s,
            _ascii(f"{f}.{s}.{n}@import.example".lower()),
            f"{rng.choice(districts)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}",
            f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.3 else "",
            rng.choice(["", "Mental health", "Cancer; Pharmacy", "Maternity"]),
        ]
        if roll < 0.017:
            row[2] = "not-an-email"
        elif roll < 0.024:
            row[3] = "ZZ99 ZZZZ"
        elif roll < 0.03:
            row[0] = row[1] = ""
        writer.writerow(row)
        written.append(row)
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    os.environ.setdefault(
        "HEARD_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "heard-bench-media")
    )
    if os.environ["DATABASE_URL"] == f"sqlite:///{DB}":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.MEDIA_ROOT = os.environ["HEARD_MEDIA_ROOT"]
    call_command("migrate", verbosity=0)

    from heard.accounts.tests.factories import StaffFactory
    from heard.core.roles import Role
    from heard.people.models import ImportBatch, Member
    from heard.people.services.imports import import_start, import_upload

    officer = StaffFactory(role=Role.ENGAGEMENT_OFFICER)
    data = make_csv(args.rows, random.Random(11))
    print(f"CSV: {args.rows:,} rows, {len(data) / 1e6:.1f} MB, database: {connection.vendor}")
    first_seconds = 0.0
    for attempt in ("first import", "same file again"):
        started = time.perf_counter()
        batch = import_upload(filename="members.csv", data=data, actor=officer)
        uploaded = time.perf_counter()
        # The immediate task backend (test settings) runs the task when the start commits.
        import_start(batch=batch, mapping=dict(batch.mapping), group=None, actor=officer)
        done = time.perf_counter()
        batch = ImportBatch.objects.get(pk=batch.pk)
        assert batch.status == ImportBatch.Status.DONE, batch.error
        seconds = done - started
        first_seconds = first_seconds or seconds
        print(
            f"{attempt:16} {seconds:6.1f} s ({uploaded - started:.1f} s upload and preview), "
            f"{batch.total_rows / seconds:,.0f} rows/s: {batch.imported_rows:,} imported, "
            f"{batch.existing_rows:,} already held, {batch.rejected_rows:,} rejected "
            f"(total {batch.total_rows:,})"
        )
    print(f"Members in the database: {Member.objects.count():,}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    verdict = "PASS" if first_seconds < 60 else "FAIL"
    print(f"Target: 50,000 rows in under 60 s: {verdict}")


if __name__ == "__main__":
    main()
