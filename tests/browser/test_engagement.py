"""Engagement activities in a real browser: the public hub and the staff lifecycle."""

from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD, totp_code
from heard.core.roles import Role
from heard.engagement.models import Activity
from heard.engagement.tests.factories import ActivityFactory


def _sign_in(visitor, user):
    page = visitor.page
    visitor.visit(reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")


def test_public_finds_an_activity_in_the_hub(visitor):
    ActivityFactory(title="Community nursing: what matters to you?")
    ActivityFactory(title="Maternity voices")
    visitor.visit(reverse("engagement_public:hub"))
    page = visitor.page
    page.get_by_label("Search").fill("maternity")
    page.get_by_role("button", name="Show activities").click()
    visitor.check()
    assert "Community nursing" not in page.locator("main").inner_text()
    page.get_by_role("link", name="Maternity voices").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Maternity voices"
    assert "Our promise to you" in page.locator("main").inner_text()
    visitor.visit(reverse("engagement_public:hub") + "?when=closed")


def test_staff_create_open_and_close_an_activity(visitor, make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    _sign_in(visitor, officer)
    page = visitor.page
    visitor.visit(reverse("engagement:list"))
    page.get_by_role("link", name="Create an activity").click()
    visitor.check()
    page.get_by_role("button", name="Save").click()
    visitor.check()  # the error summary and inline errors
    page.get_by_label("Title").fill("Urgent care at the coast")
    page.get_by_label("Summary").fill("Early conversations before any ideas are formed.")
    page.get_by_label("Involve", exact=True).check()
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("Great Yarmouth").check()
    page.get_by_role("button", name="Save").click()
    visitor.check()
    page.get_by_role("button", name="Open it now").click()
    visitor.check()
    assert Activity.objects.get().status == "open"
    page.get_by_role("button", name="Close it now").click()
    visitor.check()
    assert "Feedback owed" in page.locator("main").inner_text()
    # "You said, we did" goes public only through the approval step: written, sent, and
    # shown to the approver with the redactor's changes highlighted.
    page.get_by_label("You said, we did").fill(
        "You said the coast needs a walk-in service. Ring 07700 900123 to join the next group."
    )
    page.get_by_role("button", name="Save the feedback").click()
    visitor.check()
    page.get_by_role("button", name="Send the feedback for approval").click()
    visitor.check()
    assert "sent for approval" in page.locator("main").inner_text()
    page.get_by_role("link", name="See what is waiting for approval").click()
    visitor.check()
    page.get_by_role("link", name="Urgent care at the coast").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "[PHONE]" in main and "You sent this for approval" in main
    assert page.locator("main mark").count() == 1
    assert Activity.objects.get().status == "closed"


def test_an_administrator_erases_a_response_s_words_on_request(visitor, make_staff):
    """The erasure page, axe-checked empty, with its errors, and after the erasure."""
    from heard.engagement.models import Answer, Question, Response
    from heard.engagement.tests.test_respond import make_questionnaire
    from tests.browser.test_pages import _sign_in

    q = make_questionnaire()
    version = q.current_version()
    response = Response.objects.create(
        activity=q.activity, questionnaire=q, version=version, reference="HYS-ERAS-E001"
    )
    question = Question.objects.get(version=version, key="experience")
    Answer.objects.create(response=response, question=question, text="My words about Dr Patel")
    _sign_in(visitor, make_staff(Role.ADMINISTRATOR))
    visitor.visit(reverse("engagement:list"))
    page = visitor.page
    page.get_by_role("link", name="Erase a response's words on the respondent's request").click()
    visitor.check()
    page.get_by_label("Response reference").fill("hys-eras-e001")
    page.get_by_label("Why are you erasing it?").fill("n/a")
    page.get_by_role("button", name="Erase the response's words").click()
    visitor.check()
    assert page.locator(".nhsuk-error-summary").is_visible()
    page.get_by_label("Why are you erasing it?").fill(
        "Phoned request from the respondent on 3 December 2026, our ref DP-1190."
    )
    page.get_by_role("button", name="Erase the response's words").click()
    visitor.check()
    assert "The words of response HYS-ERAS-E001 are erased" in page.content()
    assert not Answer.objects.filter(response=response, text__contains="Dr Patel").exists()
