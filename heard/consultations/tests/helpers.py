"""A proposal ready for formal consultation, and a consultation that passes every check."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.assessment.tests.helpers import (
    attach_eqia,
    make_appraisal,
    make_proposal,
    make_significance,
    pass_stage2,
)
from heard.consultations import services
from heard.consultations.models import Consultation
from heard.core.roles import Role
from heard.proposals.models import Proposal

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
    actor: Any = None, *, signed_off: bool = True, **kwargs: Any
) -> Consultation:
    consultation = make_consultation(actor=actor)
    fill_document(consultation, actor)
    set_period(consultation, actor=actor, **kwargs)
    if signed_off:
        sign_off(consultation)
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
