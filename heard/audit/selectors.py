"""Reading the audit trail: filtered lists, the export, and verification."""

import json
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db.models import QuerySet
from django.utils import timezone

from heard.audit import keys, signing
from heard.audit.domain import (
    GENESIS,
    EventContent,
    StoredEvent,
    Verification,
    text_digest,
    verify_chain,
)
from heard.audit.models import AuditCheckpoint, AuditEvent, AuditText, ChainHead


@dataclass(frozen=True)
class EventFilter:
    action: str = ""
    actor_id: int | None = None
    subject_type: str = ""
    subject_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(filters: EventFilter | None = None) -> QuerySet[AuditEvent]:
    """Events newest first, narrowed by ``filters`` (dates are whole days, London time)."""
    qs = AuditEvent.objects.all().order_by("-sequence")
    f = filters or EventFilter()
    if f.action:
        qs = qs.filter(action=f.action)
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    if f.subject_type:
        qs = qs.filter(subject_type=f.subject_type)
    if f.subject_id:
        qs = qs.filter(subject_id=f.subject_id)
    if f.date_from:
        qs = qs.filter(occurred_at__gte=_start_of(f.date_from))
    if f.date_to:
        qs = qs.filter(occurred_at__lt=_start_of(f.date_to) + timedelta(days=1))
    return qs


def actor_names(actor_ids: set[int]) -> dict[int, str]:
    """Who the actors are now, for reading the trail on screen (the trail itself keeps
    only ids and roles, and outlives accounts: an id with no account shows as such)."""
    from django.contrib.auth import get_user_model

    return {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=actor_ids)}


def audit_subject_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("subject_type")
        .values_list("subject_type", flat=True)
        .distinct()
        .exclude(subject_type="")
    )


def event_content(event: AuditEvent) -> EventContent:
    """An event's content exactly as it was hashed."""
    return EventContent(
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_role=event.actor_role,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        before=event.before,
        after=event.after,
        request_id=event.request_id,
        prev_hash=event.prev_hash,
    )


def event_as_json(event: AuditEvent) -> str:
    """One line of the JSON-lines export: the hashed content plus the stored hash."""
    record = event_content(event).as_dict()
    record["hash"] = event.hash
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def audit_export_lines(filters: EventFilter | None = None) -> Iterator[str]:
    """The filtered events, oldest first, as JSON lines (streamed in chunks)."""
    qs = audit_events(filters).order_by("sequence")
    for event in qs.iterator(chunk_size=2000):
        yield event_as_json(event) + "\n"


def stored_checkpoint(checkpoint: AuditCheckpoint) -> signing.StoredCheckpoint:
    return signing.StoredCheckpoint(
        content=signing.CheckpointContent(
            number=checkpoint.number,
            sequence=checkpoint.sequence,
            head_hash=checkpoint.head_hash,
            signed_at=checkpoint.signed_at,
            prev_digest=checkpoint.prev_digest,
            key_id=checkpoint.key_id,
        ),
        signature=checkpoint.signature,
    )


