"""A refused override of the significance determination is audited: who, what, why."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.assessment import services
from heard.servicechange.assessment.tests.helpers import make_proposal, make_significance

pytestmark = pytest.mark.django_db


def test_an_override_by_a_role_that_may_not_is_audited(make_staff):
    analyst = make_staff(Role.ANALYST)
    proposal = make_significance(make_proposal(), substantial=False)
    with pytest.raises(PermissionDenied):
        services.significance_override(
            actor=analyst, proposal=proposal, consultation_required=True, reason="Because"
        )
    [event] = AuditEvent.objects.filter(action=Action.ACT_REFUSED)
    assert (event.actor_id, event.actor_role) == (analyst.pk, "analyst")
    assert event.after == {
        "act": "significance.override",
        "reason": "You do not have permission to override the significance determination: "
        "only an administrator or a decision maker may.",
    }


def test_an_override_without_reasons_is_audited(make_staff):
    board = make_staff(Role.DECISION_MAKER)
    proposal = make_significance(make_proposal(), substantial=False)
    with pytest.raises(ValidationError):
        services.significance_override(
            actor=board, proposal=proposal, consultation_required=True, reason=" "
        )
    [event] = AuditEvent.objects.filter(action=Action.ACT_REFUSED)
    assert event.after == {
        "act": "significance.override",
        "reason": "Give the reasons for the override.",
    }
