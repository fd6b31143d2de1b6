"""Remind, once, members who have not answered an invitation. Schedule it daily, e.g.:

    30 9 * * *  cd /srv/heard && .venv/bin/python manage.py invitation_reminders

Links in the emails start with settings.HEARD_BASE_URL (the public address of the site).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.core.actors import CLOCK
from heard.involvement.services import invitations_remind


class Command(BaseCommand):
    help = "Send one reminder to members who have not answered an invitation after N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--after-days",
            type=int,
            default=None,
            help="Days after the invitation (default: settings.HEARD_INVITATION_REMINDER_DAYS or 7).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = invitations_remind(actor=CLOCK, after_days=options["after_days"])
        self.stdout.write(f"Invitation reminders sent: {sent}.")
