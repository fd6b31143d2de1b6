"""Erase the access needs people gave when booking, once their event is over. Schedule it
daily, e.g.:

    15 2 * * *  cd /srv/heard && .venv/bin/python manage.py event_access_needs_erase
"""

from typing import Any

from django.core.management.base import BaseCommand

from heard.events.services import access_needs_erase


class Command(BaseCommand):
    help = "Delete the access needs of bookings for events that are over."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = access_needs_erase()
        self.stdout.write(f"Access needs erased: {erased}.")
