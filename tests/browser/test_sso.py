"""Staff single sign-on in a real browser: the sign-in page's button takes Chromium to an
OpenID Connect provider (running on this machine) and back, the content security policy
lets it through, and Heard's own code is asked for before the staff area opens."""

import copy

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from heard.accounts.tests.factories import totp_code
from heard.accounts.tests.test_sso import idp  # noqa: F401 (the identity provider fixture)
from heard.core.roles import Role


def test_sign_in_with_the_organisations_account(visitor, make_staff, idp):  # noqa: F811
    user = make_staff(Role.ENGAGEMENT_OFFICER, email="officer@nhs.net")
    idp.claims = {"sub": "entra-object-id-7", "email": "officer@nhs.net"}
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], idp.url]
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        visitor.visit(reverse("account_login"))
        page = visitor.page
        page.get_by_role("button", name="Sign in with NHSmail").click()
        page.wait_for_url("**/account/2fa/authenticate/")
        visitor.check()
        page.get_by_label("Code").fill(totp_code(user))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/staff/")
        visitor.check()
        assert page.locator("h1").inner_text() == "Dashboard"
