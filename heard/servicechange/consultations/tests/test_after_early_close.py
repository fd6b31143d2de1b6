"""Issue 13, item 10: after a formal consultation is closed early, the EqIA review counts
from the real close (not the published one); and a formal consultation's activity keeps
its level on the spectrum ("consult") and its kind, whoever tries to change them."""

import re

import pytest

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.models import Activity
from heard.engagement.services import ActivityRefused, activity_save, activity_transition
from heard.servicechange.assessment import services as assessment_services
from heard.servicechange.consultations import services
from heard.servicechange.consultations.tests.helpers import passing_consultation
from heard.servicechange.outcomes import selectors as outcome_selectors

pytestmark = pytest.mark.django_db

REASON = "The service closed after a fire at the unit; responses can no longer shape it."
REVIEW = "Reviewed who is affected and how in the light of what people said; no new group."


@pytest.fixture
def opened():
    return services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=passing_consultation()
    )


def test_the_eqia_review_right_after_an_early_close_counts_as_after_the_close(opened):
    closed = activity_transition(
        activity=opened.activity,
        target="closed",
        actor=staff_member(Role.PROGRAMME_LEAD),
        reason=REASON,
    )
    assert closed.scheduled_closes_at > closed.closes_at  # the published time is still ahead
    eqia = assessment_services.eqia_review(
        actor=staff_member(Role.DECISION_MAKER), proposal=opened.proposal, notes=REVIEW
    )
    assert eqia.reviewed_at >= closed.closes_at
    opened.refresh_from_db()
    facts = outcome_selectors.decision_facts(
        opened.proposal, decided_on=None, decided_by="", decision="", board_paper=False
    )
    assert facts.consultation_closed and facts.eqia_reviewed_after_close


def _save(activity, actor, **fields):
    return activity_save(
        actor=actor,
        activity=activity,
        fields={"title": activity.title, "summary": activity.summary, **fields},
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"level": "inform"}, "cannot be changed (to \u201cInform\u201d)"),
        ({"level": "involve"}, "cannot be changed"),
        ({"kind": "survey"}, "stays a formal consultation"),
    ],
)
def test_a_formal_consultations_level_and_kind_cannot_change(opened, fields, message):
    activity = opened.activity
    with pytest.raises(ActivityRefused, match=re.escape(message)):
        _save(activity, staff_member(Role.ADMINISTRATOR), **fields)
    activity.refresh_from_db()
    assert (activity.level, activity.kind) == ("consult", "formal_consultation")
    [event] = AuditEvent.objects.filter(action=Action.ACT_REFUSED)
    assert event.after["act"] == "activity.details_changed"


def test_also_before_it_opens_while_other_details_still_change():
    consultation = passing_consultation()
    activity = consultation.activity
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(ActivityRefused):
        _save(activity, officer, level="inform")
    # Other details still change.
    _save(activity, officer, summary="Have your say on moving the minor injuries unit.")
    assert Activity.objects.get(pk=activity.pk).level == "consult"


def test_another_activity_still_changes_level():
    from heard.engagement.tests.factories import ActivityFactory

    activity = ActivityFactory(level="consult", kind="survey")
    saved = _save(activity, staff_member(Role.ENGAGEMENT_OFFICER), level="inform")
    assert saved.level == "inform"
