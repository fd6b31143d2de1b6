"""How django-allauth behaves in Heard."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class HeardAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts are created by an administrator; the public joins through the
        # membership scheme, not through this sign-up form.
        return False


class HeardMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Two-factor sign-in is mandatory for staff: they may not switch their app off.
        user: Any = authenticator.user
        if authenticator.type == Authenticator.Type.TOTP and getattr(user, "role", ""):
            return False
        return super().can_delete_authenticator(authenticator)
