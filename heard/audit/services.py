"""Writing to the audit trail. Every state change in Heard records an event through here."""

import functools
import logging
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from heard.audit import keys, signing
from heard.audit.domain import (
    GENESIS,
    EventContent,
    StoredEvent,
    event_hash,
    normalise,
    text_digest,
    verify_chain,
)
from heard.audit.models import Action, AuditCheckpoint, AuditEvent, AuditText, ChainHead
from heard.audit.selectors import event_content, stored_checkpoint
from heard.core.request_context import current_request_id
from heard.core.roles import role_of

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


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
    one multi-row insert (``bulk_create``).
    """
    if not entries:
        return []
    with transaction.atomic(savepoint=False):
        sequence, prev_hash, occurred_at = _head_locked()
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
                occurred_at=occurred_at,
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
        AuditEvent.objects.bulk_create(events)  # ids come back in order (RETURNING)
        ChainHead.objects.filter(id=1).update(sequence=sequence, hash=prev_hash)
    significant = {str(e.action) for e in entries} & CHECKPOINT_AFTER
    if significant:
        reason = sorted(significant)[0]
        transaction.on_commit(lambda: _checkpoint_after_commit(reason))
    return events


@cache
def _sql() -> dict[str, str]:
    """The read of the chain head, locked, with the database's clock (every write runs it).
    Only fixed, quoted names go into them; the values are bound parameters."""
    qn = connection.ops.quote_name
    table = qn(ChainHead._meta.db_table)
    seq, digest, pk = qn("sequence"), qn("hash"), qn("id")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # The time of the event comes from the database's clock, read once the head is ours
    # (so times follow the sequence), never from the application server's.
    clock = (
        "clock_timestamp()"
        if connection.vendor == "postgresql"
        else "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    )
    return {
        "select": f"SELECT {seq}, {digest}, {clock} FROM {table} WHERE {pk} = 1{lock}",  # noqa: S608
    }


def _head_locked() -> tuple[int, str, datetime]:
    """The chain head's sequence and hash, locked until the transaction ends
    (PostgreSQL: the row lock; SQLite: the IMMEDIATE transaction's write lock), and the
    database's clock."""
    with connection.cursor() as cursor:
        cursor.execute(_sql()["select"])
        row = cursor.fetchone()
    if row is None:  # the very first event
        ChainHead.objects.get_or_create(id=1, defaults={"sequence": 0, "hash": GENESIS})
        with connection.cursor() as cursor:
            cursor.execute(_sql()["select"])
            row = cursor.fetchone()
    return int(row[0]), str(row[1]), _as_datetime(row[2])


def _as_datetime(value: Any) -> datetime:
    """The database clock's reading as an aware UTC datetime (SQLite gives UTC text)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


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


# Personal words, kept outside the chain -----------------------------------------------

TEXT_PREFIX = "text:"


def erasable(text: str, *, about: models.Model | tuple[str, Any] | None = None) -> str:
    """A reference to ``text`` for an event's ``before``/``after``, instead of the text.

    Free text that may hold personal data (theme responses, notes, names) must not enter
    the append-only chain, which can never be erased. The words go into an erasable
    ``AuditText`` row (``about`` says whose or what they are) and the event holds
    ``"text:<digest>"``, the SHA-256 of a random salt and the words. Call it inside the
    transaction of the event. Empty text stays empty.
    """
    if not text:
        return text
    salt = secrets.token_hex(16)
    digest = text_digest(salt, text)
    subject_type, subject_id = _subject_parts(about)
    AuditText.objects.create(
        digest=digest, salt=salt, text=text, subject_type=subject_type, subject_id=subject_id
    )
    return TEXT_PREFIX + digest


def audit_text_erase(
    *,
    actor: Any,
    about: models.Model | tuple[str, Any],
) -> int:
    """Erase every word kept for the audit trail about ``about`` (a person's answers, a
    theme response…): the text and salt are blanked, the digests in the chain stay, and
    the chain still verifies. Recorded as an event naming only identifiers. Returns how
    many texts were erased."""
    subject_type, subject_id = _subject_parts(about)
    with transaction.atomic():
        rows = list(
            AuditText.objects.select_for_update().filter(
                subject_type=subject_type, subject_id=subject_id, erased_at=None
            )
        )
        if not rows:
            return 0
        now = timezone.now()
        for row in rows:
            row.text, row.salt, row.erased_at = "", "", now
        AuditText.objects.bulk_update(rows, ["text", "salt", "erased_at"])
        audit_record(
            action=Action.PERSONAL_TEXT_ERASED,
            actor=actor,
            subject=about,
            after={"texts": [row.digest for row in rows]},
        )
    return len(rows)


# Refusals -------------------------------------------------------------------------------

# A refused act is evidence too (who tried what, and why it was refused). Errors that mean
# "refused" in Heard's services: the apps' own ValueError subclasses, Django's
# ValidationError and PermissionDenied.
REFUSALS: tuple[type[BaseException], ...] = (ValueError, ValidationError, PermissionDenied)


def refusal_reason(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or exc.__class__.__name__


def audit_refusal(
    *,
    actor: Any,
    action: str,
    subject: models.Model | tuple[str, Any] | None,
    reason: str,
) -> AuditEvent:
    """Record that ``actor`` tried the legally significant act ``action`` (for example
    "consultation.open", "outcome.decide") on ``subject`` and was refused, and why.

    Written in its own transaction: call it after the refused change has rolled back
    (``refusal_audited`` does), not inside it, or the event rolls back with it.
    """
    with transaction.atomic():
        return audit_record(
            action=Action.ACT_REFUSED,
            actor=actor,
            subject=subject,
            after={"act": action, "reason": reason[:2000]},
        )


def _in_transaction() -> bool:
    """Inside a transaction of the application's (not the test case's own wrapper)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


