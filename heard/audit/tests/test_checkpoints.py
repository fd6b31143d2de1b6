"""Signed checkpoints (ADR 10): a chain rewritten and recomputed by someone with full
database rights no longer verifies, and the verifier says where it stops matching."""

import dataclasses
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from heard.audit import keys, signing, triggers
from heard.audit.domain import event_hash
from heard.audit.models import Action, AuditCheckpoint, AuditEvent, ChainHead
from heard.audit.selectors import audit_verify, event_content
from heard.audit.services import (
    ChainNotSigned,
    audit_checkpoint,
    audit_checkpoint_if_due,
    audit_record,
)
from heard.core.roles import Role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _fresh_keys():
    keys.reset()
    yield
    keys.reset()


def _record(n: int, start: int = 1) -> list[AuditEvent]:
    return [
        audit_record(action=Action.USER_CREATED, subject=("accounts.user", i), after={"i": i})
        for i in range(start, start + n)
    ]


def _raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _rewrite(sequence: int, after: dict) -> None:
    """What someone with full database rights could do: drop the append-only triggers,
    change one event, then recompute every later hash and the chain head, so the chain
    is consistent with itself again."""
    triggers.remove(connection)
    target = AuditEvent.objects.get(sequence=sequence)
    _raw("UPDATE audit_auditevent SET after = %s WHERE id = %s", [json.dumps(after), target.pk])
    prev = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        content = dataclasses.replace(event_content(event), prev_hash=prev)
        digest = event_hash(content)
        _raw(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev, digest, event.pk],
        )
        prev = digest
    _raw("UPDATE audit_chainhead SET hash = %s WHERE id = 1", [prev])


def _verify_exit(*args: str) -> tuple[int, str]:
    try:
        call_command("audit_verify", *args)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


def test_a_checkpoint_signs_the_head_with_the_configured_key():
    _record(3)
    checkpoint = audit_checkpoint(reason="command")
    assert checkpoint is not None
    head = ChainHead.objects.get()
    assert (checkpoint.number, checkpoint.sequence, checkpoint.head_hash) == (
        1,
        3,
        head.hash,
    )
    public = keys.public_key()
    assert checkpoint.key_id == signing.key_id(public)
    content = signing.CheckpointContent(
        number=1,
        sequence=3,
        head_hash=head.hash,
        signed_at=checkpoint.signed_at,
        prev_digest=checkpoint.prev_digest,
        key_id=checkpoint.key_id,
    )
    assert signing.signature_valid(public, content, checkpoint.signature)
    # Nothing new to sign: the same checkpoint comes back, no second one is made.
    assert audit_checkpoint(reason="command") == checkpoint
    assert AuditCheckpoint.objects.count() == 1


def test_verify_reports_the_checkpoints_it_matched(capsys):
    _record(3)
    audit_checkpoint(reason="command")
    _record(2, start=4)
    assert _verify_exit() == (0, "")
    out = capsys.readouterr().out
    assert "5 events verified" in out
    assert "matches all 1 signed checkpoints" in out and "event #3" in out
    assert "2 events since are not yet signed" in out


def test_rewritten_and_recomputed_chain_fails_naming_where_it_stops_matching():
    _record(3)
    audit_checkpoint(reason="command")  # checkpoint 1 at event #3
    _record(3, start=4)
    audit_checkpoint(reason="command")  # checkpoint 2 at event #6
    _record(2, start=7)

    _rewrite(5, {"i": 999})

    # The chain is consistent with itself again: the hash walk alone sees nothing.
    assert audit_verify().kind == "checkpoint"
    code, message = _verify_exit()
    assert code == 1
    assert "does NOT MATCH its signed checkpoints" in message
    assert "stops matching its signed checkpoints at event #4" in message
    assert "signed checkpoint 2 (event #6)" in message
    assert "An event from #4 to #6 was changed" in message
    assert "1 checkpoints before it verified" in message


