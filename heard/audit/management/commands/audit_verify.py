"""`python manage.py audit_verify`: walk the hash chain; exit 1 naming the first broken event."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain. Exit 0 if intact, 1 naming the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain intact: {result.verified} events verified.")
            )
            return
        where = (
            f"event #{result.broken_sequence} (row id {result.broken_pk})"
            if result.broken_pk is not None
            else f"after event #{result.verified}"
        )
        raise CommandError(
            f"Audit chain BROKEN at {where}: {result.reason}. "
            f"{result.verified} events before it verified.",
            returncode=1,
        )
