"""`manage.py evidence_pack --list` and `manage.py evidence_pack --proposal ID --out FILE`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.servicechange.evidence import selectors, services
from heard.servicechange.evidence.models import EvidencePack


class Command(BaseCommand):
    help = (
        "List proposals (id, state, title), or build a proposal's evidence pack (a ZIP with a "
        "manifest of SHA-256s, the records of the decision and its audit events) into FILE."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="One line per proposal")
        parser.add_argument("--proposal", type=int, metavar="ID")
        parser.add_argument("--out", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for proposal in selectors.proposals_for_packs():
                state = proposal.status.replace("_", " ")
                self.stdout.write(f"{proposal.pk}\t{state}\t{proposal.title}")
            return
        if options["proposal"] is None or not options["out"]:
            raise CommandError("Give --list, or --proposal ID and --out FILE.", returncode=2)
        found = selectors.proposals_for_packs().filter(pk=options["proposal"]).first()
        if found is None:
            raise CommandError(f"There is no proposal {options['proposal']}.", returncode=2)
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.", returncode=2)
        pack = services.evidence_pack_build_from_command(proposal=found)
        if pack.status != EvidencePack.Status.DONE:
            raise CommandError(f"The pack could not be built: {pack.error}", returncode=1)
        out.write_bytes(bytes(pack.data))
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {out}: {pack.files} files, SHA-256 {pack.sha256}")
        )
