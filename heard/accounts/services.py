"""Writing accounts: creating staff and changing roles, each audited."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction

from heard.accounts.models import User
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.mail import mail_send_on_commit
from heard.core.roles import Role


def _administrators_left(excluding: User) -> int:
    return (
        User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
        .exclude(pk=excluding.pk)
        .count()
    )


class AccountError(ValueError):
    """A request about accounts that cannot be carried out, with a message for the user."""


def user_create(
    *,
    email: str,
    full_name: str = "",
    role: Role | str = "",
    password: str | None = None,
    actor: Any = None,
) -> User:
    """Create a user (a staff member if ``role`` is set). Raises AccountError if the email is taken."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(f"An account with the email address {email} already exists.")
    if role and role not in Role.values:
        raise AccountError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, role=str(role)
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        audit_record(
            action=Action.USER_CREATED, actor=actor, subject=user, after={"role": str(role)}
        )
    return user


def user_role_change(*, user: User, role: Role | str, actor: Any = None) -> User:
    """Give ``user`` a new role ("" makes them a member of the public).

    Refuses to remove the last active administrator, so nobody can lock everyone out.
    """
    if role and role not in Role.values:
        raise AccountError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
    if (
        user.role == Role.ADMINISTRATOR
        and role != Role.ADMINISTRATOR
        and not _administrators_left(user)
    ):
        raise AccountError(
            "This is the only administrator. Make someone else an administrator first."
        )
    with transaction.atomic():
        before = user.role
        if before == role:
            return user
        user.role = str(role)
        user.save(update_fields=["role"])
        audit_record(
            action=Action.USER_ROLE_CHANGED,
            actor=actor,
            subject=user,
            before={"role": before},
            after={"role": str(role)},
        )
    return user


def user_set_active(*, user: User, active: bool, actor: Any = None) -> User:
    """Switch a staff account off (or back on). A switched-off account cannot sign in.

    Refuses to switch off the last active administrator, or the actor's own account.
    """
    if user.is_active == active:
        return user
    if not active and actor is not None and getattr(actor, "pk", None) == user.pk:
        raise AccountError("You cannot switch off your own account.")
    if not active and user.role == Role.ADMINISTRATOR and not _administrators_left(user):
        raise AccountError(
            "This is the only administrator. Make someone else an administrator first."
        )
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            action=Action.USER_ACTIVATED if active else Action.USER_DEACTIVATED,
            actor=actor,
            subject=user,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return user


def user_two_factor_reset(*, user: User, actor: Any = None) -> None:
    """Remove a staff member's authenticator app and recovery codes (e.g. a lost phone).

    They will be asked to set up a new app at their next sign-in.
    """
    with transaction.atomic():
        removed, _ = Authenticator.objects.filter(user=user).delete()
        audit_record(
            action=Action.USER_TWO_FACTOR_DISABLED,
            actor=actor,
            subject=user,
            after={"reset_by_administrator": True, "authenticators_removed": removed},
        )


def staff_invite(
    *, email: str, full_name: str, role: Role | str, actor: Any, set_password_url: Any
) -> User:
    """Create a staff account with no password and email a link to set one.

    ``set_password_url(user) -> str`` builds the absolute link (the view knows the host).
    """
    if not role:
        raise AccountError("Choose a role for the new staff member.")
    with transaction.atomic():
        user = user_create(email=email, full_name=full_name, role=role, password=None, actor=actor)
        mail_send_on_commit(
            to=[user.email],
            template="accounts/email/staff_invite",
            context={"user": user, "role": Role(role).label, "link": set_password_url(user)},
        )
    return user


def user_sso_link(*, user: User, provider: str) -> None:
    """Audit the first single sign-on of a staff account (linked by its email address)."""
    with transaction.atomic():
        audit_record(
            action=Action.USER_SSO_LINKED,
            actor=user,
            subject=user,
            after={"provider": provider},
        )


def user_sso_refused(*, user: User | None, provider: str, reason: str) -> None:
    """Audit a refused single sign-on: the identity provider vouched for someone who has
    no active staff account here. No email address or claim is written to the trail."""
    with transaction.atomic():
        audit_record(
            action=Action.USER_SIGN_IN_FAILED,
            subject=user if user else ("accounts.user", "unknown"),
            after={"reason": f"single sign-on refused: {reason}", "provider": provider},
        )
