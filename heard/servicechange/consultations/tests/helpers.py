"""A proposal ready for formal consultation, and a consultation that passes every check."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.servicechange.assessment.tests.helpers import (
    attach_eqia,
    make_appraisal,
    make_proposal,
    make_significance,
    pass_stage2,
)
from heard.servicechange.consultations import services
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.proposals.models import Proposal

WEEKS = 13


def _officer() -> Any:
    return staff_member(Role.ENGAGEMENT_OFFICER)


def ready_proposal(
    title: str = "Move the minor injuries unit",
    *,
    status: str = "assurance",
    stage2: bool = True,
    substantial: bool = True,
) -> Proposal:
    proposal = make_appraisal(make_proposal(title))
    make_significance(proposal, substantial=substantial)
    attach_eqia(proposal)
    if stage2:
        pass_stage2(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


def make_consultation(proposal: Proposal | None = None, actor: Any = None) -> Consultation:
    return services.consultation_create(
        actor=actor or _officer(), proposal=proposal or ready_proposal()
    )


def fill_document(consultation: Consultation, actor: Any = None, publish: bool = True) -> None:
    actor = actor or _officer()
    for section in consultation.sections.all():
        services.section_save(
            actor=actor, section=section, body=section.body or f"About {section.key}."
        )
    if publish:
        services.document_publish(actor=actor, consultation=consultation)


def set_period(
    consultation: Consultation,
    *,
    starts_in: timedelta = timedelta(0),
    weeks: float = WEEKS,
    justification: str = "",
    actor: Any = None,
) -> Consultation:
    opens = timezone.now() + starts_in
    return services.dates_save(
        actor=actor or _officer(),
        consultation=consultation,
        opens_at=opens,
        closes_at=opens + timedelta(weeks=weeks),
        justification=justification,
    )


def write_to_scrutiny(
    consultation: Consultation,
    actor: Any = None,
    *,
    comments_after_close: timedelta = timedelta(weeks=2),
    decision_after_close: timedelta = timedelta(weeks=4),
) -> Any:
    """Record the county council and send it the first reg. 23 letter (the period must
    be set and the document published)."""
    actor = actor or _officer()
    if not consultation.councils.exists():
        services.council_add(
            actor=actor,
            consultation=consultation,
            name="Norfolk County Council",
            committee="Health Overview and Scrutiny Committee",
            contact_email="hosc@norfolk.example",
        )
    consultation.refresh_from_db()
    closes = timezone.localtime(consultation.activity.closes_at).date()
    return services.scrutiny_letter_send(
        actor=actor,
        consultation=consultation,
        comments_due_on=closes + comments_after_close,
        proposed_decision_on=closes + decision_after_close,
        contact="Sam Patel, engagement team, engagement@icb.example",
        base_url="https://heard.example",
    )


SCOPE_NOTE = (
    "Open to change: where the unit goes and its opening hours. Not open: the budget. "
    "Reach the villages, carers and people without a car."
)
REVIEW_NOTE = "Checked every section against the appraisal; the costs table was corrected."


def sign_off(consultation: Consultation, reviewer: Any = None) -> None:
    """The scope agreed and the published document reviewed, by a programme lead (who
    did not draft it)."""
    reviewer = reviewer or staff_member(Role.PROGRAMME_LEAD)
    services.scope_agree(actor=reviewer, consultation=consultation, note=SCOPE_NOTE)
    services.documents_review(actor=reviewer, consultation=consultation, note=REVIEW_NOTE)


def passing_consultation(
    actor: Any = None, *, scrutiny: bool = True, signed_off: bool = True, **kwargs: Any
) -> Consultation:
    consultation = make_consultation(actor=actor)
    fill_document(consultation, actor)
    set_period(consultation, actor=actor, **kwargs)
    if signed_off:
        sign_off(consultation)
    consultation.refresh_from_db()
    if scrutiny:
        write_to_scrutiny(consultation, actor)
    consultation.refresh_from_db()
    return consultation


def make_running(consultation: Consultation) -> Consultation:
    """Open by its dates (as if opened some days ago), without going through the Gunning
    guard: for tests of what happens while a consultation runs."""
    from heard.engagement.models import Activity

    now = timezone.now()
    Activity.objects.filter(pk=consultation.activity_id).update(
        status="open", opens_at=now - timedelta(days=20), closes_at=now + timedelta(weeks=10)
    )
    Proposal.objects.filter(pk=consultation.proposal_id).update(status="formal_consultation")
    consultation.refresh_from_db()
    consultation.activity.refresh_from_db()
    consultation.proposal.refresh_from_db()
    return consultation
