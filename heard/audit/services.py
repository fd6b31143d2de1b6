"""Writing to the audit trail. Every state change in Heard records an event through here."""

from functools import cache
from typing import Any

from django.db import connection, models, transaction
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
    # No savepoint of its own: if appending fails, the caller's whole transaction must
    # roll back anyway (the change may not commit without its event).
    with transaction.atomic(savepoint=False):
        sequence, prev_hash = _head_locked()
        content = EventContent(
            sequence=sequence + 1,
            occurred_at=timezone.now(),
            actor_id=actor_id,
            actor_role=role_of(actor),
            action=str(action),
            subject_type=subject_type,
            subject_id=subject_id,
            before=normalise(before),
            after=normalise(after),
            request_id=current_request_id(),
            prev_hash=prev_hash,
        )
        digest = event_hash(content)
        event = AuditEvent(**_fields(content), hash=digest)
        # The insert AuditEvent.save(force_insert=True) would send, its text made once.
        # Only new events are inserted here, so the append-only rule holds.
        with connection.cursor() as cursor:
            cursor.execute(
                _sql()["insert"],
                [f.get_db_prep_save(f.pre_save(event, True), connection) for f in _insert_fields()],
            )
            event.pk = cursor.fetchone()[0]
            event._state.adding = False
            event._state.db = connection.alias
            cursor.execute(_sql()["update"], [content.sequence, digest])
    return event


@cache
def _sql() -> dict[str, str]:
    """The two statements on the chain head, written once (they run on every write).
    Only fixed, quoted names go into them; the values are bound parameters."""
    qn = connection.ops.quote_name
    table = qn(ChainHead._meta.db_table)
    seq, digest, pk = qn("sequence"), qn("hash"), qn("id")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    fields = _insert_fields()
    events = qn(AuditEvent._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    returning = qn(str(AuditEvent._meta.pk.column))
    return {
        "insert": f"INSERT INTO {events} ({columns}) VALUES ({values}) RETURNING {returning}",  # noqa: S608
        "select": f"SELECT {seq}, {digest} FROM {table} WHERE {pk} = 1{lock}",  # noqa: S608
        "update": f"UPDATE {table} SET {seq} = %s, {digest} = %s WHERE {pk} = 1",  # noqa: S608
    }


@cache
def _insert_fields() -> list[Any]:
    return [f for f in AuditEvent._meta.local_concrete_fields if not f.primary_key]


def _head_locked() -> tuple[int, str]:
    """The chain head's sequence and hash, locked until the transaction ends
    (PostgreSQL: the row lock; SQLite: the IMMEDIATE transaction's write lock)."""
    with connection.cursor() as cursor:
        cursor.execute(_sql()["select"])
        row = cursor.fetchone()
    if row is None:  # the very first event
        ChainHead.objects.get_or_create(id=1, defaults={"sequence": 0, "hash": GENESIS})
        with connection.cursor() as cursor:
            cursor.execute(_sql()["select"])
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


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
