"""Staff forms on the NHS.UK patterns, in a real browser: submitted empty, the error
summary names every field and its links move to the field; the NHS date input; a date
in 2020 refused with a clear message. Axe clean throughout."""

from django.urls import reverse

from heard.core.roles import Role
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_pages import _sign_in


def _summary(page) -> list[str]:
    return [
        t.strip()
        for t in page.locator(".nhsuk-error-summary__list li").all_inner_texts()
        if t.strip()
    ]


def test_activity_form_submitted_empty_names_every_field(visitor, make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    _sign_in(visitor, officer)
    page = visitor.page
    visitor.visit(reverse("engagement:create"))
    assert page.locator("input[type=datetime-local]").count() == 0
    assert page.get_by_role("group", name="Opening date and time").count() == 1
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert _summary(page) == [
        "Enter the title",
        "Enter the summary",
        "Select the level on the spectrum of engagement",
        "Select the type of activity",
    ]
    assert "This field is required." not in page.locator("main").inner_text()
    page.get_by_role("link", name="Select the type of activity").click()
    assert page.evaluate("document.activeElement.name") == "kind"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "form-activity-empty-desktop.png"), full_page=True)

    # An activity opening and closing in 2020: the year is caught, clearly.
    page.get_by_label("Title").fill("Stroke rehabilitation survey")
    page.get_by_label("Summary").fill("Tell us about stroke rehabilitation.")
    page.get_by_label("Consult", exact=True).check()
    page.get_by_label("Survey", exact=True).check()
    opens = page.get_by_role("group", name="Opening date and time")
    closes = page.get_by_role("group", name="Closing date and time")
    for group, (day, month, year, at) in (
        (opens, ("1", "3", "2020", "9am")),
        (closes, ("30", "4", "2020", "5pm")),
    ):
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
        group.get_by_label("Time").fill(at)
    page.get_by_role("button", name="Save").click()
    visitor.check()
    summary = _summary(page)
    assert len(summary) == 1
    assert summary[0].startswith("Closing date and time is in the past – check the date")
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    page.screenshot(path=str(ARTIFACTS / "form-activity-2020-phone.png"), full_page=True)


def test_invite_a_staff_member_submitted_empty_names_every_field(visitor, make_staff):
    admin = make_staff(Role.ADMINISTRATOR)
    _sign_in(visitor, admin)
    page = visitor.page
    visitor.visit(reverse("users:invite"))
    assert "---------" not in page.locator("main").inner_text()
    assert page.locator("input[name=role]:checked").count() == 0
    page.get_by_role("button", name="Send invitation").click()
    visitor.check()
    assert _summary(page) == [
        "Enter the full name",
        "Enter the work email address",
        "Choose a role",
    ]
