"""Make every insight still owed for a stored free-text answer.

Online responses get their insights from a background task queued after they commit
(ADR 7). If a server stops between the commit and the task, the answers are stored but
their insights are not; this finds them and makes them. Run it after a restart, and
from cron every few minutes (when nothing is missing it costs one query, which reads
the free-text answers that have no insight through the unique index on the insight side).
"""

from typing import Any

from django.core.management.base import BaseCommand

from heard.insight.receivers import insights_catch_up


class Command(BaseCommand):
    help = "Make the insights still missing for stored free-text answers."

    def handle(self, *args: Any, **options: Any) -> None:
        made = insights_catch_up()
        self.stdout.write(f"{made} insights made for answers that had none.")
