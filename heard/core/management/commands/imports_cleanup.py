"""`python manage.py imports_cleanup`: delete old uploaded import files and rejected rows.

Files and rejected rows of imports that ended more than HEARD_IMPORT_FILES_KEEP_DAYS ago
(or ``--days``), and uploads never taken past the column-mapping step, are deleted; the
counts are kept. Run it daily.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from heard.core.jobs import clean_all


class Command(BaseCommand):
    help = "Delete uploaded import files and rejected rows past their retention."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=settings.HEARD_IMPORT_FILES_KEEP_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        for name, counts in clean_all(options["days"]).items():
            summary = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
            self.stdout.write(f"{name}: {summary or 'nothing to delete'}")
