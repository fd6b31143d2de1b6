"""The remaining account pages in a real browser: sign-out and password reset by email."""

import re

from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD, totp_code


def test_password_reset_journey_is_accessible(visitor, make_staff, smtp_server):
    user = make_staff()
    page = visitor.page
    visitor.visit(reverse("account_login"))
    page.get_by_role("link", name="I have forgotten my password").click()
    visitor.check()
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button").filter(has_text="Reset").click()
    page.wait_for_url("**/password/reset/done/")
    visitor.check()

    body = smtp_server.messages[-1].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", body).group(1)
    visitor.visit(link)
    page.get_by_label("New Password", exact=True).fill("a-brand-new-passphrase-2026")
    page.get_by_label("New Password (again)").fill("a-brand-new-passphrase-2026")
    page.get_by_role("button").filter(has_text="Change").click()
    page.wait_for_url("**/password/reset/key/done/")
    visitor.check()
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase-2026")
    assert not user.check_password(PASSWORD)


def test_sign_out_confirmation_page_is_accessible(visitor, make_staff):
    # (A member of the public can no longer sign in here: staff only.)
    user = make_staff()
    page = visitor.page
    visitor.visit(reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")
    visitor.visit(reverse("account_logout"))
    visitor.page.get_by_role("button", name="Sign Out", exact=True).click()
    visitor.check()