def test_rewrite_before_the_only_checkpoint_is_caught_too():
    _record(4)
    audit_checkpoint(reason="command")
    _rewrite(2, {"i": -1})
    code, message = _verify_exit()
    assert code == 1 and "An event from #1 to #4 was changed" in message


def test_a_new_checkpoint_is_refused_on_a_chain_rewritten_since_the_last(capsys):
    _record(3)
    audit_checkpoint(reason="command")
    _record(2, start=4)
    _rewrite(2, {"i": 0})
    with pytest.raises(ChainNotSigned, match="event #3 no longer matches signed checkpoint 1"):
        audit_checkpoint(reason="command")
    assert AuditCheckpoint.objects.count() == 1
    with pytest.raises(CommandError, match="Not signed"):
        call_command("audit_checkpoint")


def test_a_broken_tail_is_not_signed():
    _record(3)
    audit_checkpoint(reason="command")
    events = _record(2, start=4)
    triggers.remove(connection)
    _raw("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"i": 7}', events[0].pk])
    with pytest.raises(ChainNotSigned, match="event #4"):
        audit_checkpoint(reason="command")


def test_a_checkpoint_forged_with_another_key_fails_verification():
    _record(3)
    head = ChainHead.objects.get()
    other = signing.new_private_key()
    content = signing.CheckpointContent(
        number=1,
        sequence=3,
        head_hash=head.hash,
        signed_at=datetime.now(UTC),
        prev_digest=signing.FIRST_PREV_DIGEST,
        key_id=signing.key_id(other.public_key()),
    )
    AuditCheckpoint.objects.create(
        **dataclasses.asdict(content), signature=signing.sign(other, content), reason="forged"
    )
    code, message = _verify_exit()
    assert code == 1 and "signed with an unknown key" in message


def test_an_altered_checkpoint_fails_its_signature():
    _record(3)
    audit_checkpoint(reason="command")
    _rewrite(3, {"i": 42})
    # Re-point the checkpoint at the recomputed head: its signature no longer matches.
    _raw(
        "UPDATE audit_auditcheckpoint SET head_hash = %s",
        [ChainHead.objects.get().hash],
    )
    code, message = _verify_exit()
    assert code == 1 and "does not match its signature" in message


def test_a_checkpoint_removed_from_the_middle_is_noticed():
    _record(2)
    audit_checkpoint(reason="command")
    _record(1, start=3)
    audit_checkpoint(reason="command")
    _record(1, start=4)
    audit_checkpoint(reason="command")
    triggers.remove(connection)
    _raw("DELETE FROM audit_auditcheckpoint WHERE number = 2")
    code, message = _verify_exit()
    assert code == 1 and "expected checkpoint 2 but found 3" in message


def test_the_database_refuses_to_change_or_delete_a_checkpoint():
    _record(1)
    checkpoint = audit_checkpoint(reason="command")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE audit_auditcheckpoint SET head_hash = 'x' WHERE id = %s", [checkpoint.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditcheckpoint WHERE id = %s", [checkpoint.pk])
    with pytest.raises(PermissionError):
        checkpoint.save()
    with pytest.raises(PermissionError):
        checkpoint.delete()


def test_a_legally_significant_act_is_signed_as_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _record(2)
    assert not AuditCheckpoint.objects.exists()  # ordinary events wait for the timer
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(action=Action.DECISION_RECORDED, subject=("outcomes.decision", 1))
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.sequence, checkpoint.reason) == (3, "decision.recorded")


def test_the_timer_signs_only_when_due(settings):
    settings.HEARD_AUDIT_CHECKPOINT_MINUTES = 60
    assert audit_checkpoint_if_due() is None  # nothing recorded yet
    _record(2)
    first = audit_checkpoint_if_due()
    assert first is not None and first.reason == "timer"
    assert audit_checkpoint_if_due() is None  # head has not moved
    _record(1, start=3)
    assert audit_checkpoint_if_due() is None  # moved, but the last is too recent
    later = first.signed_at + timedelta(minutes=61)
    second = audit_checkpoint_if_due(now=later)
    assert second is not None and second.sequence == 3


