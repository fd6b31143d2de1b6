"""The issue-6 demo: one proposal taken to a decision, one assessed as not significant."""

import pytest

from heard.audit.selectors import audit_verify
from heard.demo import service_change as demo
from heard.servicechange.lifecycle import selectors as lifecycle_selectors
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.outcomes import selectors
from heard.servicechange.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_staff(make_staff):
    """The demo's staff (demo_load makes them before the parts load): the services check
    each actor's permission."""
    from heard.core.roles import Role

    for email, role in (
        ("admin@demo.heard.example", Role.ADMINISTRATOR),
        ("officer@demo.heard.example", Role.ENGAGEMENT_OFFICER),
        ("analyst@demo.heard.example", Role.ANALYST),
        ("lead@demo.heard.example", Role.PROGRAMME_LEAD),
        ("board@demo.heard.example", Role.DECISION_MAKER),
    ):
        make_staff(role, email=email)


def test_the_demo_takes_a_proposal_to_a_decision_through_the_services(demo_staff) -> None:
    assert demo.load() == {
        "service change decided": 1,
        "service change assessed as not significant": 1,
        "formal consultation being prepared, shortened and justified": 1,
    }
    miu = Proposal.objects.get(title=demo.MIU_TITLE)
    assert miu.status == "decided"
    themes = selectors.themes_for(miu)
    assert len(themes.items) >= 4 and themes.missing == [] and themes.unanalysed == []
    report = selectors.report_for(miu)
    assert report.total_responses == demo.RESPONSES
    assert report.decision is not None and report.issue is not None
    assert any(c.size >= 20 and "Keep local care local" in c.template for c in report.campaigns)
    assert selectors.is_published(miu)
    # The public outcome is served from an approved publication of the stored report,
    # and the decision names the version it was taken on.
    from heard.servicechange.outcomes.models import Publication, ReportPublication

    # A corrected report: version 2 supersedes version 1 with its reason; both stored and
    # both public, the board deciding on version 2.
    first, issued = ReportPublication.objects.filter(outcome__proposal=miu).order_by("version")
    assert issued.supersedes == first and "outpatient clinics" in issued.reason
    assert "outpatient clinics" not in first.text["summary"]
    assert "outpatient clinics" in issued.text["summary"]
    assert report.decision.publication == issued and bytes(issued.pdf).startswith(b"%PDF-")
    outcome = selectors.approved_outcome(miu)
    assert outcome is not None and outcome.report == issued and outcome.html
    assert [p.report for p in selectors.approved_outcomes(miu)] == [issued, first]
    feedback = Publication.objects.filter(kind="activity", status="approved")
    assert feedback.filter(activity=miu.consultation.activity).exists()
    assert all(p.activity and p.activity.status == "feedback_published" for p in feedback)
    # What a scrutiny committee would look for: the dates published and their change
    # notified, the mid-point review, the notice to the Secretary of State, the plan.
    from heard.servicechange.assessment.models import ReconfigurationNotice
    from heard.servicechange.consultations.models import MidpointReview, OscNotice
    from heard.servicechange.proposals.models import PlanItem

    consultation = miu.consultation
    assert consultation.osc_comments_due_on and consultation.proposed_decision_on
    assert consultation.proposed_decision_on <= report.decision.decided_on
    notices = OscNotice.objects.filter(consultation=consultation)
    assert notices.count() == 1 and all(n.notified and n.letter for n in notices)
    # Reg. 23 in order: the council, the first letter before opening (after the
    # consultation was set up), the change of dates notified, the committee's response,
    # and a decision dated neither before the comments date nor the decision date told.
    from heard.servicechange.consultations import selectors as consultation_selectors

    told = consultation_selectors.scrutiny_state(consultation)
    assert [c.name for c in told.councils] == ["Norfolk County Council"]
    assert [x.kind for x in told.letters] == ["first", "renotification"]
    assert " changed" not in told.letters[0].body
    letter = told.first_letter
    assert letter is not None and consultation.opens_at and consultation.closes_at
    assert consultation.created_at < letter.sent_at < consultation.opens_at
    assert letter.comments_due_on > told.first_letter_on
    assert told.letters[1].sent_at > consultation.closes_at
    [response] = told.responses
    assert told.first_letter_on < response.received_on <= report.decision.decided_on
    assert told.comments_due_on <= report.decision.decided_on
    assert told.proposed_decision_on <= report.decision.decided_on
    assert MidpointReview.objects.filter(consultation=consultation).count() == 1
    assert ReconfigurationNotice.objects.filter(assessment__proposal=miu).count() == 1
    assert PlanItem.objects.filter(plan__proposal=miu).count() == 3
    # Its early engagement is its own listening events, not an unrelated survey.
    from heard.servicechange.proposals.models import ProposalActivity

    early = ProposalActivity.objects.filter(proposal=miu, is_early_engagement=True)
    assert [link.activity.title for link in early] == [
        "Listening events: the future of the Eastbrook minor injuries unit"
    ]
    assert ProposalActivity.objects.filter(proposal=miu, plan_item__isnull=False).count() == 4
    # The lifecycle reads in order on the timeline: logged first, decided last, and the
    # consultation opened while the proposal was at formal consultation.

    moves = [
        e.title
        for e in lifecycle_selectors.timeline(miu)
        if e.title.startswith(("Logged", "Moved"))
    ]
    assert moves[0] == "Logged as under consideration" and moves[-1] == "Moved to Decided"
    assert moves.index("Moved to Options") < moves.index("Moved to Formal consultation")
    titles = [e.title for e in lifecycle_selectors.timeline(miu)]
    assert titles.index("Logged as under consideration") < titles.index(
        "Appraisal criteria and weights agreed"
    )
    clinic = Proposal.objects.get(title=demo.CLINIC_TITLE)
    assert clinic.status == "other_involvement"
    assert not lifecycle_facts(clinic).consultation_required
    assert demo.load() == {}
    assert audit_verify().ok


