"""Erasing one response's personal words by its reference (a person's erasure request):
free text, postcode and "about you" answers go, with the insights made from them; the
response and its choices stay, so totals hold; the audit chain still verifies."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.models import Activity, Answer, Response, ResponseEquality
from heard.engagement.services_erasure import (
    ResponseNotFound,
    response_erase,
    responses_retention,
)
from heard.engagement.tests.test_respond import make_questionnaire
from heard.insight.models import Insight

pytestmark = pytest.mark.django_db

WORDS = "Handwritten: Dr Patel at Oak Lane was lovely to my mum"


@pytest.fixture
def officer(client, make_staff):
    client.force_login(make_staff(Role.ENGAGEMENT_OFFICER))
    return client


def _enter(officer, q, experience):
    url = reverse("engagement:responses_enter", args=[q.activity_id])
    r = officer.post(
        url,
        {
            "channel": "paper",
            "received_on": "2/1/2026",
            "as": "individual",
            "used": "yes",
            "experience": experience,
            "agree": "agree",
            "eq_sex": "female",
        },
    )
    assert r.status_code == 302
    return Response.objects.order_by("-pk").first()


def test_erase_by_reference_removes_the_words_keeps_the_counts_and_the_chain(officer):
    q = make_questionnaire()
    mine = _enter(officer, q, WORDS)
    other = _enter(officer, q, "Someone else's words about the evening visits")
    assert Insight.objects.filter(response=mine).exists()  # made from the free text
    answers_before = Answer.objects.filter(response=mine).count()

    result = response_erase(reference=mine.reference.lower())  # as read out on the phone

    assert result == {"answers": 1, "blanked": 0, "equality": 1}
    assert not Answer.objects.filter(text__icontains="Patel").exists()
    assert not Insight.objects.filter(response=mine).exists()
    assert not Insight.objects.filter(text__icontains="Patel").exists()
    assert not ResponseEquality.objects.filter(response=mine).exists()
    # What is not about anyone stays: the response (totals) and its choices.
    assert Response.objects.filter(pk=mine.pk).exists()
    kept = Answer.objects.filter(response=mine)
    assert kept.count() == answers_before - 1
    assert kept.filter(question__key="agree").get().value == "agree"
    # Another person's response is untouched.
    assert Answer.objects.filter(response=other, question__key="experience").exists()
    assert Insight.objects.filter(response=other).exists()
    assert ResponseEquality.objects.filter(response=other).exists()
    # Audited without the words; the chain verifies; a second run erases nothing more.
    event = AuditEvent.objects.filter(action=Action.RESPONSE_ERASED).get()
    assert "Patel" not in str([event.before, event.after])
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain intact" in out.getvalue()
    assert response_erase(reference=mine.reference) == {"answers": 0, "blanked": 0, "equality": 0}


def test_an_unknown_reference_is_refused_clearly(officer):
    with pytest.raises(ResponseNotFound, match="No response has the reference HYS-NOPE"):
        response_erase(reference=" hys-nope ")
    with pytest.raises(CommandError, match="No response has the reference"):
        call_command("response_erase", "HYS-NOPE-NOPE")


def test_retention_erases_words_of_responses_closed_long_enough_ago_and_only_those(officer):
    old_q, new_q = make_questionnaire(), make_questionnaire()
    old = _enter(officer, old_q, WORDS)
    recent = _enter(officer, new_q, "Words from a survey that closed last week")
    now = timezone.now()
    Activity.objects.filter(pk=old_q.activity_id).update(closes_at=now - timedelta(days=400))
    Activity.objects.filter(pk=new_q.activity_id).update(closes_at=now - timedelta(days=7))

    assert responses_retention(keep_days=0) == 0  # no rule set: nothing happens
    assert responses_retention(keep_days=365) == 1
    assert not Answer.objects.filter(response=old, question__kind="long_text").exists()
    assert not Insight.objects.filter(response=old).exists()
    assert Answer.objects.filter(response=old, question__key="agree").exists()
    assert ResponseEquality.objects.filter(response=old).exists()  # aggregate only, kept
    assert Answer.objects.filter(response=recent, question__kind="long_text").exists()
    assert responses_retention(keep_days=365) == 0  # nothing left to erase
    event = AuditEvent.objects.filter(action=Action.RESPONSE_ERASED).get()
    assert event.after["reason"] == "retention"
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain intact" in out.getvalue()