def test_audit_times_come_from_the_database_clock(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2001, 1, 1, tzinfo=UTC))
    event = _record(1)[0]
    assert event.occurred_at.year != 2001
    assert abs(event.occurred_at - datetime.now(UTC)) < timedelta(minutes=5)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.occurred_at == event.occurred_at
    assert audit_verify().ok


def test_a_copy_checked_with_only_the_published_public_key(settings, tmp_path):
    _record(3)
    audit_checkpoint(reason="command")
    pem = tmp_path / "published.pem"
    pem.write_text(signing.public_pem(keys.public_key()), encoding="ascii")
    # A scrutiny committee's copy: no private key configured.
    settings.HEARD_AUDIT_SIGNING_KEY = ""
    settings.HEARD_AUDIT_SIGNING_KEY_FILE = ""
    keys.reset()
    code, message = _verify_exit()
    assert code == 1 and "unknown key" in message
    assert _verify_exit("--public-key", str(pem)) == (0, "")


def test_the_public_key_is_published_and_printed(client, capsys):
    response = client.get(reverse("audit_public_key"))
    assert response.status_code == 200
    assert response.content.decode() == signing.public_pem(keys.public_key())
    assert "PRIVATE" not in response.content.decode()
    call_command("audit_signing_key")
    out = capsys.readouterr().out
    assert signing.public_base64(keys.public_key()) in out
    assert f"key id: {signing.key_id(keys.public_key())}" in out


def test_a_new_key_is_never_written_inside_the_repository(tmp_path, capsys):
    with pytest.raises(CommandError, match="inside the repository"):
        call_command("audit_signing_key", "--new", str(ROOT / "audit.pem"))
    target = tmp_path / "keys" / "audit.pem"
    call_command("audit_signing_key", "--new", str(target))
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    signing.load_private_key(target.read_text())
    with pytest.raises(CommandError, match="already exists"):
        call_command("audit_signing_key", "--new", str(target))


def test_staff_page_shows_the_chain_status_and_last_checkpoint(staff_client):
    client, _ = staff_client(Role.ADMINISTRATOR)
    _record(3)
    page = client.get(reverse("audit:events")).content.decode()
    assert "Not yet signed" in page
    audit_checkpoint(reason="command")
    _record(1, start=4)
    page = client.get(reverse("audit:events")).content.decode()
    assert "Intact since the last signed checkpoint" in page
    assert "Number 1, event #3" in page and "Events since it" in page
    _rewrite(2, {"i": 5})
    page = client.get(reverse("audit:events")).content.decode()
    assert "does not match its last signed checkpoint" in page
    assert "Event #3 no longer matches signed checkpoint 1" in page


def test_production_refuses_to_start_without_a_signing_key():
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "HEARD_AUDIT"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="heard.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "a-long-random-production-secret-for-the-test-0123456789",
        DJANGO_ALLOWED_HOSTS="heard.example.nhs.uk",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "HEARD_AUDIT_SIGNING_KEY_FILE is not set" in result.stderr


def test_an_unreadable_key_file_stops_check(settings, tmp_path):
    from heard.audit.apps import signing_key_check

    assert signing_key_check() == []
    bad = tmp_path / "key.pem"
    bad.write_text("not a key", encoding="ascii")
    settings.HEARD_AUDIT_SIGNING_KEY = ""
    settings.HEARD_AUDIT_SIGNING_KEY_FILE = str(bad)
    keys.reset()
    [error] = signing_key_check()
    assert error.id == "audit.E001" and "cannot be loaded" in error.msg
    settings.HEARD_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    keys.reset()
    assert signing_key_check()[0].id == "audit.E001"
