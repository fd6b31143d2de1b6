"""How django-allauth behaves in Heard."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from heard.core.ratelimit import address_subject, client_address


class HeardAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts are created by an administrator; the public joins through the
        # membership scheme, not through this sign-up form.
        return False

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        # Passwords are for staff: a member of the public signs in by emailed link, and a
        # password set through a reset would open the staff sign-in to them.
        if not getattr(user, "is_staff_member", False):
            return
        super().send_password_reset_mail(user, email, context)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "too_many_login_attempts":
                from heard.accounts.receivers import sign_in_locked_out
                from heard.accounts.selectors import user_find_by_email

                email = str(credentials.get("email") or "")
                sign_in_locked_out(
                    user=user_find_by_email(email) if email else None, step="password"
                )
            raise

    def get_client_ip(self, request: HttpRequest) -> str:
        # The one function every rate limit uses (HEARD_TRUSTED_PROXY_COUNT), not the
        # proxy's address: behind a proxy, everyone would share one lock-out.
        return client_address(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Failed sign-ins are counted per account *and* address: someone guessing a
        # colleague's password from their own machine locks out only themselves, never
        # the colleague (nor, with the per-address limit, the whole site).
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{address_subject(client_address(request))}"


class HeardMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Two-factor sign-in is mandatory for staff: they may not switch their app off.
        user: Any = authenticator.user
        if authenticator.type == Authenticator.Type.TOTP and getattr(user, "role", ""):
            return False
        return super().can_delete_authenticator(authenticator)
