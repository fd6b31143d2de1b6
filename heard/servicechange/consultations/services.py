"""Writing formal consultations. Every change is audited.

The proposal's lifecycle: a consultation is created while the proposal is at
significance assessment or assurance (consultation required). The proposal moves to
"formal consultation" only when the consultation actually OPENS – by a person or by the
engagement clock – inside the same transaction as the activity's move (the Gunning guard
in ``guard.py`` does it once every check passes), so the public never sees a proposal
"in formal consultation" with nothing to respond to, and a refused opening leaves both
unchanged.
"""

import hashlib
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from heard.accounts.actors import Actor
from heard.audit.domain import canonical_json
from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals, erasable
from heard.core import substance
from heard.core.actors import TASK, person, require
from heard.core.mail import mail_render, mail_send_on_commit
from heard.engagement import domain as engagement_domain
from heard.engagement import services as engagement_services
from heard.engagement import services_questionnaires as builder
from heard.engagement.models import Activity, Question
from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.consultations import checkpoints, gunning, scrutiny
from heard.servicechange.consultations.models import (
    Consultation,
    Council,
    DocumentSection,
    DocumentVersion,
    Mailout,
    MidpointReview,
    OscNotice,
    ScrutinyLetter,
    ScrutinyResponse,
    SignOff,
)
from heard.servicechange.proposals import domain as proposal_domain
from heard.servicechange.proposals import services as proposal_services
from heard.servicechange.proposals.guard import stage
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.stages import Change

CREATE_FROM = (proposal_domain.Status.SIGNIFICANCE, proposal_domain.Status.ASSURANCE)
# From the decision on, the consultation is part of the record of the decision.
DECIDED_STATUSES = (
    proposal_domain.Status.DECIDED,
    proposal_domain.Status.IMPLEMENTATION,
    proposal_domain.Status.EVALUATION,
)


class ConsultationProblem(ValueError):
    """The change cannot be made; the message says why, for the member of staff."""


# --- creating ---------------------------------------------------------------------------


