"""Delete export files older than HEARD_EXPORTS_KEEP_HOURS (run it daily, or hourly)."""

from typing import Any

from django.core.management.base import BaseCommand

from heard.exports.services import exports_cleanup, keep_hours


class Command(BaseCommand):
    help = "Delete the files of exports made more than HEARD_EXPORTS_KEEP_HOURS ago."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=int, default=None, help="Override the setting.")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"] if options["hours"] is not None else keep_hours()
        n = exports_cleanup(hours=hours)
        self.stdout.write(
            f"Deleted {n} export file{'s' if n != 1 else ''} older than {hours} hours."
        )
