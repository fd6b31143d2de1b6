"""Refused acts are evidence too: who tried what, and why it was refused, recorded after
the refused change has rolled back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from heard.audit.models import Action, AuditEvent
from heard.audit.selectors import audit_verify
from heard.audit.services import audit_record, audit_refusal, audits_refusals, refusal_audited
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def _refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.ACT_REFUSED).order_by("sequence"))


def test_audit_refusal_records_who_what_and_why(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    event = audit_refusal(
        actor=officer, action="consultation.open", subject=("x.thing", 7), reason="Not yet."
    )
    assert (event.actor_id, event.actor_role) == (officer.pk, "engagement_officer")
    assert (event.subject_type, event.subject_id) == ("x.thing", "7")
    assert event.after == {"act": "consultation.open", "reason": "Not yet."}


def test_a_refusal_inside_the_services_transaction_survives_its_rollback(make_staff):
    officer = make_staff(Role.ANALYST)
    with (
        pytest.raises(ValueError, match="refused"),
        refusal_audited(actor=officer, action="outcome.decide", subject=("p", 1)),
        transaction.atomic(),
    ):
        audit_record(action=Action.DECISION_RECORDED, subject=("p", 1))
        raise ValueError("refused: no board paper")
    assert not AuditEvent.objects.filter(action=Action.DECISION_RECORDED).exists()
    [event] = _refusals()
    assert event.after == {"act": "outcome.decide", "reason": "refused: no board paper"}
    assert audit_verify().ok


def test_a_nested_refusal_is_recorded_once_by_the_outermost_act(make_staff):
    @audits_refusals("activity.open", subject="subject")
    def inner(*, actor, subject):
        with transaction.atomic():
            raise ValidationError("A check fails.")

    @audits_refusals("consultation.open", subject="subject")
    def outer(*, actor, subject):
        with transaction.atomic():
            inner(actor=actor, subject=subject)

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(ValidationError):
        outer(actor=officer, subject=("c", 3))
    [event] = _refusals()
    assert event.after == {"act": "consultation.open", "reason": "A check fails."}


def test_permission_refusals_are_recorded_and_other_errors_are_not(make_staff):
    @audits_refusals("outcome.issue", subject="subject")
    def service(*, actor, subject, error):
        raise error

    reader = make_staff(Role.SCRUTINY_READER)
    with pytest.raises(PermissionDenied):
        service(actor=reader, subject=("p", 1), error=PermissionDenied("Only a lead may."))
    with pytest.raises(RuntimeError):
        service(actor=reader, subject=("p", 1), error=RuntimeError("disk full"))
    [event] = _refusals()
    assert event.actor_id == reader.pk and event.after["reason"] == "Only a lead may."
