"""Reading the audit trail: filtered lists, the export, and verification."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from heard.audit.domain import GENESIS, EventContent, StoredEvent, Verification, verify_chain
from heard.audit.models import AuditEvent, ChainHead


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


def audit_subject_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("subject_type")
        .values_list("subject_type", flat=True)
        .distinct()
        .exclude(subject_type="")
    )


def _content(event: AuditEvent) -> EventContent:
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
    record = _content(event).as_dict()
    record["hash"] = event.hash
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def audit_export_lines(filters: EventFilter | None = None) -> Iterator[str]:
    """The filtered events, oldest first, as JSON lines (streamed in chunks)."""
    qs = audit_events(filters).order_by("sequence")
    for event in qs.iterator(chunk_size=2000):
        yield event_as_json(event) + "\n"


def audit_verify() -> Verification:
    """Walk the whole chain; see ``heard.audit.domain.verify_chain``."""
    head = ChainHead.objects.filter(id=1).first()
    events = (
        StoredEvent(pk=e.pk, content=_content(e), stored_hash=e.hash)
        for e in AuditEvent.objects.order_by("sequence", "pk").iterator(chunk_size=2000)
    )
    return verify_chain(
        events,
        head_sequence=head.sequence if head else 0,
        head_hash=head.hash if head else GENESIS,
    )
