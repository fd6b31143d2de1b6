"""Proposals in a real browser: log a proposal, see what we already know, record what it
drew on, move it to early engagement and find it on the public "What we are working on"
page – axe clean throughout."""

import pytest
from django.db import connection
from django.urls import reverse

from heard.core.roles import Role
from heard.engagement.tests.factories import ActivityFactory
from heard.insight.tests.helpers import add_insights
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.proposals.models import Proposal
from tests.browser.test_pages import _sign_in


@pytest.fixture(autouse=True)
def _empty_search_index(transactional_db):
    """Flushing between browser tests empties the tables but not the FTS5 index."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")


def test_log_a_proposal_draw_on_what_we_know_and_share_it(visitor, make_staff):
    add_insights(
        ["The minor injuries unit in Cromer saved us a long drive to Norwich."],
        locality="North Norfolk",
    )
    lead = make_staff(Role.PROGRAMME_LEAD, full_name="Priya Lead")
    _sign_in(visitor, lead)
    page = visitor.page

    visitor.visit(reverse("proposals:list"))
    page.get_by_role("link", name="Log a proposal").click()
    visitor.check()
    page.get_by_role("button", name="Log the proposal").click()
    visitor.check()  # the error summary and inline errors
    assert "Enter a title for the proposal" in page.locator(".nhsuk-error-summary").inner_text()

    page.get_by_label("Title").fill("Move the minor injuries unit")
    page.get_by_label("The case for change").fill(
        "The minor injuries unit in Cromer would move to the new health centre."
    )
    page.get_by_label("North Norfolk").check()
    page.get_by_role("button", name="See what we already know").click()
    visitor.check()
    assert "saved us a long drive" in page.locator("main").inner_text()
    assert not Proposal.objects.exists()

    page.get_by_role("button", name="Log the proposal").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "What do we already know?"
    page.get_by_role("button", name="We drew on this insight").first.click()
    visitor.check()
    proposal = Proposal.objects.get()
    assert proposal.evidence.count() == 1
    assert "Drawn on" in page.locator("main").inner_text()

    page.get_by_role("link", name="Back to the proposal").click()
    visitor.check()
    assert "1 record" in page.locator("main").inner_text()
    ActivityFactory(title="Tell us about urgent care in Cromer")
    page.get_by_role("button", name="Move to Early engagement").click()
    visitor.check()
    assert "The proposal has moved to Early engagement." in page.locator("main").inner_text()

    page.get_by_role("link", name="The whole timeline").click()
    visitor.check()
    timeline = page.locator("main").inner_text()
    assert "Logged as under consideration" in timeline
    assert "Moved to Early engagement" in timeline

    page.goto(visitor.base_url + reverse("proposals:plan", kwargs={"pk": proposal.pk}))
    visitor.check()
    page.get_by_role("link", name="Link an activity").first.click()
    visitor.check()
    page.get_by_label("Activity").select_option(label="Tell us about urgent care in Cromer")
    page.get_by_role("button", name="Link the activity").click()
    visitor.check()

    # A move the rules refuse is offered with its reasons, not as a button; the way
    # back is a secondary "Go back to" button, not one that looks like the next step.
    page.goto(visitor.base_url + reverse("proposals:detail", kwargs={"pk": proposal.pk}))
    page.get_by_role("button", name="Move to Options").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Move to Significance assessment is not possible yet" in main
    assert "Record at least two options" in main
    assert page.get_by_role("button", name="Move to Significance assessment").count() == 0
    page.locator("summary", has_text="Go back to early engagement").click()
    back = page.get_by_role("button", name="Go back to early engagement")
    assert "nhsuk-button--secondary" in (back.get_attribute("class") or "")
    back.click()  # without a reason: refused, with what is needed
    visitor.check()
    assert (
        "Give the reason for going back a stage"
        in page.locator(".nhsuk-error-summary").inner_text()
    )

    visitor.visit(reverse("public:home"))
    page.get_by_role("link", name="What we are working on").first.click()
    visitor.check()
    page.get_by_role("link", name="Move the minor injuries unit").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "What we are considering" in main
    assert "Tell us about urgent care in Cromer" in main
    assert "Talking with people early" in main


def test_plan_privacy_and_summary_forms(visitor, make_staff):
    from heard.people.models import Group
    from heard.servicechange.proposals.services import proposal_create

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    Group.objects.create(name="Cromer PPG", kind="ppg")
    proposal = proposal_create(actor=officer, title="Community beds", description="Fewer beds")
    lifecycle_services.proposal_transition(
        proposal=proposal, target="early_engagement", actor=officer
    )
    _sign_in(visitor, officer)
    page = visitor.page

    visitor.visit(reverse("proposals:detail", kwargs={"pk": proposal.pk}))
    assert "There is no engagement plan yet" in page.locator("main").inner_text()
    page.get_by_role("link", name="Go to the engagement plan").click()
    visitor.check()
    page.get_by_role("link", name="Add a stakeholder or audience").click()
    visitor.check()
    page.get_by_role("button", name="Save").click()
    visitor.check()
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "Choose a stakeholder from the map or describe the audience" in summary
    page.get_by_label("Stakeholder (from the stakeholder map)").select_option(label="Cromer PPG")
    page.get_by_label("Methods and activities").fill("Two drop-in sessions at the surgery")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "Not started" in page.locator("main").inner_text()
    page.get_by_role("link", name="Change the plan").click()
    visitor.check()
    page.get_by_label("How we will reach seldom-heard groups").fill("Through the VCSE forum")
    page.get_by_role("button", name="Save the plan").click()
    visitor.check()

    visitor.visit(reverse("proposals:privacy", kwargs={"pk": proposal.pk}))
    page.get_by_label("Keep it private").check()
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "Give the reason" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Reason for keeping it private").fill("Estates negotiation")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "Kept private: Estates negotiation" in page.locator("main").inner_text()
    visitor.visit(
        reverse("proposals_public:detail", kwargs={"slug": proposal.slug}), expect_status=404
    )

    visitor.visit(reverse("proposals:heard", kwargs={"pk": proposal.pk}))
    page.get_by_label("What we have heard so far").fill("People value the beds close to home.")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    visitor.visit(reverse("proposals:edit", kwargs={"pk": proposal.pk}))
    page.get_by_label("About how many people would be affected").fill("lots")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "whole number" in page.locator(".nhsuk-error-summary").inner_text()
