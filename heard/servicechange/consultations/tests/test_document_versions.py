"""What people were consulted on cannot be rewritten: once the consultation opens the
document is frozen, a correction is a new version with a reason shown publicly, every
version stays public, and the audit trail keeps the content hash of each."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.consultations import services
from heard.servicechange.consultations.models import DocumentVersion
from heard.servicechange.consultations.services import ConsultationProblem
from heard.servicechange.consultations.tests.helpers import (
    fill_document,
    make_consultation,
    passing_consultation,
)
from heard.servicechange.proposals.models import Proposal

pytestmark = pytest.mark.django_db

REASON = "The capital cost was given as £42,000 instead of £420,000."


def _hash(sections: dict[str, str]) -> str:
    text = json.dumps(
        {"sections": sections}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _published_events():
    return list(
        AuditEvent.objects.filter(action=Action.CONSULTATION_DOCUMENT_PUBLISHED).order_by(
            "sequence"
        )
    )


@pytest.fixture
def opened():
    return services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=passing_consultation()
    )


def _section(consultation, key="costs"):
    return consultation.sections.get(key=key)


def test_each_publication_is_a_version_whose_hash_is_in_the_audit_trail(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = make_consultation(actor=officer)
    fill_document(consultation, officer)
    services.section_save(actor=officer, section=_section(consultation), body="£420,000 capital.")
    services.document_publish(actor=officer, consultation=consultation)
    v1, v2 = DocumentVersion.objects.filter(consultation=consultation).order_by("number")
    assert (v1.number, v2.number) == (1, 2) and not v2.is_correction
    assert (
        v2.sections["costs"] == "£420,000 capital." and v1.sections["costs"] != v2.sections["costs"]
    )
    assert v2.content_hash == _hash(v2.sections)
    e1, e2 = _published_events()
    assert e1.after["content_hash"] == v1.content_hash
    assert e2.after["content_hash"] == v2.content_hash
    assert e2.before == {"version": 1, "content_hash": v1.content_hash}
    assert e2.after["sections"]["costs"] == hashlib.sha256("£420,000 capital.".encode()).hexdigest()
    # The text itself is kept in the version, not written into the chain.
    assert "£420,000 capital." not in json.dumps([e2.before, e2.after])


def test_once_open_no_section_changes_in_place(make_staff, opened):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    before = _section(opened).published_body
    with pytest.raises(ConsultationProblem, match="can no longer be changed in place"):
        services.section_save(actor=officer, section=_section(opened), body="Most people agreed.")
    with pytest.raises(ConsultationProblem, match="can no longer be changed in place"):
        services.document_publish(actor=officer, consultation=opened)
    section = _section(opened)
    assert section.published_body == before and section.body == before
    assert DocumentVersion.objects.filter(consultation=opened).count() == 1
    refused = [
        e.after["act"]
        for e in AuditEvent.objects.filter(action=Action.ACT_REFUSED).order_by("sequence")
    ]
    assert refused == ["consultation.edit_document", "consultation.publish_document"]


@pytest.mark.parametrize("reason", ["", "x", "-", ".", "n/a", "N/A", "tbc", "Typo"])
def test_a_correction_needs_a_real_reason(make_staff, opened, reason):
    with pytest.raises(ConsultationProblem, match="reason"):
        services.document_correct(
            actor=make_staff(Role.ENGAGEMENT_OFFICER),
            consultation=opened,
            bodies={"costs": "£420,000 capital."},
            reason=reason,
        )
    assert DocumentVersion.objects.filter(consultation=opened).count() == 1


def test_a_correction_is_a_new_public_version_with_its_reason(client, make_staff, opened):
    officer = make_staff(Role.PROGRAMME_LEAD)
    old = _section(opened).published_body
    version = services.document_correct(
        actor=officer, consultation=opened, bodies={"costs": "£420,000 capital."}, reason=REASON
    )
    assert (version.number, version.is_correction, version.reason) == (2, True, REASON)
    assert version.sections["costs"] == "£420,000 capital."
    first = DocumentVersion.objects.get(consultation=opened, number=1)
    assert first.sections["costs"] == old  # the first version is unchanged
    event = _published_events()[-1]
    assert event.actor_id == officer.pk
    assert event.after["content_hash"] == version.content_hash == _hash(version.sections)
    assert event.after["reason"] == REASON and event.after["correction"] is True

    page = client.get(reverse("consultations_public:detail", args=[opened.slug])).content.decode()
    assert "£420,000 capital." in page and old not in page
    assert f"Reason: {REASON}" in page and "Corrected on" in page
    listing = client.get(reverse("consultations_public:versions", args=[opened.slug]))
    assert listing.status_code == 200
    assert "Version 1" in listing.content.decode() and "Version 2" in listing.content.decode()
    v1 = client.get(reverse("consultations_public:version", args=[opened.slug, 1])).content.decode()
    assert old in v1 and "£420,000 capital." not in v1 and first.content_hash in v1
    assert (
        client.get(reverse("consultations_public:version", args=[opened.slug, 9])).status_code
        == 404
    )


def test_nothing_can_be_corrected_once_the_decision_is_recorded(make_staff, opened):
    Proposal.objects.filter(pk=opened.proposal_id).update(status="decided")
    with pytest.raises(ConsultationProblem, match="decision has been recorded"):
        services.document_correct(
            actor=make_staff(Role.ADMINISTRATOR),
            consultation=opened,
            bodies={"costs": "£51."},
            reason="The costs were restated for the board.",
        )
    assert DocumentVersion.objects.filter(consultation=opened).count() == 1


def test_a_correction_that_changes_nothing_or_empties_a_section_is_refused(make_staff, opened):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    same = _section(opened).published_body
    with pytest.raises(ConsultationProblem, match="changes nothing"):
        services.document_correct(
            actor=officer, consultation=opened, bodies={"costs": same}, reason=REASON
        )
    with pytest.raises(ConsultationProblem, match="cannot be emptied"):
        services.document_correct(
            actor=officer, consultation=opened, bodies={"costs": "  "}, reason=REASON
        )


@pytest.mark.parametrize("role", [Role.SCRUTINY_READER, Role.ANALYST, Role.DECISION_MAKER])
def test_roles_that_only_read_are_refused_by_the_services_themselves(make_staff, role):
    reader = make_staff(role)
    draft = make_consultation()
    with pytest.raises(PermissionDenied):
        services.section_save(actor=reader, section=_section(draft), body="Rewritten.")
    with pytest.raises(PermissionDenied):
        services.document_publish(actor=reader, consultation=draft)
    opened = services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=passing_consultation()
    )
    with pytest.raises(PermissionDenied):
        services.document_correct(
            actor=reader, consultation=opened, bodies={"costs": "£1."}, reason=REASON
        )
    assert _section(draft).body != "Rewritten."
    assert DocumentVersion.objects.filter(consultation=opened).count() == 1
    assert AuditEvent.objects.filter(action=Action.ACT_REFUSED, actor_id=reader.pk).count() == 3


def test_the_staff_page_asks_for_a_reason_once_open(client, make_staff, opened):
    client.force_login(make_staff(Role.ENGAGEMENT_OFFICER))
    url = reverse("consultations:section", args=[opened.pk, "costs"])
    page = client.get(url).content.decode()
    assert "Why is it being corrected?" in page and "Publish the correction" in page
    response = client.post(url, {"body": "£420,000 capital.", "reason": "n/a"})
    assert "is not a reason" in response.content.decode()
    assert DocumentVersion.objects.filter(consultation=opened).count() == 1
    response = client.post(url, {"body": "£420,000 capital.", "reason": REASON})
    assert response.status_code == 302
    assert DocumentVersion.objects.filter(consultation=opened).count() == 2


def test_the_options_and_significance_freeze_when_the_consultation_opens(make_staff) -> None:
    """The options appraisal and the significance and assurance records are part of what
    people are consulted on: they can change while the consultation is scheduled, and
    not once it opens – the refusal says to correct the document instead."""
    from datetime import timedelta

    from heard.servicechange.assessment import services as assessment
    from heard.servicechange.assessment.models import Option

    lead = staff_member(Role.PROGRAMME_LEAD)
    scheduled = passing_consultation(starts_in=timedelta(days=2))
    scheduled = services.consultation_open(actor=lead, consultation=scheduled)
    assert str(scheduled.activity.status) == "scheduled"
    proposal = scheduled.proposal
    option = Option.objects.filter(proposal=proposal).order_by("position").last()
    assert option is not None
    assessment.option_save(
        actor=lead, proposal=proposal, option=option, title="Open a new unit in Eastham"
    )
    assert not assessment.is_frozen(proposal)
    opened = services.consultation_open(actor=lead, consultation=scheduled)
    assert str(opened.activity.status) == "open"
    assert assessment.is_frozen(proposal)
    changes = AuditEvent.objects.exclude(action=Action.ACT_REFUSED).count()
    refusals = [
        lambda: assessment.option_save(
            actor=lead, proposal=proposal, option=option, title="Close the unit"
        ),
        lambda: assessment.bed_closures_save(actor=lead, proposal=proposal, significant=True),
        lambda: assessment.assurance_test_save(
            actor=lead, proposal=proposal, test="clinical_evidence", evidence="Other evidence."
        ),
        lambda: assessment.significance_override(
            actor=make_staff(Role.ADMINISTRATOR),
            proposal=proposal,
            consultation_required=False,
            reason="It was never substantial.",
        ),
    ]
    for attempt in refusals:
        with pytest.raises(ValidationError, match="correct the consultation document"):
            attempt()
    assert AuditEvent.objects.exclude(action=Action.ACT_REFUSED).count() == changes
    refused = AuditEvent.objects.filter(action=Action.ACT_REFUSED).order_by("sequence").last()
    assert refused is not None and (refused.after or {}).get("act") == "significance.override"
    option.refresh_from_db()
    assert option.title == "Open a new unit in Eastham"