def test_demo_load_quiet_prints_nothing(monkeypatch, settings) -> None:
    """--quiet: no part of the demo writes to the output (the loaders are stubbed: this
    checks the command, not the data)."""
    from io import StringIO

    from django.core.management import call_command

    from heard.demo.management.commands import demo_load

    settings.DEBUG = True

    def chatty(out=None):
        if out is not None:
            out.write("Involvement: 6 opportunities")
        return {"opportunities": 6}

    for name in (
        "people_demo",
        "involvement_demo",
        "engagement_demo",
        "insight_demo",
        "analysis_demo",
        "outcomes_demo",
    ):
        monkeypatch.setattr(getattr(demo_load, name), "load", chatty)
    quiet = StringIO()
    call_command("demo_load", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""
    loud = StringIO()
    call_command("demo_load", stdout=loud)
    assert "Involvement: 6 opportunities" in loud.getvalue()


def test_the_demo_shows_a_shortened_consultation_with_its_approver(demo_staff) -> None:
    """Issue 13's done-when: the Gunning panel on the demo shows a shortened consultation
    as "Shortened", with who approved it – never "Pass" – and the committee written to."""
    from heard.servicechange.consultations import gunning
    from heard.servicechange.consultations import selectors as consultation_selectors

    demo.load()
    winter = Proposal.objects.get(title=demo.WINTER_TITLE).consultation
    checks = {c.key: c for c in gunning.checks(consultation_selectors.gunning_facts(winter))}
    time = checks["adequate_time"]
    assert time.result == gunning.Result.SHORTENED
    said = " ".join(time.reasons)
    assert "approved by" in said and "winter peak" in said
    assert checks["scrutiny"].result == gunning.Result.PASS
    assert winter.activity.status == "draft"


def test_the_demo_shows_a_corrected_document_and_dates_that_follow_the_story(
    demo_staff, client
) -> None:
    """Found in a demo click-through: the document, the sign-offs and the EqIA of a
    consultation that ran from August to November were all dated the day the demo was
    loaded; and the demo had no corrected document to show."""
    from django.urls import reverse

    from heard.servicechange.assessment.models import EqualityImpactAssessment
    from heard.servicechange.consultations.models import Consultation, SignOff

    demo.load()
    miu = Proposal.objects.get(title=demo.MIU_TITLE)
    consultation = Consultation.objects.select_related("activity").get(proposal=miu)
    opens, closes = consultation.activity.opens_at, consultation.activity.closes_at
    assert opens is not None and closes is not None
    assert consultation.document_published_at is not None
    first, corrected = consultation.versions.order_by("number")
    assert first.published_at < opens < corrected.published_at < closes
    assert corrected.is_correction and "shuttle bus" in corrected.reason
    assert consultation.document_published_at < opens
    for sign_off in SignOff.objects.filter(consultation=consultation):
        assert sign_off.at < opens
    eqia = EqualityImpactAssessment.objects.get(proposal=miu)
    assert eqia.reviewed_at is not None
    assert eqia.attached_at < opens and closes < eqia.reviewed_at
    page = client.get(
        reverse("consultations_public:detail", kwargs={"slug": consultation.slug})
    ).content.decode()
    assert "This document has been corrected" in page
    versions = client.get(
        reverse("consultations_public:versions", kwargs={"slug": consultation.slug})
    ).content.decode()
    assert "Corrected. Reason:" in versions and "Published" in versions
    # The consultation's activity page links to the change it is part of and its "you
    # said, we did" (found in a click-through: the page mentioned it without a link).
    activity_page = client.get(
        reverse("engagement_public:activity", args=[consultation.activity.slug])
    ).content.decode()
    assert "<h2>Related</h2>" in activity_page
    assert reverse("proposals_public:detail", args=[miu.slug]) in activity_page
    assert reverse("outcomes_public:detail", args=[miu.slug]) in activity_page
    # Every lifecycle move of the three proposals comes after the proposal was logged.
    for proposal in Proposal.objects.all():
        moves = list(proposal.transitions.order_by("at"))
        assert moves and all(move.at >= proposal.created_at for move in moves)
        for checkpoint in proposal.checkpoints.all():
            assert checkpoint.held_on >= proposal.created_at.date()
