"""The audit chain's rules, free of Django: how an event is hashed and how a chain is checked.

Each event's hash covers its own content and the previous event's hash, so changing,
removing or reordering any event breaks every link after it. The first event links to
``GENESIS``. A separately stored head (sequence and hash of the last event) lets a
verifier notice events cut off the end of the chain.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One stable text for a JSON value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def normalise(value: Any) -> Any:
    """Turn a value into plain JSON data (dates and other objects become strings)."""
    return json.loads(json.dumps(value, default=str))


@dataclass(frozen=True)
class EventContent:
    """What an event says, exactly as it is hashed."""

    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_role: str
    action: str
    subject_type: str
    subject_id: str
    before: Any
    after: Any
    request_id: str
    prev_hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "before": self.before,
            "after": self.after,
            "request_id": self.request_id,
            "prev_hash": self.prev_hash,
        }


def text_digest(salt: str, text: str) -> str:
    """The digest an event holds for words kept outside the chain (erasable): SHA-256 of
    a random salt and the words, so it reveals nothing once both are erased."""
    return hashlib.sha256(f"{salt}\n{text}".encode()).hexdigest()


def event_hash(content: EventContent) -> str:
    return hashlib.sha256(canonical_json(content.as_dict()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    """An event as read back from storage: its content and the hash stored with it."""

    pk: int
    content: EventContent
    stored_hash: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    verified: int
    broken_pk: int | None = None
    broken_sequence: int | None = None
    reason: str = ""
    # "chain": the chain does not match itself; "checkpoint": it matches itself but not
    # a signed checkpoint (it was rewritten and recomputed), or a checkpoint is not valid.
    kind: str = "chain"
    checkpoints_checked: int = 0
    # The newest signed checkpoint the chain still matches, and how many events came
    # after it (not yet covered by a signature).
    checkpoint_number: int | None = None
    checkpoint_sequence: int | None = None
    checkpoint_signed_at: datetime | None = None
    unsigned_events: int = 0


def verify_chain(
    events: Iterable[StoredEvent],
    head_sequence: int,
    head_hash: str,
    *,
    after_sequence: int = 0,
    after_hash: str = GENESIS,
) -> Verification:
    """Walk events in sequence order and report the first that breaks the chain.

    ``head_sequence``/``head_hash`` describe the last event the writer appended; an empty
    chain has head 0/GENESIS. To check only the events after a known one (a signed
    checkpoint), give its sequence and hash as ``after_sequence``/``after_hash`` and pass
    the events after it.
    """
    expected_prev = after_hash
    expected_sequence = after_sequence + 1
    verified = 0
    for event in events:
        c = event.content
        if c.sequence != expected_sequence:
            return Verification(
                False,
                verified,
                event.pk,
                c.sequence,
                f"expected sequence {expected_sequence} but found {c.sequence}: "
                "an event is missing or out of order",
            )
        if c.prev_hash != expected_prev:
            return Verification(
                False,
                verified,
                event.pk,
                c.sequence,
                "its previous-hash does not match the event before it: "
                "an event was removed, inserted or reordered",
            )
        if event_hash(c) != event.stored_hash:
            return Verification(
                False,
                verified,
                event.pk,
                c.sequence,
                "its content does not match its hash: the event was altered",
            )
        expected_prev = event.stored_hash
        expected_sequence += 1
        verified += 1
    if after_sequence + verified != head_sequence or expected_prev != head_hash:
        last = after_sequence + verified
        return Verification(
            False,
            verified,
            None,
            last + 1,
            f"the chain ends at event {last} but {head_sequence} were recorded: "
            "events were removed from the end",
        )
    return Verification(True, verified)
