"""The lifecycle on top of the service change: facts asked of each stage directly, guards
that only read, the consequences of an opening and of a decision made in the act's
transaction and attributed to the person who acted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import AuditEvent
from heard.core.roles import Role
from heard.engagement import guards
from heard.engagement import services as engagement_services
from heard.engagement.services import TransitionRefused as ActivityRefused
from heard.servicechange.consultations import gunning, selectors
from heard.servicechange.consultations.guard import gunning_guard
from heard.servicechange.consultations.tests.helpers import passing_consultation
from heard.servicechange.lifecycle import services
from heard.servicechange.lifecycle.facts import facts
from heard.servicechange.proposals import domain
from heard.servicechange.proposals.models import ProposalTransition
from heard.servicechange.proposals.tests.helpers import make_proposal

pytestmark = pytest.mark.django_db


def test_no_stage_registers_untyped_facts_with_the_proposals_app():
    import importlib.util

    assert importlib.util.find_spec("heard.servicechange.proposals.hooks") is None
    proposal = make_proposal()
    made = facts(proposal)
    assert isinstance(made, domain.ProposalFacts)
    # Each stage answers for itself, typed.
    assert made == domain.compose(
        proposal.own_facts(),
        domain.AssessmentFacts(
            stage2_required=made.stage2_required,
            eqia_problems=("No equality impact assessment is recorded.",),
        ),
        domain.ConsultationFacts(),
        domain.OutcomeFacts(),
    )


def test_the_gunning_guard_only_reads():
    consultation = passing_consultation()
    before = ProposalTransition.objects.count()
    events = AuditEvent.objects.count()
    now = timezone.now()
    assert gunning_guard(consultation.activity, "open", now, False) == []
    consultation.proposal.refresh_from_db()
    assert consultation.proposal.status == "assurance"
    assert ProposalTransition.objects.count() == before
    assert AuditEvent.objects.count() == events


def test_opening_moves_the_proposal_as_the_person_who_opened_it():
    consultation = passing_consultation()
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    engagement_services.activity_transition(
        activity=consultation.activity, target="open", actor=officer
    )
    move = ProposalTransition.objects.filter(proposal=consultation.proposal).last()
    assert move is not None and move.to_status == "formal_consultation"
    assert move.actor == officer
    event = AuditEvent.objects.filter(action="proposal.transitioned").last()
    assert event is not None and event.actor_id == officer.pk


def test_opening_by_the_clock_is_the_clocks():
    consultation = passing_consultation(starts_in=timedelta(days=2))
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    engagement_services.activity_transition(
        activity=consultation.activity, target="scheduled", actor=officer
    )
    consultation.activity.refresh_from_db()
    engagement_services.activities_advance_clock(now=consultation.activity.opens_at)
    move = ProposalTransition.objects.filter(proposal=consultation.proposal).last()
    assert move is not None and move.to_status == "formal_consultation"
    assert move.actor is None and "by the clock" in move.note


def test_a_refused_consequence_refuses_the_opening_and_keeps_neither(monkeypatch):
    consultation = passing_consultation()
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    assert gunning.blocking(selectors.gunning_panel(consultation)) == []

    def refusing(activity, target, actor):
        raise guards.ConsequenceRefused(["The proposal cannot move now."])

    monkeypatch.setattr(guards, "_consequences", [refusing])
    with pytest.raises(ActivityRefused, match="cannot move now"):
        engagement_services.activity_transition(
            activity=consultation.activity, target="open", actor=officer
        )
    consultation.activity.refresh_from_db()
    consultation.proposal.refresh_from_db()
    assert consultation.activity.status != "open"
    assert consultation.proposal.status == "assurance"
    refused = AuditEvent.objects.filter(action="act.refused").last()
    assert refused is not None and "cannot move now" in str(refused.after)


def test_the_transition_reads_every_stages_facts(monkeypatch):
    """A fact only a later stage knows (the decision) stops the move to "decided"."""
    proposal = make_proposal()
    from heard.servicechange.proposals.models import Proposal

    Proposal.objects.filter(pk=proposal.pk).update(status="decision_pending")
    proposal.refresh_from_db()
    board = staff_member(Role.DECISION_MAKER)
    with pytest.raises(services.TransitionRefused, match="Record the decision"):
        services.proposal_transition(proposal=proposal, target="decided", actor=board)
    monkeypatch.setattr(
        "heard.servicechange.outcomes.hooks.stage_facts",
        lambda p: domain.OutcomeFacts(decision_recorded=True),
    )
    moved = services.proposal_transition(proposal=proposal, target="decided", actor=board)
    assert moved.status == "decided"


def test_no_one_moves_the_proposal_to_formal_consultation_by_hand():
    """Found in the demo: "Move to Formal consultation" on the hub moved a proposal whose
    consultation was a draft failing its checks, and the public page said a consultation
    was under way. Only the opening moves it."""
    consultation = passing_consultation()
    lead = staff_member(Role.PROGRAMME_LEAD)
    with pytest.raises(services.TransitionRefused, match="when its consultation opens"):
        services.proposal_transition(
            proposal=consultation.proposal, target="formal_consultation", actor=lead
        )
    consultation.proposal.refresh_from_db()
    assert consultation.proposal.status == "assurance"
    refused = AuditEvent.objects.filter(action="act.refused").last()
    assert refused is not None and "when its consultation opens" in str(refused.after)
    # The panel still says the proposal is ready to move when the consultation opens.
    assert gunning.blocking(selectors.gunning_panel(consultation)) == []
    engagement_services.activity_transition(
        activity=consultation.activity, target="open", actor=lead
    )
    consultation.proposal.refresh_from_db()
    assert consultation.proposal.status == "formal_consultation"


def test_the_consultations_address_without_a_consultation_leads_to_every_service_change(client):
    """Found in the demo: /consultations/ answered "Page not found"."""
    from django.urls import reverse

    response = client.get("/consultations/")
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals_public:index")


@pytest.mark.parametrize("note", ["", "x", "n/a", "back"])
def test_going_back_a_stage_needs_a_reason(note):
    """Found in the demo: one click moved a proposal back from significance to options,
    with nothing recorded about why."""
    from heard.servicechange.lifecycle import selectors as lifecycle_selectors
    from heard.servicechange.proposals.services import TransitionRefused

    lead = staff_member(Role.PROGRAMME_LEAD)
    proposal = make_proposal(actor=lead)
    proposal = services.proposal_transition(proposal=proposal, target="options", actor=lead)
    with pytest.raises(TransitionRefused, match="reason"):
        services.proposal_transition(
            proposal=proposal, target="early_engagement", actor=lead, note=note
        )
    proposal.refresh_from_db()
    assert proposal.status == "options"
    refused = AuditEvent.objects.filter(action="act.refused").last()
    assert refused is not None and "going back a stage" in str(refused.after)
    proposal = services.proposal_transition(
        proposal=proposal, target="early_engagement", actor=lead, note="More people to hear from"
    )
    assert proposal.status == "early_engagement"
    moved = services.proposal_transition(proposal=proposal, target="options", actor=lead)
    assert moved.status == "options"  # forward moves need no reason
    details = [e.detail for e in lifecycle_selectors.timeline(proposal)]
    assert any("More people to hear from" in d for d in details)
