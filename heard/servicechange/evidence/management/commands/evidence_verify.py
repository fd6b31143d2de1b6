"""`manage.py evidence_verify FILE`: exit 0 only when the pack verifies (and, with a
database, when its audit segment matches the live chain)."""

import json
import zipfile
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from heard.servicechange.evidence import verify


class Command(BaseCommand):
    help = (
        "Verify an evidence pack: every file against the manifest, the audit events' hashes "
        "and links, the signed checkpoint; then, unless --offline, the live audit chain."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--offline", action="store_true", help="Do not compare with this database's chain"
        )
        parser.add_argument(
            "--key-id",
            action="append",
            default=[],
            metavar="ID",
            help="A published audit key id the pack must be signed with (besides this "
            "server's keys unless --offline)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trusted: list[str] = list(options["key_id"])
        if not options["offline"]:
            from heard.audit import keys

            trusted += list(keys.known_public_keys())
        check = verify.verify_pack(options["file"], trusted_key_ids=trusted)
        problems = list(check.problems)
        live_note = "not compared with a live chain (--offline)"
        if not options["offline"] and check.last_sequence is not None:
            from heard.servicechange.evidence.selectors import live_chain_problems

            try:
                with zipfile.ZipFile(options["file"]) as archive:
                    checkpoints = json.loads(archive.read(verify.CHECKPOINTS))
                problems += live_chain_problems(check, checkpoints=checkpoints)
                live_note = "consistent with the live audit chain"
            except DatabaseError as exc:
                live_note = f"not compared with a live chain (no database: {exc})"
            except (KeyError, ValueError, zipfile.BadZipFile):
                pass  # already reported by the offline check
        for problem in problems:
            self.stderr.write(f"FAIL {problem}")
        if problems:
            raise CommandError(f"The evidence pack does not verify: {problems[0]}", returncode=1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Evidence pack verified: {check.files_checked} files, {check.events_checked} "
                f"audit events ({check.first_sequence}-{check.last_sequence}), "
                f"{check.checkpoints_checked} signed checkpoint(s), key {check.key_id}; "
                f"{live_note}."
            )
        )
