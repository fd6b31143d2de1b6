"""Apply the retention rules once. Schedule it daily, e.g. from cron:

    15 3 * * *  cd /srv/heard && .venv/bin/python manage.py retention_run

or a systemd timer (OnCalendar=daily) running the same command. ``--dry-run`` counts who
would be reminded and erased without changing anything. ``--reminders`` also sends the
once-only reminders for invitations nobody has answered.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.involvement.services import invitations_remind
from heard.people.services.retention import retention_run


class Command(BaseCommand):
    help = "Apply the retention rules (remind inactive members, erase long-inactive ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")
        parser.add_argument(
            "--reminders",
            action="store_true",
            help="Also remind members who have not answered an invitation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention_run(dry_run=options["dry_run"])
        verb = "would be" if run.dry_run else "were"
        self.stdout.write(
            f"Retention run {run.pk}: {run.reminded} member(s) {verb} reminded, "
            f"{run.erased} {verb} erased."
        )
        if options["reminders"] and not options["dry_run"]:
            sent = invitations_remind()
            self.stdout.write(f"Invitation reminders sent: {sent}.")
