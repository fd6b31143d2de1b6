"""`python manage.py demo_totp EMAIL`: the current two-factor code of a demo account."""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current TOTP code (and secret) of a demo account. DEBUG only."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if not settings.DEBUG or not email.endswith("@demo.heard.example"):
            raise CommandError("demo_totp only works for demo accounts with DJANGO_DEBUG on.")
        auth = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
        if auth is None:
            raise CommandError(
                f"No demo account with an authenticator app: {email}. Run demo_load."
            )
        secret = decrypt(auth.data["secret"])
        counters = list(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
        self.stdout.write(f"{email}: code {code}  (secret {secret})")
