"""Apply the retention rules once. Schedule it daily, e.g. from cron:

    15 3 * * *  cd /srv/heard && .venv/bin/python manage.py retention_run

or a systemd timer (OnCalendar=daily) running the same command. ``--dry-run`` counts who
would be reminded and erased without changing anything. (Reminders for unanswered
invitations are a separate command: ``invitation_reminders``.)
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.people.services.retention import retention_run


class Command(BaseCommand):
    help = "Apply the retention rules (remind inactive members, erase long-inactive ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention_run(dry_run=options["dry_run"])
        verb = "would be" if run.dry_run else "were"
        self.stdout.write(
            f"Retention run {run.pk}: {run.reminded} member(s) {verb} reminded, "
            f"{run.erased} {verb} erased."
        )
