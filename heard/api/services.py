"""Making, revoking and refusing personal API tokens; each is an audit event."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from heard.api import domain
from heard.api.models import ApiToken
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.roles import role_of

# Recording when a token was last used costs a write: once a minute is enough.
LAST_USED_EVERY = timedelta(minutes=1)


def api_token_create(*, user: Any, name: str, days: int) -> tuple[ApiToken, str]:
    """Make a token for ``user`` (a staff member); returns it and the secret, which is
    shown once and never stored."""
    role = role_of(user)
    if not role:
        raise ValidationError("Only staff members can have API tokens.")
    name = name.strip()
    if len(name) < 3 or not any(c.isalnum() for c in name):
        raise ValidationError("Enter what the token is for, like 'Monthly report in Power BI'.")
    if days not in domain.LIFETIMES:
        raise ValidationError("Choose how long the token lasts.")
    secret = domain.new_secret()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            token_sha256=domain.digest(secret),
            prefix=secret[: domain.SHOWN_PREFIX_LENGTH],
            role=role,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit_record(
            action=Action.API_TOKEN_CREATED,
            actor=user,
            subject=token,
            after={"name": token.name, "role": role, "expires_at": token.expires_at.isoformat()},
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke a token (its holder's own). Revoking one already revoked is refused."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
        if locked.user_id != getattr(actor, "pk", None):
            raise ValidationError("You can only revoke your own tokens.")
        if locked.revoked_at is not None:
            raise ValidationError("That token was already revoked.")
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action=Action.API_TOKEN_REVOKED,
            actor=actor,
            subject=locked,
            after={"name": locked.name},
        )
    return locked


def api_token_refused(*, token: ApiToken, reason: str, path: str) -> None:
    """Record that a known token was refused (revoked, expired, the holder's role changed,
    a permission its role lacks, or over the rate limit), in its own transaction."""
    with transaction.atomic():
        audit_record(
            action=Action.API_TOKEN_REFUSED,
            actor=token.user,
            subject=token,
            after={"reason": reason, "path": path[:200]},
        )


def api_token_used(*, token: ApiToken) -> None:
    """Note when a token was used (at most once a minute per token)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
