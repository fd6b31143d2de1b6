"""Personal words stay out of the append-only chain: events hold salted digests, the words
live in erasable rows, and erasing them leaves the chain verifiable."""

import hashlib

import pytest
from django.db import connection

from heard.audit.models import Action, AuditEvent, AuditText
from heard.audit.selectors import audit_text, audit_verify
from heard.audit.services import audit_checkpoint, audit_record, audit_text_erase, erasable
from heard.core.roles import Role

pytestmark = pytest.mark.django_db

WORDS = "I am Jane Doe of 4 Mill Lane Northgate, 01603 496000; I have Parkinson's."


def _everywhere_in_audit_tables(needle: str) -> list[str]:
    """Every audit table's rows, every column, as text: where ``needle`` still appears."""
    found = []
    with connection.cursor() as cursor:
        for table in ("audit_auditevent", "audit_audittext", "audit_auditcheckpoint"):
            cursor.execute(f"SELECT * FROM {table}")
            for row in cursor.fetchall():
                if any(needle in str(value) for value in row):
                    found.append(table)
    return found


def _record_words(subject=("people.member", 7)) -> AuditEvent:
    return audit_record(
        action=Action.MEMBER_UPDATED,
        subject=subject,
        after={"note": erasable(WORDS, about=subject), "field": "note"},
    )


def test_the_chain_holds_a_salted_digest_not_the_words():
    event = _record_words()
    reference = event.after["note"]
    assert reference.startswith("text:") and WORDS not in str(event.after)
    # Salted: the digest is not the plain hash of the words (a guessed name cannot be
    # checked against it).
    assert reference[5:] != hashlib.sha256(WORDS.encode()).hexdigest()
    assert audit_text(reference) == WORDS
    assert _everywhere_in_audit_tables("Mill Lane") == ["audit_audittext"]


def test_erasing_the_words_keeps_the_chain_verifiable(make_staff):
    officer = make_staff(Role.ADMINISTRATOR)
    event = _record_words()
    _record_words(subject=("people.member", 8))  # someone else's words are kept
    audit_checkpoint(reason="command")
    assert audit_verify().ok

    erased = audit_text_erase(actor=officer, about=("people.member", 7))
    assert erased == 1
    result = audit_verify()
    assert result.ok and result.checkpoints_checked >= 1
    assert audit_text(event.after["note"]) == ""  # known to have been erased
    kept = AuditText.objects.get(subject_id="8")
    assert kept.text == WORDS
    gone = AuditText.objects.get(subject_id="7")
    assert (gone.text, gone.salt, gone.erased_at is not None) == ("", "", True)
    [log] = AuditEvent.objects.filter(action=Action.PERSONAL_TEXT_ERASED)
    assert log.after == {"texts": [gone.digest]} and log.actor_id == officer.pk
    # Only the other person's words remain anywhere in the audit tables.
    assert _everywhere_in_audit_tables("Mill Lane") == ["audit_audittext"]
    assert audit_text_erase(actor=officer, about=("people.member", 7)) == 0


def test_words_changed_outside_heard_are_caught():
    _record_words()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audittext SET text = 'Nothing to see here.'")
    result = audit_verify()
    assert not result.ok and result.kind == "text"
    assert "no longer match the digest" in result.reason


def test_empty_text_stays_empty():
    assert erasable("", about=("x", 1)) == ""
    assert not AuditText.objects.exists()
