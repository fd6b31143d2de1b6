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


def passing_consultation(
    actor: Any = None, *, scrutiny: bool = True, **kwargs: Any
) -> Consultation:
    consultation = make_consultation(actor=actor)
    fill_document(consultation, actor)
    set_period(consultation, actor=actor, **kwargs)
    consultation.refresh_from_db()
    if scrutiny:
        write_to_scrutiny(consultation, actor)
    consultation.refresh_from_db()
    return consultation
