"""`python manage.py jobs_sweep`: resume or fail imports left by a task worker that died.

Each app's sweeper (heard.core.jobs) finds its jobs whose heartbeat is older than
HEARD_JOB_STALE_MINUTES and queues them again from their last committed chunk, or marks
them failed after HEARD_JOB_MAX_ATTEMPTS. heard_clock runs it every few minutes; run it
from cron if heard_clock is not used. Also marks failed the task results the worker left
"running" (see heard.core.jobs.sweep_task_results).
"""

from typing import Any

from django.core.management.base import BaseCommand

from heard.core.jobs import sweep_all, sweep_task_results


class Command(BaseCommand):
    help = "Resume or fail background imports whose worker stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, result in sweep_all().items():
            self.stdout.write(f"{name}: {result.resumed} resumed, {result.failed} failed")
        self.stdout.write(f"task results left running: {sweep_task_results()} marked failed")
