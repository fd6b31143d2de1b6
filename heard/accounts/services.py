"""Writing accounts: creating staff and changing roles, each audited."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from heard.accounts.models import User
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.roles import Role


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
    """Give ``user`` a new role ("" makes them a member of the public)."""
    if role and role not in Role.values:
        raise AccountError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
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
