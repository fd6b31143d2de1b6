"""Reading proposals: what we already know, the timeline, plan progress, public lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from heard.engagement.models import ActivityLocality
from heard.engagement.tests.factories import ActivityFactory
from heard.insight.tests.helpers import add_insights
from heard.servicechange.lifecycle import selectors as lifecycle_selectors
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals import domain, selectors, services
from heard.servicechange.proposals.parts import TimelineEntry
from heard.servicechange.proposals.tests.helpers import make_proposal, topic

pytestmark = pytest.mark.django_db


def test_what_we_know_ranks_by_shared_words_topic_and_place(make_staff):
    urgent = topic("Urgent care")
    near, far, unrelated = add_insights(
        [
            "The minor injuries unit in Cromer saved me a trip to Norwich.",
            "Minor ailments should be seen at the pharmacy.",
            "The GP reception was friendly.",
        ],
        locality="North Norfolk",
    )
    (by_topic,) = add_insights(["Waiting times were long."], topic_ids=(urgent.pk,))
    know = selectors.what_we_know(
        title="Minor injuries unit",
        description="Move the unit from Cromer",
        topics=[urgent],
        localities=["Great Yarmouth"],
    )
    ids = [r.insight.pk for r in know.insights]
    assert know.terms[:3] == ["minor", "injuries", "unit"]
    assert ids[0] == near.pk
    assert far.pk in ids and by_topic.pk in ids
    assert unrelated.pk not in ids
    first = know.insights[0]
    assert first.reasons[0].startswith("Shares the words: minor, injuries, unit")
    topic_row = next(r for r in know.insights if r.insight.pk == by_topic.pk)
    assert topic_row.reasons == ["Same topic: Urgent care"]
    assert know.insight_total_by_topic == 1


def test_what_we_know_finds_past_activities_and_marks_what_was_drawn_on(make_staff):
    actor = make_staff()
    urgent = topic("Urgent care")
    closed = ActivityFactory(
        title="Urgent care survey 2024",
        status="closed",
        opens_at=timezone.now() - timedelta(days=90),
        closes_at=timezone.now() - timedelta(days=30),
    )
    closed.topics.add(urgent)
    placed = ActivityFactory(title="Cromer listening event")
    ActivityLocality.objects.create(activity=placed, name="North Norfolk")
    ActivityFactory(title="Maternity survey")  # unrelated
    draft = ActivityFactory(title="Urgent care draft", status="draft")
    draft.topics.add(urgent)
    proposal = make_proposal(actor=actor, topics=[urgent])
    services.evidence_record(proposal=proposal, actor=actor, activity=closed)
    know = selectors.what_we_know_for(proposal)
    titles = {r.activity.title: r for r in know.activities}
    assert set(titles) == {"Urgent care survey 2024", "Cromer listening event"}
    assert titles["Urgent care survey 2024"].drawn_on
    assert titles["Cromer listening event"].reasons == [
        "Same place: North Norfolk",
        "Mentions \u201ccromer\u201d",
    ]
    # Whole words only: "unit" is not found inside "community" (the factory's body text).


def test_timeline_merges_moves_audited_changes_and_contributions(make_staff, monkeypatch):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    services.evidence_record(proposal=proposal, actor=actor, note="Healthwatch report")
    lifecycle_services.proposal_transition(
        proposal=proposal, target="early_engagement", actor=actor
    )
    later = timezone.now() + timedelta(days=1)

    def contributed(p):
        return [TimelineEntry(at=later, title="Options appraisal agreed")] if p == proposal else []

    # What a stage contributes is asked of it directly by the lifecycle.
    monkeypatch.setattr("heard.servicechange.outcomes.hooks.timeline", contributed)
    titles = [e.title for e in lifecycle_selectors.timeline(proposal)]
    assert [e.title for e in selectors.own_timeline(proposal)] == titles[:-1]
    assert titles == [
        "Logged as under consideration",
        "What a proposal drew on recorded",
        "Moved to Early engagement",
        "Options appraisal agreed",
    ]


def test_edit_on_the_timeline_says_which_fields_changed(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    services.proposal_update(
        proposal=proposal,
        actor=actor,
        title="A better title",
        description=proposal.description,
        localities=["North Norfolk"],
        people_affected=500,
    )
    entry = next(e for e in selectors.own_timeline(proposal) if e.title == "Proposal changed")
    assert entry.detail == "Changed: title, people affected."


def test_plan_progress_follows_the_linked_activities(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    line = services.plan_item_save(proposal=proposal, actor=actor, audience="Carers", methods="x")
    empty = services.plan_item_save(
        proposal=proposal, actor=actor, audience="Young people", methods="y"
    )
    soon = ActivityFactory(status="scheduled", opens_at=timezone.now() + timedelta(days=3))
    services.activity_link(proposal=proposal, activity=soon, actor=actor, plan_item=line)
    view = selectors.plan_view(proposal)
    progress = {pl.item.pk: pl.progress for pl in view.lines}
    assert progress == {line.pk: "Planned", empty.pk: "Not started"}
    # Once its opening time passes the line is under way, even before the clock job runs.
    view = selectors.plan_view(proposal, now=timezone.now() + timedelta(days=4))
    assert view.lines[0].progress == "Under way"
    view = selectors.plan_view(proposal, now=timezone.now() + timedelta(days=60))
    assert view.lines[0].progress == "Done" and view.done == 1


def test_public_list_from_early_engagement_and_not_private(make_staff):
    actor = make_staff()
    hidden_stage = make_proposal(actor=actor, title="Still an idea")
    shown = make_proposal(actor=actor, title="Shown")
    lifecycle_services.proposal_transition(proposal=shown, target="early_engagement", actor=actor)
    private = make_proposal(actor=actor, title="Private")
    lifecycle_services.proposal_transition(proposal=private, target="early_engagement", actor=actor)
    services.proposal_set_private(proposal=private, actor=actor, is_private=True, reason="Estates")
    assert [p.title for p in selectors.public_proposals()] == ["Shown"]
    assert selectors.public_proposal(hidden_stage.slug) is None
    assert selectors.public_proposal(private.slug) is None


def test_public_view_counts_responses_and_lists_open_activities(make_staff):
    from heard.engagement.models import Questionnaire, QuestionnaireVersion, Response

    actor = make_staff()
    proposal = make_proposal(actor=actor)
    open_activity = ActivityFactory(title="Open survey")
    closed = ActivityFactory(
        title="Closed survey",
        status="closed",
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=1),
    )
    soon = ActivityFactory(
        title="Drop-in next month",
        status="scheduled",
        opens_at=timezone.now() + timedelta(days=20),
        closes_at=timezone.now() + timedelta(days=21),
    )
    for a in (open_activity, closed, soon):
        services.activity_link(proposal=proposal, activity=a, actor=actor)
    questionnaire = Questionnaire.objects.create(activity=closed, title="Closed survey")
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    for n in range(3):
        Response.objects.create(
            activity=closed, questionnaire=questionnaire, version=version, reference=f"R{n}"
        )
    view = lifecycle_selectors.public_view(proposal)
    assert [a.title for a in view.open_activities] == ["Open survey"]
    assert [a.title for a in view.forthcoming_activities] == ["Drop-in next month"]
    assert view.heard_counts == [("Closed survey", 3)]
    assert view.total_responses == 3


def test_public_steps_show_done_now_and_to_come(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    proposal = lifecycle_services.proposal_transition(
        proposal=proposal, target="early_engagement", actor=actor
    )
    steps = dict(selectors.public_steps(proposal))
    assert steps["We are thinking about it"] == "done"
    assert steps["Talking with people early"] == "current"
    assert steps["Working out the options"] == "todo"
    # The public reads plain words, never the staff's stage names.
    assert "Early engagement" not in steps and "Other involvement" not in steps


def test_timeline_details_name_the_evidence_activity_and_plan_line(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    activity = ActivityFactory(title="Cromer drop-in")
    services.evidence_record(proposal=proposal, actor=actor, activity=activity)
    services.activity_link(
        proposal=proposal, activity=activity, actor=actor, is_early_engagement=True
    )
    services.plan_item_save(proposal=proposal, actor=actor, audience="Carers", methods="Forum")
    details = {e.title: e.detail for e in selectors.own_timeline(proposal)}
    assert details["What a proposal drew on recorded"] == "Past activity: Cromer drop-in"
    assert details["Activity linked to a proposal"] == "Cromer drop-in (early engagement)"
    assert details["Engagement plan line added"] == "Carers: Forum"


def test_public_stage_rows_date_the_stages_reached(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    proposal = lifecycle_services.proposal_transition(
        proposal=proposal, target="early_engagement", actor=actor
    )
    rows = {label: (state, when) for label, state, when in selectors.public_stage_rows(proposal)}
    move = proposal.transitions.last()
    assert rows["Talking with people early"] == ("current", move.at)
    assert rows["We are thinking about it"][1] == proposal.transitions.first().at
    assert rows["Working out the options"] == ("todo", None)


def test_own_flags_match_the_full_facts_flags(make_staff):
    actor = make_staff()
    proposal = make_proposal(actor=actor)
    proposal.status = "options"
    proposal.save()
    assert selectors.own_flags(proposal) == domain.flags(lifecycle_facts(proposal))
    assert selectors.own_flags(proposal)


def test_hub_summary_keeps_the_matches_but_reads_drawn_on_now(make_staff):
    actor = make_staff()
    (insight,) = add_insights(["The minor injuries unit is a lifeline."])
    proposal = make_proposal(actor=actor)
    first = selectors.what_we_know_summary(proposal)
    assert [r.insight.pk for r in first.insights] == [insight.pk]
    assert not first.insights[0].drawn_on
    add_insights(["The minor injuries unit should stay open."])
    services.evidence_record(proposal=proposal, actor=actor, insight=insight)
    again = selectors.what_we_know_summary(proposal)
    assert [r.insight.pk for r in again.insights] == [insight.pk]  # kept for five minutes
    assert again.insights[0].drawn_on  # read now
    assert again.insights[0].reasons == first.insights[0].reasons
    # A change to the proposal starts afresh.
    proposal = services.proposal_update(
        proposal=proposal,
        actor=actor,
        title=proposal.title + " (revised)",
        description=proposal.description,
        localities=proposal.localities,
    )
    fresh = selectors.what_we_know_summary(proposal)
    assert len(fresh.insights) == 2


def test_involvement_counts_only_linked_activities_that_closed_and_not_early_ones(make_staff):
    from heard.core.roles import Role

    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_proposal(actor=actor)
    now = timezone.now()
    running = ActivityFactory(status="open", opens_at=now - timedelta(days=3))
    early = ActivityFactory(status="closed", closes_at=now - timedelta(days=90))
    services.activity_link(proposal=proposal, activity=running, actor=actor)
    services.activity_link(proposal=proposal, activity=early, actor=actor, is_early_engagement=True)
    assert proposal.own_facts().involvement_closed == 0
    running.status = "closed"
    running.save(update_fields=["status"])
    assert proposal.own_facts().involvement_closed == 1
    assert lifecycle_facts(proposal).involvement_closed == 1


def test_downloads_are_kept_in_the_audit_trail_but_not_on_the_timeline(make_staff):
    from heard.audit.models import Action
    from heard.audit.services import audit_record

    actor = make_staff()
    proposal = make_proposal(actor=actor)
    for _ in range(5):
        audit_record(action=Action.OUTCOME_REPORT_DOWNLOADED, actor=actor, subject=proposal)
    audit_record(action=Action.PROPOSAL_UPDATED, actor=actor, subject=proposal, after={})
    titles = [e.title for e in lifecycle_selectors.timeline(proposal)]
    assert "Outcome report PDF downloaded" not in titles
    assert any("updated" in t.lower() or "changed" in t.lower() for t in titles), titles


def test_steps_show_only_the_path_the_significance_assessment_points_to(make_staff):
    """Found in the demo: "Deciding whether a formal consultation is needed – Done" with
    both "Formal public consultation" and "Involving people (no formal consultation
    needed)" still to come."""
    proposal = make_proposal(actor=make_staff())
    labels = domain.PUBLIC_STATUS_LABELS
    formal, other = (
        labels[domain.Status.FORMAL_CONSULTATION],
        labels[domain.Status.OTHER_INVOLVEMENT],
    )
    both = dict(selectors.public_steps(proposal))
    assert formal in both and other in both  # before the assessment: both are possible
    required = dict(selectors.public_steps(proposal, consultation_required=True))
    assert formal in required and other not in required
    not_required = dict(selectors.public_steps(proposal, consultation_required=False))
    assert other in not_required and formal not in not_required
