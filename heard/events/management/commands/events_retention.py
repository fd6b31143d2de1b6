"""Retention for event bookings. Schedule it daily, e.g.:

    15 2 * * *  cd /srv/heard && .venv/bin/python manage.py events_retention

Access needs are erased once the event is over; bookers' names and email addresses
HEARD_EVENT_BOOKINGS_KEEP_DAYS (90) days after it. The counts (booked, waiting, came,
did not come) are kept.
"""

from typing import Any

from django.core.management.base import BaseCommand

from heard.events.services import access_needs_erase, bookings_erase


class Command(BaseCommand):
    help = "Erase access needs after each event, and bookers' details some days after it."

    def handle(self, *args: Any, **options: Any) -> None:
        needs = access_needs_erase()
        bookings = bookings_erase()
        self.stdout.write(f"Access needs erased: {needs}. Bookings erased: {bookings}.")