def creation_problems(proposal: Proposal) -> list[str]:
    problems = []
    if Consultation.objects.filter(proposal=proposal).exists():
        problems.append("This proposal already has a formal consultation.")
    if proposal_domain.Status(proposal.status) not in CREATE_FROM:
        problems.append(
            "A formal consultation is created while the proposal is at significance "
            "assessment or assurance."
        )
    if not assessment_selectors.stage_facts(proposal).consultation_required:
        problems.append(
            "The significance assessment has not found that formal consultation is required."
        )
    return problems


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "consultation"
    taken = set(Consultation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _default_questionnaire(*, actor: Actor, activity: Activity, preferred: str) -> None:
    """Support for the preferred option, why, other ideas, respondent type, about you."""
    q = builder.questionnaire_create(
        actor=actor,
        activity=activity,
        title=activity.title,
        introduction=(
            "Please read the consultation document before you answer. It takes about "
            "10 minutes. Every question is optional unless it says otherwise."
        ),
    )
    first = q.current_version().sections.get().pk  # type: ignore[union-attr]
    builder.section_save(actor=actor, q=q, section_id=first, title="Your views")
    K = Question.Kind
    about = preferred or "the preferred option"
    for kind, text, extra in (
        (
            K.RESPONDENT_TYPE,
            "Are you responding as an individual or on behalf of an organisation?",
            {"required": True},
        ),
        (
            K.LIKERT,
            f"How far do you agree with the preferred option: {about}?"[:500],
            {"required": True},
        ),
        (
            K.LONG_TEXT,
            "Why do you say that?",
            {"max_length": 2000, "hint": "Tell us in your own words. Do not include names."},
        ),
        (
            K.LONG_TEXT,
            "Is there anything else we should consider, or another way to do this?",
            {"max_length": 2000},
        ),
    ):
        builder.question_save(
            actor=actor,
            q=q,
            question_id=None,
            section_id=first,
            fields={"kind": kind, "text": text, **extra},
        )
    about_you = builder.section_save(
        actor=actor,
        q=q,
        section_id=None,
        title="About you",
        introduction=(
            "These questions are optional. They help us see who we have heard from; "
            "your answers are only ever reported in total."
        ),
    )
    builder.question_save(
        actor=actor,
        q=q,
        question_id=None,
        section_id=about_you.pk,
        fields={"kind": K.EQUALITY, "text": "About you"},
    )


TITLE_MAX = 200  # the activity's title field


def consultation_title(proposal_title: str) -> str:
    """ "Consultation: <the proposal's title>", or the proposal's title alone when the
    prefix would take it past the activity title's length – never a title cut short."""
    prefixed = f"Consultation: {proposal_title}"
    return prefixed if len(prefixed) <= TITLE_MAX else proposal_title


@stage(
    Change.CREATE_CONSULTATION,
    proposal=lambda kw: kw["proposal"],
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def consultation_create(*, actor: Actor, proposal: Proposal) -> Consultation:
    """A formal consultation for ``proposal``: a draft consult-level activity with the
    default questionnaire, and the consultation document pre-filled from what is known."""
    _may_change(actor)
    from heard.servicechange.consultations import prefill  # prefill reads assessment

    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        problems = creation_problems(proposal)
        if problems:
            raise ConsultationProblem(" ".join(problems))
        title = consultation_title(proposal.title)
        summary = proposal.description.strip().split("\n")[0][:500] or proposal.title
        activity = engagement_services.activity_save(
            actor=actor,
            fields={
                "title": title,
                "summary": summary,
                "body": proposal.description,
                "level": engagement_domain.Level.CONSULT,
                "kind": Activity.Kind.FORMAL_CONSULTATION,
                "limbs": ["proposals"],
            },
            topics=list(proposal.topics.all()),
            localities=list(proposal.localities or []),
        )
        drafts = prefill.sections(proposal)
        _default_questionnaire(
            actor=actor, activity=activity, preferred=prefill.preferred(proposal)
        )
        consultation = Consultation.objects.create(
            proposal=proposal,
            activity=activity,
            slug=_unique_slug(proposal.title),
            created_by=_user(actor),
        )
        for key in gunning.SECTIONS:
            DocumentSection.objects.create(
                consultation=consultation,
                key=key,
                body=drafts.get(key, ""),
                updated_by=_user(actor),
            )
        audit_record(
            action=Action.CONSULTATION_CREATED,
            actor=actor,
            subject=consultation,
            after={"proposal": proposal.pk, "activity": activity.pk},
        )
        # Linked to the proposal like its other activities: its public page then lists the
        # consultation under how to get involved and counts its responses in what we heard.
        proposal_services.activity_link(proposal=proposal, activity=activity, actor=actor)
    return consultation


def _user(actor: object) -> Any:
    return person(actor)


# --- the consultation document ---------------------------------------------------------
#
# Drafted section by section and published together, each publication a numbered
# ``DocumentVersion`` (the text kept, its SHA-256 in the audit event). Once the
# consultation has opened the document is frozen: no section changes in place, and a
# correction is a new version with a reason, published with a visible note.

CHANGE_PERMISSION = "consultations.change_consultations"


def _may_change(actor: Actor) -> None:
    """The actor's own permission, checked here and not only in the view."""
    require(actor, CHANGE_PERMISSION, to="change a consultation")


def document_frozen(consultation: Consultation, now: datetime | None = None) -> bool:
    """True once the consultation has opened: what people were consulted on is fixed."""
    return consultation.status_at(now) not in (
        engagement_domain.Status.DRAFT,
        engagement_domain.Status.SCHEDULED,
    )


def _frozen_problem() -> ConsultationProblem:
    return ConsultationProblem(
        "The consultation has opened, so its document can no longer be changed in place: "
        "make a correction instead (a new version, with the reason, shown on the public page)."
    )


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _content_hash(sections: dict[str, str]) -> str:
    return hashlib.sha256(canonical_json({"sections": sections}).encode("utf-8")).hexdigest()


@audits_refusals("consultation.edit_document", subject="section")
@stage(
    Change.PREPARE_CONSULTATION,
    proposal=lambda kw: kw["section"].consultation.proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def section_save(*, actor: Actor, section: DocumentSection, body: str) -> DocumentSection:
    """Save a section's draft. Refused once the consultation has opened."""
    _may_change(actor)
    with transaction.atomic():
        section = DocumentSection.objects.select_for_update().get(pk=section.pk)
        consultation = Consultation.objects.select_related("activity").get(
            pk=section.consultation_id
        )
        if document_frozen(consultation):
            raise _frozen_problem()
        body = body.strip()
        if body and substance.is_placeholder(body):
            # Gunning 2 (sufficient reasons): a section is what people read to respond.
            raise ConsultationProblem(
                f"Write \u201c{gunning.SECTIONS[section.key]}\u201d in words people can "
                f"follow: \u201c{body[:40]}\u201d does not explain anything."
            )
        if body == section.body:
            return section
        before = section.body
        section.body = body
        section.updated_at = timezone.now()
        section.updated_by = _user(actor)
        section.save(update_fields=["body", "updated_at", "updated_by"])
        audit_record(
            action=Action.CONSULTATION_SECTION_SAVED,
            actor=actor,
            subject=consultation,
            before={"section": section.key, "characters": len(before), "sha256": text_hash(before)},
            after={"section": section.key, "characters": len(body), "sha256": text_hash(body)},
        )
    return section


def _publish_version(
    *, actor: Actor, consultation: Consultation, sections: list[DocumentSection], reason: str
) -> DocumentVersion:
    """Publish the sections' drafts as the next version (inside the caller's transaction)."""
    now = timezone.now()
    changed = []
    for section in sections:
        if section.published_body != section.body:
            changed.append(section.key)
            section.published_body = section.body
            section.published_at = now
            section.save(update_fields=["published_body", "published_at"])
    order = list(gunning.SECTIONS)
    texts = {
        s.key: s.published_body
        for s in sorted(sections, key=lambda s: order.index(s.key) if s.key in order else 99)
    }
    last = consultation.versions.order_by("-number").first()
    version = DocumentVersion.objects.create(
        consultation=consultation,
        number=(last.number + 1) if last else 1,
        sections=texts,
        content_hash=_content_hash(texts),
        published_at=now,
        published_by=_user(actor),
        reason=reason,
        is_correction=bool(reason),
    )
    consultation.document_published_at = now
    consultation.document_published_by = _user(actor)
    consultation.save(update_fields=["document_published_at", "document_published_by"])
    audit_record(
        action=Action.CONSULTATION_DOCUMENT_PUBLISHED,
        actor=actor,
        subject=consultation,
        before={"version": last.number, "content_hash": last.content_hash} if last else None,
        after={
            "version": version.number,
            "content_hash": version.content_hash,
            "sections": {k: text_hash(v) for k, v in texts.items()},
            "sections_changed": changed,
            "correction": version.is_correction,
            "reason": reason,
        },
    )
    return version


@audits_refusals("consultation.publish_document", subject="consultation")
@stage(
    Change.PREPARE_CONSULTATION,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def document_publish(*, actor: Actor, consultation: Consultation) -> Consultation:
    """Publish every section's draft as a new version. Refused while a section is empty,
    and once the consultation has opened (then only a correction may change it)."""
    _may_change(actor)
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("activity")
            .get(pk=consultation.pk)
        )
        if document_frozen(consultation):
            raise _frozen_problem()
        sections = list(consultation.sections.all())
        empty = [
            s.get_key_display()
            for s in sections
            if not s.body.strip() or substance.is_placeholder(s.body)
        ]
        missing = [
            label for key, label in gunning.SECTIONS.items() if key not in {s.key for s in sections}
        ]
        if empty or missing:
            raise ConsultationProblem(
                "Write every section before publishing the document. Empty: "
                + ", ".join(missing + empty)
                + "."
            )
        _publish_version(actor=actor, consultation=consultation, sections=sections, reason="")
    return consultation


@audits_refusals("consultation.correct_document", subject="consultation")
@stage(
    Change.CORRECT_CONSULTATION_DOCUMENT,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def document_correct(
    *, actor: Actor, consultation: Consultation, bodies: dict[str, str], reason: str
) -> DocumentVersion:
    """Correct the published document of an opened consultation: a new version with the
    changed sections and the reason, published with a "corrected on … because …" note.
    Every earlier version stays public. Refused before opening (edit and publish
    instead), once the decision is recorded, without a real reason, and when nothing
    changes."""
    _may_change(actor)
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("activity", "proposal")
            .get(pk=consultation.pk)
        )
        if not document_frozen(consultation):
            raise ConsultationProblem(
                "The consultation has not opened: change the sections and publish the document."
            )
        if str(consultation.proposal.status) in DECIDED_STATUSES:
            raise ConsultationProblem(
                "The decision has been recorded: the consultation document is part of the "
                "record of the decision and can no longer be corrected."
            )
        problems = engagement_domain.reason_problems(reason, what="for the correction")
        if problems:
            raise ConsultationProblem(" ".join(problems))
        unknown = sorted(set(bodies) - set(gunning.SECTIONS))
        if unknown:
            raise ConsultationProblem(f"There is no section {', '.join(unknown)}.")
        sections = list(consultation.sections.select_for_update())
        changed = False
        for section in sections:
            if section.key in bodies:
                text = bodies[section.key].strip()
                if not text:
                    raise ConsultationProblem(f"“{section.get_key_display()}” cannot be emptied.")
                if text != section.published_body:
                    changed = True
                section.body = text
                section.updated_at = timezone.now()
                section.updated_by = _user(actor)
                section.save(update_fields=["body", "updated_at", "updated_by"])
        if not changed:
            raise ConsultationProblem("The correction changes nothing in the published text.")
        return _publish_version(
            actor=actor,
            consultation=consultation,
            sections=sections,
            reason=" ".join(reason.split()),
        )


# --- dates, justification, opening -------------------------------------------------------

# The statuses in which the consultation period may still change (once open, only a later
# close); the consultation page offers "Change" only then.
CHANGEABLE_PERIOD = frozenset(
    {
        engagement_domain.Status.DRAFT,
        engagement_domain.Status.SCHEDULED,
        engagement_domain.Status.OPEN,
    }
)


@stage(
    Change.SET_CONSULTATION_DATES,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def dates_save(
    *,
    actor: Actor,
    consultation: Consultation,
    opens_at: datetime | None,
    closes_at: datetime | None,
    justification: str,
) -> Consultation:
    """The consultation period (the activity's window) and the short-period justification.

    Refused once the consultation is open, except to extend the closing time.
    """
    _may_change(actor)
    justification = " ".join(justification.split())
    if justification and gunning.justification_problems(justification):
        raise ConsultationProblem(" ".join(gunning.justification_problems(justification)))
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        activity = consultation.activity
        status = consultation.status_at()
        started = status not in (
            engagement_domain.Status.DRAFT,
            engagement_domain.Status.SCHEDULED,
        )
        if status not in CHANGEABLE_PERIOD:
            closed = ConsultationProblem(
                "The consultation has closed: its period is part of the record and cannot "
                "change. To hear more from people, plan further engagement on the proposal."
            )
            closed.stage_refused = True  # type: ignore[attr-defined]  # audited as the stage's refusals are
            raise closed
        shortened = closes_at is None or (
            activity.closes_at is not None and closes_at < activity.closes_at
        )
        if started and (opens_at != activity.opens_at or shortened):
            raise ConsultationProblem(
                "The consultation has opened: only the closing time can be moved, and only later."
            )
        if status == engagement_domain.Status.SCHEDULED:
            problems = _scheduled_change_problems(consultation, opens_at, closes_at, justification)
            if problems:
                raise ConsultationProblem(" ".join(problems))
        engagement_services.activity_save(
            actor=actor,
            activity=activity,
            fields={"opens_at": opens_at, "closes_at": closes_at},
            topics=list(activity.topics.all()),
            groups=list(activity.audience_groups.all()),
            localities=list(activity.localities.values_list("name", flat=True)),
        )
        before = consultation.short_period_justification
        if justification != before:
            consultation.short_period_justification = justification
            consultation.short_period_justified_by = actor if justification else None  # type: ignore[assignment]
            consultation.short_period_justified_at = timezone.now() if justification else None
            consultation.save(
                update_fields=[
                    "short_period_justification",
                    "short_period_justified_by",
                    "short_period_justified_at",
                ]
            )
        audit_record(
            action=Action.CONSULTATION_UPDATED,
            actor=actor,
            subject=consultation,
            before={"justification_recorded": bool(before)},
            after={
                "justification_recorded": bool(consultation.short_period_justification),
                "justification": consultation.short_period_justification,
                "opens_at": opens_at,
                "closes_at": closes_at,
            },
        )
        consultation.refresh_from_db()
    return consultation


def _scheduled_change_problems(
    consultation: Consultation,
    opens_at: datetime | None,
    closes_at: datetime | None,
    justification: str,
) -> list[str]:
    """A scheduled consultation opens by the clock: its new dates must still pass."""
    from heard.servicechange.consultations.selectors import gunning_facts

    facts = replace(
        gunning_facts(consultation),
        opens_at=opens_at,
        closes_at=closes_at,
        justification=justification,
    )
    problems = gunning.blocking(gunning.checks(facts))
    if problems:
        return [
            "The consultation is scheduled to open, so its new dates must pass the checks.",
            *problems,
        ]
    return []


@audits_refusals("consultation.open", subject="consultation")
@stage(
    Change.PREPARE_CONSULTATION,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def consultation_open(
    *, actor: Actor, consultation: Consultation, now: datetime | None = None
) -> Consultation:
    """A draft opens now, or is scheduled if its opening time is in the future; a
    scheduled consultation opens now.

    Opening now sets the opening time to now (so the period checked is the real one).
    The Gunning guard refuses either move while a check fails
    (engagement.services.TransitionRefused, with the reasons).
    """
    _may_change(actor)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        activity = consultation.activity
        draft = activity.status == engagement_domain.Status.DRAFT
        if draft and activity.opens_at is not None and activity.opens_at > now:
            target = engagement_domain.Status.SCHEDULED
        else:
            target = engagement_domain.Status.OPEN
            if activity.opens_at is None or activity.opens_at != now:
                activity = engagement_services.activity_save(
                    actor=actor,
                    activity=activity,
                    fields={"opens_at": now},
                    topics=list(activity.topics.all()),
                    groups=list(activity.audience_groups.all()),
                    localities=list(activity.localities.values_list("name", flat=True)),
                )
        engagement_services.activity_transition(
            activity=activity, target=target, actor=actor, now=now
        )
        audit_record(
            action=Action.CONSULTATION_OPENED,
            actor=actor,
            subject=consultation,
            after={"status": str(target)},
        )
    consultation.refresh_from_db()
    return consultation


# --- overview and scrutiny ----------------------------------------------------------------


@stage(
    Change.PREPARE_CONSULTATION,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def council_add(
    *, actor: Actor, consultation: Consultation, name: str, committee: str, contact_email: str
) -> Council:
    _may_change(actor)
    with transaction.atomic():
        if consultation.councils.filter(name__iexact=name.strip()).exists():
            raise ConsultationProblem(f"{name.strip()} is already listed.")
        council = Council.objects.create(
            consultation=consultation,
            name=name.strip(),
            committee=committee.strip(),
            contact_email=contact_email.strip(),
        )
        audit_record(
            action=Action.CONSULTATION_COUNCIL_ADDED,
            actor=actor,
            subject=consultation,
            after={"council": council.pk, "name": council.name},
        )
    return council


@stage(
    Change.PREPARE_CONSULTATION,
    proposal=lambda kw: kw["council"].consultation.proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def council_remove(*, actor: Actor, council: Council) -> None:
    _may_change(actor)
    with transaction.atomic():
        consultation = council.consultation
        audit_record(
            action=Action.CONSULTATION_COUNCIL_REMOVED,
            actor=actor,
            subject=consultation,
            before={"council": council.pk, "name": council.name},
        )
        council.delete()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


OSC_FIELDS = scrutiny.FIELDS


def _local_today(now: datetime | None) -> date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


def _period_dates(consultation: Consultation) -> tuple[date | None, date | None]:
    activity = consultation.activity
    return (
        gunning.local_date(activity.opens_at) if activity.opens_at else None,
        gunning.local_date(activity.closes_at) if activity.closes_at else None,
    )


def _addressed_to(councils: list[Council], joint_committee_name: str) -> str:
    """Who the letter is to, in public words: councils and committees, never a person."""
    named = "; ".join(f"{c.committee}, {c.name}" if c.committee else c.name for c in councils)
    if joint_committee_name.strip():
        return f"{joint_committee_name.strip()} ({named})"
    return named


def _send_letter_on_commit(
    *, letter: ScrutinyLetter, message: Any, consultation: Consultation, version: int | None
) -> None:
    """Email the letter once the transaction commits, with the consultation document as
    published (the stored version, as a tagged PDF) attached."""
    pk = consultation.pk

    def send() -> None:
        if version is not None:
            from django.conf import settings

            from heard.core.pdf import template_pdf
            from heard.servicechange.consultations import selectors

            fresh = Consultation.objects.select_related("proposal", "activity").get(pk=pk)
            document = selectors.published_document(fresh, version)
            if document is not None:
                message.attach(
                    f"{fresh.slug}-consultation-document-v{version}.pdf",
                    template_pdf(
                        "consultations/public/document_pdf.html",
                        {
                            "consultation": fresh,
                            "proposal": fresh.proposal,
                            "document": document,
                            "organisation": settings.HEARD_ORGANISATION_NAME,
                        },
                    ),
                    "application/pdf",
                )
        message.send()

    transaction.on_commit(send)


def _letter_record(
    *,
    actor: Actor,
    consultation: Consultation,
    kind: str,
    councils: list[Council],
    template: str,
    context: dict[str, Any],
    sent_at: datetime,
    changes: dict[str, list[str | None]] | None = None,
) -> ScrutinyLetter:
    """Compose the letter from its template, keep exactly what is sent, and send it."""
    addresses = sorted({c.contact_email.strip() for c in councils if c.contact_email.strip()})
    version = consultation.versions.order_by("-number").first()
    message = mail_render(
        to=addresses,
        template=template,
        context={
            **context,
            "consultation": consultation,
            "comments_due_on": consultation.osc_comments_due_on,
            "proposed_decision_on": consultation.proposed_decision_on,
            "addressed_to": _addressed_to(councils, consultation.joint_committee_name),
            "document_version": version,
            "sent_on": timezone.localdate(sent_at),
        },
    )
    body = str(message.body)
    assert consultation.osc_comments_due_on and consultation.proposed_decision_on
    letter = ScrutinyLetter.objects.create(
        consultation=consultation,
        kind=kind,
        sent_at=sent_at,
        sent_by=_user(actor),
        comments_due_on=consultation.osc_comments_due_on,
        proposed_decision_on=consultation.proposed_decision_on,
        changes=changes or {},
        addressed_to=_addressed_to(councils, consultation.joint_committee_name),
        councils=[c.pk for c in councils],
        recipients=addresses,
        subject=str(message.subject),
        body=body,
        body_sha256=text_hash(body),
    )
    _send_letter_on_commit(
        letter=letter,
        message=message,
        consultation=consultation,
        version=version.number if version else None,
    )
    audit_record(
        action=Action.CONSULTATION_OSC_LETTER_SENT,
        actor=actor,
        subject=consultation,
        after={
            "letter": letter.pk,
            "kind": kind,
            "comments_due_on": _iso(letter.comments_due_on),
            "proposed_decision_on": _iso(letter.proposed_decision_on),
            "changes": letter.changes,
            "councils": letter.councils,
            "recipients": len(addresses),
            "body_sha256": letter.body_sha256,
            "document_version": version.number if version else None,
        },
    )
    return letter


@audits_refusals("consultation.osc_first_letter", subject="consultation")
@stage(
    Change.CORRESPOND_WITH_OSC,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def scrutiny_letter_send(
    *,
    actor: Actor,
    consultation: Consultation,
    comments_due_on: date | None,
    proposed_decision_on: date | None,
    contact: str,
    base_url: str,
    now: datetime | None = None,
) -> ScrutinyLetter:
    """Send the first reg. 23 letter to every council's contact: the consultation document
    (linked, and attached as published), the date comments are wanted by and the proposed
    decision date, and the ICB contact. The dates are saved and published with it.

    Refused without a council with its committee and contact (a joint committee where
    several), before the document is published or the period set, with dates that cannot
    be kept, without a real contact, and when every council has had it already (a change
    of dates is a re-notification). A council recorded after the first letter is sent
    the same letter, with the dates as they stand. ``now``: when it is sent (the demo
    only; otherwise the present)."""
    _may_change(actor)
    sent_at = now or timezone.now()
    today = _local_today(now)
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("activity", "proposal")
            .get(pk=consultation.pk)
        )
        councils = list(consultation.councils.all())
        firsts = list(consultation.scrutiny_letters.filter(kind=ScrutinyLetter.Kind.FIRST))
        written = {pk for x in firsts for pk in (x.councils or [])}
        if firsts and all(c.pk in written for c in councils):
            first = firsts[0]
            raise ConsultationProblem(
                f"The first letter was sent on {gunning.format_date(timezone.localdate(first.sent_at))}"
                " to every council recorded: it is not sent twice. To change the dates, "
                "change them below: the committee is sent a re-notification."
            )
        problems = scrutiny.council_problems(
            [scrutiny.CouncilFacts(c.name, c.committee, c.contact_email) for c in councils],
            consultation.joint_committee_name,
        )
        if consultation.document_published_at is None:
            problems.append(
                "Publish the consultation document first: the letter sends the committee "
                "the document it is consulted on."
            )
        if firsts:
            # The same letter to a council recorded since, with the dates as they stand.
            if (comments_due_on, proposed_decision_on) != (
                consultation.osc_comments_due_on,
                consultation.proposed_decision_on,
            ):
                problems.append(
                    "The first letter went to the other councils with the dates as they "
                    "stand: send it with those dates, then change them (a re-notification "
                    "goes to every council)."
                )
        else:
            opens_on, closes_on = _period_dates(consultation)
            problems += scrutiny.dates_problems(
                comments_due_on=comments_due_on,
                proposed_decision_on=proposed_decision_on,
                today=today,
                opens_on=opens_on,
                closes_on=closes_on,
            )
        problems += scrutiny.contact_problems(contact)
        if problems:
            raise ConsultationProblem(" ".join(problems))
        before = {
            "osc_comments_due_on": _iso(consultation.osc_comments_due_on),
            "proposed_decision_on": _iso(consultation.proposed_decision_on),
        }
        consultation.osc_comments_due_on = comments_due_on
        consultation.proposed_decision_on = proposed_decision_on
        consultation.save(update_fields=["osc_comments_due_on", "proposed_decision_on"])
        if before != {
            "osc_comments_due_on": _iso(comments_due_on),
            "proposed_decision_on": _iso(proposed_decision_on),
        }:
            audit_record(
                action=Action.CONSULTATION_OSC_CHANGED,
                actor=actor,
                subject=consultation,
                before=before,
                after={
                    "osc_comments_due_on": _iso(comments_due_on),
                    "proposed_decision_on": _iso(proposed_decision_on),
                    "notified": 0,
                },
            )
        to = [c for c in councils if c.pk not in written]
        opens_on, closes_on = _period_dates(consultation)
        return _letter_record(
            actor=actor,
            consultation=consultation,
            kind=ScrutinyLetter.Kind.FIRST,
            councils=to,
            template="consultations/email/osc_first_letter",
            context={
                "contact": substance.squeeze(contact),
                "opens_on": opens_on,
                "closes_on": closes_on,
                "page_url": base_url.rstrip("/") + consultation_public_path(consultation),
            },
            sent_at=sent_at,
        )


@audits_refusals("consultation.osc_dates", subject="consultation")
@stage(
    Change.CORRESPOND_WITH_OSC,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def osc_save(
    *,
    actor: Actor,
    consultation: Consultation,
    comments_due_on: date | None,
    proposed_decision_on: date | None,
    joint_committee_name: str,
    reason: str = "",
    now: datetime | None = None,
) -> OscNotice | None:
    """Change the scrutiny dates (and the joint committee's name).

    Before the first letter the dates are a draft: saved, not sent (the first letter
    sends them). After it, a change of either date must be possible (a date moved must be
    after today; the decision after the comments and after the consultation closes) and
    have a reason; it is sent to every council's contact as a re-notification letter
    saying what changed from what to what (kept as sent), recorded as a notice and
    published. Returns the notice, or None when no date was notified. ``now``: the demo
    only."""
    _may_change(actor)
    sent_at = now or timezone.now()
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("activity", "proposal")
            .get(pk=consultation.pk)
        )
        councils = list(consultation.councils.all())
        if len(councils) > 1 and substance.name_is_placeholder(joint_committee_name):
            raise ConsultationProblem(
                "Several councils are consulted: record the joint committee they formed."
            )
        new = {"osc_comments_due_on": comments_due_on, "proposed_decision_on": proposed_decision_on}
        if comments_due_on and proposed_decision_on and proposed_decision_on <= comments_due_on:
            raise ConsultationProblem(
                "The proposed decision date must be after the committee's comments are due."
            )
        changes = {
            name: [_iso(getattr(consultation, name)), _iso(value)]
            for name, value in new.items()
            if getattr(consultation, name) != value
        }
        written = consultation.scrutiny_letters.filter(kind=ScrutinyLetter.Kind.FIRST).exists()
        if written and changes:
            opens_on, closes_on = _period_dates(consultation)
            problems = scrutiny.dates_problems(
                comments_due_on=comments_due_on,
                proposed_decision_on=proposed_decision_on,
                today=_local_today(now),
                opens_on=opens_on,
                closes_on=closes_on,
                changed=[
                    "comments_due_on" if name == "osc_comments_due_on" else name for name in changes
                ],
            )
            problems += substance.reason_problems(
                reason, what="for changing the dates (the committee is told it)", min_words=3
            )
            if problems:
                raise ConsultationProblem(" ".join(problems))
        before_joint = consultation.joint_committee_name
        for name, value in new.items():
            setattr(consultation, name, value)
        consultation.joint_committee_name = substance.squeeze(joint_committee_name)
        consultation.save(update_fields=[*new.keys(), "joint_committee_name"])
        notice = None
        if written and changes:
            told = {
                ("comments_due_on" if k == "osc_comments_due_on" else k): v
                for k, v in changes.items()
            }
            summary = scrutiny.changes_summary(told)
            letter = _letter_record(
                actor=actor,
                consultation=consultation,
                kind=ScrutinyLetter.Kind.RENOTIFICATION,
                councils=councils,
                template="consultations/email/osc_change",
                context={"summary": summary, "reason": substance.squeeze(reason)},
                sent_at=sent_at,
                changes=told,
            )
            notice = OscNotice.objects.create(
                consultation=consultation,
                at=sent_at,
                by=_user(actor),
                changes=changes,
                summary=summary,
                notified=letter.recipients,
                letter=letter,
            )
        audit_record(
            action=Action.CONSULTATION_OSC_CHANGED,
            actor=actor,
            subject=consultation,
            before={
                **{name: a for name, (a, _) in changes.items()},
                "joint_committee_name": before_joint,
            },
            after={
                **{name: b for name, (_, b) in changes.items()},
                "joint_committee_name": consultation.joint_committee_name,
                "notified": len(notice.notified) if notice else 0,
                "reason": substance.squeeze(reason) if notice else "",
            },
        )
    return notice


@audits_refusals("consultation.osc_response", subject="consultation")
@stage(
    Change.CORRESPOND_WITH_OSC,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def scrutiny_response_record(
    *,
    actor: Actor,
    consultation: Consultation,
    received_on: date | None,
    position: str,
    summary: str,
    file: File | None = None,
) -> ScrutinyResponse:
    """Record what the committee said back: the date received (not in the future, not
    before the first letter), whether it agrees, objects or refers the proposal to the
    Secretary of State, and what it said – words with substance and/or its letter as a
    readable PDF, Word or OpenDocument file. The same response twice is refused."""
    _may_change(actor)
    from heard.servicechange.assessment import documents

    summary = substance.squeeze(summary)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        first = (
            consultation.scrutiny_letters.filter(kind=ScrutinyLetter.Kind.FIRST)
            .order_by("sent_at")
            .first()
        )
        problems = scrutiny.response_problems(
            received_on=received_on,
            today=timezone.localdate(),
            first_letter_on=timezone.localdate(first.sent_at) if first else None,
            position=position,
            positions=list(ScrutinyResponse.Position.values),
            summary=summary,
            has_file=file is not None,
        )
        if file is not None and documents.problem(file):
            problems["file"] = documents.problem(file) + "."
        if problems:
            raise ValidationError(problems)
        assert received_on is not None  # response_problems refused it otherwise
        digest = ""
        if file is not None:
            file.seek(0)
            digest = hashlib.sha256(file.read()).hexdigest()
            file.seek(0)
        if ScrutinyResponse.objects.filter(
            consultation=consultation,
            received_on=received_on,
            position=position,
            summary=summary,
            file_sha256=digest,
        ).exists():
            raise ConsultationProblem("This response of the committee is already recorded.")
        response = ScrutinyResponse(
            consultation=consultation,
            received_on=received_on,
            position=position,
            summary=summary,
            file_sha256=digest,
            recorded_by=_user(actor),
        )
        if file is not None:
            response.file.save(file.name or "committee-response", file, save=False)
        try:
            response.save()
            audit_record(
                action=Action.CONSULTATION_OSC_RESPONSE_RECORDED,
                actor=actor,
                subject=consultation,
                after={
                    "response": response.pk,
                    "received_on": _iso(received_on),
                    "position": position,
                    "summary": erasable(summary, about=consultation) if summary else "",
                    "file_sha256": digest,
                },
            )
        except BaseException:
            if response.file:
                response.file.delete(save=False)
            raise
    return response


# --- telling people ----------------------------------------------------------------------


@stage(
    Change.PROMOTE_CONSULTATION,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def mailout_queue(
    *,
    actor: Actor,
    consultation: Consultation,
    subject: str,
    message: str,
    group_ids: list[int],
    include_members: bool,
    base_url: str,
) -> Mailout:
    """Queue emails to the chosen stakeholder groups and, if asked, to members interested
    in the proposal's topics or places who agreed to be contacted. Sent by a background
    task after commit; the mailout's counts show progress."""
    _may_change(actor)
    from heard.servicechange.consultations import selectors
    from heard.servicechange.consultations.tasks import mailout_send_task

    with transaction.atomic():
        groups = selectors.stakeholder_groups_with_email().filter(pk__in=group_ids)
        recipients: list[list[Any]] = [["group", g.pk] for g in groups]
        if include_members:
            recipients += [
                ["member", pk]
                for pk in selectors.members_to_tell(consultation).values_list("pk", flat=True)
            ]
        if Mailout.objects.filter(
            consultation=consultation,
            subject=subject.strip(),
            message=message.strip(),
            recipients=recipients,
        ).exists():
            raise ConsultationProblem(
                "This email has already been sent to the same people (or is being sent)."
            )
        if not recipients:
            raise ConsultationProblem(
                "Nobody to tell: choose at least one group, or members interested in this "
                "proposal (none may have agreed to be contacted yet)."
            )
        mailout = Mailout.objects.create(
            consultation=consultation,
            subject=subject.strip(),
            message=message.strip(),
            total=len(recipients),
            recipients=recipients,
            created_by=_user(actor),
        )
        audit_record(
            action=Action.CONSULTATION_MAILOUT_QUEUED,
            actor=actor,
            subject=consultation,
            after={
                "mailout": mailout.pk,
                "groups": sum(1 for kind, _ in recipients if kind == "group"),
                "members": sum(1 for kind, _ in recipients if kind == "member"),
            },
        )
        pk = mailout.pk
        transaction.on_commit(lambda: mailout_send_task.enqueue(mailout_id=pk, base_url=base_url))
    return mailout


def mailout_send(*, mailout_id: int, base_url: str) -> int:
    """Send a queued mailout (run as a background task). Progress is saved as it goes;
    run again after a failure, it carries on from where it stopped."""
    from heard.people.models import Group, Member
    from heard.people.services.membership import member_mail_send

    mailout = Mailout.objects.select_related("consultation__activity").get(pk=mailout_id)
    if mailout.status == Mailout.Status.DONE:
        return 0
    Mailout.objects.filter(pk=mailout.pk).update(status=Mailout.Status.SENDING)
    consultation = mailout.consultation
    context = {
        "consultation": consultation,
        "mail_subject": mailout.subject,
        "message": mailout.message,
        "page_url": base_url.rstrip("/") + consultation_public_path(consultation),
    }
    sent = 0
    try:
        for kind, pk in mailout.recipients[mailout.sent :]:
            if kind == "group":
                group = Group.objects.filter(pk=pk).exclude(email="").first()
                if group is not None:
                    mail_send_on_commit(
                        to=[group.email],
                        template="consultations/email/tell_group",
                        context={**context, "group": group},
                    )
            else:
                member = Member.objects.filter(pk=pk, status=Member.Status.ACTIVE).first()
                if member is not None and member.contact_by_email and member.email:
                    member_mail_send(
                        member=member,
                        template="consultations/email/tell_member",
                        context=context,
                        base_url=base_url,
                    )
            sent += 1
            Mailout.objects.filter(pk=mailout.pk).update(sent=mailout.sent + sent)
    except Exception as error:  # recorded for staff, then re-raised
        Mailout.objects.filter(pk=mailout.pk).update(
            status=Mailout.Status.FAILED, error=str(error)[:500]
        )
        raise
    Mailout.objects.filter(pk=mailout.pk).update(
        status=Mailout.Status.DONE, finished_at=timezone.now()
    )
    audit_record(
        action=Action.CONSULTATION_MAILOUT_SENT,
        actor=TASK,
        subject=consultation,
        after={"mailout": mailout.pk, "sent": mailout.sent + sent},
    )
    return sent


def consultation_public_path(consultation: Consultation) -> str:
    from django.urls import reverse

    return reverse("consultations_public:detail", kwargs={"slug": consultation.slug})


# --- mid-point review ---------------------------------------------------------------------


@stage(
    Change.MIDPOINT_REVIEW,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def midpoint_record(
    *,
    actor: Actor,
    consultation: Consultation,
    action_taken: str,
    now: datetime | None = None,
) -> MidpointReview:
    """Record the mid-point review while the consultation runs (required of a formal
    consultation before its outcome report is issued). ``now``: when it was held, for a
    record made from notes (not in the future; the consultation open then)."""
    _may_change(actor)
    real_now = timezone.now()
    now = min(now or real_now, real_now)
    from heard.servicechange.consultations import selectors

    action_taken = action_taken.strip()
    if substance.is_placeholder(action_taken):
        raise ConsultationProblem("Say what action was taken (or why none was needed).")
    if consultation.status_at(now) != engagement_domain.Status.OPEN:
        raise ConsultationProblem(
            "The mid-point review is recorded while the consultation runs: it is not open."
        )
    with transaction.atomic():
        recent = MidpointReview.objects.filter(
            consultation=consultation,
            action_taken=action_taken,
            at__gte=now - timedelta(minutes=10),
        ).first()
        if recent is not None:  # the same form sent twice
            return recent
        review = selectors.midpoint(consultation)
        record = MidpointReview.objects.create(
            consultation=consultation,
            at=now,
            by=_user(actor),
            responses=review.responses,
            flagged=review.flagged_labels,
            action_taken=action_taken,
        )
        audit_record(
            action=Action.CONSULTATION_MIDPOINT_RECORDED,
            actor=actor,
            subject=consultation,
            after={"review": record.pk, "flagged": len(record.flagged)},
        )
    return record


# --- the Consultation Institute's checkpoints -------------------------------------------------


def _not_opened(consultation: Consultation) -> None:
    if consultation.status_at() not in (
        engagement_domain.Status.DRAFT,
        engagement_domain.Status.SCHEDULED,
    ):
        raise ConsultationProblem(
            "The consultation has opened: this is signed off before it opens."
        )


def _note_problems(note: str, what: str) -> None:
    problems = substance.reason_problems(note, what=what, min_words=4)
    if problems:
        raise ConsultationProblem(" ".join(problems))


@audits_refusals("consultation.scope_agreed", subject="consultation")
@stage(
    Change.PREPARE_CONSULTATION,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def scope_agree(*, actor: Actor, consultation: Consultation, note: str) -> SignOff:
    """Sign off the consultation's scope (what is open to change and what is not, who
    must be reached), before it opens; once. Refused with a placeholder note."""
    _may_change(actor)
    _note_problems(note, "for the scope: what is open to change, what is not, who must be reached")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _not_opened(locked)
        existing = SignOff.objects.filter(consultation=locked, kind=SignOff.Kind.SCOPE).first()
        if existing is not None:
            who = _person_name(existing.by)
            raise ConsultationProblem(
                f"The scope was already agreed by {who} on "
                f"{timezone.localtime(existing.at):%-d %B %Y}."
            )
        record = SignOff.objects.create(
            consultation=locked,
            kind=SignOff.Kind.SCOPE,
            by=_user(actor),
            note=" ".join(note.split()),
        )
        audit_record(
            action=Action.CONSULTATION_SCOPE_AGREED,
            actor=actor,
            subject=locked,
            after={"sign_off": record.pk, "note": record.note},
        )
    return record


def _person_name(user: Any) -> str:
    if user is None:
        return "a member of staff"
    return str(getattr(user, "full_name", "") or getattr(user, "email", "")) or "a member of staff"


@audits_refusals("consultation.documents_reviewed", subject="consultation")
@stage(
    Change.PREPARE_CONSULTATION,
    proposal=lambda kw: kw["consultation"].proposal_id,
    refuse=ConsultationProblem,
    who=lambda a: _may_change(a),
)
def documents_review(*, actor: Actor, consultation: Consultation, note: str) -> SignOff:
    """Sign off the review of the latest published version of the consultation document,
    before the consultation opens, by someone who neither drafted a section of that
    version nor published it (both are recorded). A version is reviewed once; a new
    version needs a new review."""
    _may_change(actor)
    _note_problems(note, "for the review: what was checked and what was changed")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _not_opened(locked)
        version = DocumentVersion.objects.filter(consultation=locked).order_by("-number").first()
        drafters = _drafters(locked, version)
        reviewer = _user(actor)
        problems = checkpoints.documents_review_problems(
            latest_version=version.number if version else None,
            latest_version_at=version.published_at if version else None,
            already_reviewed=bool(
                version
                and SignOff.objects.filter(
                    consultation=locked, kind=SignOff.Kind.DOCUMENTS, version=version
                ).exists()
            ),
            reviewer=_person_name(reviewer),
            reviewer_drafted=reviewer is not None and reviewer.pk in drafters,
            now=timezone.now(),
        )
        if problems:
            raise ConsultationProblem(" ".join(problems))
        assert version is not None
        record = SignOff.objects.create(
            consultation=locked,
            kind=SignOff.Kind.DOCUMENTS,
            by=reviewer,
            note=" ".join(note.split()),
            version=version,
            drafted_by=sorted(drafters.values()),
        )
        audit_record(
            action=Action.CONSULTATION_DOCUMENTS_REVIEWED,
            actor=actor,
            subject=locked,
            after={
                "sign_off": record.pk,
                "version": version.number,
                "content_hash": version.content_hash,
                "drafted_by_user_ids": sorted(drafters),
                "note": record.note,
            },
        )
    return record


def _drafters(consultation: Consultation, version: DocumentVersion | None) -> dict[int, str]:
    """Who drafted a section of ``version`` or published it: {user id: name}."""
    if version is None:
        return {}
    users: dict[int, str] = {}
    if version.published_by is not None:
        users[version.published_by.pk] = _person_name(version.published_by)
    for section in consultation.sections.select_related("updated_by"):
        if section.updated_by is not None and section.updated_at <= version.published_at:
            users[section.updated_by.pk] = _person_name(section.updated_by)
    return users
