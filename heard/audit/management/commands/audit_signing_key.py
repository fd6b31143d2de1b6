"""`python manage.py audit_signing_key`: print the public key checkpoints are signed with.

``--new FILE`` makes a new private key in FILE (readable by its owner only), to be kept
outside the repository and the database and named by ``HEARD_AUDIT_SIGNING_KEY_FILE``.
"""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from heard.audit import keys, signing


class Command(BaseCommand):
    help = "Print the audit signing key's public half (PEM, base64 and key id), or make a key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--new", metavar="FILE", help="Write a new private key to FILE.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new"]:
            self._new(Path(options["new"]).expanduser().resolve())
            return
        public = keys.public_key()
        if public is None:
            raise CommandError(
                "No audit signing key is configured (HEARD_AUDIT_SIGNING_KEY_FILE).", returncode=1
            )
        self.stdout.write(signing.public_pem(public).rstrip())
        self.stdout.write(f"base64: {signing.public_base64(public)}")
        self.stdout.write(f"key id: {signing.key_id(public)}")

    def _new(self, path: Path) -> None:
        if Path(settings.BASE_DIR).resolve() in path.parents:
            raise CommandError(
                "Refused: the key would be inside the repository. Keep it elsewhere.",
                returncode=2,
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"Refused: {path} already exists.", returncode=2) from exc
        key = signing.new_private_key()
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(signing.private_pem(key))
        self.stdout.write(f"New audit signing key written to {path}.")
        self.stdout.write(f"key id: {signing.key_id(key.public_key())}")
