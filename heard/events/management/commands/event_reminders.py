"""Remind everyone with a place at an event starting in the next two days, once per event.
Schedule it daily (or hourly), e.g.:

    0 9 * * *  cd /srv/heard && .venv/bin/python manage.py event_reminders

Links in the emails start with settings.HEARD_BASE_URL (the public address of the site).
"""

from typing import Any

from django.core.management.base import BaseCommand

from heard.events.services import event_reminders_send
from heard.people.services.retention import site_base_url


class Command(BaseCommand):
    help = (
        "Email a reminder, with a calendar file, to everyone booked on an event in the next 2 days."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = event_reminders_send(base_url=site_base_url())
        self.stdout.write(f"Event reminders sent: {sent}.")
