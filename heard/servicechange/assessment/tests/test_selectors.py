"""What other apps read: the interface selectors, the proposal's facts, timeline and links."""

from datetime import date

import pytest
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.servicechange.assessment import selectors, services
from heard.servicechange.assessment.tests.helpers import (
    attach_eqia,
    make_appraisal,
    make_proposal,
    make_significance,
    pass_stage2,
)
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals import domain
from heard.servicechange.proposals.services import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_facts_of_a_new_proposal():
    facts = lifecycle_facts(make_proposal())
    assert facts.options_count == 0
    assert not facts.significance_determined
    assert not facts.consultation_required
    assert not facts.urgent_path_recorded
    assert not facts.stage2_passed
    assert facts.stage2_required
    assert not facts.eqia_attached


def test_options_count_waits_for_a_do_nothing_option():
    proposal = make_proposal()
    for title in ("Option A", "Option B", "Option C"):
        services.option_save(
            actor=staff_member(Role.PROGRAMME_LEAD), proposal=proposal, title=title
        )
    assert lifecycle_facts(proposal).options_count == 1
    services.option_save(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        title="Do nothing",
        is_do_nothing=True,
    )
    assert lifecycle_facts(proposal).options_count == 4


def test_facts_follow_significance_override_urgent_stage2_and_eqia(make_staff, settings):
    proposal = make_significance(make_proposal(), substantial=True)
    facts = lifecycle_facts(proposal)
    assert facts.significance_determined and facts.consultation_required
    services.significance_override(
        actor=make_staff(Role.ADMINISTRATOR),
        proposal=proposal,
        consultation_required=False,
        reason="A like-for-like move across the road.",
    )
    assert not lifecycle_facts(proposal).consultation_required
    services.urgent_path_record(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        reason="Unsafe building",
        notice_sent_on=timezone.localdate(),
        notice_to="HOSC chair",
        notice_text="Closing today",
    )
    pass_stage2(attach_eqia(proposal))
    facts = lifecycle_facts(proposal)
    assert facts.urgent_path_recorded and facts.stage2_passed and facts.eqia_attached
    settings.HEARD_ASSURANCE_STAGE2_REQUIRED = False
    assert not lifecycle_facts(proposal).stage2_required


def test_lifecycle_guards_use_the_facts():
    proposal = make_proposal()
    proposal = lifecycle_services.proposal_transition(
        proposal=proposal, target=domain.Status.OPTIONS, actor=staff_member(Role.PROGRAMME_LEAD)
    )
    with pytest.raises(TransitionRefused, match="at least two options"):
        lifecycle_services.proposal_transition(
            proposal=proposal,
            target=domain.Status.SIGNIFICANCE,
            actor=staff_member(Role.PROGRAMME_LEAD),
        )
    make_appraisal(proposal)
    proposal = lifecycle_services.proposal_transition(
        proposal=proposal,
        target=domain.Status.SIGNIFICANCE,
        actor=staff_member(Role.PROGRAMME_LEAD),
    )
    with pytest.raises(TransitionRefused, match="significance assessment"):
        lifecycle_services.proposal_transition(
            proposal=proposal,
            target=domain.Status.ASSURANCE,
            actor=staff_member(Role.PROGRAMME_LEAD),
        )
    make_significance(proposal, substantial=True)
    proposal = lifecycle_services.proposal_transition(
        proposal=proposal, target=domain.Status.ASSURANCE, actor=staff_member(Role.PROGRAMME_LEAD)
    )
    with pytest.raises(TransitionRefused) as refused:
        lifecycle_services.proposal_transition(
            proposal=proposal,
            target=domain.Status.FORMAL_CONSULTATION,
            actor=staff_member(Role.PROGRAMME_LEAD),
        )
    assert any("stage 2" in p for p in refused.value.problems)
    assert any("EqIA" in p for p in refused.value.problems)
    pass_stage2(attach_eqia(proposal))
    # What assessment guards is now met; the move itself is the consultation opening's.
    with pytest.raises(TransitionRefused) as refused:
        lifecycle_services.proposal_transition(
            proposal=proposal,
            target=domain.Status.FORMAL_CONSULTATION,
            actor=staff_member(Role.PROGRAMME_LEAD),
        )
    assert [p for p in refused.value.problems if "consultation opens" not in p] == []


def test_interface_selectors_on_an_empty_proposal():
    proposal = make_proposal()
    assert selectors.options_for(proposal) == []
    assert selectors.appraisal_summary(proposal) is None
    assert selectors.significance_for(proposal) is None
    assert selectors.stage2_passed(proposal) is False
    assert selectors.eqia_for(proposal) is None


def test_appraisal_summary_ranks_options_by_title():
    proposal = make_appraisal()
    summary = selectors.appraisal_summary(proposal)
    assert [(r.option.title, r.score, r.place) for r in summary.ranking] == [
        ("Move to the health centre", 3.75, 1),
        ("Open a new unit", 3.55, 2),
        ("Do nothing", 2.6, 3),
    ]
    assert summary.ranking[0].panel_scores == [4.0, 3.5]
    assert summary.robust and summary.verdict.startswith("Robust")
    assert [o.title for o in summary.top] == ["Move to the health centre"]
    assert len(summary.sensitivity) == 6
    assert summary.sensitivity[0].change_label == "−20%"
    assert "mean of the panels' weighted scores" in summary.method


def test_appraisal_state_lists_missing_scores_by_name():
    proposal = make_appraisal()
    panel = services.panel_save(
        actor=staff_member(Role.PROGRAMME_LEAD), proposal=proposal, name="Staff side"
    )
    state = selectors.appraisal_state(proposal)
    assert state.summary is None
    assert len(state.missing) == 9
    assert {m.panel.name for m in state.missing} == {"Staff side"}
    assert "Scores are missing from Staff side." in state.problems
    assert panel.pk


def test_timeline_and_links(make_staff):
    proposal = make_appraisal()
    services.weights_agreed(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        agreed_by="Joint workshop",
        agreed_on=date(2026, 1, 10),
    )
    make_significance(proposal, substantial=True)
    pass_stage2(attach_eqia(proposal))
    titles = [e.title for e in selectors.timeline(proposal)]
    assert "Appraisal criteria and weights agreed" in titles
    assert "Significance assessed" in titles
    assert "Assurance stage 2: passed" in titles
    assert "EqIA attached" in titles
    links = selectors.links(proposal, make_staff(Role.SCRUTINY_READER))
    assert [(link.title, link.status) for link in links] == [
        ("Options appraisal", "Done"),
        ("Significance assessment", "Done"),
        ("Assurance", "Done"),
    ]
    assert "Formal consultation required" in links[1].summary
    empty = selectors.links(make_proposal("Empty"), make_staff(Role.ANALYST))
    assert [link.status for link in empty] == ["Not started"] * 3


def test_links_hidden_from_someone_without_the_permission(make_member):
    assert selectors.links(make_proposal(), make_member()) == []
