"""Everyday use, in a real browser (issue 18's "done when"): deleting a question people
have answered asks first, says what happens to their answers and can be undone; a
respondent downloads a PDF copy of their own answers; staff forms with the NHS date input
(the consultation period, whose panel follows the boxes as they are typed; the decision
form submitted empty names every field). Axe clean on every page; screenshots at desktop
and phone widths in test-artifacts/screenshots (or $HEARD_SCREENSHOTS)."""

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from heard.core.roles import Role
from heard.engagement import selectors_responses
from heard.engagement.models import Answer, Question, QuestionnaireVersion, Response
from heard.engagement.tests.factories import ActivityFactory
from heard.engagement.tests.test_respond import make_questionnaire
from heard.servicechange.consultations.tests.helpers import passing_consultation
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal
from tests.browser.conftest import ARTIFACTS, fill_nhs_date, htmx_settled
from tests.browser.test_pages import _sign_in

SHOTS = Path(os.environ.get("HEARD_SCREENSHOTS", str(ARTIFACTS)))


@pytest.fixture(autouse=True)
def _quick_people(settings):
    settings.HEARD_RESPONSE_MIN_SECONDS = 0
    selectors_responses.public_cache_clear()


def _shoot(visitor, name: str) -> None:
    """Desktop and phone screenshots of the page as it is, axe checked at both widths."""
    page = visitor.page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _summary(page) -> list[str]:
    return [
        t.strip()
        for t in page.locator(".nhsuk-error-summary__list li").all_inner_texts()
        if t.strip()
    ]


def test_deleting_an_answered_question_asks_first_and_can_be_undone(visitor, make_staff):
    activity = ActivityFactory(title="Community nursing: what matters to you?")
    q = make_questionnaire(activity)
    v1 = q.current_version()
    agree = Question.objects.get(version=v1, key="agree")
    for i in range(3):
        response = Response.objects.create(
            activity=activity, questionnaire=q, version=v1, reference=f"HYS-AAAA-BBB{i}"
        )
        Answer.objects.create(response=response, question=agree, value="agree")
    _sign_in(visitor, make_staff(Role.ENGAGEMENT_OFFICER))
    page = visitor.page
    visitor.visit(reverse("engagement:builder", args=[activity.pk]))
    assert "Version 1 has 3 responses" in page.locator("main").inner_text()
    page.get_by_role("link", name="Delete Nurses should visit in the evening").click()
    visitor.check()
    main = page.locator("main").inner_text()
    # Asked first, and told what happens to the answers already given.
    assert page.locator("h1").inner_text() == "Are you sure you want to delete this question?"
    assert "3 people have answered this question. Their answers are kept" in main
    assert "until you publish your changes" in main
    assert "you can undo this by discarding them" in main
    assert Question.objects.filter(pk=agree.pk).exists()  # nothing deleted by looking
    _shoot(visitor, "question-delete-confirm")
    page.get_by_role("button", name="Yes, delete this question").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "People answering now still see it until you publish" in main
    assert "Unpublished changes" in main
    draft = q.current_version()
    assert draft.number == 2 and draft.published_at is None
    assert not Question.objects.filter(version=draft, key="agree").exists()
    assert selectors_responses.respondable_version(q) == v1  # the public still answers v1
    _shoot(visitor, "questionnaire-draft")

    # Undo: discard the unpublished changes.
    page.get_by_role("button", name="Discard the changes").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Your unpublished changes have been discarded" in main
    assert "Nurses should visit in the evening" in main
    assert "Unpublished changes" not in main
    assert list(QuestionnaireVersion.objects.filter(questionnaire=q)) == [v1]
    assert Answer.objects.filter(question=agree).count() == 3


def test_a_respondent_downloads_a_pdf_copy_of_their_answers(visitor):
    activity = ActivityFactory(title="Community nursing: what matters to you?")
    make_questionnaire(activity)
    page = visitor.page
    visitor.visit(reverse("engagement_public:respond", args=[activity.slug]))
    page.get_by_role("radio", name="As an individual").check()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    said = "The district nurses came every morning and knew my mother by name."
    page.get_by_label("Tell us about your experience").fill(said)
    page.get_by_label("Same nurse").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Check your answers and send"
    page.get_by_role("button", name="Send my response").click()
    visitor.check()
    assert "Thank you, we have your response" in page.locator("h1").inner_text()
    reference = Response.objects.get().reference
    main = page.locator("main").inner_text()
    assert "A copy of your answers" in main and "This link works for 1 hour" in main
    _shoot(visitor, "response-received")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download a copy of your answers (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"your-answers-{reference}.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert reference in text
    assert said in text
    assert "Tell us about your experience" in text
    assert "Same nurse" in text


def test_consultation_period_in_nhs_date_boxes_updates_the_panel(visitor, make_staff):
    consultation = passing_consultation()
    _sign_in(visitor, make_staff(Role.PROGRAMME_LEAD))
    page = visitor.page
    visitor.visit(reverse("consultations:dates", args=[consultation.pk]))
    assert page.locator("input[type=datetime-local], input[type=date]").count() == 0
    fill_nhs_date(page, "Opens", 1, 3, 2030, "9am")
    fill_nhs_date(page, "Closes", 29, 3, 2030, "5pm")
    page.get_by_label("Why a shorter period is adequate").click()  # the last box's change
    panel = page.locator("#gunning-panel")
    # Each box's change asks for a preview; htmx queues the last one behind the one in
    # flight, so wait until every preview has come back before reading the panel.
    panel.get_by_text("Preview with the dates you are entering").wait_for()
    htmx_settled(page)
    assert "shorter than 12 weeks" in panel.inner_text()
    visitor.check()
    _shoot(visitor, "consultation-period-preview")
    # An impossible date is named, not saved.
    fill_nhs_date(page, "Closes", 31, 4, 2030, "5pm")
    page.get_by_role("button", name="Save the period").click()
    visitor.check()
    assert _summary(page) == ["Closes must be a real date"]
    _shoot(visitor, "consultation-period-error")
    consultation.activity.refresh_from_db()
    assert consultation.activity.closes_at is None or consultation.activity.closes_at.year != 2030


def test_decision_form_submitted_empty_names_every_field(visitor, make_staff):
    made = make_consulted_proposal()
    _sign_in(visitor, make_staff(Role.DECISION_MAKER))
    page = visitor.page
    visitor.visit(reverse("outcomes:decision", args=[made["proposal"].pk]))
    assert page.locator("input[type=date]").count() == 0
    page.get_by_role("button", name="Record the decision").click()
    visitor.check()
    assert _summary(page) == [
        "Give the date of the decision.",
        "Say who decided (for example, the ICB board).",
        "Say what was decided.",
    ]
    page.get_by_role("link", name="Give the date of the decision.").click()
    assert page.evaluate("document.activeElement.name") == "decided_on_day"
    _shoot(visitor, "decision-empty")
