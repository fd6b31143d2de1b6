"""Formal consultations: creation, the document, the Gunning guard on every move, OSC
notices, telling people, the mid-point review and the proposal's facts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement import services as engagement_services
from heard.engagement.models import Activity, Question, Response, ResponseEquality
from heard.engagement.services import TransitionRefused
from heard.people.models import Consent, Group, Topic
from heard.servicechange.consultations import gunning, selectors, services
from heard.servicechange.consultations.models import Mailout, MidpointReview
from heard.servicechange.consultations.tests.helpers import (
    fill_document,
    make_consultation,
    make_running,
    passing_consultation,
    ready_proposal,
    set_period,
)
from heard.servicechange.lifecycle import selectors as lifecycle_selectors
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def _actions(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- creating ------------------------------------------------------------------------------


def test_create_makes_a_consult_level_activity_questionnaire_and_prefilled_document(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    proposal = ready_proposal()
    consultation = services.consultation_create(actor=officer, proposal=proposal)
    activity = consultation.activity
    assert activity.level == Activity.Level.CONSULT
    assert activity.kind == Activity.Kind.FORMAL_CONSULTATION
    assert activity.status == "draft"
    version = activity.questionnaire.current_version()
    kinds = list(version.questions.order_by("section__position", "position").values_list("kind"))
    assert [k for (k,) in kinds] == [
        Question.Kind.RESPONDENT_TYPE,
        Question.Kind.LIKERT,
        Question.Kind.LONG_TEXT,
        Question.Kind.LONG_TEXT,
        Question.Kind.EQUALITY,
    ]
    sections = {s.key: s for s in consultation.sections.all()}
    assert set(sections) == set(gunning.SECTIONS)
    assert proposal.description in sections["proposal"].body
    assert "Move to the health centre" in sections["options"].body
    assert "Substantial" in sections["impacts"].body or sections["impacts"].body
    assert "EqIA" in sections["eqia"].body
    # nothing is published and the proposal stays where it was
    assert all(not s.published_body for s in sections.values())
    proposal.refresh_from_db()
    assert proposal.status == "assurance"
    assert _actions(Action.CONSULTATION_CREATED) == 1
    assert selectors.consultation_for(proposal) == consultation
    assert selectors.consultation_by_slug(consultation.slug) == consultation


def test_create_refused_when_not_required_or_at_the_wrong_stage_or_twice():
    not_required = ready_proposal("Not significant", substantial=False)
    with pytest.raises(services.ConsultationProblem, match="not found that formal consultation"):
        services.consultation_create(
            actor=staff_member(Role.ENGAGEMENT_OFFICER), proposal=not_required
        )
    early = ready_proposal("Too early", status="options")
    with pytest.raises(services.ConsultationProblem, match="Significance assessment, Assurance"):
        services.consultation_create(actor=staff_member(Role.ENGAGEMENT_OFFICER), proposal=early)
    proposal = ready_proposal("Twice")
    services.consultation_create(actor=staff_member(Role.ENGAGEMENT_OFFICER), proposal=proposal)
    with pytest.raises(services.ConsultationProblem, match="already has"):
        services.consultation_create(actor=staff_member(Role.ENGAGEMENT_OFFICER), proposal=proposal)


# --- the document --------------------------------------------------------------------------


def test_publish_refused_with_an_empty_section_then_publishes_and_tracks_changes():
    consultation = make_consultation()
    costs = consultation.sections.get(key="costs")
    services.section_save(actor=staff_member(Role.ENGAGEMENT_OFFICER), section=costs, body="")
    with pytest.raises(services.ConsultationProblem, match="Costs"):
        services.document_publish(
            actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=consultation
        )
    fill_document(consultation)
    consultation.refresh_from_db()
    assert consultation.document_published_at is not None
    check = gunning.check_sufficient_reasons(selectors.gunning_facts(consultation))
    assert check.result == gunning.Result.PASS
    services.section_save(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), section=costs, body="New costs."
    )
    check = gunning.check_sufficient_reasons(selectors.gunning_facts(consultation))
    assert check.result == gunning.Result.WARNING
    assert _actions(Action.CONSULTATION_DOCUMENT_PUBLISHED) == 1


@pytest.mark.parametrize("placeholder", ["x", "-", ".", "n/a", "tbc", "..."])
def test_a_section_of_the_document_is_never_a_placeholder(placeholder):
    """Gunning 2: people respond to what the document explains; "x" explains nothing."""
    consultation = make_consultation()
    costs = consultation.sections.get(key="costs")
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(services.ConsultationProblem, match="does not explain anything"):
        services.section_save(actor=officer, section=costs, body=placeholder)
    costs.refresh_from_db()
    assert costs.body != placeholder
    # Written straight into the row (an import, an old draft): publishing still refuses.
    consultation.sections.update(body="About the proposal, as the case for change says.")
    costs.__class__.objects.filter(pk=costs.pk).update(body=placeholder)
    with pytest.raises(services.ConsultationProblem, match="Costs"):
        services.document_publish(actor=officer, consultation=consultation)


# --- the Gunning guard ---------------------------------------------------------------------


def _open(consultation):
    return services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=consultation
    )


def test_opens_when_every_check_passes_and_moves_the_proposal():
    consultation = passing_consultation()
    assert gunning.blocking(selectors.gunning_panel(consultation)) == []
    consultation = _open(consultation)
    assert consultation.activity.status == "open"
    consultation.proposal.refresh_from_db()
    assert consultation.proposal.status == "formal_consultation"
    assert consultation.proposal.transitions.last().to_status == "formal_consultation"


@pytest.mark.parametrize(
    ("breaks", "principle"),
    [
        ("decided", "Formative stage"),
        ("unpublished", "Sufficient reasons"),
        ("short", "Adequate time"),
        ("no_dates", "Adequate time"),
        ("stage2", "Assurance stage 2"),
        ("significance_stage", "Proposal ready"),
    ],
)
def test_each_failing_check_blocks_opening_and_nothing_changes(breaks, principle):
    consultation = passing_consultation()
    if breaks == "decided":
        Proposal.objects.filter(pk=consultation.proposal_id).update(status="decided")
    elif breaks == "unpublished":
        consultation.sections.update(published_body="")
    elif breaks == "short":
        set_period(consultation, weeks=6)
    elif breaks == "no_dates":
        consultation.activity.closes_at = None
        consultation.activity.save()
    elif breaks == "stage2":
        from heard.servicechange.assessment.models import Checkpoint

        Checkpoint.objects.filter(proposal=consultation.proposal).update(outcome="not_passed")
    elif breaks == "significance_stage":
        Proposal.objects.filter(pk=consultation.proposal_id).update(
            status="significance_assessment"
        )
    consultation.refresh_from_db()
    before = consultation.proposal.status
    if breaks == "decided":
        # Refused first by the stage table (a decided proposal's consultation is not
        # prepared or opened); the Gunning guard refuses the clock's route (next test).
        with pytest.raises(services.ConsultationProblem, match="at \u201cDecided\u201d"):
            _open(consultation)
    else:
        with pytest.raises(TransitionRefused) as refused:
            _open(consultation)
        assert any(p.startswith(principle) for p in refused.value.problems)
    consultation.refresh_from_db()
    consultation.activity.refresh_from_db()
    consultation.proposal.refresh_from_db()
    assert consultation.activity.status == "draft"
    assert consultation.proposal.status == before


def test_guard_blocks_any_route_to_open_not_just_the_consultation_page():
    consultation = make_consultation()
    with pytest.raises(TransitionRefused):
        engagement_services.activity_transition(
            activity=consultation.activity,
            target="open",
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
        )


def test_guard_ignores_other_activities():
    from heard.engagement.tests.factories import ActivityFactory

    other = ActivityFactory(status="draft", opens_at=None, closes_at=None)
    engagement_services.activity_transition(
        activity=other, target="open", actor=staff_member(Role.ENGAGEMENT_OFFICER)
    )
    other.refresh_from_db()
    assert other.status == "open"


def test_short_period_with_justification_opens():
    consultation = passing_consultation(weeks=8, justification="Winter pressures: urgent.")
    consultation = _open(consultation)
    assert consultation.activity.status == "open"


def test_schedule_then_the_clock_opens_it_and_moves_the_proposal_then_closes_on_time():
    consultation = passing_consultation(starts_in=timedelta(days=2))
    consultation = _open(consultation)
    assert consultation.activity.status == "scheduled"
    consultation.proposal.refresh_from_db()
    assert consultation.proposal.status == "assurance"
    opens = consultation.activity.opens_at
    engagement_services.activities_advance_clock(now=opens - timedelta(seconds=1))
    consultation.activity.refresh_from_db()
    assert consultation.activity.status == "scheduled"
    engagement_services.activities_advance_clock(now=opens)
    consultation.activity.refresh_from_db()
    consultation.proposal.refresh_from_db()
    assert consultation.activity.status == "open"
    assert consultation.proposal.status == "formal_consultation"
    closes = consultation.activity.closes_at
    assert consultation.is_closed_at(closes - timedelta(seconds=1)) is False
    assert consultation.is_closed_at(closes) is True
    engagement_services.activities_advance_clock(now=closes)
    consultation.activity.refresh_from_db()
    assert consultation.activity.status == "closed"


def test_a_closed_consultations_period_cannot_change_and_the_page_offers_no_change(client):
    """Found in the demo: "Change the consultation period" was offered on a closed
    consultation, and moving its closing time later was not refused by the service."""
    from django.urls import reverse

    consultation = make_running(passing_consultation())
    now = timezone.now()
    Activity.objects.filter(pk=consultation.activity_id).update(
        status="closed", opens_at=now - timedelta(weeks=13), closes_at=now - timedelta(days=1)
    )
    activity = Activity.objects.get(pk=consultation.activity_id)
    lead = staff_member(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(services.ConsultationProblem, match="has closed"):
        services.dates_save(
            actor=lead,
            consultation=consultation,
            opens_at=activity.opens_at,
            closes_at=activity.closes_at + timedelta(days=14),
            justification="",
        )
    activity.refresh_from_db()
    assert activity.status == "closed"
    refused = AuditEvent.objects.filter(action="act.refused").last()
    assert refused is not None and "has closed" in str(refused.after)
    client.force_login(lead)
    page = client.get(reverse("consultations:detail", kwargs={"pk": consultation.pk}))
    assert (
        reverse("consultations:dates", kwargs={"pk": consultation.pk}) not in page.content.decode()
    )


def test_clock_refused_at_opening_time_returns_it_to_draft_and_carries_on():
    from heard.engagement.tests.factories import ActivityFactory
    from heard.servicechange.assessment.models import Checkpoint

    consultation = passing_consultation(starts_in=timedelta(days=2))
    _open(consultation)
    opens = Activity.objects.get(pk=consultation.activity_id).opens_at
    other = ActivityFactory(status="scheduled", opens_at=opens, closes_at=opens + timedelta(days=9))
    # After scheduling, the stage 2 checkpoint is recorded again as not passed.
    Checkpoint.objects.filter(proposal=consultation.proposal).update(outcome="not_passed")
    assert engagement_services.activities_advance_clock(now=opens) == 1
    consultation.activity.refresh_from_db()
    other.refresh_from_db()
    assert consultation.activity.status == "draft"
    assert other.status == "open"
    consultation.proposal.refresh_from_db()
    assert consultation.proposal.status == "assurance"


def test_scheduling_refused_while_a_check_fails():
    consultation = make_consultation()
    set_period(consultation, starts_in=timedelta(days=2))
    with pytest.raises(TransitionRefused) as refused:
        _open(consultation)
    assert any("Sufficient reasons" in p for p in refused.value.problems)
    consultation.activity.refresh_from_db()
    assert consultation.activity.status == "draft"


def test_a_scheduled_consultation_cannot_be_shortened_below_the_checks():
    consultation = passing_consultation(starts_in=timedelta(days=2))
    _open(consultation)
    with pytest.raises(services.ConsultationProblem, match="Adequate time"):
        set_period(consultation, starts_in=timedelta(days=2), weeks=4)


def test_opening_by_a_person_counts_the_period_from_now():
    consultation = passing_consultation(weeks=12)
    # The opening time was set a day ago: opening now would leave 11 weeks and 6 days.
    activity = consultation.activity
    activity.opens_at -= timedelta(days=1)
    activity.closes_at -= timedelta(days=1)
    activity.save()
    with pytest.raises(TransitionRefused) as refused:
        _open(consultation)
    assert any("Adequate time" in p for p in refused.value.problems)


def test_dates_cannot_move_back_once_open():
    consultation = _open(passing_consultation())
    activity = consultation.activity
    with pytest.raises(services.ConsultationProblem, match="only later"):
        services.dates_save(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            consultation=consultation,
            opens_at=activity.opens_at,
            closes_at=activity.closes_at - timedelta(days=1),
            justification="",
        )
    services.dates_save(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        opens_at=activity.opens_at,
        closes_at=activity.closes_at + timedelta(days=7),
        justification="",
    )


# --- facts for the proposal ---------------------------------------------------------------


def test_facts_consultation_closed_to_the_second():
    consultation = _open(passing_consultation())
    facts = lifecycle_facts(consultation.proposal)
    assert facts.consultation_exists is True
    assert facts.consultation_closed is False
    activity = consultation.activity
    Activity.objects.filter(pk=activity.pk).update(closes_at=timezone.now())
    # the stored status is still "open": the clock has not run, the fact is already true
    assert Activity.objects.get(pk=activity.pk).status == "open"
    assert lifecycle_facts(consultation.proposal).consultation_closed is True


# --- overview and scrutiny ------------------------------------------------------------------


# The reg. 23 workflow (first letter, re-notification, the committee's response) is
# tested in test_reg23.py.


# --- telling people --------------------------------------------------------------------------


def _member(make_member, email, *, topic=None, locality="", consent=True, by_email=True):
    member = make_member(email=email).member
    member.locality = locality
    member.contact_by_email = by_email
    member.save()
    if topic is not None:
        member.interests.add(topic)
    if consent:
        Consent.objects.create(
            member=member, purpose=Consent.Purpose.CONTACT, wording="You may contact me."
        )
    return member


def test_members_to_tell_are_interested_and_consented(make_member):
    consultation = make_consultation()
    topic = Topic.objects.create(name="Urgent care", slug="urgent-care")
    consultation.proposal.topics.add(topic)
    Proposal.objects.filter(pk=consultation.proposal_id).update(localities=["Norwich"])
    consultation.refresh_from_db()
    by_topic = _member(make_member, "a@example.com", topic=topic)
    by_place = _member(make_member, "b@example.com", locality="Norwich")
    _member(make_member, "c@example.com", topic=topic, consent=False)
    _member(make_member, "d@example.com", topic=topic, by_email=False)
    _member(make_member, "e@example.com", locality="Broadland")
    withdrawn = _member(make_member, "f@example.com", topic=topic)
    withdrawn.consents.update(withdrawn_at=timezone.now())
    assert set(selectors.members_to_tell(consultation)) == {by_topic, by_place}


def test_mailout_queues_a_task_that_sends_and_records_progress(
    make_member, django_capture_on_commit_callbacks
):
    consultation = make_consultation()
    topic = Topic.objects.create(name="Urgent care", slug="urgent-care")
    consultation.proposal.topics.add(topic)
    _member(make_member, "a@example.com", topic=topic)
    group = Group.objects.create(
        name="Healthwatch Norfolk", kind="organisation", email="hello@healthwatch.example"
    )
    Group.objects.create(name="No email group", kind="organisation")
    with django_capture_on_commit_callbacks(execute=True):
        mailout = services.mailout_queue(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            consultation=consultation,
            subject="Have your say",
            message="We are consulting on the minor injuries unit.",
            group_ids=[group.pk],
            include_members=True,
            base_url="https://heard.example",
        )
    mailout.refresh_from_db()
    assert mailout.status == Mailout.Status.DONE
    assert (mailout.sent, mailout.total) == (2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "hello@healthwatch.example"]
    member_mail = next(m for m in mail.outbox if m.to == ["a@example.com"])
    assert "List-Unsubscribe" in member_mail.extra_headers
    assert f"https://heard.example/consultations/{consultation.slug}/" in member_mail.body
    assert _actions(Action.CONSULTATION_MAILOUT_SENT) == 1
    # sending again does nothing
    assert services.mailout_send(mailout_id=mailout.pk, base_url="https://heard.example") == 0


def test_mailout_with_nobody_is_refused():
    consultation = make_consultation()
    with pytest.raises(services.ConsultationProblem, match="Nobody to tell"):
        services.mailout_queue(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            consultation=consultation,
            subject="s",
            message="m",
            group_ids=[],
            include_members=True,
            base_url="",
        )


# --- mid-point review -----------------------------------------------------------------------


def _respond(consultation, n, **equality):
    activity = consultation.activity
    q = activity.questionnaire
    version = q.current_version()
    for i in range(n):
        response = Response.objects.create(
            activity=activity,
            questionnaire=q,
            version=version,
            reference=f"R{consultation.pk}-{equality.get('sex', 'x')}-{i}-{Response.objects.count()}",
        )
        ResponseEquality.objects.create(response=response, activity=activity, **equality)


def test_midpoint_suppresses_small_numbers_and_flags_under_represented(settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 10
    consultation = make_consultation()
    _respond(consultation, 40, sex="female", age_band="65_74")
    _respond(consultation, 3, sex="male", age_band="65_74")
    review = selectors.midpoint(consultation)
    assert review.responses == 43
    sex = next(c for c in review.charts if c.key == "sex")
    rows = {r.category: r for r in sex.rows}
    assert rows["Male"].suppressed is True
    assert rows["Male"].member_share is None
    assert rows["Male"].under_represented is True
    assert rows["Female"].suppressed is False
    assert "Sex: Male" in review.flagged_labels
    make_running(consultation)  # a mid-point review is made while open
    record = services.midpoint_record(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        action_taken="Drop-in at the men's shed.",
    )
    assert record.responses == 43
    assert "Sex: Male" in record.flagged
    assert MidpointReview.objects.count() == 1
    with pytest.raises(services.ConsultationProblem):
        services.midpoint_record(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            consultation=consultation,
            action_taken="  ",
        )


def test_responses_summary_counts_by_channel_and_type():
    consultation = make_consultation()
    _respond(consultation, 2, sex="female")
    summary = selectors.responses_summary(consultation)
    assert summary["total"] == 2
    assert dict(summary["by_channel"])["Online"] == 2
    assert dict(summary["by_respondent_type"])["As an individual"] == 2


def test_double_submissions_are_harmless(django_capture_on_commit_callbacks):
    consultation = make_consultation()
    services.council_add(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        name="Norfolk",
        committee="",
        contact_email="a@b.uk",
    )
    with pytest.raises(services.ConsultationProblem, match="already listed"):
        services.council_add(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            consultation=consultation,
            name="norfolk ",
            committee="",
            contact_email="a@b.uk",
        )
    group = Group.objects.create(name="Healthwatch", kind="organisation", email="h@example.com")
    kwargs = {
        "actor": staff_member(Role.ENGAGEMENT_OFFICER),
        "consultation": consultation,
        "subject": "Have your say",
        "message": "Please respond.",
        "group_ids": [group.pk],
        "include_members": False,
        "base_url": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.mailout_queue(**kwargs)
    with pytest.raises(services.ConsultationProblem, match="already been sent"):
        services.mailout_queue(**kwargs)
    assert len(mail.outbox) == 1
    make_running(consultation)
    first = services.midpoint_record(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        action_taken="Outreach",
    )
    again = services.midpoint_record(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        action_taken="Outreach",
    )
    assert first == again
    assert MidpointReview.objects.count() == 1


def test_a_scheduled_consultation_can_be_opened_early():
    consultation = passing_consultation(starts_in=timedelta(days=2))
    assert _open(consultation).activity.status == "scheduled"
    consultation = _open(consultation)
    assert consultation.activity.status == "open"
    assert consultation.activity.opens_at <= timezone.now()
    consultation.proposal.refresh_from_db()
    assert consultation.proposal.status == "formal_consultation"


def test_the_consultation_is_linked_to_its_proposal_and_counts_in_what_we_heard(make_staff):
    from heard.servicechange.proposals.models import ProposalActivity

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    proposal = ready_proposal()
    consultation = services.consultation_create(actor=officer, proposal=proposal)
    link = ProposalActivity.objects.get(proposal=proposal, activity=consultation.activity)
    assert not link.is_early_engagement
    _respond(consultation, 3)
    assert lifecycle_selectors.public_view(proposal).total_responses == 0  # draft: not public
    Activity.objects.filter(pk=consultation.activity.pk).update(status="closed")
    view = lifecycle_selectors.public_view(proposal)
    assert view.total_responses == 3
    assert view.heard_counts == [(consultation.activity.title, 3)]


def test_sufficient_reasons_is_not_a_pass_while_the_options_appraisal_is_unfinished():
    """Found in a demo click-through: "Sufficient reasons: Pass" on a consultation whose
    proposal's options appraisal still had no criteria and no scoring panel."""
    consultation = passing_consultation()
    [check] = [c for c in selectors.gunning_panel(consultation) if c.key == "sufficient_reasons"]
    assert check.result == gunning.Result.PASS
    from heard.servicechange.assessment.models import Criterion

    Criterion.objects.filter(proposal=consultation.proposal).delete()
    [check] = [c for c in selectors.gunning_panel(consultation) if c.key == "sufficient_reasons"]
    assert check.result == gunning.Result.WARNING
    assert "options appraisal is not finished" in check.reasons[-1]
    assert "Add at least one criterion with a weight." in check.reasons[-1]
    assert not check.blocks
