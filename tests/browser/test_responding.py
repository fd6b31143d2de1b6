"""A member of the public answers an open survey in a real browser: across pages, with a
deliberate error, saving and resuming by the emailed link, sending twice, one receipt."""

import re
import time

import pytest
from django.urls import reverse

from heard.engagement import selectors_responses
from heard.engagement.models import Response
from heard.engagement.tests.factories import ActivityFactory
from heard.engagement.tests.test_respond import make_questionnaire


def _last_mail(smtp_server, count=1):
    """The newest message, waiting a moment for the SMTP exchange to finish."""
    for _ in range(50):
        if len(smtp_server.messages) >= count:
            break
        time.sleep(0.1)
    return smtp_server.messages[-1]


@pytest.fixture(autouse=True)
def _quick_people(settings):
    settings.HEARD_RESPONSE_MIN_SECONDS = 0
    selectors_responses.public_cache_clear()


def test_public_answers_saves_resumes_sends_twice_and_gets_one_receipt(visitor, smtp_server):
    activity = ActivityFactory(title="Community nursing: what matters to you?")
    make_questionnaire(activity)
    page = visitor.page
    visitor.visit(reverse("engagement_public:hub"))
    page.get_by_role("link", name="Community nursing: what matters to you?").click()
    visitor.check()
    page.get_by_role("button", name="Respond now").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "About your care"

    # A deliberate error: on behalf of an organisation, without its name.
    page.get_by_role("radio", name="On behalf of an organisation").check()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    summary = page.locator(".nhsuk-error-summary")
    assert "Enter the name of the organisation" in summary.inner_text()
    assert page.get_by_role("radio", name="Yes").is_checked()  # nothing lost
    page.get_by_label("If you are responding on behalf of an organisation, its name").fill(
        "Carers Matter Norfolk"
    )
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Your views"

    # Save part-way and come back by the emailed link.
    page.get_by_label("Tell us about your experience").fill("The nurses were kind but often late.")
    page.get_by_role("button", name="Save and come back later").click()
    visitor.check()
    page.get_by_label("Email address").fill("carer@example.org")
    page.get_by_role("button", name="Email me a link").click()
    visitor.check()
    assert "Your answers are saved" in page.locator("h1").inner_text()
    link = re.search(r"https?://\S+/respond/resume/\S+/", _last_mail(smtp_server).get_content())[0]
    visitor.page.goto(link)
    visitor.check()
    assert page.get_by_label("Tell us about your experience").input_value() == (
        "The nurses were kind but often late."
    )
    page.get_by_label("Agree", exact=True).check()
    page.get_by_label("Same nurse").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "About you"
    page.get_by_label("65 to 74").check()
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Check your answers and send"
    assert "Carers Matter Norfolk" in page.locator("main").inner_text()
    page.get_by_label("You may publish my response anonymously").check()
    page.get_by_label("Email address for a receipt (optional)").fill("carer@example.org")

    # Send, then send the very same form again (a retry after a dropped connection).
    form = page.locator("form").filter(has=page.get_by_role("button", name="Send my response"))
    fields = form.evaluate("f => Object.fromEntries(new FormData(f))")
    fields["action"] = "send"
    action_url = visitor.base_url + form.evaluate("f => f.getAttribute('action')")
    page.get_by_role("button", name="Send my response").click()
    visitor.check()
    assert "Thank you, we have your response" in page.locator("h1").inner_text()
    reference = Response.objects.get().reference
    assert reference in page.locator("main").inner_text()
    again = page.request.post(action_url, form=fields, max_redirects=0)
    assert again.status == 302
    page.goto(visitor.base_url + again.headers["location"])
    visitor.check()
    assert reference in page.locator("main").inner_text()
    assert Response.objects.count() == 1
    _last_mail(smtp_server, count=2)
    receipts = [m for m in smtp_server.messages if reference in m["Subject"]]
    assert len(receipts) == 1
    response = Response.objects.get()
    assert response.organisation_name == "Carers Matter Norfolk" and response.publish_consent


def test_tell_us_what_you_think_is_always_open(visitor):
    page = visitor.page
    visitor.visit(reverse("engagement_public:feedback"))
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "Enter an answer to ‘What would you like to tell us’" in summary
    page.get_by_label("What would you like to tell us?").fill("The pharmacy helped me quickly.")
    page.get_by_role("button", name="Continue").click()
    visitor.check()
    page.get_by_role("button", name="Send my response").click()
    visitor.check()
    assert Response.objects.get().activity is None
