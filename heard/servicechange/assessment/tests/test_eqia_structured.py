"""The structured EqIA and the decision makers' due regard (issue 13, item 6): each
characteristic with evidence, impact and – where negative – mitigation; frozen once the
consultation opens; the Gunning row tells the truth; due regard recorded by each decision
maker, in substance, before the decision, never delegated."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.assessment import selectors, services
from heard.servicechange.assessment.models import DueRegard
from heard.servicechange.assessment.tests.helpers import EQIA_ROWS, attach_eqia, make_proposal
from heard.servicechange.consultations import gunning
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals.domain import Status
from heard.servicechange.proposals.tests.helpers import put_at

pytestmark = pytest.mark.django_db

SAID = (
    "I read the EqIA as reviewed after the consultation: older and disabled people lose "
    "most, and I weighed the shuttle bus and patient transport as the mitigations."
)


def _refusals(act: str) -> int:
    return AuditEvent.objects.filter(action=Action.ACT_REFUSED, after__act=act).count()


def test_an_eqia_with_only_a_document_is_not_complete_and_fails_the_gunning_row():
    """Found earlier: an (empty) document was the whole EqIA, and the panel passed it."""
    proposal = attach_eqia(make_proposal(), complete=False)
    facts = lifecycle_facts(proposal)
    assert facts.eqia_attached
    assert facts.eqia_problems and "Not yet considered: Age, Disability" in facts.eqia_problems[0]
    check = gunning.check_eqia(
        gunning.GunningFacts(
            proposal_status=Status.ASSURANCE, eqia_attached=True, eqia_problems=facts.eqia_problems
        )
    )
    assert check.result == gunning.Result.FAIL and check.label != "Pass"
    services.eqia_impacts_save(
        actor=staff_member(Role.PROGRAMME_LEAD), proposal=proposal, rows=EQIA_ROWS
    )
    proposal.refresh_from_db()
    complete = lifecycle_facts(proposal)
    assert complete.eqia_problems == ()
    assert (
        gunning.check_eqia(
            gunning.GunningFacts(proposal_status=Status.ASSURANCE, eqia_attached=True)
        ).result
        == gunning.Result.PASS
    )


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (
            {"impact": "negative", "evidence": "Older people use the unit most.", "mitigation": ""},
            "age-mitigation",
        ),
        (
            {
                "impact": "negative",
                "evidence": "Older people use the unit most.",
                "mitigation": "tbc",
            },
            "age-mitigation",
        ),
        ({"impact": "neutral", "evidence": "x", "mitigation": ""}, "age-evidence"),
        ({"impact": "neutral", "evidence": "n/a", "mitigation": ""}, "age-evidence"),
        (
            {"impact": "maybe", "evidence": "Older people use the unit most.", "mitigation": ""},
            "age-impact",
        ),
    ],
)
def test_a_row_without_evidence_or_a_negative_impact_without_mitigation_is_refused(row, field):
    proposal = make_proposal()
    before = _refusals("eqia.impacts")
    with pytest.raises(ValidationError) as refused:
        services.eqia_impacts_save(
            actor=staff_member(Role.PROGRAMME_LEAD), proposal=proposal, rows={"age": row}
        )
    assert field in refused.value.message_dict
    assert selectors.eqia_for(proposal) is None
    assert _refusals("eqia.impacts") == before + 1


def test_the_eqia_is_frozen_once_the_consultation_opens():
    proposal = put_at(attach_eqia(make_proposal()), Status.FORMAL_CONSULTATION)
    changed = dict(
        EQIA_ROWS,
        sex={
            "impact": "negative",
            "evidence": "Women use it more.",
            "mitigation": "Evening clinics for women.",
        },
    )
    with pytest.raises(ValidationError) as refused:
        services.eqia_impacts_save(
            actor=staff_member(Role.ADMINISTRATOR), proposal=proposal, rows=changed
        )
    assert getattr(refused.value, "stage_refused", False)
    assert selectors.eqia_view(proposal).rows[7].record.impact == "neutral"


def test_an_empty_document_is_still_refused_but_the_document_is_optional():
    proposal = make_proposal()
    lead = staff_member(Role.PROGRAMME_LEAD)
    with pytest.raises(ValidationError):
        services.eqia_attach(
            actor=lead, proposal=proposal, title="EqIA", file=ContentFile(b"", name="eqia.pdf")
        )
    eqia = services.eqia_attach(actor=lead, proposal=proposal, title="EqIA of the move")
    assert not eqia.file


def _reviewed() -> object:
    proposal = put_at(attach_eqia(make_proposal()), Status.DECISION_PENDING)
    services.eqia_review(
        actor=staff_member(Role.DECISION_MAKER),
        proposal=proposal,
        notes="Reviewed against what people said: travel for older people is the main impact.",
    )
    return proposal


def test_due_regard_is_recorded_by_a_decision_maker_in_substance_once():
    proposal = _reviewed()
    board = staff_member(Role.DECISION_MAKER)
    before = _refusals("eqia.due_regard")
    for text in ("", "Noted.", "I have read the EqIA.", "x", "Read and agreed by me."):
        with pytest.raises(ValidationError):
            services.due_regard_record(actor=board, proposal=proposal, statement=text)
    assert _refusals("eqia.due_regard") == before + 5
    record = services.due_regard_record(actor=board, proposal=proposal, statement=SAID)
    assert record.decision_maker == board
    with pytest.raises(ValidationError, match="already recorded"):
        services.due_regard_record(actor=board, proposal=proposal, statement=SAID)
    assert DueRegard.objects.filter(eqia__proposal=proposal).count() == 1
    assert AuditEvent.objects.filter(action=Action.EQIA_DUE_REGARD_RECORDED).count() == 1


@pytest.mark.parametrize("role", [Role.PROGRAMME_LEAD, Role.ENGAGEMENT_OFFICER, Role.ANALYST])
def test_due_regard_cannot_be_delegated_to_the_team(role):
    proposal = _reviewed()
    with pytest.raises(PermissionDenied):
        services.due_regard_record(actor=staff_member(role), proposal=proposal, statement=SAID)
    assert not DueRegard.objects.filter(eqia__proposal=proposal).exists()


def test_due_regard_needs_the_review_after_the_consultation_first():
    proposal = put_at(attach_eqia(make_proposal()), Status.DECISION_PENDING)
    with pytest.raises(ValidationError, match="not been reviewed"):
        services.due_regard_record(
            actor=staff_member(Role.DECISION_MAKER), proposal=proposal, statement=SAID
        )


def test_the_eqia_table_and_due_regard_are_on_the_staff_page(staff_client):
    from django.urls import reverse

    proposal = _reviewed()
    board = staff_member(Role.DECISION_MAKER)
    services.due_regard_record(actor=board, proposal=proposal, statement=SAID)
    client, _ = staff_client(Role.SCRUTINY_READER)
    page = client.get(reverse("assessment:assurance", args=[proposal.pk])).content.decode()
    assert "Impact on each characteristic" in page
    assert "Gender reassignment" in page and "A shuttle bus from the cottage hospital" in page
    assert "11 of 13" in page
    assert "older and disabled people lose most" in page
