"""Each role's staff home shows the work it owes, from the demo organisation, axe clean
on desktop and phone widths."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from heard.accounts.models import User
from heard.accounts.tests.factories import totp_code
from heard.demo.management.commands.demo_load import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS

# What each demo account must find on its home (the demo's own data).
EXPECTED = {
    "officer@demo.heard.example": [
        "Feedback owed to people",
        "closed without “you said, we did”",
        "Cancer care experience survey",
        "Invitations not yet answered",
        "Digital inclusion drop-in",
    ],
    "analyst@demo.heard.example": [
        "Answers to review",
        "Why do you say that?",
        "Themes not yet confirmed",
    ],
    "lead@demo.heard.example": [
        "Proposals you lead",
        "Moving the Wymford blood-test clinic",
        "There is no engagement plan yet",
    ],
    "board@demo.heard.example": [
        "Outcome reports awaiting a decision",
        "Decisions recorded",
        "Moving the Eastbrook minor injuries unit",
    ],
    "scrutiny@demo.heard.example": [
        "Shared with overview and scrutiny committees",
        "Moving the Eastbrook minor injuries unit",
        "Comments due:",
    ],
}


@pytest.fixture
def demo(transactional_db, settings):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")
    settings.DEBUG = True
    call_command("demo_load", "--quiet")
    settings.DEBUG = False


def _sign_in(visitor, user):
    page = visitor.page
    visitor.visit(reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")


def test_each_role_home_shows_its_owed_work_from_the_demo(visitor, demo):
    page = visitor.page
    for email, expected in EXPECTED.items():
        user = User.objects.get(email=email)
        _sign_in(visitor, user)
        visitor.check()
        main = page.locator("main").inner_text()
        assert "Work for you now" in main, email
        for text in expected:
            assert text in main, f"{email}: {text!r} not on the home"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = email.split("@")[0]
        page.screenshot(path=str(ARTIFACTS / f"home-{name}-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.reload()  # laid out afresh at phone width, as a phone shows it
        visitor.check()
        page.screenshot(path=str(ARTIFACTS / f"home-{name}-phone.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/")
