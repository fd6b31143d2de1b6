"""`python manage.py audit_verify`: walk the hash chain and check it against its signed
checkpoints; exit 1 naming where it breaks (ADR 2, ADR 10)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.audit import signing
from heard.audit.selectors import audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain and its signed checkpoints. Exit 0 if intact, "
        "1 naming the first broken event or where the chain stops matching its checkpoints."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="FILE",
            help="A published public key (PEM) to verify checkpoints with, besides the "
            "configured ones; for checking a copy of the database without the private key.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            extra = [
                signing.load_public_key(Path(p).read_text(encoding="ascii"))
                for p in options["public_key"]
            ]
        except (OSError, signing.KeyUnreadable) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        result = audit_verify(extra)
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain intact: {result.verified} events verified.")
            )
            if result.checkpoint_number is None:
                self.stdout.write(
                    self.style.WARNING(
                        "No signed checkpoint yet: the chain is only consistent with itself "
                        "(run `manage.py audit_checkpoint`)."
                    )
                )
            else:
                signed = f"{result.checkpoint_signed_at:%d %b %Y %H:%M:%S %Z}"
                self.stdout.write(
                    f"It matches all {result.checkpoints_checked} signed checkpoints; the "
                    f"last, number {result.checkpoint_number}, signed event "
                    f"#{result.checkpoint_sequence} on {signed}. "
                    f"{result.unsigned_events} events since are not yet signed."
                )
            return
        if result.kind == "text":
            raise CommandError(f"Audit chain intact, but {result.reason}.", returncode=1)
        if result.kind == "checkpoint":
            raise CommandError(
                f"Audit chain does NOT MATCH its signed checkpoints: {result.reason}. "
                f"{result.checkpoints_checked} checkpoints before it verified.",
                returncode=1,
            )
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
