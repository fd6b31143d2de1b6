"""Writing to the audit trail. Every state change in Heard records an event through here."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from heard.audit.domain import GENESIS, EventContent, event_hash, normalise
from heard.audit.models import Action, AuditEvent, ChainHead
from heard.core.db.prepared import prepared_cursor
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
    return audit_record_many(
        [AuditEntry(action=action, subject=subject, actor=actor, before=before, after=after)]
    )[0]


@dataclass(frozen=True)
class AuditEntry:
    """One event for :func:`audit_record_many` (the arguments of :func:`audit_record`).

    ``request_id`` is the request the change came from; ``None`` means the current
    thread's request (a writer thread storing several requests' changes passes each
    request's own)."""

    action: Action
    subject: Any = None
    actor: Any = None
    before: Any = None
    after: Any = None
    request_id: str | None = None


def audit_record_many(entries: Sequence[AuditEntry]) -> list[AuditEvent]:
    """Append several events to the chain, in order, inside the caller's transaction.

    The same chain as ``audit_record`` called once per entry (each event's hash covers
    the one before), written with one read and one update of the chain head and
    multi-row inserts: the group-committed public path stores many responses at once.
    """
    if not entries:
        return []
    with transaction.atomic(savepoint=False):
        sequence, prev_hash = _head_locked()
        events: list[AuditEvent] = []
        for entry in entries:
            action = Action(entry.action)
            subject_type, subject_id = _subject_parts(entry.subject)
            actor = entry.actor
            actor_id = (
                getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
            )
            sequence += 1
            content = EventContent(
                sequence=sequence,
                occurred_at=timezone.now(),
                actor_id=actor_id,
                actor_role=role_of(actor),
                action=str(action),
                subject_type=subject_type,
                subject_id=subject_id,
                before=normalise(entry.before),
                after=normalise(entry.after),
                request_id=(current_request_id() if entry.request_id is None else entry.request_id),
                prev_hash=prev_hash,
            )
            prev_hash = event_hash(content)
            events.append(AuditEvent(**_fields(content), hash=prev_hash))
        fields = _insert_fields()
        db = connections[DEFAULT_DB_ALIAS]  # the thread's wrapper, looked up once
        with prepared_cursor(db) as cursor:
            for start in range(0, len(events), _ROWS_PER_INSERT):
                chunk = events[start : start + _ROWS_PER_INSERT]
                params = [
                    f.get_db_prep_save(f.pre_save(event, True), db)
                    for event in chunk
                    for f in fields
                ]
                cursor.execute(_insert_many_sql(len(chunk)), params)
                for event, row in zip(chunk, cursor.fetchall(), strict=True):
                    event.pk = row[0]
                    event._state.adding = False
                    event._state.db = db.alias
            cursor.execute(_sql()["update"], [sequence, prev_hash])
    return events


_ROWS_PER_INSERT = 200


@cache
def _insert_many_sql(rows: int) -> str:
    """The multi-row insert; its rows come back in the order given (``RETURNING`` of a
    multi-row ``VALUES`` keeps it on PostgreSQL and SQLite, as ``bulk_create`` relies on),
    and a test checks the ids against the sequence numbers."""
    qn = connection.ops.quote_name
    fields = _insert_fields()
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {qn(AuditEvent._meta.db_table)} "  # noqa: S608 – fixed quoted names only
        f"({', '.join(qn(f.column) for f in fields)}) VALUES {', '.join([row] * rows)} "
        f"RETURNING {qn(str(AuditEvent._meta.pk.column))}"
    )


@cache
def _sql() -> dict[str, str]:
    """The two statements on the chain head, written once (they run on every write).
    Only fixed, quoted names go into them; the values are bound parameters."""
    qn = connection.ops.quote_name
    table = qn(ChainHead._meta.db_table)
    seq, digest, pk = qn("sequence"), qn("hash"), qn("id")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return {
        "select": f"SELECT {seq}, {digest} FROM {table} WHERE {pk} = 1{lock}",  # noqa: S608
        "update": f"UPDATE {table} SET {seq} = %s, {digest} = %s WHERE {pk} = 1",  # noqa: S608
    }


@cache
def _insert_fields() -> list[Any]:
    return [f for f in AuditEvent._meta.local_concrete_fields if not f.primary_key]


def _head_locked() -> tuple[int, str]:
    """The chain head's sequence and hash, locked until the transaction ends
    (PostgreSQL: the row lock; SQLite: the IMMEDIATE transaction's write lock)."""
    db = connections[DEFAULT_DB_ALIAS]
    with prepared_cursor(db) as cursor:
        cursor.execute(_sql()["select"])
        row = cursor.fetchone()
    if row is None:  # the very first event
        ChainHead.objects.get_or_create(id=1, defaults={"sequence": 0, "hash": GENESIS})
        with prepared_cursor(db) as cursor:
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