def audit_verify(extra_public_keys: Iterable[Ed25519PublicKey] = ()) -> Verification:
    """Walk the whole chain (``heard.audit.domain.verify_chain``), then check it against
    every signed checkpoint (``heard.audit.signing.verify_checkpoints``, ADR 10).

    A chain that was rewritten and recomputed matches itself but not the checkpoints
    signed before the rewrite: the result names the events between the last checkpoint
    it still matches and the first it does not.
    """
    head = ChainHead.objects.filter(id=1).first()
    checkpoints = [stored_checkpoint(c) for c in AuditCheckpoint.objects.order_by("number")]
    wanted = {c.content.sequence for c in checkpoints}
    hash_at: dict[int, str] = {}

    def events() -> Generator[StoredEvent, None, None]:
        for e in AuditEvent.objects.order_by("sequence", "pk").iterator(chunk_size=2000):
            if e.sequence in wanted:
                hash_at[e.sequence] = e.hash
            yield StoredEvent(pk=e.pk, content=event_content(e), stored_hash=e.hash)

    with closing(events()) as walk:  # closes the cursor even when the walk stops early
        chain = verify_chain(
            walk,
            head_sequence=head.sequence if head else 0,
            head_hash=head.hash if head else GENESIS,
        )
    if not chain.ok:
        return chain
    public_keys = dict(keys.known_public_keys())
    public_keys.update({signing.key_id(k): k for k in extra_public_keys})
    check = signing.verify_checkpoints(checkpoints, hash_at, public_keys)
    good = check.last_good.content if check.last_good else None
    found: dict[str, Any] = {
        "checkpoints_checked": check.checked,
        "checkpoint_number": good.number if good else None,
        "checkpoint_sequence": good.sequence if good else None,
        "checkpoint_signed_at": good.signed_at if good else None,
        "unsigned_events": chain.verified - (good.sequence if good else 0),
    }
    if not check.ok:
        return replace(
            chain,
            ok=False,
            kind="checkpoint",
            broken_sequence=check.from_sequence,
            reason=check.reason,
            **found,
        )
    altered = audit_texts_altered()
    if altered:
        return replace(
            chain,
            ok=False,
            kind="text",
            reason=(
                f"{len(altered)} kept text(s) no longer match the digest the chain holds "
                f"(first: {altered[0][:16]}…): the words were changed outside Heard"
            ),
            **found,
        )
    return replace(chain, **found)


def audit_texts_altered() -> list[str]:
    """Digests of kept (not erased) texts whose words no longer match them."""
    return [
        digest
        for digest, salt, text in AuditText.objects.filter(erased_at=None)
        .values_list("digest", "salt", "text")
        .iterator(chunk_size=2000)
        if text_digest(salt, text) != digest
    ]


def audit_text(reference: Any) -> str | None:
    """The words an event's ``"text:<digest>"`` reference stands for; "" once erased;
    None if ``reference`` is not such a reference."""
    if not isinstance(reference, str) or not reference.startswith("text:"):
        return None
    row = AuditText.objects.filter(digest=reference[5:]).values_list("text", flat=True).first()
    return row or ""


@dataclass(frozen=True)
class ChainStatus:
    """What the staff audit page shows: the head, the last checkpoint, and whether the
    events since it still follow from it (a quick check; ``audit_verify`` checks all)."""

    head_sequence: int
    checkpoint: AuditCheckpoint | None
    checkpoint_valid: bool
    events_since: int
    intact_since: bool | None  # None: too many events since to check on a page
    problem: str
    public_key_id: str


_PAGE_CHECK_LIMIT = 5000


def audit_chain_status() -> ChainStatus:
    head = ChainHead.objects.filter(id=1).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS)
    last = AuditCheckpoint.objects.order_by("-number").first()
    own = keys.public_key()
    own_id = signing.key_id(own) if own else ""
    if last is None:
        return ChainStatus(head_sequence, None, False, head_sequence, None, "", own_id)
    stored = stored_checkpoint(last)
    public = keys.known_public_keys().get(last.key_id)
    valid = public is not None and signing.signature_valid(public, stored.content, stored.signature)
    since = max(head_sequence - last.sequence, 0)
    if not valid:
        problem = f"Signed checkpoint {last.number} does not match its signature or key."
        return ChainStatus(head_sequence, last, False, since, False, problem, own_id)
    at = list(AuditEvent.objects.filter(sequence=last.sequence).values_list("hash", flat=True))
    if at != [last.head_hash]:
        problem = (
            f"Event #{last.sequence} no longer matches signed checkpoint {last.number}: "
            "the chain was changed."
        )
        return ChainStatus(head_sequence, last, True, since, False, problem, own_id)
    if since > _PAGE_CHECK_LIMIT:
        return ChainStatus(head_sequence, last, True, since, None, "", own_id)
    check = verify_chain(
        (
            StoredEvent(pk=e.pk, content=event_content(e), stored_hash=e.hash)
            for e in AuditEvent.objects.filter(sequence__gt=last.sequence).order_by("sequence")
        ),
        head_sequence,
        head_hash,
        after_sequence=last.sequence,
        after_hash=last.head_hash,
    )
    problem = "" if check.ok else f"Event #{check.broken_sequence}: {check.reason}."
    return ChainStatus(head_sequence, last, True, since, check.ok, problem, own_id)
