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
    _assert_the_demo_came_through_the_front_door()
    _assert_the_consultation_came_through_the_front_door()
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


def _assert_the_demo_came_through_the_front_door() -> None:
    """Issue 12: the demo is built through the services people use, so it meets every rule
    it shows (nothing here would hold for rows written directly)."""
    from heard.audit.models import Action
    from heard.demo import engagement as engagement_demo
    from heard.engagement.models import Activity, Response, ResponseEquality, ResponseImport
    from heard.insight.models import InsightImport
    from heard.servicechange.outcomes import selectors as outcome_selectors

    officer = User.objects.get(email=engagement_demo.OFFICER_EMAIL)
    titles = [row[0] for row in engagement_demo.ACTIVITIES]
    activities = list(Activity.objects.filter(title__in=titles))
    assert len(activities) == len(titles)
    created = set(
        AuditEvent.objects.filter(action=Action.ACTIVITY_CREATED).values_list(
            "subject_id", flat=True
        )
    )
    for activity in activities:
        assert activity.owner == officer and str(activity.pk) in created, activity.title
        if activity.status in ("scheduled", "open", "closed", "feedback_published", "archived"):
            assert AuditEvent.objects.filter(
                action=Action.ACTIVITY_TRANSITIONED, subject_id=str(activity.pk)
            ).exists(), activity.title
        if activity.status in ("feedback_published", "archived") and activity.level != "inform":
            # Published by approval, dated as the story has it (a month after closing).
            assert outcome_selectors.approved_feedback(activity) is not None, activity.title
            assert activity.closes_at and activity.feedback_published_at
            assert activity.feedback_published_at > activity.closes_at
    survey = Activity.objects.get(slug=engagement_demo.DEMO_SURVEY_SLUG)
    responses = Response.objects.filter(activity=survey)
    online = responses.filter(channel="online")
    assert online.count() > 2000 and not online.filter(submission_token__isnull=True).exists()
    assert AuditEvent.objects.filter(action=Action.RESPONSE_SUBMITTED).count() >= online.count()
    [paper] = ResponseImport.objects.filter(activity=survey)
    assert (paper.status, paper.rejected_rows) == ("done", 0)
    assert responses.exclude(channel="online").count() == paper.imported_rows > 300
    assert responses.filter(import_batch_id=paper.pk).count() == paper.imported_rows
    assert set(responses.values_list("channel", flat=True)) == {"online", "paper", "event", "phone"}
    assert survey.opens_at and all(survey.opens_at <= r.submitted_at for r in responses)
    assert responses.filter(respondent_type="organisation").exclude(organisation_name="").exists()
    # Equality answers came in through both doors (the form's and the import's).
    equality = ResponseEquality.objects.filter(activity=survey)
    assert equality.filter(response__channel="online").count() > 1000
    assert equality.exclude(response__channel="online").exists()
    imports = InsightImport.objects.all()
    assert len(imports) == 3
    assert all((b.status, b.rejected_rows, b.imported_rows) == ("done", 0, 300) for b in imports)


def _assert_the_consultation_came_through_the_front_door() -> None:
    """Issue 12 item 8: the decided proposal's ~300 consultation responses arrived the ways
    responses arrive (the public form's service, the officer entering an email, one clean
    import), each at its time in the consultation, not written as rows."""
    from django.db.models import QuerySet

    from heard.audit.models import Action
    from heard.demo import service_change as demo
    from heard.engagement.models import Response, ResponseEquality, ResponseImport
    from heard.servicechange.proposals.models import Proposal

    consultation = Proposal.objects.get(title=demo.MIU_TITLE).consultation
    activity = consultation.activity
    responses = Response.objects.filter(activity=activity)
    assert responses.count() == demo.RESPONSES
    assert consultation.opens_at and consultation.closes_at
    assert not responses.filter(submitted_at__lt=consultation.opens_at).exists()
    assert not responses.filter(submitted_at__gt=consultation.closes_at).exists()
    assert not responses.filter(late=True).exists()

    def audited(action: str, rows: QuerySet[Response]) -> set[str]:
        ids = {str(pk) for pk in rows.values_list("pk", flat=True)}
        return ids & set(
            AuditEvent.objects.filter(action=action, subject_id__in=ids).values_list(
                "subject_id", flat=True
            )
        )

    online = responses.filter(channel="online")
    assert online.count() > 150 and not online.filter(submission_token__isnull=True).exists()
    assert len(audited(Action.RESPONSE_SUBMITTED, online)) == online.count()
    # The campaign came by email, each entered by the officer.
    emails = responses.filter(channel="email")
    assert emails.count() == 30 and len(audited(Action.RESPONSE_ENTERED, emails)) == 30
    assert all(r.answers.filter(text__startswith="I oppose the removal").exists() for r in emails)
    [paper] = ResponseImport.objects.filter(activity=activity)
    assert (paper.status, paper.rejected_rows, paper.duplicate_rows) == ("done", 0, 0)
    assert paper.created_by and paper.created_by.email == "officer@demo.heard.example"
    typed_up = responses.exclude(channel__in=["online", "email"])
    assert typed_up.count() == paper.imported_rows > 30
    assert typed_up.filter(import_batch_id=paper.pk).count() == paper.imported_rows
    assert set(typed_up.values_list("channel", flat=True)) == {"paper", "event", "phone"}
    assert responses.filter(
        respondent_type="organisation", organisation_name="Eastbrook Town Council"
    ).exists()
    assert responses.filter(publish_consent=True).exists()
    assert responses.filter(publish_consent=False).exists()
    # Equality answers through every door, from individuals only.
    equality = ResponseEquality.objects.filter(activity=activity)
    assert {"online", "email", "paper"} <= set(equality.values_list("response__channel", flat=True))
    assert not equality.filter(response__respondent_type="organisation").exists()
