"""The API's documentation page and the staff token page in Chromium: Swagger UI runs
from our own files under the content security policy, and asks no outside host."""

from urllib.parse import urlparse

from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD, totp_code
from heard.core.roles import Role


def test_api_docs_render_with_no_outside_request_and_no_csp_violation(visitor):
    page = visitor.page
    hosts: set[str] = set()
    errors: list[str] = []
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(visitor.base_url + "/api/docs")
    assert response is not None and response.status == 200
    # Swagger UI built the page (its script ran) from the schema it fetched.
    page.locator(".swagger-ui .info .title").filter(has_text="Heard API").wait_for()
    page.get_by_text("/api/public/activities", exact=True).first.wait_for()
    assert hosts == {urlparse(visitor.base_url).netloc}, hosts
    assert not visitor.csp_violations, visitor.csp_violations
    assert not errors, errors


def test_token_page_make_and_revoke(visitor, make_staff):
    user = make_staff(Role.ANALYST)
    page = visitor.page
    visitor.visit(reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")

    assert page.locator('a[href="/staff/api-tokens/"]').count() == 1  # in the staff menu
    visitor.visit(reverse("api_tokens:list"))
    page.get_by_role("button", name="Make token").click()
    visitor.check()  # the error summary
    assert page.get_by_text("Enter what the token is for").first.is_visible()
    page.get_by_label("What is the token for?").fill("Monthly report")
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Make token").click()
    visitor.check()
    secret = page.locator("#api-token").inner_text()
    assert secret.startswith("heard_")
    page.get_by_role("link", name="Back to your API tokens").click()
    visitor.check()
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke Monthly report").click()
    visitor.check()
    assert page.get_by_text("Revoked", exact=True).is_visible()
