"""`python manage.py audit_checkpoint [--if-due]`: sign the audit chain's head (ADR 10).

Legally significant acts sign the head as they commit; ``heard_clock`` runs the timer's
checkpoint (``--if-due``: only when the head has moved and the last checkpoint is older
than ``HEARD_AUDIT_CHECKPOINT_MINUTES``). Cron can run it too.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.audit.services import ChainNotSigned, audit_checkpoint, audit_checkpoint_if_due


class Command(BaseCommand):
    help = "Sign the audit chain's head with the key held outside the database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="Only if the head has moved and the last checkpoint is old enough.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = (
                audit_checkpoint_if_due()
                if options["if_due"]
                else audit_checkpoint(reason="command")
            )
        except ChainNotSigned as exc:
            raise CommandError(
                f"Not signed: {exc}. Run `manage.py audit_verify` to see where.", returncode=1
            ) from exc
        if checkpoint is None:
            self.stdout.write("No checkpoint made (nothing new to sign, or no signing key).")
            return
        self.stdout.write(
            f"Checkpoint {checkpoint.number}: event #{checkpoint.sequence} "
            f"{checkpoint.head_hash} signed with key {checkpoint.key_id}."
        )
