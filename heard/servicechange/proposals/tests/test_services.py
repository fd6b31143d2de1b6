"""Writing proposals: every change audited, rules enforced, repeats harmless."""

import pytest

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.tests.factories import ActivityFactory
from heard.insight.tests.helpers import add_insights
from heard.people.models import Group
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals import domain, services
from heard.servicechange.proposals.models import ProposalTransition
from heard.servicechange.proposals.tests.helpers import make_proposal, topic

pytestmark = pytest.mark.django_db


def _events(proposal, action):
    return AuditEvent.objects.filter(
        subject_type="proposals.proposal", subject_id=str(proposal.pk), action=action
    )


def test_create_logs_under_consideration_with_a_unique_slug(make_staff):
    lead = make_staff()
    first = make_proposal(actor=lead)
    second = make_proposal(actor=lead)
    assert first.status == domain.Status.UNDER_CONSIDERATION
    assert first.slug != second.slug
    assert second.slug.endswith("-2")
    assert first.transitions.get().to_status == "under_consideration"
    assert _events(first, Action.PROPOSAL_CREATED).count() == 1


def test_update_audits_only_what_changed_and_nothing_when_nothing_did(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    values = {
        "title": proposal.title,
        "description": proposal.description,
        "services": "",
        "localities": ["North Norfolk"],
        "people_affected": None,
        "lead": None,
        "topics": [],
    }
    services.proposal_update(proposal=proposal, actor=actor, **values)
    assert not _events(proposal, Action.PROPOSAL_UPDATED).exists()
    values.update(people_affected=12000, topics=[topic()])
    services.proposal_update(proposal=proposal, actor=actor, **values)
    event = _events(proposal, Action.PROPOSAL_UPDATED).get()
    assert event.before == {"people_affected": None, "topics": []}
    assert event.after == {"people_affected": 12000, "topics": ["urgent-care"]}


def test_transition_moves_records_and_audits(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    moved = lifecycle_services.proposal_transition(
        proposal=proposal, target="early_engagement", actor=actor, note="Start listening"
    )
    assert moved.status == "early_engagement"
    move = ProposalTransition.objects.filter(proposal=proposal).last()
    assert (move.from_status, move.to_status, move.note) == (
        "under_consideration",
        "early_engagement",
        "Start listening",
    )
    assert _events(proposal, Action.PROPOSAL_TRANSITIONED).count() == 1


def test_transition_refused_changes_nothing(make_staff):
    actor = make_staff(Role.ADMINISTRATOR)  # who may move a proposal to decided
    proposal = make_proposal(actor=actor)
    with pytest.raises(services.TransitionRefused) as refused:
        lifecycle_services.proposal_transition(proposal=proposal, target="decided", actor=actor)
    assert "cannot move" in refused.value.problems[0]
    proposal.refresh_from_db()
    assert proposal.status == "under_consideration"
    assert not _events(proposal, Action.PROPOSAL_TRANSITIONED).exists()


def test_private_needs_a_reason_and_is_audited(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    with pytest.raises(services.PrivacyRefused):
        services.proposal_set_private(proposal=proposal, actor=actor, is_private=True, reason="  ")
    proposal.refresh_from_db()
    assert not proposal.is_private
    services.proposal_set_private(
        proposal=proposal, actor=actor, is_private=True, reason="Commercial negotiation"
    )
    proposal.refresh_from_db()
    assert proposal.is_private and proposal.private_reason == "Commercial negotiation"
    services.proposal_set_private(proposal=proposal, actor=actor, is_private=False)
    proposal.refresh_from_db()
    assert not proposal.is_private and proposal.private_reason == ""
    afters = [e.after for e in _events(proposal, Action.PROPOSAL_PRIVACY_CHANGED)]
    assert {"is_private": True, "reason": "Commercial negotiation"} in afters
    assert len(afters) == 2


def test_evidence_counts_as_early_engagement_and_repeats_are_harmless(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    assert lifecycle_facts(proposal).early_engagement_count == 0
    (insight,) = add_insights(["The minor injuries unit in Cromer is too far by bus."])
    first = services.evidence_record(proposal=proposal, actor=actor, insight=insight)
    again = services.evidence_record(proposal=proposal, actor=actor, insight=insight)
    assert first.pk == again.pk
    services.evidence_record(proposal=proposal, actor=actor, note="Healthwatch report, 2025")
    activity = ActivityFactory(status="closed")
    services.evidence_record(proposal=proposal, actor=actor, activity=activity)
    assert lifecycle_facts(proposal).early_engagement_count == 3
    assert _events(proposal, Action.PROPOSAL_EVIDENCE_RECORDED).count() == 3
    assert first.recorded_by == actor


def test_evidence_needs_something_and_not_two_things(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    with pytest.raises(services.EvidenceRefused):
        services.evidence_record(proposal=proposal, actor=actor, note="   ")
    for placeholder in ("x", "-", ".", "n/a", "tbc", "evidence"):
        with pytest.raises(services.EvidenceRefused, match="is not evidence"):
            services.evidence_record(proposal=proposal, actor=actor, note=placeholder)
    refused = AuditEvent.objects.filter(action=Action.ACT_REFUSED, subject_id=str(proposal.pk))
    assert refused.count() == 7  # the blank note too
    assert refused.first().after["act"] == "proposal.evidence_record"
    (insight,) = add_insights(["Parking at the hospital is hard."])
    with pytest.raises(services.EvidenceRefused):
        services.evidence_record(
            proposal=proposal, actor=actor, insight=insight, activity=ActivityFactory()
        )
    assert not proposal.evidence.exists()


def test_removing_evidence_is_audited_and_lowers_the_count(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    evidence = services.evidence_record(proposal=proposal, actor=actor, note="Carers survey 2024")
    services.evidence_remove(evidence=evidence, actor=actor)
    assert lifecycle_facts(proposal).early_engagement_count == 0
    assert _events(proposal, Action.PROPOSAL_EVIDENCE_REMOVED).count() == 1


def test_only_activities_linked_as_early_engagement_count(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    services.activity_link(proposal=proposal, activity=ActivityFactory(), actor=actor)
    assert lifecycle_facts(proposal).early_engagement_count == 0
    early = ActivityFactory()
    services.activity_link(proposal=proposal, activity=early, actor=actor, is_early_engagement=True)
    assert lifecycle_facts(proposal).early_engagement_count == 1
    # Linking again with the same values records nothing new.
    services.activity_link(proposal=proposal, activity=early, actor=actor, is_early_engagement=True)
    assert _events(proposal, Action.PROPOSAL_ACTIVITY_LINKED).count() == 2
    link = proposal.activity_links.get(activity=early)
    services.activity_unlink(link=link, actor=actor)
    assert lifecycle_facts(proposal).early_engagement_count == 0


def test_flags_clear_once_early_engagement_and_the_plan_are_recorded(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    proposal.status = "options"  # as if moved on without engagement
    proposal.save()
    assert any("no early engagement" in f for f in domain.flags(lifecycle_facts(proposal)))
    services.evidence_record(proposal=proposal, actor=actor, note="PPG discussion, March")
    assert not any("no early engagement" in f for f in domain.flags(lifecycle_facts(proposal)))
    services.plan_item_save(proposal=proposal, actor=actor, audience="Carers", methods="Forum")
    assert domain.flags(lifecycle_facts(proposal)) == [
        "The engagement plan does not say how seldom-heard groups will be reached."
    ]
    services.plan_update(
        proposal=proposal, actor=actor, seldom_heard="Through the VCSE forum", timeline=""
    )
    assert domain.flags(lifecycle_facts(proposal)) == []


def test_plan_and_lines_are_audited_and_checked(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    group = Group.objects.create(name="Cromer PPG", kind="ppg")
    services.plan_update(
        proposal=proposal, actor=actor, seldom_heard="Through the VCSE forum", timeline="Spring"
    )
    item = services.plan_item_save(
        proposal=proposal, actor=actor, stakeholder=group, methods="Two drop-in sessions"
    )
    assert item.who == "Cromer PPG"
    with pytest.raises(ValueError, match="stakeholder"):
        services.plan_item_save(proposal=proposal, actor=actor, methods="Survey")
    other = make_proposal(actor=actor, title="Another proposal")
    with pytest.raises(ValueError, match="another proposal"):
        services.plan_item_save(
            proposal=other, actor=actor, audience="Carers", methods="x", item=item
        )
    services.plan_item_save(
        proposal=proposal, actor=actor, audience="Carers", methods="Online group", item=item
    )
    item.refresh_from_db()
    assert item.who == "Carers"
    services.plan_item_remove(item=item, actor=actor)
    actions = set(
        AuditEvent.objects.filter(subject_id=str(proposal.pk)).values_list("action", flat=True)
    )
    assert {
        Action.PROPOSAL_PLAN_CHANGED,
        Action.PROPOSAL_PLAN_ITEM_ADDED,
        Action.PROPOSAL_PLAN_ITEM_CHANGED,
        Action.PROPOSAL_PLAN_ITEM_REMOVED,
    } <= actions


def test_link_refuses_a_plan_line_of_another_proposal(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    other = make_proposal(actor=actor, title="Another")
    item = services.plan_item_save(proposal=other, actor=actor, audience="Carers", methods="x")
    with pytest.raises(ValueError):
        services.activity_link(
            proposal=proposal, activity=ActivityFactory(), actor=actor, plan_item=item
        )
    assert not proposal.activity_links.exists()
