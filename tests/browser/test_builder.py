"""Staff build a questionnaire with a conditional question and import a messy paper file."""

import re

from django.urls import reverse

from heard.core.roles import Role
from heard.engagement.models import Question, Response
from heard.engagement.tests.factories import ActivityFactory
from tests.browser.test_engagement import _sign_in

MESSY = (
    "Form no;Have you used the service?;What happened?;Date received\n"
    "P-1;Y;The nurse came every morning;03/01/2026\n"
    "P-2;no;;04/01/2026\n"
    "P-3;maybe;;05/01/2026\n"
    "P-4;yes;Came late twice;31/02/2026\n"
)


def test_staff_build_a_conditional_questionnaire_and_import_paper_responses(
    visitor, make_staff, tmp_path
):
    activity = ActivityFactory(title="Community nursing: what matters to you?")
    _sign_in(visitor, make_staff(Role.ENGAGEMENT_OFFICER))
    page = visitor.page
    visitor.visit(reverse("engagement:detail", args=[activity.pk]))
    page.get_by_role("link", name="Questionnaire", exact=True).click()
    visitor.check()
    page.get_by_role("button", name="Create a questionnaire").click()
    visitor.check()

    page.get_by_role("link", name="Add a question to ‘Your views’").click()
    visitor.check()
    page.get_by_role("button", name="Save the question").click()
    visitor.check()  # error summary and inline errors
    assert "Enter the question" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Question", exact=True).fill("Have you used the service?")
    page.get_by_role("radio", name="Yes or no").check()
    page.get_by_label("People must answer this question").check()
    page.get_by_role("button", name="Save the question").click()
    visitor.check()

    page.get_by_role("link", name="Add a question to ‘Your views’").click()
    page.get_by_label("Question", exact=True).fill("What happened?")
    page.get_by_role("radio", name="Long text").check()
    page.get_by_label("Show this question only when an earlier question is answered").select_option(
        label="Have you used the service?"
    )
    page.get_by_label("…with one of these answers").fill("Yes")
    page.get_by_role("button", name="Save the question").click()
    visitor.check()
    assert "Shown only when ‘Have you used the service?’ is answered ‘Yes’" in (
        page.locator("main").inner_text()
    )
    assert Question.objects.get(text="What happened?").show_if_values == ["yes"]

    page.get_by_role("link", name="Preview the questionnaire").click()
    visitor.check()
    assert "Answer this if you answered ‘Yes’" in page.locator("main").inner_text()

    # Import a messy paper file: semicolons, Y/maybe, an impossible date.
    visitor.visit(reverse("engagement:responses", args=[activity.pk]))
    page.get_by_role("link", name="Import responses from a spreadsheet").click()
    visitor.check()
    messy = tmp_path / "paper responses.csv"
    messy.write_bytes(MESSY.encode("cp1252"))
    page.get_by_label("Spreadsheet of responses").set_input_files(str(messy))
    page.get_by_role("button", name="Upload and match columns").click()
    visitor.check()
    assert page.get_by_label("Column “What happened?”").input_value() != ""
    page.get_by_role("button", name="Import the responses").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert re.search(r"Imported\s+2", main)
    assert re.search(r"Not imported because of problems\s+2", main)
    assert "not a date like" in main
    assert Response.objects.filter(channel="paper").count() == 2
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the rows not imported")).click()
    assert "P-3" in download.value.path().read_text(encoding="utf-8-sig")


def test_staff_enter_a_phone_response_quickly(visitor, make_staff):
    from heard.engagement.tests.test_respond import make_questionnaire

    q = make_questionnaire()
    _sign_in(visitor, make_staff(Role.ENGAGEMENT_OFFICER))
    page = visitor.page
    visitor.visit(reverse("engagement:responses", args=[q.activity_id]))
    page.get_by_role("link", name="Enter paper, phone or event responses").click()
    visitor.check()
    page.get_by_role("button", name="Save and enter the next response").click()
    visitor.check()  # error summary with every problem
    assert "Select an answer" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Phone call").check()
    page.get_by_role("radio", name="As an individual").check()
    page.get_by_role("group", name="Have you had care from a community nurse?").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="Save and enter the next response").click()
    visitor.check()
    assert "saved" in page.locator("main").inner_text()
    assert page.get_by_label("Phone call").is_checked()  # kept for the next one
    assert Response.objects.get().channel == "phone"
    reference = Response.objects.get().reference
    visitor.visit(reverse("engagement:responses", args=[q.activity_id]))
    page.get_by_label("Find a response by its reference").fill(reference.lower())
    page.get_by_role("button", name="Find the response").click()
    visitor.check()
    assert page.locator("h1").inner_text() == f"Response {reference}"
