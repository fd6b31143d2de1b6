"""Every public and staff page in a real browser, checked with axe-core."""

import pytest
from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD, totp_code
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.roles import Role

PUBLIC = ["public:home", "public:about", "public:accessibility", "public:privacy", "public:cookies"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_page_is_accessible(visitor, name):
    visitor.visit(reverse(name))
    assert visitor.page.locator("h1").count() == 1
    assert (
        visitor.page.title().endswith("Have your say") or "Have your say –" in visitor.page.title()
    )


def test_not_found_page_is_accessible(visitor):
    visitor.visit("/no-such-page/", expect_status=404)
    assert visitor.page.locator("h1").inner_text() == "Page not found"


def test_skip_link_moves_focus_to_main_content(visitor):
    visitor.visit(reverse("public:home"))
    visitor.page.keyboard.press("Tab")
    focused = visitor.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    visitor.page.keyboard.press("Enter")
    assert visitor.page.evaluate("location.hash") == "#maincontent"


def test_public_site_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("public:home"))
    page.get_by_role("link", name="How we involve people").first.click()
    assert page.locator("h1").inner_text() == "How we involve people"
    context.close()


def _sign_in(visitor, user):
    visitor.visit(reverse("account_login"))
    page = visitor.page
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/")
    visitor.check()
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")
    visitor.check()


def test_staff_sign_in_with_two_factor_and_staff_pages(visitor, make_staff):
    admin = make_staff(Role.ADMINISTRATOR)
    audit_record(
        action=Action.USER_ROLE_CHANGED, subject=("accounts.user", 1), after={"role": "analyst"}
    )
    _sign_in(visitor, admin)
    page = visitor.page
    assert page.locator("h1").inner_text() == "Dashboard"
    visitor.visit(reverse("audit:events"))
    page.get_by_label("Action").select_option("user.signed_in")
    page.get_by_role("button", name="Apply filters").click()
    visitor.check()
    assert "1 event." in page.locator("main").inner_text()
    visitor.visit(reverse("mfa_index"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    visitor.check()


def test_sign_in_errors_are_accessible(visitor, make_staff):
    user = make_staff()
    visitor.visit(reverse("account_login"))
    visitor.page.get_by_label("Email").fill(user.email)
    visitor.page.get_by_label("Password").fill("not-the-password")
    visitor.page.get_by_role("button", name="Sign in").click()
    visitor.check()
    assert visitor.page.get_by_role("alert").inner_text().startswith("There is a problem")


def test_two_factor_set_up_page_is_accessible(visitor, make_staff):
    user = make_staff(Role.ANALYST, totp=False)
    visitor.visit(reverse("account_login"))
    visitor.page.get_by_label("Email").fill(user.email)
    visitor.page.get_by_label("Password").fill(PASSWORD)
    visitor.page.get_by_role("button", name="Sign in").click()
    visitor.page.goto(visitor.base_url + reverse("staff:dashboard"))
    # Staff without an app are sent to set one up, after confirming their password.
    visitor.check()
    visitor.page.get_by_label("Password").fill(PASSWORD)
    visitor.page.get_by_role("button").filter(has_text="Confirm").click()
    visitor.page.wait_for_url("**/2fa/totp/activate/")
    visitor.check()
    assert visitor.page.locator("h1").inner_text() == "Set up two-factor authentication"


def test_forbidden_and_reset_pages_are_accessible(visitor, make_member, smtp_server):
    import re

    visitor.visit(reverse("account_reset_password"))
    # A member of the public, signed in the members' way (the staff sign-in refuses them).
    member = make_member()
    visitor.visit(reverse("members:sign_in"))
    visitor.page.get_by_label("Email address").fill(member.email)
    visitor.page.get_by_role("button", name="Email me a sign-in link").click()
    visitor.page.wait_for_url("**/sign-in/check-your-email/")
    body = smtp_server.messages[-1].get_body(preferencelist=("plain",)).get_content()
    visitor.visit(re.search(r"https?://[^/\s]+(/sign-in/link/\S+)", body).group(1))
    visitor.page.get_by_role("button", name="Sign in").click()
    visitor.page.wait_for_url("**/my-account/")
    visitor.visit(reverse("staff:dashboard"), expect_status=403)
