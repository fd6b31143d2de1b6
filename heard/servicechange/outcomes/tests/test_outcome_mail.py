"""Every respondent who asked to hear the outcome is emailed the "you said, we did" link
when it is published (approved), once, and the address is then erased."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from heard.core.roles import Role
from heard.engagement import selectors_responses
from heard.engagement import services as engagement_services
from heard.engagement.models import OutcomeRequest
from heard.engagement.tests.test_respond import _walk, make_questionnaire
from heard.servicechange.outcomes import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _instant(settings, monkeypatch):
    settings.HEARD_RESPONSE_MIN_SECONDS = 0
    settings.HEARD_BASE_URL = "https://haveyoursay.example.nhs.uk"
    selectors_responses.public_cache_clear()
    monkeypatch.setattr("heard.core.mail.transaction.on_commit", lambda fn, *a, **k: fn())


def _respond(client, q, **extra):
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    return client.post(url, {"state": state, "page": 3, "action": "send", **extra})


def test_a_respondent_who_asked_is_emailed_the_link_once_when_it_is_published(
    client, make_staff, django_capture_on_commit_callbacks
):
    q = make_questionnaire()
    # Ticking the box without an address gets a clear message and stores nothing.
    r = _respond(client, q, tell_outcome="yes")
    assert r.status_code == 400
    assert "Enter your email address so that we can tell you the outcome" in r.content.decode()
    assert not OutcomeRequest.objects.exists()
    client.cookies.clear()
    assert (
        _respond(client, q, tell_outcome="yes", receipt_email="Pat@Example.org").status_code == 302
    )
    assert OutcomeRequest.objects.get().email == "pat@example.org"
    mail.outbox.clear()

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    activity = q.activity
    activity.status = "closed"
    activity.save()
    engagement_services.activity_feedback_save(
        actor=officer, activity=activity, feedback="You said evenings; we added evening visits."
    )
    pending = services.feedback_publication_submit(activity=activity, actor=officer)
    assert mail.outbox == []  # nothing is sent before a person approves it
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_approve(publication=pending, actor=make_staff(Role.ADMINISTRATOR))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.org"]
    link = re.search(r"https://haveyoursay\.example\.nhs\.uk/\S+", message.body)[0]
    assert link.endswith(reverse("outcomes_public:activity", args=[activity.slug]))
    assert "evening visits" not in message.body  # the link, not the text itself
    request = OutcomeRequest.objects.get()
    assert request.sent_at is not None and request.email == ""
    # The task run again (a retry, a second worker) sends nothing twice.
    from heard.engagement.tasks import outcome_mail

    outcome_mail.enqueue(activity_id=activity.pk, url=link)
    assert len(mail.outbox) == 1
