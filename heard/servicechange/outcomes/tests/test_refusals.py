"""A refused decision or report issue is audited: who, what, why."""

import pytest
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import services
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

pytestmark = pytest.mark.django_db


def _refusal() -> AuditEvent:
    [event] = AuditEvent.objects.filter(action=Action.ACT_REFUSED)
    return event


def test_a_refused_decision_is_audited(make_staff):
    lead = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_consulted_proposal()["proposal"]
    with pytest.raises(OutcomeRefused) as refused:
        lifecycle_services.decision_record(
            proposal=proposal,
            actor=lead,
            decided_on=timezone.localdate(),
            decided_by="NHS Example ICB board",
            decision="Move the unit.",
        )
    event = _refusal()
    assert event.actor_id == lead.pk and event.subject_id == str(proposal.pk)
    assert event.after == {"act": "outcome.decide", "reason": str(refused.value)}
    assert not AuditEvent.objects.filter(action=Action.DECISION_RECORDED).exists()


def test_a_refused_report_issue_is_audited(make_staff):
    lead = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_consulted_proposal()["proposal"]  # no theme has a response yet
    with pytest.raises(OutcomeRefused) as refused:
        services.report_issue(proposal=proposal, actor=lead, issued_to="The board")
    event = _refusal()
    assert event.after == {"act": "outcome.issue", "reason": str(refused.value)}
    assert not AuditEvent.objects.filter(action=Action.OUTCOME_REPORT_ISSUED).exists()
