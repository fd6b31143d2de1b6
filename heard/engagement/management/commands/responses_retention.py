"""Erase the personal words of responses HEARD_RESPONSE_WORDS_KEEP_DAYS after their
activity closed (0, the default, means no rule: set it from the ICB's records-management
schedule). Free text, postcodes, words beside a choice and organisation names go; the
responses, their choices and the aggregate "about you" answers stay. Run daily from cron.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.engagement.services_erasure import responses_retention


class Command(BaseCommand):
    help = "Erase responses' personal words a set number of days after their activity closed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override the setting.")

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        n = responses_retention(keep_days=days)
        self.stdout.write(f"Personal words erased from {n} response(s).")
