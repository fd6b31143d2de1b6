"""The chain rules on their own, without a database."""

from dataclasses import replace
from datetime import UTC, datetime

from heard.audit.domain import GENESIS, EventContent, StoredEvent, event_hash, verify_chain


def _chain(n: int) -> list[StoredEvent]:
    events, prev = [], GENESIS
    for i in range(1, n + 1):
        c = EventContent(
            sequence=i,
            occurred_at=datetime(2026, 11, 1, 12, 0, i, tzinfo=UTC),
            actor_id=7,
            actor_role="analyst",
            action="user.signed_in",
            subject_type="accounts.user",
            subject_id="7",
            before=None,
            after={"n": i, "name": "Zoë"},
            request_id="r",
            prev_hash=prev,
        )
        h = event_hash(c)
        events.append(StoredEvent(pk=100 + i, content=c, stored_hash=h))
        prev = h
    return events


def test_an_intact_chain_verifies():
    events = _chain(5)
    result = verify_chain(events, 5, events[-1].stored_hash)
    assert result.ok and result.verified == 5


def test_an_empty_chain_verifies():
    assert verify_chain([], 0, GENESIS).ok


def test_hash_is_independent_of_key_order_but_not_of_values():
    a = _chain(1)[0].content
    b = replace(a, after={"name": "Zoë", "n": 1})
    c = replace(a, after={"name": "Zoe", "n": 1})
    assert event_hash(a) == event_hash(b)
    assert event_hash(a) != event_hash(c)


def test_altered_content_is_named():
    events = _chain(4)
    events[2] = replace(events[2], content=replace(events[2].content, after={"n": 99}))
    result = verify_chain(events, 4, events[-1].stored_hash)
    assert not result.ok
    assert result.broken_sequence == 3 and result.broken_pk == 103
    assert "altered" in result.reason


def test_removed_event_is_named():
    events = _chain(4)
    del events[1]
    result = verify_chain(events, 4, events[-1].stored_hash)
    assert not result.ok and result.broken_pk == 103
    assert result.verified == 1


def test_reordered_events_are_named():
    events = _chain(4)
    events[1], events[2] = events[2], events[1]
    result = verify_chain(events, 4, events[-1].stored_hash)
    assert not result.ok and result.broken_pk == 103


def test_events_cut_from_the_end_are_noticed():
    events = _chain(4)
    result = verify_chain(events[:3], 4, events[-1].stored_hash)
    assert not result.ok and result.verified == 3
    assert "removed from the end" in result.reason
