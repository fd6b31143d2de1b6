"""Erase one response's personal words, by the reference on the person's receipt.

    manage.py response_erase HRD-1234-ABCD

Free-text and postcode answers are deleted (with their insights and analysis), words
typed beside a choice are blanked, the "about you" answers and organisation name are
deleted; the response and its choices stay, so totals hold. For a formal consultation,
check with the data protection officer first (UK GDPR Art. 17(3)): see
docs/record-of-processing.md.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.engagement.services_erasure import ResponseNotFound, response_erase


class Command(BaseCommand):
    help = "Erase one response's personal words (free text, postcode, 'about you'), by reference."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference")

    def handle(self, *args: Any, reference: str, **options: Any) -> None:
        try:
            result = response_erase(reference=reference)
        except ResponseNotFound as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Erased: {result['answers']} answers deleted, {result['blanked']} blanked, "
            f"{result['equality']} 'about you' record(s) deleted."
        )
