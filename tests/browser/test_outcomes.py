"""Outcomes pages in a real browser, axe clean: the consideration page, the report's text,
the HTML report with its charts and data tables (respondents against the population),
and the public "You said, we did" list and page."""

import pytest
from django.db import connection
from django.urls import reverse

from heard.core.roles import Role
from heard.engagement.models import Response, ResponseEquality
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal, respond_to_all
from tests.browser.test_pages import _sign_in


@pytest.fixture(autouse=True)
def _empty_search_index(transactional_db):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")


def test_report_pages_and_you_said_we_did(visitor, make_staff, settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 2
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    activity = made["consultation"].activity
    ResponseEquality.objects.bulk_create(
        ResponseEquality(
            response=r, activity=activity, sex=("female", "male")[i % 2], age_band="75_plus"
        )
        for i, r in enumerate(Response.objects.filter(activity=activity))
    )
    respond_to_all(proposal, made["themes"], officer)
    _sign_in(visitor, officer)
    page = visitor.page

    visitor.visit(reverse("outcomes:index"))
    page.get_by_role("link", name=proposal.title).click()
    visitor.check()
    assert "0 without a complete response" in page.locator("main").inner_text()
    page.get_by_role("link", name="Write the summary, why we consulted and next steps").click()
    visitor.check()
    page.get_by_label("Summary").fill("People worried most about travel.")
    page.get_by_label("Next steps").fill("A shuttle bus before the move.")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "The report's text was saved." in page.locator("main").inner_text()

    page.get_by_role("link", name="Read the outcome report").click()
    visitor.check()
    main = page.locator("main").inner_text()
    for expected in (
        "People worried most about travel.",
        "Sex: respondents against the local population",
        "Age band: respondents against the local population",
        "What people said",
        "Based on codeframe version 1, signed off by",
        "How it was taken into account",
        "A shuttle bus before the move.",
    ):
        assert expected in main, expected
    # every chart has a title and a data table beside it
    assert page.locator("svg[role=img] title").count() >= 3
    assert page.locator("main table").count() >= 5

    services.report_issue(proposal=proposal, actor=officer, issued_to="Board members")
    # Issued is not public: the queue shows it waiting; a second person approves it.
    visitor.visit(reverse("outcomes:publications"))
    page.get_by_role("link", name=proposal.title).click()
    visitor.check()
    assert "You sent this for approval" in page.locator("main").inner_text()
    services.publication_approve(
        publication=selectors.pending_publications().get(), actor=make_staff(Role.ADMINISTRATOR)
    )
    visitor.visit(reverse("outcomes_public:index"))
    page.get_by_role("link", name=proposal.title).click()
    visitor.check()
    said = page.locator("main").inner_text()
    assert "We heard about travel to the new site and will act on it" in said
    assert "Did it change what we proposed? Partly" in said
    assert "The outcome report has gone to Board members" in said
