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
