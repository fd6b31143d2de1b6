"""Benchmark: exporting 100,000 responses as CSV, XLSX and JSON (never run as a test).

Builds a throwaway SQLite database, bulk-inserts an activity whose questionnaire has two
versions (six questions, two of them free text, one asked only in version 1) and
100,000 responses with their answers and the insight bank's redacted copies, then makes
each export the way the task does (``export_execute``) and prints the time, the peak
Python memory (tracemalloc) and the file's size.

    .venv/bin/python benchmarks/exports_responses.py [--responses 100000] [--formats csv xlsx json]
        [--no-trace]

Measured (7 Dec 2026, SQLite, the 2-core shared development machine, load about 3,
without tracemalloc; wall / CPU seconds, file size, the process's peak RSS):

    csv   100,000 rows  11 s /  9 s  21.8 MiB  141 MiB
    json  100,000 rows  11 s /  7 s  39.0 MiB  196 MiB
    xlsx  100,000 rows  53 s / 35 s   6.5 MiB  196 MiB

Under tracemalloc (and a load of 11) the CSV took 161 s with a peak of 45 MiB of Python
objects – the file itself is most of it; responses are read 1,000 at a time.
"""

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "heard-bench-exports.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx", "json"])
    parser.add_argument(
        "--no-trace", action="store_true", help="time without tracemalloc (it slows openpyxl)"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.test")
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from heard.accounts.tests.factories import StaffFactory
    from heard.core.roles import Role
    from heard.engagement.models import Answer, Response
    from heard.exports import services
    from heard.exports.models import Export
    from heard.exports.tests.helpers import make_activity_with_versions
    from heard.insight.models import Insight

    rng = random.Random(7)
    made = make_activity_with_versions()
    activity, questionnaire = made["activity"], made["questionnaire"]
    q1, q2 = made["q1"], made["q2"]
    v1, v2 = q1["views"].version, q2["views"].version
    Response.objects.filter(questionnaire=questionnaire).delete()
    words = [
        "bus",
        "parking",
        "waiting",
        "staff",
        "kind",
        "appointment",
        "phone",
        "GP",
        "nurse",
        "late",
        "travel",
        "cost",
    ]
    started = time.perf_counter()
    now = timezone.now()
    batch = 5000
    for start in range(0, args.responses, batch):
        responses = [
            Response(
                activity=activity,
                questionnaire=questionnaire,
                version=v1 if i % 3 else v2,
                channel=rng.choice(["online", "online", "paper", "phone", "event"]),
                submitted_at=now,
                reference=f"B{i:09d}",
            )
            for i in range(start, min(start + batch, args.responses))
        ]
        Response.objects.bulk_create(responses)
        answers = []
        for r in responses:
            qs = q1 if r.version_id == v1.pk else q2
            answers.append(
                Answer(
                    response=r,
                    question=qs["views"],
                    text=" ".join(rng.choices(words, k=rng.randint(8, 40))),
                )
            )
            answers.append(
                Answer(response=r, question=qs["choice"], value=rng.choice(["yes", "no"]))
            )
            if "postcode" in qs:
                answers.append(Answer(response=r, question=qs["postcode"], text="NR1 3SR"))
            if "extra" in qs:
                answers.append(
                    Answer(response=r, question=qs["extra"], text="=1+1 " + rng.choice(words))
                )
        Answer.objects.bulk_create(answers)
        Insight.objects.bulk_create(
            [
                Insight(
                    text=a.text,
                    redacted_text=a.text,
                    source="response",
                    occurred_on=now.date(),
                    response=a.response,
                    answer=a,
                )
                for a in answers
                if a.question.is_free_text
            ]
        )
    print(
        f"{args.responses:,} responses, {Answer.objects.count():,} answers built in "
        f"{time.perf_counter() - started:.0f} s"
    )
    officer = StaffFactory(role=Role.ENGAGEMENT_OFFICER)
    for fmt in args.formats:
        for redacted in (True,):
            export = Export.objects.create(
                kind="responses",
                format=fmt,
                activity=activity,
                redacted=redacted,
                requested_by=officer,
            )
            if not args.no_trace:
                tracemalloc.start()
            t0 = time.perf_counter()
            c0 = time.process_time()
            done = services.export_execute(export_id=export.pk)
            seconds = time.perf_counter() - t0
            _, peak = tracemalloc.get_traced_memory() if not args.no_trace else (0, 0)
            tracemalloc.stop()
            assert done.status == "done", done.error
            print(
                f"{fmt:5} {done.rows:,} rows in {seconds:.1f} s "
                f"(CPU {time.process_time() - c0:.1f} s), peak Python memory "
                f"{peak / 2**20:.0f} MiB (tracemalloc), file {done.size / 2**20:.1f} MiB"
            )


if __name__ == "__main__":
    main()
