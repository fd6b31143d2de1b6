"""Benchmark: analysis of the demo survey inside the app (issue 5, "In the app").

Builds a throwaway SQLite database (or the PostgreSQL server named by DATABASE_URL),
loads the demo survey (3,000 responses, ~2,700 answers to "Tell us about your
experience"), then times, through the app's own services and pages:

1. a first run (new codeframe; classifier learns from the proposed grouping), with the
   time of each stage as the progress page would show it;
2. people reviewing 60 answers (accept the first suggestion, reject the rest) – time per
   decision;
3. a second run, trained on people's coding (≥ 20 answers), with agreement per theme;
4. the staff pages (question, codeframe, review item, agreement, groups): median of 5.

    .venv/bin/python benchmarks/analysis_run.py
"""

import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "heard-bench-analysis.sqlite3"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
    if os.environ["DATABASE_URL"] == f"sqlite:///{DB}":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from heard.accounts.tests.factories import StaffFactory
    from heard.analysis import selectors, services
    from heard.analysis.models import AnalysisRun, AnswerAnalysis, Coding
    from heard.core.roles import Role
    from heard.demo import engagement as engagement_demo
    from heard.engagement.models import Question

    setup_test_environment()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    # The demo acts as its officer and administrator (demo_load makes them first).
    StaffFactory(role=Role.ENGAGEMENT_OFFICER, email=engagement_demo.OFFICER_EMAIL)
    StaffFactory(role=Role.ADMINISTRATOR, email=engagement_demo.ADMIN_EMAIL)
    t = time.perf_counter()
    engagement_demo.load()
    print(f"demo survey loaded in {time.perf_counter() - t:.1f} s ({connection.vendor})")
    question = Question.objects.get(
        text=engagement_demo.EXPERIENCE_QUESTION,
        version__questionnaire__activity__slug=engagement_demo.DEMO_SURVEY_SLUG,
    )
    analyst = StaffFactory(role=Role.ANALYST)
    services._enqueue = lambda run_id: None  # this script plays the worker

    def timed_run(label: str) -> AnalysisRun:
        stages: list[tuple[str, float]] = []
        original = services._Progress.__call__

        def spy(self, done, total, stage, *, force=False):  # type: ignore[no-untyped-def]
            if not stages or stages[-1][0] != stage:
                stages.append((stage, time.perf_counter()))
            original(self, done, total, stage, force=force)

        services._Progress.__call__ = spy  # type: ignore[method-assign]
        run = services.analysis_run_start(question=question, actor=analyst)
        start = time.perf_counter()
        services.analysis_run_execute(run_id=run.pk)
        end = time.perf_counter()
        services._Progress.__call__ = original  # type: ignore[method-assign]
        run.refresh_from_db()
        print(f"{label}: {run.status} in {end - start:.1f} s – {run.summary}")
        marks = [*stages, ("(end)", end)]
        for (stage, at), (_, nxt) in itertools.pairwise(marks):
            print(f"    {nxt - at:6.2f} s  {stage}")
        return run

    timed_run("first run")
    decide: list[float] = []
    for aa in list(selectors.review_queue(question)[:60]):
        for i, coding in enumerate(Coding.objects.filter(answer_id=aa.answer_id)):
            t = time.perf_counter()
            services.coding_decide(coding=coding, actor=analyst, accept=i == 0)
            decide.append(time.perf_counter() - t)
        if not Coding.objects.filter(answer_id=aa.answer_id).exists():
            services.answer_reviewed(analysis=aa, actor=analyst)
    print(
        f"{len(decide)} review decisions: median {1000 * statistics.median(decide):.0f} ms, "
        f"max {1000 * max(decide):.0f} ms"
    )
    timed_run("second run (trained on people's coding)")
    for row in selectors.agreement_table(question):
        if row.answers:
            print(
                f"    agreement {row.theme!r}: {row.percent}% kappa {row.kappa} (n={row.answers})"
            )

    client = Client()
    client.force_login(analyst)
    item = selectors.next_in_queue(question)
    assert item is not None
    pages = {
        "question": reverse("analysis:question", kwargs={"pk": question.pk}),
        "codeframe": reverse("analysis:codeframe", kwargs={"pk": question.pk}),
        "review item": reverse("analysis:review_answer", kwargs={"pk": item.answer_id}),
        "agreement": reverse("analysis:agreement", kwargs={"pk": question.pk}),
        "groups": reverse("analysis:groups", kwargs={"pk": question.pk}),
    }
    for name, url in pages.items():
        times = []
        for _ in range(5):
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
        print(
            f"page {name}: HTTP {response.status_code}, median "
            f"{1000 * statistics.median(times):.0f} ms"
        )
    print(f"answers analysed: {AnswerAnalysis.objects.filter(question=question).count()}")


if __name__ == "__main__":
    main()
