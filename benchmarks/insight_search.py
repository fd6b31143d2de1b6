"""Benchmark: insight search over 1,000,000 insights (target: p95 <= 300 ms).

Builds a throwaway database – SQLite file by default, or the PostgreSQL server named by
DATABASE_URL – runs the migrations, bulk-inserts N insights (real NHS Friends and
Family Test comments from /work/shared/data/nhs-patient-feedback, MIT licence,
copyright NHS England, each combined with made-up PALS-style sentences so no two are
the same), populates the full-text index, then times ``insight_search`` – the code
the search page runs: count, best-match ranking, one page of 20, loading the rows –
for ~200 realistic queries: single words, two-word phrases, and either with a locality
filter. Prints the build time and median / p95 / max in ms per query type and overall.

    .venv/bin/python benchmarks/insight_search.py [--insights 1000000] [--queries 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:55432/heard_bench .venv/bin/python \
        benchmarks/insight_search.py

On PostgreSQL, use a server with a realistic cache (the figures in the report used
shared_buffers=1GB, effective_cache_size=8GB, and pg_prewarm of the table and indexes,
as a running server would be warm); the default 128 MB cache reads from the OS per query.

Redaction and sentiment are skipped for the bulk insert (redacted_text = text): they
do not affect search speed, and would take hours for a million rows.
"""

import argparse
import csv
import itertools
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "heard-bench-insight.sqlite3"
FFT = Path("/work/shared/data/nhs-patient-feedback/text_data.csv")
EXTRA = [
    "The appointment letter arrived late.",
    "Parking at the hospital was impossible.",
    "Nobody called me back about my referral.",
    "The receptionist was very helpful on the phone.",
    "We waited four hours in A&E.",
    "My prescription was not ready at the pharmacy.",
    "The bus does not run early enough for morning clinics.",
    "The ward was clean and the food was good.",
    "I could not get an NHS dentist anywhere nearby.",
    "The mental health team were kind but the waiting list is long.",
    "Discharge was rushed and transport home was not arranged.",
    "The online booking kept failing.",
]


def _texts(rng: random.Random) -> list[str]:
    try:
        with FFT.open(encoding="utf-8", newline="") as handle:
            base = [r["feedback"].strip() for r in csv.DictReader(handle) if r["feedback"].strip()]
    except OSError:
        base = EXTRA
    return base


def build(n: int, rng: random.Random) -> float:
    from django.db import connection, transaction

    from heard.insight.facets import facets_for
    from heard.people.postcodes import LOCALITIES

    base = _texts(rng)
    sources = ["pals", "complaint", "fft", "healthwatch", "survey", "other"]
    today = date(2026, 11, 1)
    started = time.perf_counter()
    chunk = 20_000
    vendor = connection.vendor
    cols = (
        "id, text, redacted_text, source, channel, occurred_on, locality, service, themes, "
        "sentiment, created_at"
    )
    marks = ", ".join(["%s"] * 11)
    sql = f"INSERT INTO insight_insight ({cols}) VALUES ({marks})"  # noqa: S608
    now = "2026-11-01T00:00:00+00:00"
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS insight_fts_gin")
    next_id = 1
    for start in range(0, n, chunk):
        rows = []
        fts_rows = []
        for _ in range(min(chunk, n - start)):
            text = f"{rng.choice(base)} {rng.choice(EXTRA)}"
            source, locality = rng.choice(sources), rng.choice(LOCALITIES)
            day = today - timedelta(days=rng.randrange(1500))
            facets = facets_for(locality=locality, source=source, topic_slugs=[], occurred_on=day)
            fts_rows.append((next_id, text, facets))
            next_id += 1
            rows.append(
                (
                    next_id - 1,
                    text,
                    text,
                    source,
                    "online",
                    day.isoformat(),
                    locality,
                    "",
                    "[]",
                    "",
                    now,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            if vendor == "sqlite":
                cursor.executemany(
                    "INSERT INTO insight_fts(rowid, text, facets) VALUES (%s, %s, %s)", fts_rows
                )
        print(f"  inserted {start + len(rows):,}", end="\r", flush=True)
    inserted = time.perf_counter() - started
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("INSERT INTO insight_fts(insight_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(
                "CREATE INDEX insight_fts_gin ON insight_insight USING gin (search_vector)"
            )
            cursor.execute("ANALYZE insight_insight")
    total = time.perf_counter() - started
    print(
        f"Built {n:,} insights on {vendor}: rows (with full-text rows on SQLite) "
        f"{inserted:.1f} s, index build/optimise and analyse {total - inserted:.1f} s, "
        f"total {total:.1f} s"
    )
    return total


def queries(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, query text, locality) – words and bigrams drawn from the comments as
    people would type them: mostly common words, some rarer ones."""
    from heard.insight.keywords import STOPWORDS
    from heard.people.postcodes import LOCALITIES

    words: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for text in _texts(rng)[:5000] + EXTRA * 50:
        tokens = [t for t in re.findall(r"[a-z]+", text.lower()) if len(t) > 2]
        words.update(t for t in tokens if t not in STOPWORDS)
        bigrams.update(f'"{a} {b}"' for a, b in itertools.pairwise(tokens) if a not in STOPWORDS)
    common = [w for w, _ in words.most_common(300)]
    rarer = [w for w, c in words.items() if 3 <= c <= 10][:500]
    phrases = [p for p, _ in bigrams.most_common(200)]
    out = []
    for i in range(count):
        kind = ["word", "phrase", "word+place", "phrase+place", "word+dates"][i % 5]
        if kind.startswith("word"):
            q = rng.choice(common) if rng.random() < 0.7 else rng.choice(rarer)
        else:
            q = rng.choice(phrases)
        place = rng.choice(LOCALITIES) if kind.endswith("place") else ""
        out.append((kind, q, place))
    return out


def run(plan: list[tuple[str, str, str]]) -> None:
    from heard.insight.selectors import InsightFilter, insight_search

    def search(kind: str, q: str, place: str) -> int:
        dates = {"date_from": date(2025, 4, 1), "date_to": date(2026, 3, 31)}
        extra = dates if kind.endswith("dates") else {}
        return insight_search(InsightFilter(q=q, locality=place, **extra)).total

    for kind, q, place in plan[:10]:  # warm the caches as a running server would be
        search(kind, q, place)
    timings: dict[str, list[float]] = {}
    hits: list[int] = []
    for kind, q, place in plan:
        started = time.perf_counter()
        hits.append(search(kind, q, place))
        elapsed = (time.perf_counter() - started) * 1000
        timings.setdefault(kind, []).append(elapsed)
        timings.setdefault("all", []).append(elapsed)

    def p95(values: list[float]) -> float:
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

    median_hits = int(statistics.median(hits))
    print(f"{len(plan)} queries, matches per query: median {median_hits:,}, max {max(hits):,}")
    print(f"{'query type':<14} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for kind in ["word", "phrase", "word+place", "phrase+place", "word+dates", "all"]:
        values = timings[kind]
        print(
            f"{kind:<14} {len(values):>4} {statistics.median(values):>10.1f} "
            f"{p95(values):>8.1f} {max(values):>8.1f}"
        )
    verdict = "MEETS" if p95(timings["all"]) <= 300 else "MISSES"
    print(f"Target p95 <= 300 ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--insights", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--reuse", action="store_true", help="Query the database built by an earlier run."
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    if os.environ["DATABASE_URL"] == f"sqlite:///{DB}" and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    rng = random.Random(7)
    if not args.reuse:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
        build(args.insights, rng)
    run(queries(args.queries, rng))


if __name__ == "__main__":
    main()
