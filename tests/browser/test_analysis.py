"""Analysis in a real browser: run an analysis of the demo survey, edit the codeframe and
review suggestions with the keyboard – axe clean throughout."""

import pytest
from django.db import connection
from django.urls import reverse

from heard.analysis import services
from heard.analysis.models import AnalysisRun, Coding, Theme
from heard.core.roles import Role
from heard.demo import engagement as engagement_demo
from heard.engagement.models import Question
from heard.insight.models import Insight
from tests.browser.test_pages import _sign_in

DEMO_ANSWERS = 400


@pytest.fixture
def demo_survey(transactional_db, monkeypatch, make_staff):
    # The demo acts as its officer and administrator (demo_load makes them first).
    make_staff(Role.ENGAGEMENT_OFFICER, email=engagement_demo.OFFICER_EMAIL)
    make_staff(Role.ADMINISTRATOR, email=engagement_demo.ADMIN_EMAIL)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")
    load_responses = engagement_demo.load_responses
    monkeypatch.setattr(engagement_demo, "load_responses", lambda: {})
    engagement_demo.load()
    load_responses(count=DEMO_ANSWERS)  # the demo survey, smaller for speed
    return Question.objects.get(
        text=engagement_demo.EXPERIENCE_QUESTION,
        version__questionnaire__activity__slug=engagement_demo.DEMO_SURVEY_SLUG,
    )


def test_run_edit_codeframe_and_review_the_demo_survey(
    visitor, make_staff, demo_survey, monkeypatch
):
    # The worker is played by this test: the page shows the run waiting, then its
    # progress (polled with htmx), then the result.
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    analyst = make_staff(Role.ANALYST)
    _sign_in(visitor, analyst)
    page = visitor.page

    visitor.visit(reverse("analysis:index"))
    page.get_by_role("link", name=demo_survey.text).click()
    visitor.check()
    assert "This question has not been analysed yet." in page.locator("main").inner_text()
    page.get_by_role("button", name="Run the analysis").click()
    page.wait_for_selector("text=Waiting to start.")
    visitor.check()
    assert page.locator("progress").count() == 1
    page.reload()  # progress is kept in the database, not in the page
    assert page.locator("progress").count() == 1
    services.analysis_run_execute(run_id=queued[0])
    page.wait_for_selector("text=Analysis finished", timeout=20_000)  # polled, no reload
    visitor.check()
    assert page.locator("progress").count() == 0
    run = AnalysisRun.objects.get()
    assert run.status == "done" and run.summary["answers"] > 300
    page.reload()  # the result is kept, not held by the page
    assert "Analysis finished" in page.locator("main").inner_text()

    page.get_by_role("link", name="See the themes").click()
    visitor.check()
    assert page.locator("#themes-table tbody tr").count() == Theme.objects.count()
    assert "Campaign responses" in page.locator("main").inner_text()

    # Codeframe editor: rename (with an error first), then merge two themes.
    page.get_by_role("link", name="Codeframe").first.click()
    visitor.check()
    first, second = Theme.objects.filter(parent=None).order_by("pk")[:2]
    page.get_by_role("link", name=f"Rename or describe {first.name}").click()
    visitor.check()
    page.get_by_label("Theme name").fill("")
    page.get_by_role("button", name="Save the theme").click()
    visitor.check()
    assert "Enter a name for the theme." in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Theme name").fill("Kind and caring nurses")
    page.get_by_label("Description").fill("Praise for the nurses' manner.")
    page.get_by_role("button", name="Save the theme").click()
    visitor.check()
    assert "Theme “Kind and caring nurses” saved." in page.locator("main").inner_text()
    page.get_by_role("link", name=f"Merge {second.name}").click()
    visitor.check()
    page.get_by_label("Merge into").select_option(label="Kind and caring nurses")
    page.get_by_role("button", name="Merge the themes").click()
    visitor.check()
    assert "merged into “Kind and caring nurses”" in page.locator("main").inner_text()
    assert not Theme.objects.filter(pk=second.pk).exists()
    # Sign off the codeframe as it now stands: the version reports will use.
    page.get_by_role("button", name="Sign off this codeframe").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Version 1 of the codeframe signed off." in main
    assert "Reports and the consideration of themes use version 1" in main

    # Review queue: accept and reject with the keyboard; focus lands on the next heading.
    page.get_by_role("link", name="Review queue").first.click()
    visitor.check()
    heading = page.locator("#answer-heading")
    assert heading.inner_text().startswith("Response ")
    assert page.evaluate("document.activeElement.id") == "answer-heading"
    accept = page.get_by_role("button", name="Accept").first
    accept.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check()
    assert page.evaluate("document.activeElement.id") == "answer-heading"
    assert "accepted" in page.locator("main").inner_text()
    for _ in range(10):  # the next response with a suggestion to reject
        if page.get_by_role("button", name="Reject").count():
            with page.expect_navigation():
                page.get_by_role("button", name="Reject").first.click()
            break
        with page.expect_navigation():
            page.get_by_role("link", name="Skip to the next response").click()
    assert page.evaluate("document.activeElement.id") == "answer-heading"
    visitor.check()
    decided = Coding.objects.exclude(status="suggested")
    assert decided.filter(status="accepted", by=analyst).count() == 1
    assert decided.filter(status="rejected", by=analyst).exists()
    accepted = decided.get(status="accepted")
    assert Insight.objects.get(answer_id=accepted.answer_id).themes

    page.get_by_role("link", name="Agreement").first.click()
    visitor.check()
    assert page.locator("#agreement-table tbody tr").count() == Theme.objects.count()
    page.get_by_role("link", name="Themes by respondent group").first.click()
    visitor.check()
    assert "fewer than" in page.locator("main").inner_text()
