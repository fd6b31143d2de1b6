"""Closing a formal consultation before its published closing time is a recorded act: an
authorised role, a reason (placeholders refused), a public notice; the real closing time
is what every page, the timeline and the late-response rule use."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.audit.selectors import audit_text
from heard.core.actors import CLOCK, NotPermitted
from heard.core.roles import Role
from heard.engagement.models import Activity
from heard.engagement.selectors_responses import version_view
from heard.engagement.services import TransitionRefused, activity_transition
from heard.engagement.services_responses import response_enter
from heard.servicechange.consultations import services
from heard.servicechange.consultations.tests.helpers import passing_consultation
from heard.servicechange.lifecycle.selectors import timeline as proposal_timeline

pytestmark = pytest.mark.django_db

REASON = (
    "The service closes on 1 March after the fire at the unit; responses can no longer shape it."
)


@pytest.fixture
def opened():
    consultation = services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=passing_consultation()
    )
    return consultation, consultation.activity


def _close(activity, actor, reason=""):
    return activity_transition(activity=activity, target="closed", actor=actor, reason=reason)


@pytest.mark.parametrize(
    ("role", "refusal", "message"),
    [
        # May close activities, but not a formal consultation before its time.
        (Role.ENGAGEMENT_OFFICER, TransitionRefused, "Only a programme lead or an administrator"),
        # May not open or close activities at all: refused before anything is looked at.
        (Role.ANALYST, NotPermitted, "only an administrator, an engagement officer or a"),
        (Role.SCRUTINY_READER, NotPermitted, "only an administrator, an engagement officer or a"),
        (Role.DECISION_MAKER, NotPermitted, "only an administrator, an engagement officer or a"),
    ],
)
def test_only_an_authorised_role_may_close_it_early(make_staff, opened, role, refusal, message):
    _consultation, activity = opened
    with pytest.raises(refusal, match=message) as refused:
        _close(activity, make_staff(role), REASON)
    activity.refresh_from_db()
    assert activity.status == "open" and not activity.closed_early
    [event] = AuditEvent.objects.filter(action=Action.ACT_REFUSED)
    assert event.after["act"] == "activity.closed"
    assert event.after["reason"] == str(refused.value)


@pytest.mark.parametrize("reason", ["", "x", "-", "n/a", "N/A", ".", "tbc", "Because"])
def test_a_placeholder_is_not_a_reason(make_staff, opened, reason):
    _consultation, activity = opened
    with pytest.raises(TransitionRefused, match="reason"):
        _close(activity, make_staff(Role.PROGRAMME_LEAD), reason)
    activity.refresh_from_db()
    assert activity.status == "open"


def test_closing_early_stores_the_real_time_and_publishes_a_notice(client, make_staff, opened):
    consultation, activity = opened
    lead = make_staff(Role.PROGRAMME_LEAD)
    published = activity.closes_at
    before = timezone.now()
    closed = _close(activity, lead, REASON)
    assert closed.status == "closed"
    assert before <= closed.closes_at <= timezone.now()
    assert closed.scheduled_closes_at == published
    assert (closed.closed_early_reason, closed.closed_early_by) == (REASON, lead)
    consultation.refresh_from_db()
    assert consultation.closes_at == closed.closes_at and consultation.is_closed

    event = AuditEvent.objects.filter(action=Action.ACTIVITY_TRANSITIONED).first()
    assert event.actor_id == lead.pk
    assert event.after["closed_early"] is True
    assert audit_text(event.after["reason"]) == REASON  # kept erasable, outside the chain

    local = timezone.localtime(closed.closes_at)
    page = client.get(services.consultation_public_path(consultation)).content.decode()
    assert "closed early" in page and REASON in page
    assert f"{local:%-d %B %Y}" in page
    assert f"{timezone.localtime(published):%-d %B %Y}" in page  # the notice names both
    activity_page = client.get(
        reverse("engagement_public:activity", args=[closed.slug])
    ).content.decode()
    assert "closed early" in activity_page and REASON in activity_page

    timeline = proposal_timeline(consultation.proposal)
    [entry] = [e for e in timeline if e.title == "Formal consultation closed early"]
    assert entry.at == closed.closes_at and REASON in entry.detail


def test_the_late_rule_uses_the_real_closing_time(make_staff, opened):
    _consultation, activity = opened
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    closed = _close(activity, make_staff(Role.PROGRAMME_LEAD), REASON)
    version = closed.questionnaire.current_version()
    raw = {
        spec.key: spec.choices()[0][0]
        for spec in version_view(version).specs
        if spec.required and spec.choices()
    }

    def enter(received_at):
        return response_enter(
            actor=officer,
            version=version,
            raw=raw,
            channel="paper",
            received_at=received_at,
        )

    assert enter(closed.closes_at - timedelta(minutes=5)).late is False
    # just after the real close (it closed now: a received time later than now would be in
    # the future, which is refused, and five minutes on crossed midnight in one CI run)
    assert enter(closed.closes_at + timedelta(seconds=1)).late is True
    # Before the early close the published time still lay ahead: now it is past it.
    assert closed.scheduled_closes_at > closed.closes_at + timedelta(seconds=1)


def test_close_it_now_asks_why_and_refuses_without_a_reason(client, make_staff, opened):
    _consultation, activity = opened
    client.force_login(make_staff(Role.PROGRAMME_LEAD))
    detail = client.get(reverse("engagement:detail", args=[activity.pk])).content.decode()
    assert "Why is it closing before" in detail and 'name="reason"' in detail
    url = reverse("engagement:transition", args=[activity.pk])
    page = client.post(url, {"target": "closed", "reason": "n/a"}, follow=True).content.decode()
    assert "is not a reason" in page
    activity.refresh_from_db()
    assert activity.status == "open"
    client.post(url, {"target": "closed", "reason": REASON})
    activity.refresh_from_db()
    assert activity.status == "closed" and activity.closed_early_reason == REASON


def test_the_clock_closing_on_time_is_not_an_early_close(opened):
    _consultation, activity = opened
    published = activity.closes_at
    closed = activity_transition(activity=activity, target="closed", now=published, actor=CLOCK)
    assert closed.closes_at == published and not closed.closed_early
    assert Activity.objects.get(pk=activity.pk).scheduled_closes_at is None
