"""The audit trail in a real database: appending, refusing change, and catching tampering."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from heard.audit import triggers
from heard.audit.models import Action, AuditEvent, ChainHead
from heard.audit.selectors import audit_verify
from heard.audit.services import audit_record
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def _record(n: int) -> list[AuditEvent]:
    return [
        audit_record(action=Action.USER_CREATED, subject=("accounts.user", i), after={"i": i})
        for i in range(1, n + 1)
    ]


def _raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_events_form_a_chain_that_verifies():
    events = _record(3)
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert ChainHead.objects.get().sequence == 3
    result = audit_verify()
    assert result.ok and result.verified == 3


def test_actor_is_kept_as_id_and_role_without_personal_data(make_staff):
    officer = make_staff(Role.ANALYST)
    event = audit_record(action=Action.USER_SIGNED_IN, actor=officer, subject=officer)
    assert (event.actor_id, event.actor_role) == (officer.pk, "analyst")
    assert officer.email not in json.dumps([event.before, event.after])
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(officer.pk))


def test_event_rolls_back_with_the_change_it_describes():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=Action.USER_CREATED, subject=("accounts.user", 1))
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 0
    assert audit_verify().ok


def test_model_refuses_update_and_delete():
    event = _record(1)[0]
    event.action = Action.USER_SIGNED_OUT
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_refuses_raw_update_and_delete():
    event = _record(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.USER_CREATED


def _verify_exit() -> tuple[int, str]:
    try:
        call_command("audit_verify")
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


def test_verify_command_reports_count_when_intact(capsys):
    _record(4)
    assert _verify_exit() == (0, "")
    assert "4 events verified" in capsys.readouterr().out


def test_altered_row_is_caught_by_verify():
    events = _record(5)
    triggers.remove(connection)  # what someone with full database access could do
    _raw("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"i": 999}', events[2].pk])
    code, message = _verify_exit()
    assert code == 1
    assert f"event #3 (row id {events[2].pk})" in message and "altered" in message


def test_deleted_row_is_caught_by_verify():
    events = _record(5)
    triggers.remove(connection)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    code, message = _verify_exit()
    assert code == 1
    assert f"row id {events[2].pk}" in message and "missing" in message


def test_reordered_rows_are_caught_by_verify():
    events = _record(5)
    triggers.remove(connection)
    # Swap the sequence numbers of events 2 and 3, as a reordering by raw SQL would.
    _raw("UPDATE audit_auditevent SET sequence = 1000 WHERE id = %s", [events[1].pk])
    _raw("UPDATE audit_auditevent SET sequence = 2 WHERE id = %s", [events[2].pk])
    _raw("UPDATE audit_auditevent SET sequence = 3 WHERE id = %s", [events[1].pk])
    code, message = _verify_exit()
    assert code == 1
    assert "event #2" in message


def test_last_event_deleted_is_caught_by_verify():
    events = _record(3)
    triggers.remove(connection)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    code, message = _verify_exit()
    assert code == 1 and "removed from the end" in message


def test_staff_page_lists_and_filters_events(staff_client):
    client, _admin = staff_client(Role.ADMINISTRATOR)
    _record(3)
    audit_record(action=Action.USER_ROLE_CHANGED, subject=("accounts.user", 42))
    response = client.get(reverse("audit:events"))
    assert response.status_code == 200
    assert "Role changed" in response.content.decode()
    filtered = client.get(reverse("audit:events"), {"action": "user.role_changed"})
    assert filtered.context["total"] == 1
    bad = client.get(reverse("audit:events"), {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "The end date must be the same as or after the start date" in bad.content.decode()


def test_the_staff_page_names_actors_by_their_name_and_role_not_a_bare_id(staff_client):
    """Found in the demo: the page said "User 7 (programme_lead)"; the trail keeps ids
    (it outlives accounts), the page shows who they are now."""
    client, admin = staff_client(Role.ADMINISTRATOR)
    admin.full_name = "Priya Shah"
    admin.save(update_fields=["full_name"])
    audit_record(action=Action.USER_ROLE_CHANGED, actor=admin, subject=("accounts.user", 42))
    audit_record(action=Action.USER_ROLE_CHANGED, subject=("accounts.user", 43))
    page = client.get(reverse("audit:events")).content.decode()
    assert "Priya Shah" in page and f"user {admin.pk}, administrator" in page
    assert f"User {admin.pk}" not in page


def test_export_writes_json_lines_and_is_itself_audited(staff_client):
    client, admin = staff_client(Role.SCRUTINY_READER)
    _record(3)
    response = client.get(reverse("audit:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    lines = b"".join(response.streaming_content).decode().splitlines()
    records = [json.loads(line) for line in lines]
    # The three events plus the export itself, oldest first, each with its hash.
    assert [r["sequence"] for r in records] == [1, 2, 3, 4]
    assert records[-1]["action"] == "audit.exported" and records[-1]["actor_id"] == admin.pk
    assert all(len(r["hash"]) == 64 for r in records)
    assert audit_verify().ok
