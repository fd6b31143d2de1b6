"""Samples, invitations over real SMTP, signed answers and reminders."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.actors import CLOCK
from heard.core.roles import Role
from heard.involvement import services
from heard.involvement.links import invitation_token
from heard.involvement.models import Invitation, Opportunity, SampleRun
from heard.involvement.selectors import BUILT_IN_KEY, Criteria
from heard.involvement.tests.factories import (
    InvitationFactory,
    MemberFactory,
    OpportunityFactory,
    member_with,
)
from heard.people.models import Member

pytestmark = pytest.mark.django_db


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def _link(message, answer: str) -> str:
    match = re.search(rf"https?://\S+/invitations/{answer}/\S+/", _body(message))
    assert match, _body(message)
    return match.group(0)


def _population_mix():
    """Plenty of White members of both sexes, a single Asian member."""
    for i in range(30):
        member_with(
            age_band="45_54", sex="female" if i % 2 else "male", ethnic_group="white_british"
        )
    member_with(age_band="25_34", sex="female", ethnic_group="asian_indian")
    member_with(age_band="prefer_not_to_say", sex="", ethnic_group="")  # unknown


def test_sample_reports_target_achieved_and_shortfall_and_is_audited(staff_client):
    client, _user = staff_client(Role.ENGAGEMENT_OFFICER)
    _population_mix()
    opportunity = OpportunityFactory()
    response = client.post(
        reverse("involvement:sample_new", kwargs={"pk": opportunity.pk}),
        {
            "size": 200,
            "dimensions": ["ethnic_group"],
            "population": BUILT_IN_KEY,
            "redistribute": "on",
        },
    )
    run = SampleRun.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("involvement:sample", kwargs={"pk": run.pk})).content.decode()
    # 2.1% of 200 = 4 Asian wanted, 1 in the pool
    assert "Asian, Asian British or Asian Welsh: wanted 4, only 1 in the pool" in page
    assert "<svg" in page and 'role="img"' in page
    assert run.unknown == 1 and run.pool_size == 32
    assert len(run.selected) == 31  # everyone known: the pool is smaller than 200
    event = AuditEvent.objects.get(action=Action.SAMPLE_DRAWN)
    assert event.after["shortfalls"] >= 1 and "selected" not in event.after


def test_overlapping_dimensions_get_a_clear_error(staff_client):
    client, _ = staff_client()
    opportunity = OpportunityFactory()
    response = client.post(
        reverse("involvement:sample_new", kwargs={"pk": opportunity.pk}),
        {"size": 10, "dimensions": ["sex_age", "sex"], "population": BUILT_IN_KEY},
    )
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not SampleRun.objects.exists()


def test_sample_invitations_go_over_smtp_and_the_accept_link_records_the_answer(
    staff_client, smtp_server, client, django_capture_on_commit_callbacks
):
    staff, user = staff_client(Role.ENGAGEMENT_OFFICER)
    _population_mix()
    MemberFactory(contact_by_email=False)  # never invited
    opportunity = OpportunityFactory(title="Maternity co-design workshop")
    run = services.sample_draw(
        actor=user,
        opportunity=opportunity,
        criteria=Criteria(),
        size=5,
        dimensions=["ethnic_group"],
        population_key=BUILT_IN_KEY,
        seed=7,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("involvement:sample_send", kwargs={"pk": run.pk}))
    assert response.status_code == 302
    assert len(smtp_server.messages) == 5
    message = smtp_server.messages[0]
    assert message["Subject"] == "Invitation: Maternity co-design workshop"
    assert "/unsubscribe/" in message["List-Unsubscribe"]
    assert "To stop receiving invitations: http" in _body(message)
    assert "Time asked: 2 hours" in _body(message)
    invited = Invitation.objects.get(member__email=message["To"])
    assert invited.via == Invitation.Via.SAMPLE
    accept = _link(message, "accept")
    path = accept.split("testserver", 1)[-1]
    page = client.get(path)
    assert "Yes, I would like to take part" in page.content.decode()
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.INVITED  # opening the link alone changes nothing
    done = client.post(path).content.decode()
    assert "You have accepted" in done
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.ACCEPTED and invited.answered_at
    again = client.post(path).content.decode()
    assert "already given this answer" in again
    assert AuditEvent.objects.filter(action=Action.INVITATION_ANSWERED).count() == 1
    sent = AuditEvent.objects.get(action=Action.INVITATIONS_SENT)
    assert sent.after["sent"] == 5
    assert "@" not in str(sent.after)
    # staff sees the acceptance
    detail = staff.get(reverse("involvement:opportunity", kwargs={"pk": opportunity.pk}))
    assert 'id="count-accepted">1<' in detail.content.decode()
    # and the sample cannot be sent twice
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("involvement:sample_send", kwargs={"pk": run.pk}))
    assert len(smtp_server.messages) == 5


def test_invitations_are_not_sent_for_a_draft_opportunity(staff_client, smtp_server):
    client, _ = staff_client()
    MemberFactory()
    opportunity = OpportunityFactory(status=Opportunity.Status.DRAFT)
    response = client.post(
        reverse("involvement:invite", kwargs={"pk": opportunity.pk}),
        {"action": "send"},
        follow=True,
    )
    assert "Open the opportunity before sending invitations" in response.content.decode()
    assert smtp_server.messages == []


def test_invite_by_criteria_previews_then_skips_the_uncontactable(
    staff_client, smtp_server, django_capture_on_commit_callbacks
):
    client, _ = staff_client()
    MemberFactory(locality="Norwich")
    MemberFactory(locality="Norwich")
    MemberFactory(locality="Great Yarmouth")
    MemberFactory(locality="Norwich", status=Member.Status.LEFT)
    MemberFactory(locality="Norwich", email="")
    opportunity = OpportunityFactory()
    url = reverse("involvement:invite", kwargs={"pk": opportunity.pk})
    preview = client.post(url, {"localities": ["Norwich"], "action": "preview"})
    # Two is a small number: shown as "fewer than 10", never exactly.
    assert "<strong>Fewer than 10</strong> members match" in preview.content.decode()
    assert "<strong>2</strong>" not in preview.content.decode()
    assert smtp_server.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"localities": ["Norwich"], "action": "send"})
    assert len(smtp_server.messages) == 2
    assert Invitation.objects.count() == 2


def test_tampered_and_expired_links_get_a_clear_page(client):
    invitation = InvitationFactory(sent_at=timezone.now() - timedelta(days=31))
    expired = client.get(
        reverse("invitations:accept", kwargs={"token": invitation_token(invitation, "accept")})
    )
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()
    fresh = InvitationFactory()
    token = invitation_token(fresh, "accept")
    # an accept token cannot be used to decline
    wrong = client.get(reverse("invitations:decline", kwargs={"token": token}))
    assert wrong.status_code == 404 and "This link does not work" in wrong.content.decode()
    bad = client.get(reverse("invitations:accept", kwargs={"token": token[:-2] + "xx"}))
    assert bad.status_code == 404
    forged = signing.dumps({"i": fresh.pk, "e": 9999999999}, salt="something else")
    assert client.get(reverse("invitations:accept", kwargs={"token": forged})).status_code == 404


def test_decline_then_closed_opportunity_refuses_answers(client):
    invitation = InvitationFactory()
    path = reverse("invitations:decline", kwargs={"token": invitation_token(invitation, "decline")})
    assert "You have declined" in client.post(path).content.decode()
    invitation.member.refresh_from_db()
    assert invitation.member.last_active_at is not None  # answering counts as activity
    Opportunity.objects.filter(pk=invitation.opportunity_id).update(status="closed")
    accept = reverse("invitations:accept", kwargs={"token": invitation_token(invitation, "accept")})
    assert "no longer taking replies" in client.get(accept).content.decode()
    page = client.post(
        reverse("invitations:accept", kwargs={"token": invitation_token(invitation, "accept")})
    )
    assert "no longer taking replies" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED


def test_reminders_go_once_to_those_who_have_not_answered(
    smtp_server, django_capture_on_commit_callbacks
):
    old = timezone.now() - timedelta(days=8)
    waiting = InvitationFactory(sent_at=old)
    InvitationFactory(
        sent_at=old, opportunity=waiting.opportunity, status=Invitation.Status.ACCEPTED
    )
    InvitationFactory(opportunity=waiting.opportunity)  # too recent
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_remind(actor=CLOCK, after_days=7) == 1
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"].startswith("Reminder:")
    assert smtp_server.messages[0]["To"] == waiting.member.email
    assert services.invitations_remind(actor=CLOCK, after_days=7) == 0
    assert AuditEvent.objects.filter(action=Action.INVITATION_REMINDED).count() == 1


def test_lifecycle_transitions_are_guarded_and_audited(staff_client):
    client, _ = staff_client()
    opportunity = OpportunityFactory(status=Opportunity.Status.DRAFT)
    url = reverse("involvement:opportunity_status", kwargs={"pk": opportunity.pk})
    bad = client.post(url, {"to": "closed"}, follow=True)
    assert "cannot go from draft to closed" in bad.content.decode()
    client.post(url, {"to": "open"})
    opportunity.refresh_from_db()
    assert opportunity.status == "open"
    event = AuditEvent.objects.get(action=Action.OPPORTUNITY_STATUS_CHANGED)
    assert event.before == {"status": "draft"} and event.after == {"status": "open"}


def test_create_opportunity_form_shows_errors_and_keeps_input(staff_client):
    client, _ = staff_client()
    response = client.post(
        reverse("involvement:opportunity_create"),
        {"title": "Readers' panel", "starts_at": "not a date", "places": "ten"},
    )
    page = response.content.decode()
    assert "nhsuk-error-summary" in page
    assert "Starts must be a real date" in page
    assert "Enter the number of people as a whole number" in page
    assert 'value="Readers&#x27; panel"' in page
    ok = client.post(
        reverse("involvement:opportunity_create"),
        {
            "title": "Readers' panel",
            "summary": "Read patient leaflets before they are printed.",
            "starts_at": "2027-03-14T18:30",
            "where_kind": "online",
            "time_asked": "1 hour a month",
            "payment": "voucher",
            "places": "12",
        },
    )
    assert ok.status_code == 302
    created = Opportunity.objects.get()
    assert created.status == "draft" and created.created_by is not None
    assert AuditEvent.objects.filter(action=Action.OPPORTUNITY_CREATED).count() == 1


def test_emails_go_in_batches_once_and_progress_shows_what_is_waiting(
    staff_client, smtp_server, django_capture_on_commit_callbacks
):
    client, _ = staff_client()
    opportunity = OpportunityFactory()
    waiting = [InvitationFactory(opportunity=opportunity) for _ in range(3)]
    url = reverse("involvement:mail_progress", kwargs={"pk": opportunity.pk})
    panel = client.get(url).content.decode()
    assert "0 of 3 sent so far" in panel and "hx-trigger" in panel
    ids = [i.pk for i in waiting]
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_mail(
            invitation_ids=ids, template=services.INVITATION_TEMPLATE, base_url="http://e.org"
        )
    assert sent == 3 and len(smtp_server.messages) == 3
    # run again (say the task was retried): nothing goes twice
    with django_capture_on_commit_callbacks(execute=True):
        again = services.invitations_mail(
            invitation_ids=ids, template=services.INVITATION_TEMPLATE, base_url="http://e.org"
        )
    assert again == 0
    assert len(smtp_server.messages) == 3
    done = client.get(url).content.decode()
    assert "All 3 invitation emails have gone" in done and "hx-trigger" not in done


def test_criteria_can_leave_out_members_asked_often(staff_client, settings):
    settings.HEARD_INVOLVEMENT_OFTEN_THRESHOLD = 2
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 1  # (counting, not suppression, is tested here)
    client, _ = staff_client()
    busy = MemberFactory()
    for _ in range(2):
        InvitationFactory(member=busy)
    MemberFactory()
    opportunity = OpportunityFactory()
    url = reverse("involvement:invite", kwargs={"pk": opportunity.pk})
    everyone = client.post(url, {"action": "preview"}).content.decode()
    assert "<strong>2</strong> members match" in everyone
    fewer = client.post(url, {"action": "preview", "not_asked_often": "on"}).content.decode()
    assert "<strong>1</strong> member matches" in fewer
    assert "Asked 2 or more times in the last 12 months" in fewer


def test_staff_withdraw_an_invitation_the_member_is_told_and_cannot_answer(
    staff_client, client, smtp_server, django_capture_on_commit_callbacks
):
    staff, _ = staff_client()
    invitation = InvitationFactory(status=Invitation.Status.ACCEPTED)
    url = reverse("involvement:invitation_withdraw", kwargs={"pk": invitation.pk})
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert [m["Subject"] for m in smtp_server.messages] == [
        f"Update about: {invitation.opportunity.title}"
    ]
    event = AuditEvent.objects.get(action=Action.INVITATION_WITHDRAWN)
    assert event.before == {"status": "accepted"}
    again = staff.post(url, follow=True).content.decode()
    assert "Only invitations that are waiting for an answer or accepted" in again
    answer = client.post(
        reverse("invitations:accept", kwargs={"token": invitation_token(invitation, "accept")})
    )
    assert "has been withdrawn" in answer.content.decode()


def test_reminder_command_for_cron(capsys, smtp_server):
    InvitationFactory(sent_at=timezone.now() - timedelta(days=10))
    from django.core.management import call_command

    call_command("invitation_reminders", "--after-days", "7")
    assert "Invitation reminders sent: 1." in capsys.readouterr().out


def test_links_expire_at_the_end_of_the_reply_by_day(client):
    from datetime import date

    invitation = InvitationFactory(opportunity=OpportunityFactory(reply_by=date(2020, 1, 31)))
    path = reverse("invitations:accept", kwargs={"token": invitation_token(invitation, "accept")})
    assert client.get(path).status_code == 410
    current = InvitationFactory(
        opportunity=OpportunityFactory(reply_by=timezone.localdate() + timedelta(days=1))
    )
    ok = reverse("invitations:accept", kwargs={"token": invitation_token(current, "accept")})
    assert client.get(ok).status_code == 200


def test_changing_details_records_which_fields_changed_not_their_values(staff_client):
    client, _ = staff_client()
    opportunity = OpportunityFactory(
        status=Opportunity.Status.DRAFT,
        title="Old title",
        starts_at=(timezone.now() + timedelta(days=9)).replace(second=0, microsecond=0),
    )
    data = {
        "title": "Stroke reference group",
        "summary": opportunity.summary,
        "starts_at": timezone.localtime(opportunity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "where_kind": opportunity.where_kind,
        "time_asked": opportunity.time_asked,
        "payment": opportunity.payment,
        "places": "10",
    }
    response = client.post(
        reverse("involvement:opportunity_edit", kwargs={"pk": opportunity.pk}), data
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Stroke reference group" and opportunity.status == "draft"
    event = AuditEvent.objects.get(action=Action.OPPORTUNITY_UPDATED)
    assert event.after == {"fields": ["title"]}


def test_emails_that_did_not_go_can_be_sent_again(
    staff_client, smtp_server, django_capture_on_commit_callbacks
):
    client, _ = staff_client()
    opportunity = OpportunityFactory()
    stuck = InvitationFactory(opportunity=opportunity, sent_at=timezone.now() - timedelta(hours=1))
    InvitationFactory(opportunity=opportunity, member=MemberFactory(email=""))  # cannot get one
    page = client.get(reverse("involvement:opportunity", kwargs={"pk": opportunity.pk}))
    text = page.content.decode()
    assert "Some invitation emails have not gone" in text
    assert "1 of 1 invitation email has not reached" in text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("involvement:mail_retry", kwargs={"pk": opportunity.pk}))
    assert [m["To"] for m in smtp_server.messages] == [stuck.member.email]
    stuck.refresh_from_db()
    assert stuck.emailed_at is not None


def _characteristics_mix():
    for _ in range(12):
        MemberFactory(locality="Norwich")
    one = member_with(age_band="75_plus", sex="female", ethnic_group="black_african")
    Member.objects.filter(pk=one.pk).update(locality="North Norfolk", full_name="Ada Named")
    return one


def test_a_small_match_by_characteristics_is_never_counted_exactly_nor_invited(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    _characteristics_mix()
    opportunity = OpportunityFactory()
    url = reverse("involvement:invite", kwargs={"pk": opportunity.pk})
    narrow = {
        "localities": ["North Norfolk"],
        "age_bands": ["75_plus"],
        "sexes": ["female"],
        "ethnic_groups": ["black"],
    }
    html = client.post(url, {**narrow, "action": "preview"}).content.decode()
    assert "Fewer than 10</strong> members match" in html
    assert "1</strong> member matches" not in html
    sent = client.post(url, {**narrow, "action": "send"}).content.decode()
    assert "Fewer than 10 members have these characteristics" in sent
    assert not Invitation.objects.exists()
    # Without characteristics, a small group can be invited; the list names nobody as
    # "chosen by criteria".
    client.post(url, {"localities": ["North Norfolk"], "action": "send"})
    assert Invitation.objects.count() == 1
    page = client.get(reverse("involvement:opportunity", kwargs={"pk": opportunity.pk}))
    assert "Ada Named" in page.content.decode()
    assert "Chosen by criteria" not in page.content.decode()
    # A count at or over the threshold is shown as it is.
    html = client.post(url, {"localities": ["Norwich"], "action": "preview"}).content.decode()
    assert "<strong>12</strong> members match" in html


def test_choosing_by_characteristics_needs_the_equality_permission(staff_client, monkeypatch):
    import rules

    client, _user = staff_client(Role.ENGAGEMENT_OFFICER)
    _characteristics_mix()
    opportunity = OpportunityFactory()
    url = reverse("involvement:invite", kwargs={"pk": opportunity.pk})
    assert "Age band (any of)" in client.get(url).content.decode()
    # An inviting role without people.view_equality (none today: defence in depth).
    monkeypatch.setitem(rules.permissions.permissions, "people.view_equality", rules.always_deny)
    assert "Age band (any of)" not in client.get(url).content.decode()
    html = client.post(url, {"sexes": ["female"], "action": "preview"}).content.decode()
    assert "needs permission to see equality monitoring" in html
    assert "members match" not in html
