"""The report's figures (suppression, population comparison) and what outcomes tells the
proposal, asked by the lifecycle."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from heard.core.roles import Role
from heard.engagement.models import Response, ResponseEquality
from heard.servicechange.lifecycle import selectors as lifecycle_selectors
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import hooks, selectors, services
from heard.servicechange.outcomes.tests.helpers import (
    have_due_regard,
    make_consulted_proposal,
    respond_to_all,
    sign_off_codeframe,
)
from heard.servicechange.proposals.domain import OutcomeFacts

pytestmark = pytest.mark.django_db


def test_small_numbers_are_suppressed_and_respondents_compared_with_population() -> None:
    made = make_consulted_proposal()
    activity = made["consultation"].activity
    responses = list(Response.objects.filter(activity=activity))
    assert len(responses) == 5
    ResponseEquality.objects.bulk_create(
        ResponseEquality(response=r, activity=activity, sex="female", age_band="75_plus")
        for r in responses
    )
    report = selectors.report_for(made["proposal"])
    assert report.total_responses == 5
    online = next(r for r in report.by_channel if r.label == "Online")
    assert online.count is None  # 5 < 10: not shown
    assert all(r.count in (None, 0) for r in report.by_channel)
    sex = next(c for c in report.comparisons if c.title == "Sex")
    # 5 answered: the number who answered is small too, so it is hidden ("4 respondents
    # answered" beside zeros gave the one group away)
    assert sex.answered.hidden and sex.answered.value == 5
    female = next(row for row in sex.rows if row[0] == "Female")
    assert female[1].hidden and female[2] is None  # suppressed count and share
    assert female[3] is not None and 0.4 < female[3] < 0.6  # population share shown
    # no row of zeros beside the hidden one
    assert [row[0] for row in sex.rows] == ["Female"] and sex.left_out == ["Male"]
    assert {c.title for c in report.comparisons} >= {"Sex", "Age band"}


def test_equality_counts_cannot_be_worked_out_from_the_number_who_answered(settings) -> None:
    """The issue's case, in the report's own shape: 4 of 30 answered, all of one group."""
    from heard.servicechange.outcomes.selectors import comparison_figures

    figures, answered = comparison_figures([4, 0, 0, 0, 0], 30, 10)
    assert figures[0].hidden and answered.hidden
    # 40 of 45 answered, one group of 3: the complement is "suppressed", not "fewer than"
    figures, answered = comparison_figures([37, 3, 0], 45, 10)
    assert [str(f) for f in figures] == ["suppressed", "fewer than 10", "0"]
    # 40 answered may show: 3 and 37 still cannot be told apart from 1..9 and 10 and over
    # (that 5 did not answer is not about anyone's group)
    assert str(answered) == "40"


def test_large_enough_numbers_are_shown(settings) -> None:
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 2
    made = make_consulted_proposal()
    report = selectors.report_for(made["proposal"])
    assert next(r for r in report.by_channel if r.label == "Online").count == 5


def test_facts_timeline_links_and_public_sections(make_staff) -> None:
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    board = make_staff(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    assert hooks.stage_facts(proposal) == OutcomeFacts(decision_recorded=False)
    [link] = hooks.links(proposal, officer)
    assert link.status == "Not started" or link.status == "In progress"
    assert "2 themes, 2 without a response" in link.summary
    assert hooks.public_sections(proposal) == []
    respond_to_all(proposal, made["themes"], officer)
    assert hooks.links(proposal, officer)[0].status == "Ready"
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board")
    assert hooks.public_sections(proposal) == []  # issued, not yet approved for publication
    services.publication_approve(
        publication=selectors.pending_publications().get(), actor=make_staff(Role.ADMINISTRATOR)
    )
    [section] = hooks.public_sections(proposal)
    assert section.title == "You said, we did" and proposal.slug in section.url
    have_due_regard(proposal, board)
    lifecycle_services.decision_record(
        proposal=proposal,
        actor=board,
        decided_on=timezone.localdate(),
        decided_by="ICB board",
        decision="Go ahead.",
        board_paper_file=SimpleUploadedFile("paper.pdf", b"%PDF-1.4 paper"),
    )
    assert hooks.stage_facts(proposal) == OutcomeFacts(decision_recorded=True)
    titles = [e.title for e in lifecycle_selectors.timeline(proposal)]
    assert "Outcome report issued to the decision makers" in titles
    assert any(t.startswith("Decision recorded: decided by ICB board") for t in titles)
    assert hooks.links(proposal, board)[0].status == "Done"
    decision = selectors.decision_of(proposal)
    assert decision is not None
    assert str(decision.board_paper_file.name).startswith("board-papers/")


def test_no_link_for_a_proposal_without_consultation(make_staff) -> None:
    from heard.servicechange.proposals.models import Proposal

    proposal = Proposal.objects.create(title="An idea", slug="an-idea", description="x")
    assert hooks.links(proposal, make_staff()) == []


def test_quotes_only_from_people_who_agreed_to_publication_staff_report_included() -> None:
    made = make_consulted_proposal()
    proposal = made["proposal"]
    quote = "Parking at the health centre is already full by nine"
    # the board's report is an output too: no quote without consent, staff or public
    staff_items = {t.name: t for t in selectors.themes_for(proposal).items}
    assert staff_items["Parking"].quotes == []
    public_items = {t.name: t for t in selectors.themes_for(proposal, public=True).items}
    assert public_items["Parking"].quotes == []
    Response.objects.filter(answers__text=quote).update(publish_consent=True)
    # quotes are chosen when the codeframe is signed off: consent given later is used by
    # the next signed-off version (a deliberate act, with its reason)
    assert {t.name: t for t in selectors.themes_for(proposal).items}["Parking"].quotes == []
    sign_off_codeframe(made["question"].codeframe, reason="A respondent agreed to publication")
    public_items = {t.name: t for t in selectors.report_for(proposal, public=True).themes.items}
    assert public_items["Parking"].quotes == [quote]
    assert public_items["Travel to the new site"].quotes == []
    staff_items = {t.name: t for t in selectors.report_for(proposal).themes.items}
    assert staff_items["Parking"].quotes == [quote]
    # consent withdrawn after sign-off: no page made from now on quotes them
    Response.objects.filter(answers__text=quote).update(publish_consent=False)
    assert {t.name: t for t in selectors.themes_for(proposal).items}["Parking"].quotes == []


def test_the_report_shows_the_determination_with_any_override(make_staff, client) -> None:
    from django.urls import reverse

    from heard.engagement.models import Activity
    from heard.servicechange.assessment import services as assessment_services
    from heard.servicechange.assessment.tests.helpers import AREAS_NONE

    made = make_consulted_proposal()
    proposal = made["proposal"]
    board = make_staff(Role.DECISION_MAKER)
    # Assessed and overridden before the consultation opened (frozen from then on).
    activity = Activity.objects.filter(pk=made["consultation"].activity_id)
    activity.update(status="draft")
    stage = proposal.status
    type(proposal).objects.filter(pk=proposal.pk).update(status="significance_assessment")
    assessment_services.significance_save(  # assessed by the lead, overridden by the board
        actor=make_staff(Role.PROGRAMME_LEAD),
        proposal=proposal,
        areas=AREAS_NONE,
        summary="Minor changes only.",
    )
    assessment_services.significance_override(
        actor=board,
        proposal=proposal,
        consultation_required=True,
        reason="Strength of public feeling about the cottage hospital.",
    )
    type(proposal).objects.filter(pk=proposal.pk).update(status=stage)
    activity.update(status="closed")
    client.force_login(board)
    page = client.get(reverse("outcomes:report", args=[proposal.pk])).content.decode()
    assert "Determination: Formal consultation required" in page
    assert "(overridden)" in page
    assert "Strength of public feeling about the cottage hospital." in page
