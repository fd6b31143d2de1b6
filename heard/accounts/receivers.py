"""Audit events for sign-in and account security, from allauth's and Django's signals.

These are notifications from libraries we do not own, so signals are the right seam;
Heard's own writes call ``audit_record`` directly from their services.
"""

from typing import Any

from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from heard.accounts.models import User
from heard.accounts.selectors import user_find_by_email
from heard.audit.models import Action
from heard.audit.services import audit_record


def _record(action: Action, user: Any, after: dict[str, Any] | None = None) -> None:
    subject = user if isinstance(user, User) else None
    with transaction.atomic():
        audit_record(action=action, actor=user, subject=subject, after=after)


@receiver(user_logged_in)
def on_signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(Action.USER_SIGNED_IN, user)


@receiver(user_logged_out)
def on_signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        _record(Action.USER_SIGNED_OUT, user)


@receiver(user_login_failed)
def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # No email address in the trail: only the account's id, if the account exists.
    email = str(credentials.get("email") or credentials.get("username") or "")
    user = user_find_by_email(email) if email else None
    with transaction.atomic():
        audit_record(
            action=Action.USER_SIGN_IN_FAILED,
            subject=user if user else ("accounts.user", "unknown"),
            after={"reason": "wrong email or password"},
        )


@receiver(password_changed)
def on_password_changed(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(Action.USER_PASSWORD_CHANGED, user)


@receiver(password_reset)
def on_password_reset(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(Action.USER_PASSWORD_RESET, user)


@receiver(authenticator_added)
def on_authenticator_added(
    sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        _record(Action.USER_TWO_FACTOR_ENABLED, user, {"type": "totp"})


@receiver(authenticator_removed)
def on_authenticator_removed(
    sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        _record(Action.USER_TWO_FACTOR_DISABLED, user, {"type": "totp"})


@receiver(authentication_failed)
def on_two_factor_failed(
    sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    # A wrong app or recovery code after the right password: someone may hold the
    # password. Audited like a wrong password, with the step named.
    reason = (
        "wrong code when confirming again"
        if kwargs.get("reauthentication")
        else ("wrong two-factor code")
    )
    with transaction.atomic():
        audit_record(action=Action.USER_SIGN_IN_FAILED, subject=user, after={"reason": reason})


def sign_in_locked_out(*, user: User | None, step: str) -> None:
    """Audit a refused attempt: too many failures for this account from this address."""
    with transaction.atomic():
        audit_record(
            action=Action.USER_SIGN_IN_FAILED,
            subject=user if user else ("accounts.user", "unknown"),
            after={"reason": f"locked out: too many failed attempts ({step})"},
        )
