"""`python manage.py heard_clock`: open and close activities on time, every minute,
sign the audit chain's head when a checkpoint is due, and resume or fail background
imports left by a task worker that died (the job sweeper, heard.core.jobs), and run the
periodic safety nets when due (the insight catch-up every HEARD_INSIGHT_CATCH_UP_MINUTES).

Run one of these beside the web servers (``make run`` starts it; see docs/runbook.md).
With ``--once`` it does one pass and exits, for cron.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand

from heard.audit.services import ChainNotSigned, audit_checkpoint_if_due
from heard.core.jobs import periodic_run_due, sweep_all, sweep_task_results
from heard.core.request_context import new_request_id, set_request_id
from heard.engagement.services import activities_advance_clock


class Command(BaseCommand):
    help = "Open and close engagement activities when their times come (loops every 30 s)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=int, default=30, help="Seconds between passes.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            set_request_id(f"clock-{new_request_id()[:12]}")
            moved = activities_advance_clock()
            try:  # sign the audit chain's head when it is due (ADR 10)
                audit_checkpoint_if_due()
            except ChainNotSigned as exc:
                self.stderr.write(f"heard_clock: audit checkpoint refused: {exc}")
            # Resume or fail imports whose worker died, and fail the task results it
            # left "running" (heard.core.jobs; cheap when there are none).
            sweep_all()
            sweep_task_results()
            # The safety nets apps register (the insight catch-up, ADR 11), when due.
            periodic_run_due(monotonic=time.monotonic(), force=options["once"])
            if moved or options["once"]:
                self.stdout.write(
                    f"heard_clock: {moved} activit{'y' if moved == 1 else 'ies'} moved on."
                )
            if options["once"]:
                return
            time.sleep(options["interval"])
