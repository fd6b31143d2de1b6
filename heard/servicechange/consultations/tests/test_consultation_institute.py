"""Issue 13, item 9: the Consultation Institute's checkpoints. The scope agreed and the
documents reviewed (after the latest version, before opening, not by who drafted it) are
signed off before a formal consultation opens; a mid-point review is required before the
outcome report is issued; the outcome is published within 12 weeks of the real close."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.actors import NotPermitted
from heard.core.roles import Role
from heard.engagement.services import TransitionRefused, activity_transition
from heard.servicechange.consultations import checkpoints, selectors, services
from heard.servicechange.consultations.models import SignOff
from heard.servicechange.consultations.tests.helpers import (
    REVIEW_NOTE,
    SCOPE_NOTE,
    passing_consultation,
    sign_off,
)

pytestmark = pytest.mark.django_db


def officer():
    return staff_member(Role.ENGAGEMENT_OFFICER)


def refusals(act: str) -> int:
    return AuditEvent.objects.filter(action=Action.ACT_REFUSED, after__act=act).count()


def row(consultation, key):
    return next(c for c in selectors.gunning_panel(consultation) if c.key == key)


def test_opening_is_refused_without_the_scope_and_the_documents_review_and_audited():
    drafter = officer()
    consultation = passing_consultation(actor=drafter, signed_off=False)
    assert row(consultation, "scope").result == "fail"
    assert row(consultation, "documents").result == "fail"
    with pytest.raises(TransitionRefused) as refused:
        services.consultation_open(actor=drafter, consultation=consultation)
    message = str(refused.value)
    assert "Scope agreed" in message and "Documents reviewed" in message
    assert refusals("consultation.open") == 1
    sign_off(consultation)
    assert row(consultation, "scope").result == "pass"
    assert row(consultation, "documents").result == "pass"
    opened = services.consultation_open(actor=drafter, consultation=consultation)
    assert opened.is_open


@pytest.mark.parametrize("note", ["", "x", "n/a", "ok", "-", "Agreed."])
def test_a_placeholder_note_is_refused_and_audited(note):
    consultation = passing_consultation(signed_off=False)
    lead = staff_member(Role.PROGRAMME_LEAD)
    with pytest.raises(services.ConsultationProblem, match="Give the reason"):
        services.scope_agree(actor=lead, consultation=consultation, note=note)
    with pytest.raises(services.ConsultationProblem, match="Give the reason"):
        services.documents_review(actor=lead, consultation=consultation, note=note)
    assert not SignOff.objects.exists()
    assert refusals("consultation.scope_agreed") == 1
    assert refusals("consultation.documents_reviewed") == 1


def test_the_person_who_drafted_the_document_cannot_review_it():
    drafter = officer()
    consultation = passing_consultation(actor=drafter, signed_off=False)
    with pytest.raises(services.ConsultationProblem, match="did not draft or publish"):
        services.documents_review(actor=drafter, consultation=consultation, note=REVIEW_NOTE)
    assert refusals("consultation.documents_reviewed") == 1
    reviewer = staff_member(Role.PROGRAMME_LEAD)
    record = services.documents_review(actor=reviewer, consultation=consultation, note=REVIEW_NOTE)
    assert record.by == reviewer and record.version.number == 1
    assert record.drafted_by  # who drafted it is recorded beside who reviewed it
    event = AuditEvent.objects.get(action=Action.CONSULTATION_DOCUMENTS_REVIEWED)
    assert event.after["drafted_by_user_ids"] == [drafter.pk]


def test_twice_is_refused_and_a_new_version_needs_a_new_review():
    drafter = officer()
    consultation = passing_consultation(actor=drafter)
    lead = staff_member(Role.PROGRAMME_LEAD)
    with pytest.raises(services.ConsultationProblem, match="already agreed"):
        services.scope_agree(actor=lead, consultation=consultation, note=SCOPE_NOTE)
    with pytest.raises(services.ConsultationProblem, match="already been reviewed"):
        services.documents_review(actor=lead, consultation=consultation, note=REVIEW_NOTE)
    section = consultation.sections.get(key="costs")
    services.section_save(actor=drafter, section=section, body="£420,000 capital, not £42,000.")
    services.document_publish(actor=drafter, consultation=consultation)
    documents = row(consultation, "documents")
    assert (
        documents.result == "fail"
        and "version 2 has been published since" in (documents.reasons[0])
    )
    with pytest.raises(TransitionRefused, match="Documents reviewed"):
        services.consultation_open(actor=drafter, consultation=consultation)
    services.documents_review(actor=lead, consultation=consultation, note=REVIEW_NOTE)
    assert row(consultation, "documents").result == "pass"


def test_no_document_no_review_and_no_sign_off_once_open():
    consultation = passing_consultation(signed_off=False)
    lead = staff_member(Role.PROGRAMME_LEAD)
    sign_off(consultation, lead)
    services.consultation_open(actor=officer(), consultation=consultation)
    with pytest.raises(services.ConsultationProblem, match="cannot prepare or open"):
        services.documents_review(
            actor=staff_member(Role.ADMINISTRATOR), consultation=consultation, note=REVIEW_NOTE
        )


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DECISION_MAKER, Role.SCRUTINY_READER])
def test_the_wrong_role_is_refused(role):
    consultation = passing_consultation(signed_off=False)
    with pytest.raises(NotPermitted):
        services.scope_agree(actor=staff_member(role), consultation=consultation, note=SCOPE_NOTE)
    with pytest.raises(NotPermitted):
        services.documents_review(
            actor=staff_member(role), consultation=consultation, note=REVIEW_NOTE
        )


def test_the_mid_point_review_is_recorded_only_while_it_runs():
    consultation = passing_consultation(signed_off=False)
    lead = staff_member(Role.PROGRAMME_LEAD)
    action = "An evening meeting for people at work; the parish councils asked to share it."
    sign_off(consultation, lead)
    assert row(consultation, "midpoint").result == "info"
    consultation = services.consultation_open(actor=officer(), consultation=consultation)
    assert row(consultation, "midpoint").result == "warning"
    with pytest.raises(services.ConsultationProblem, match="Say what action"):
        services.midpoint_record(actor=lead, consultation=consultation, action_taken="n/a")
    activity_transition(
        activity=consultation.activity,
        target="closed",
        actor=lead,
        reason="The service closed after a fire; responses can no longer shape it.",
    )
    consultation.refresh_from_db()
    assert row(consultation, "midpoint").result == "fail"
    with pytest.raises(services.ConsultationProblem, match="while the consultation runs"):
        services.midpoint_record(actor=lead, consultation=consultation, action_taken=action)


def test_the_panel_shows_who_signed_off_truthfully(staff_client):
    client, drafter = staff_client(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation(actor=drafter)
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "Scope agreed" in page and "Documents reviewed" in page
    assert "Version 1 (drafted by" in page
    assert "Mid-point review" in page


def test_the_sign_off_page_refuses_the_drafter_on_the_field(staff_client):
    client, drafter = staff_client(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation(actor=drafter, signed_off=False)
    url = reverse("consultations:sign_off", args=[consultation.pk, "documents"])
    page = client.post(url, {"note": REVIEW_NOTE}).content.decode()
    assert "did not draft or publish" in page
    assert not SignOff.objects.exists()


def test_twelve_weeks_from_the_real_close():
    closes = timezone.now() - timedelta(weeks=13)
    due = checkpoints.publication_due(closes, published_on=None, today=timezone.localdate())
    assert due.due_on == timezone.localdate(closes) + timedelta(weeks=12)
    assert due.overdue and due.met is None and "Overdue" in due.summary
    in_time = checkpoints.publication_due(
        closes, published_on=due.due_on, today=timezone.localdate()
    )
    assert in_time.met is True and not in_time.overdue
    late = checkpoints.publication_due(
        closes, published_on=due.due_on + timedelta(days=1), today=timezone.localdate()
    )
    assert late.met is False and "after the 12 weeks" in late.summary


def test_the_deadline_counts_from_an_early_close():
    consultation = passing_consultation()
    services.consultation_open(actor=officer(), consultation=consultation)
    activity_transition(
        activity=consultation.activity,
        target="closed",
        actor=staff_member(Role.PROGRAMME_LEAD),
        reason="The service closed after a fire; responses can no longer shape it.",
    )
    consultation.refresh_from_db()
    due = selectors.publication_deadline(consultation)
    assert due is not None
    assert due.closed_on == timezone.localdate()
    assert due.due_on == timezone.localdate() + timedelta(weeks=12)
