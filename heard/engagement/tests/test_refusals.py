"""A refused opening or closing of an activity is audited: who, what, why."""

import pytest

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.services import TransitionRefused, activity_transition
from heard.engagement.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("status", "target"), [("archived", "open"), ("draft", "closed")])
def test_a_refused_open_or_close_is_audited(make_staff, status, target):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(status=status)
    with pytest.raises(TransitionRefused) as refused:
        activity_transition(activity=activity, target=target, actor=officer)
    [event] = AuditEvent.objects.filter(action=Action.ACT_REFUSED)
    assert (event.actor_id, event.subject_id) == (officer.pk, str(activity.pk))
    assert event.after == {"act": f"activity.{target}", "reason": str(refused.value)}
    assert not AuditEvent.objects.filter(action=Action.ACTIVITY_TRANSITIONED).exists()


def test_an_activity_closed_early_keeps_both_times_and_reopening_withdraws_the_notice(
    make_staff,
):
    from datetime import timedelta

    from django.utils import timezone

    from heard.engagement.services import activity_save

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(status="open")
    published = activity.closes_at
    closed = activity_transition(activity=activity, target="closed", actor=officer)
    assert closed.closed_early and closed.scheduled_closes_at == published
    assert closed.closes_at < published  # the real closing time
    activity_save(
        actor=officer,
        activity=closed,
        fields={"closes_at": timezone.now() + timedelta(weeks=2)},
    )
    reopened = activity_transition(activity=closed, target="open", actor=officer)
    assert not reopened.closed_early and reopened.closed_early_reason == ""
