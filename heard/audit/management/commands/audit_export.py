"""`python manage.py audit_export [--output FILE]`: write the audit trail as JSON lines."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from heard.audit.selectors import audit_export_lines


class Command(BaseCommand):
    help = "Write every audit event, oldest first, as JSON lines (to stdout or --output)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        out = open(options["output"], "w", encoding="utf-8") if options["output"] else sys.stdout  # noqa: SIM115
        try:
            for line in audit_export_lines():
                out.write(line)
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"{count} events exported.")
