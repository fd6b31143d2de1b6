"""Retention rules: remind once, erase through member_erase, audited runs, admin only."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.involvement.tests.factories import MemberFactory
from heard.people.models import Member, RetentionRun
from heard.people.services.retention import retention_rules, retention_run

pytestmark = pytest.mark.django_db


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


def test_defaults_remind_after_three_years_and_erase_after_five(smtp_server):
    rules = retention_rules()
    assert (rules["remind"].after_days, rules["erase"].after_days) == (1095, 1825)


def test_run_reminds_once_and_erases_the_long_inactive(
    smtp_server, django_capture_on_commit_callbacks
):
    recent = MemberFactory(joined_at=_ago(100))
    quiet = MemberFactory(joined_at=_ago(2000), last_active_at=_ago(1200))
    gone = MemberFactory(joined_at=_ago(2500), full_name="Ada Lovelace")
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run()
    assert (run.reminded, run.erased) == (1, 1)
    assert [m["To"] for m in smtp_server.messages] == [quiet.email]
    gone.refresh_from_db()
    assert gone.status == Member.Status.ERASED and gone.full_name != "Ada Lovelace"
    assert (
        AuditEvent.objects.filter(action=Action.MEMBER_ERASED, after__reason="retention").count()
        == 1
    )
    event = AuditEvent.objects.get(action=Action.RETENTION_RUN)
    assert event.after["reminded"] == 1 and event.after["erased"] == 1
    recent.refresh_from_db()
    assert recent.status == Member.Status.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        second = retention_run()
    assert (second.reminded, second.erased) == (0, 0)  # reminded once per inactivity
    assert len(smtp_server.messages) == 1
    # active again, then inactive for long again: reminded again
    Member.objects.filter(pk=quiet.pk).update(
        retention_reminded_at=_ago(1500), last_active_at=_ago(1200)
    )
    assert retention_run(dry_run=True).reminded == 1


def test_dry_run_changes_nothing_but_is_recorded(smtp_server):
    member = MemberFactory(joined_at=_ago(3000))
    run = retention_run(dry_run=True)
    assert run.erased == 1 and run.dry_run
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
    assert AuditEvent.objects.filter(action=Action.RETENTION_RUN).count() == 1


def test_management_command_runs_the_rules(capsys):
    MemberFactory(joined_at=_ago(3000))
    call_command("retention_run", "--dry-run")
    assert "1 would be erased" in capsys.readouterr().out
    assert RetentionRun.objects.get().dry_run


def test_admin_changes_rules_with_audit_and_clear_errors(staff_client):
    client, _ = staff_client(Role.ADMINISTRATOR)
    url = reverse("involvement:retention")
    bad = client.post(
        url,
        {"remind_days": "800", "remind_enabled": "on", "erase_days": "700", "erase_enabled": "on"},
    )
    assert "Erase after must be longer than remind after" in bad.content.decode()
    ok = client.post(
        url,
        {"remind_days": "730", "remind_enabled": "on", "erase_days": "1460", "erase_enabled": "on"},
    )
    assert ok.status_code == 302
    assert retention_rules()["erase"].after_days == 1460
    changes = AuditEvent.objects.filter(action=Action.RETENTION_RULE_CHANGED)
    assert {(e.before["after_days"], e.after["after_days"]) for e in changes} == {
        (1095, 730),
        (1825, 1460),
    }


def test_run_now_button_runs_the_task(staff_client):
    client, _ = staff_client(Role.ADMINISTRATOR)
    MemberFactory(joined_at=_ago(3000))
    client.post(reverse("involvement:retention_run"), {"dry_run": "on"})
    run = RetentionRun.objects.get()
    assert run.dry_run and run.erased == 1
    page = client.get(reverse("involvement:retention")).content.decode()
    assert "Dry run (counts only)" in page


def test_links_in_scheduled_mail_use_the_configured_address(settings):
    from heard.people.services.retention import site_base_url

    settings.HEARD_BASE_URL = "https://haveyoursay.example.nhs.uk/"
    assert site_base_url() == "https://haveyoursay.example.nhs.uk"
    settings.HEARD_BASE_URL = ""
    settings.ALLOWED_HOSTS = [".example.org", "localhost", "engage.example.nhs.uk"]
    assert site_base_url() == "https://engage.example.nhs.uk"
    settings.ALLOWED_HOSTS = ["*"]
    assert site_base_url() == "http://localhost:8000"
