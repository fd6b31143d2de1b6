import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from heard.accounts.models import User
from heard.audit.models import AuditEvent
from heard.audit.selectors import audit_verify
from heard.core.roles import Role
from heard.people.models import Member
from heard.people.services.membership import member_sign_in_request

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_covers_every_role(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    call_command("demo_load")
    out = capsys.readouterr().out
    users, events = User.objects.count(), AuditEvent.objects.count()
    assert {u.role for u in User.objects.all()} == {*Role.values, ""}
    assert "admin@demo.heard.example" in out and "Staff sign-ins" in out
    call_command("demo_load", "--quiet")
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)
    assert audit_verify().ok
    # The demo year's annual involvement report is published, with its figures from the
    # records: responses in the financial year counted here row by row.
    from datetime import date

    from django.utils import timezone

    from heard.engagement.models import Response
    from heard.reports.models import ReportVersion

    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    version = ReportVersion.objects.get(report__year=year)
    assert bytes(version.pdf).startswith(b"%PDF") and "Annual involvement report" in version.html
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    in_year = sum(
        1
        for r in Response.objects.all()
        if start <= timezone.localtime(r.submitted_at).date() <= end
    )
    assert in_year > 0 and version.figures["totals"]["responses"] == in_year
    # Every headline figure of the demo year, against the same row-by-row counts as the
    # report's own tests use.
    from heard.reports.tests.test_reports import _independent

    expected = _independent(year)
    totals = version.figures["totals"]
    for key in ("activities", "responses", "publications", "decisions", "meetings"):
        assert totals[key] == expected[key], key
    for limb in version.figures["limbs"]:
        assert (limb["activity_count"], limb["responses"]) == expected["limbs"][limb["key"]]
    assert {r["level"]: r["activities"] for r in version.figures["spectrum"]} == expected["levels"]
    # The demo member of the public is a member: member sign-in mails them a link.
    member = Member.objects.get(user__email="member@demo.heard.example")
    assert member.status == Member.Status.ACTIVE and member.email_verified_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_sign_in_request(email="member@demo.heard.example", base_url="http://testserver")
    assert [m.to for m in mail.outbox] == [["member@demo.heard.example"]]


def test_demo_load_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG on"):
        call_command("demo_load")
