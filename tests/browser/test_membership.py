"""A member's whole journey in a real browser, axe-core checked on every page:
join → confirm by email → my account → change details → equality → download → unsubscribe
→ delete; and passwordless sign-in by an emailed link."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.people.models import EqualityMonitoring, Member
from heard.people.tests.membership_helpers import default_topics


@pytest.fixture
def topics(db):
    return default_topics()


def _link(smtp_server, prefix: str) -> str:
    body = smtp_server.messages[-1].get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", body)
    assert match, body
    return match.group(1)


def _join(visitor, smtp_server, email="robin@example.org"):
    page = visitor.page
    visitor.visit(reverse("members:join"))
    assert page.locator("h1").inner_text() == "Join our membership scheme"
    assert page.get_by_role("link", name="privacy notice").count() >= 1

    # Nothing filled in: every problem is listed, accessibly.
    page.get_by_role("button", name="Join").click()
    visitor.check()
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert page.title().startswith("Error: ")

    page.get_by_label("Full name").fill("Robin Member")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Postcode").fill("NOT A POSTCODE")
    page.get_by_label("Mental health").check()
    page.get_by_label(re.compile("I want to join")).check()
    page.get_by_role("button", name="Join").click()
    visitor.check()
    assert "Enter a real UK postcode" in page.get_by_role("alert").inner_text()
    # Nothing lost: what was typed is still there.
    assert page.get_by_label("Full name").input_value() == "Robin Member"
    assert page.get_by_label("Mental health").is_checked()

    page.get_by_label("Postcode").fill("nr1 3sr")
    page.get_by_label(re.compile("I want to join")).check()
    page.get_by_role("button", name="Join").click()
    page.wait_for_url("**/join/check-your-email/")
    visitor.check()
    assert page.locator("h1").inner_text() == "Check your email"
    return _link(smtp_server, "/join/confirm/")


def test_member_journey_join_verify_profile_equality_download_delete(visitor, smtp_server, topics):
    page = visitor.page
    confirm = _join(visitor, smtp_server)

    visitor.visit(confirm)
    page.get_by_role("button", name="Confirm and join").click()
    page.wait_for_url("**/my-account/")
    assert page.locator("h1").inner_text() == "Your membership account"
    assert "Robin Member" in page.locator("main").inner_text()
    assert "NR1 3SR" in page.locator("main").inner_text()
    assert "Mental health" in page.locator("main").inner_text()

    # Change details.
    page.get_by_role("button", name="Change your details").click()
    page.wait_for_url("**/my-account/details/")
    visitor.check()
    page.get_by_label("Full name").fill("Robin Changed")
    assert page.get_by_label("Mental health").is_checked(), page.content()
    page.get_by_label("Maternity").check()
    page.get_by_role("button", name="Save your details").click()
    page.wait_for_url("**/my-account/")
    visitor.check()
    assert "Your details have been saved." in page.locator("main").inner_text()
    assert "Robin Changed" in page.locator("main").inner_text()

    # Change of email address: the form, with an error, then the link to the new one.
    page.get_by_role("link", name="Change your email address").click()
    page.wait_for_url("**/my-account/email/")
    visitor.check()
    page.get_by_label("New email address").fill("ROBIN@example.org")
    page.get_by_role("button", name="Send a link to my new address").click()
    visitor.check()
    assert "This is already your email address" in page.get_by_role("alert").inner_text()
    page.get_by_label("New email address").fill("robin.new@example.org")
    page.get_by_role("button", name="Send a link to my new address").click()
    page.wait_for_url("**/my-account/")
    visitor.visit(_link(smtp_server, "/my-account/email/confirm/"))
    page.get_by_role("button", name="Use this email address").click()
    page.wait_for_url("**/my-account/")
    assert "robin.new@example.org" in page.locator("main").inner_text()

    # Equality monitoring.
    page.get_by_role("link", name="Answer the equality monitoring questions").click()
    page.wait_for_url("**/my-account/equality/")
    visitor.check()
    page.get_by_label("35 to 44").check()
    page.get_by_label("White: Irish").check()
    page.get_by_role("button", name="Save your answers").click()
    page.wait_for_url("**/my-account/")
    visitor.check()
    assert "You have answered 2 of 10 questions." in page.locator("main").inner_text()
    member = Member.objects.get(email="robin.new@example.org")
    assert EqualityMonitoring.objects.get(member=member).age_band == "35_44"

    # Download my data.
    page.get_by_role("link", name="Download your data").click()
    page.wait_for_url("**/my-account/download/")
    visitor.check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("my-data-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["member"]["full_name"] == "Robin Changed"
    assert {i["name"] for i in data["interests"]} == {"Mental health", "Maternity"}
    assert data["equality_monitoring"]["ethnic_group"]["answer"] == "White: Irish"
    assert data["consents"][0]["wording"].startswith("I want to join")

    # Unsubscribe by the link in the email, without signing in.
    visitor.visit(_link(smtp_server, "/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "You have unsubscribed"
    member.refresh_from_db()
    assert not member.contact_by_email

    # Delete the account.
    visitor.visit(reverse("members:delete"))
    assert "This cannot be undone" in page.locator("main").inner_text()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url("**/my-account/deleted/")
    visitor.check()
    assert page.locator("h1").inner_text() == "Your account has been deleted"
    member.refresh_from_db()
    assert member.status == Member.Status.ERASED and member.email == ""
    assert AuditEvent.objects.filter(action=Action.MEMBER_ERASED).count() == 1
    visitor.visit(reverse("members:account"))  # signed out: the sign-in page
    assert page.locator("h1").inner_text() == "Sign in to your membership account"


def test_member_signs_in_with_an_emailed_link_and_bad_links_explain_themselves(
    visitor, smtp_server, topics
):
    page = visitor.page
    visitor.visit(_join(visitor, smtp_server))
    page.get_by_role("button", name="Confirm and join").click()
    page.wait_for_url("**/my-account/")
    page.locator("#maincontent").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")

    visitor.visit(reverse("members:sign_in"))
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/sign-in/check-your-email/")
    visitor.check()
    page.get_by_label("Code from the email").fill("12")
    page.get_by_role("button", name="Sign in with the code").click()
    visitor.check()
    assert "Enter the 6-digit code" in page.get_by_role("alert").inner_text()
    link = _link(smtp_server, "/sign-in/link/")
    visitor.visit(link)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/my-account/")
    visitor.check()

    # Used once: the same link now explains itself and offers a new one.
    page.locator("#maincontent").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    visitor.visit(link, expect_status=400)
    assert page.locator("h1").inner_text() == "This link has expired or is not valid"
    page.get_by_role("button", name="Get a new sign-in link").click()
    page.wait_for_url("**/sign-in/")
    visitor.check()


def test_joining_works_without_javascript(browser, live_server, smtp_server, topics):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("members:join"))
    page.get_by_label("Full name").fill("Jo Nojs")
    page.get_by_label("Email address").fill("jo@example.org")
    page.get_by_label("Postcode").fill("NR1 3SR")
    page.get_by_label("Mental health").check()
    page.get_by_label("Maternity").check()
    page.get_by_label(re.compile("I want to join")).check()
    page.get_by_role("button", name="Join").click()
    page.wait_for_url("**/join/check-your-email/")
    page.goto(live_server.url + _link(smtp_server, "/join/confirm/"))
    page.get_by_role("button", name="Confirm and join").click()
    page.wait_for_url("**/my-account/")
    assert "Mental health" in page.locator("main").inner_text()
    assert "Maternity" in page.locator("main").inner_text()
    context.close()