@contextmanager
def refusal_audited(
    *,
    actor: Any,
    action: str,
    subject: models.Model | tuple[str, Any] | None,
    refusals: tuple[type[BaseException], ...] = REFUSALS,
) -> Iterator[None]:
    """Wrap a service's transaction: a refusal raised inside is audited once it has
    rolled back, then raised again.

    Where the service was called inside a caller's transaction, that transaction will
    roll back too as the refusal passes through it: the event is then left to the
    outermost ``refusal_audited`` (the act the person asked for), which records it after
    the rollback. Each refusal is recorded once.
    """
    try:
        yield
    except refusals as exc:
        if not getattr(exc, "_heard_refusal_audited", False) and not _in_transaction():
            audit_refusal(actor=actor, action=action, subject=subject, reason=refusal_reason(exc))
            setattr(exc, "_heard_refusal_audited", True)  # noqa: B010
        raise


def audits_refusals(
    action: str | Callable[[dict[str, Any]], str], *, subject: str
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a keyword-only service so that its refusals are audited
    (``refusal_audited``): ``actor`` and the keyword argument named ``subject`` are read
    from the call; ``action`` names the act, or computes it from the call's arguments."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        # Tells an inner wrapper (heard.servicechange.proposals.guard.stage) that its refusals are
        # audited out here, under this act's name.
        service.heard_refusals_audited = True  # type: ignore[attr-defined]

        @functools.wraps(service)
        def audited(*args: P.args, **kwargs: P.kwargs) -> R:
            name = action(kwargs) if callable(action) else action
            about: Any = kwargs.get(subject)
            with refusal_audited(actor=kwargs.get("actor"), action=name, subject=about):
                return service(*args, **kwargs)

        return audited

    return decorate


# Checkpoints (ADR 10) -------------------------------------------------------------------

# Legally significant acts: once one commits, the chain head is signed at once.
CHECKPOINT_AFTER: frozenset[str] = frozenset(
    {
        Action.ACTIVITY_TRANSITIONED,  # an activity (a formal consultation too) opened or closed
        Action.CONSULTATION_OPENED,
        Action.CONSULTATION_DOCUMENT_PUBLISHED,
        Action.PROPOSAL_TRANSITIONED,
        Action.SIGNIFICANCE_OVERRIDDEN,
        Action.OUTCOME_REPORT_ISSUED,
        Action.DECISION_RECORDED,
        Action.ANNUAL_REPORT_PUBLISHED,  # the statutory annual report, stored as issued
        Action.ACT_REFUSED,
        Action.PERSONAL_TEXT_ERASED,
    }
)


class ChainNotSigned(Exception):
    """The chain does not match its last signed checkpoint, so it is not signed again."""


def _checkpoint_after_commit(reason: str) -> None:
    try:
        audit_checkpoint(reason=reason)
    except Exception:  # the act itself has committed; the failure is logged loudly
        logger.exception("Audit checkpoint after %s was not made", reason)


def audit_checkpoint(*, reason: str) -> AuditCheckpoint | None:
    """Sign the chain head, after checking the events since the last checkpoint.

    Returns the new checkpoint, the last one if the head has not moved since, or None
    where there is nothing to sign or no signing key is configured (a verifier's copy).
    Refuses (``ChainNotSigned``) if the last checkpoint is not valid or the events after
    it do not follow from it: a chain rewritten since is never signed.
    """
    key = keys.signing_key()
    if key is None:
        logger.warning("No audit signing key is configured: checkpoint not made")
        return None
    with transaction.atomic():
        sequence, head_hash, now = _head_locked()  # writers wait while we sign
        if sequence == 0:
            return None
        last = AuditCheckpoint.objects.order_by("-number").first()
        if last is not None and last.sequence == sequence and last.head_hash == head_hash:
            return last
        after_sequence, after_hash, prev_digest = 0, GENESIS, signing.FIRST_PREV_DIGEST
        if last is not None:
            stored = stored_checkpoint(last)
            public = keys.known_public_keys().get(last.key_id)
            if public is None or not signing.signature_valid(
                public, stored.content, stored.signature
            ):
                raise ChainNotSigned(
                    f"signed checkpoint {last.number} is not valid for any known key"
                )
            at = AuditEvent.objects.filter(sequence=last.sequence).values_list("hash", flat=True)
            if list(at) != [last.head_hash]:
                raise ChainNotSigned(
                    f"event #{last.sequence} no longer matches signed checkpoint {last.number}"
                )
            after_sequence, after_hash = last.sequence, last.head_hash
            prev_digest = signing.checkpoint_digest(stored.content, stored.signature)
        # Closed as soon as the walk stops (a broken chain stops it early), so the
        # server-side cursor on PostgreSQL is closed inside the transaction.
        with closing(
            StoredEvent(pk=e.pk, content=event_content(e), stored_hash=e.hash)
            for e in AuditEvent.objects.filter(sequence__gt=after_sequence)
            .order_by("sequence", "pk")
            .iterator(chunk_size=2000)
        ) as events:
            check = verify_chain(
                events, sequence, head_hash, after_sequence=after_sequence, after_hash=after_hash
            )
        if not check.ok:
            raise ChainNotSigned(
                f"event #{check.broken_sequence} does not follow the chain: {check.reason}"
            )
        content = signing.CheckpointContent(
            number=(last.number + 1) if last else 1,
            sequence=sequence,
            head_hash=head_hash,
            signed_at=now,
            prev_digest=prev_digest,
            key_id=signing.key_id(key.public_key()),
        )
        return AuditCheckpoint.objects.create(
            number=content.number,
            sequence=content.sequence,
            head_hash=content.head_hash,
            signed_at=content.signed_at,
            prev_digest=content.prev_digest,
            key_id=content.key_id,
            signature=signing.sign(key, content),
            reason=reason[:64],
        )


def audit_checkpoint_if_due(*, now: datetime | None = None) -> AuditCheckpoint | None:
    """The timer's checkpoint: made when the head has moved and the last checkpoint is
    at least ``HEARD_AUDIT_CHECKPOINT_MINUTES`` old (or there is none)."""
    last = AuditCheckpoint.objects.order_by("-number").first()
    head = ChainHead.objects.filter(id=1).first()
    if head is None or head.sequence == 0 or (last and last.sequence == head.sequence):
        return None
    minutes = int(getattr(settings, "HEARD_AUDIT_CHECKPOINT_MINUTES", 60))
    moment = now or timezone.now()
    if last is not None and moment - last.signed_at < timedelta(minutes=minutes):
        return None
    return audit_checkpoint(reason="timer")
