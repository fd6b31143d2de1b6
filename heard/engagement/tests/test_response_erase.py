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


# The staff page and the service's own rules --------------------------------------------

from heard.core.actors import NotPermitted  # noqa: E402
from heard.engagement.services_erasure import ErasureRefused  # noqa: E402

REASON = "Emailed request from the respondent on 3 December 2026, our ref DP-1182."


@pytest.mark.parametrize(
    "role",
    [r for r in Role if r != Role.ADMINISTRATOR],
)
def test_only_an_administrator_may_erase_and_a_refusal_changes_nothing(officer, make_staff, role):
    q = make_questionnaire()
    mine = _enter(officer, q, WORDS)
    with pytest.raises(NotPermitted):
        response_erase(reference=mine.reference, actor=make_staff(role), reason=REASON)
    assert Answer.objects.filter(response=mine, text=WORDS).exists()


@pytest.mark.parametrize("reason", ["", "x", "n/a", "GDPR", "  .  "])
def test_a_reason_that_names_no_request_is_refused(officer, make_staff, reason):
    q = make_questionnaire()
    mine = _enter(officer, q, WORDS)
    with pytest.raises(ErasureRefused, match="reason"):
        response_erase(
            reference=mine.reference, actor=make_staff(Role.ADMINISTRATOR), reason=reason
        )
    assert Answer.objects.filter(response=mine, text=WORDS).exists()


def test_a_formal_consultation_response_needs_the_dpo_s_agreement(officer, make_staff):
    q = make_questionnaire()
    mine = _enter(officer, q, WORDS)
    Activity.objects.filter(pk=q.activity_id).update(kind="formal_consultation")
    admin = make_staff(Role.ADMINISTRATOR)
    with pytest.raises(ErasureRefused, match="data protection officer"):
        response_erase(reference=mine.reference, actor=admin, reason=REASON)
    assert Answer.objects.filter(response=mine, text=WORDS).exists()
    response_erase(reference=mine.reference, actor=admin, reason=REASON, dpo_agreed=True)
    assert not Answer.objects.filter(response=mine, text=WORDS).exists()
    event = AuditEvent.objects.filter(action=Action.RESPONSE_ERASED).get()
    assert event.actor_id == admin.pk
    assert event.after["reason"] == REASON and event.after["dpo_agreed"] is True


def test_the_staff_page_erases_with_a_reason_and_says_what_was_erased(officer, client, make_staff):
    q = make_questionnaire()
    mine = _enter(officer, q, WORDS)
    client.force_login(make_staff(Role.ADMINISTRATOR))
    url = reverse("engagement:response_erase")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reference": mine.reference, "reason": "x"})
    assert refused.status_code == 400
    assert "is not a reason" in refused.content.decode()
    unknown = client.post(url, {"reference": "HYS-NOPE-NOPE", "reason": REASON})
    assert unknown.status_code == 400 and "No response has the reference" in (
        unknown.content.decode()
    )
    assert Answer.objects.filter(response=mine, text=WORDS).exists()
    done = client.post(url, {"reference": mine.reference.lower(), "reason": REASON}, follow=True)
    assert done.status_code == 200
    assert f"The words of response {mine.reference} are erased" in done.content.decode()
    assert not Answer.objects.filter(response=mine, text=WORDS).exists()


def test_the_page_is_for_administrators_only(officer):
    assert officer.get(reverse("engagement:response_erase")).status_code == 403
