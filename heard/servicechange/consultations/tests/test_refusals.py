"""A refused opening of a formal consultation is audited once, with the reasons."""

import pytest

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.services import TransitionRefused
from heard.servicechange.consultations import services
from heard.servicechange.consultations.tests.helpers import passing_consultation

pytestmark = pytest.mark.django_db


def test_a_refused_opening_is_audited_once_with_the_reasons(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation()
    consultation.sections.update(published_body="")
    with pytest.raises(TransitionRefused) as refused:
        services.consultation_open(actor=officer, consultation=consultation)
    [event] = AuditEvent.objects.filter(action=Action.ACT_REFUSED)
    assert event.actor_id == officer.pk
    assert (event.subject_type, event.subject_id) == (
        "consultations.consultation",
        str(consultation.pk),
    )
    assert event.after["act"] == "consultation.open"
    assert "Sufficient reasons" in event.after["reason"]
    assert event.after["reason"] == str(refused.value)
    assert not AuditEvent.objects.filter(action=Action.CONSULTATION_OPENED).exists()


def test_the_proposal_moves_on_in_the_name_of_the_officer_who_opened_it(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = services.consultation_open(actor=officer, consultation=passing_consultation())
    event = AuditEvent.objects.filter(action=Action.PROPOSAL_TRANSITIONED).first()
    assert event.after["status"] == "formal_consultation"
    assert (event.actor_id, event.subject_id) == (officer.pk, str(consultation.proposal_id))
