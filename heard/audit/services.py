"""Writing to the audit trail. Every state change in Heard records an event through here."""

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from heard.audit.domain import GENESIS, EventContent, event_hash, normalise
from heard.audit.models import Action, AuditEvent, ChainHead
from heard.core.request_context import current_request_id
from heard.core.roles import role_of


def _subject_parts(subject: models.Model | tuple[str, Any] | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    subject_type, subject_id = subject
    return str(subject_type), str(subject_id)


def audit_record(
    *,
    action: Action,
    actor: Any = None,
    subject: models.Model | tuple[str, Any] | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Call it in the same ``transaction.atomic`` block as the change it describes: if the
    change rolls back, so does the event, and an event is never recorded for a change
    that did not happen. ``before``/``after`` must be JSON-able (dates become strings)
    and must not hold personal data the trail would then keep for ever.

    The chain head is locked for the rest of the transaction, so concurrent writers
    append strictly one after another (PostgreSQL: row lock; SQLite: the write lock
    taken by IMMEDIATE transactions).
    """
    action = Action(action)  # refuses an action the trail does not know
    subject_type, subject_id = _subject_parts(subject)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"sequence": 0, "hash": GENESIS}
        )
        content = EventContent(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor_id=actor_id,
            actor_role=role_of(actor),
            action=str(action),
            subject_type=subject_type,
            subject_id=subject_id,
            before=normalise(before),
            after=normalise(after),
            request_id=current_request_id(),
            prev_hash=head.hash,
        )
        digest = event_hash(content)
        event = AuditEvent(**_fields(content), hash=digest)
        event.save(force_insert=True)
        head.sequence, head.hash = content.sequence, digest
        head.save(update_fields=["sequence", "hash"])
    return event


def _fields(content: EventContent) -> dict[str, Any]:
    return {
        "sequence": content.sequence,
        "occurred_at": content.occurred_at,
        "actor_id": content.actor_id,
        "actor_role": content.actor_role,
        "action": content.action,
        "subject_type": content.subject_type,
        "subject_id": content.subject_id,
        "before": content.before,
        "after": content.after,
        "request_id": content.request_id,
        "prev_hash": content.prev_hash,
    }
