"""Involvement end to end: create an opportunity, draw a representative sample, invite,
and the member accepts from the email the SMTP server received. axe on every page."""

import re

from django.urls import reverse

from heard.core.roles import Role
from heard.involvement.models import Invitation, Opportunity
from heard.involvement.tests.factories import member_with
from tests.browser.conftest import fill_nhs_date
from tests.browser.test_pages import _sign_in


def _members() -> None:
    for i in range(24):
        member_with(
            age_band="45_54" if i % 3 else "65_74",
            sex="female" if i % 2 else "male",
            ethnic_group="white_british",
            locality="Norwich",
        )
    member_with(age_band="25_34", sex="female", ethnic_group="black_african", locality="Norwich")


def test_sample_invite_and_accept_from_the_email(visitor, make_staff, smtp_server, settings):
    _members()
    officer = make_staff(Role.ADMINISTRATOR)
    _sign_in(visitor, officer)
    page = visitor.page

    visitor.visit(reverse("involvement:opportunities"))
    page.get_by_role("link", name="Create an opportunity").click()
    visitor.check()
    page.get_by_role("button", name="Create opportunity").click()  # empty: errors
    visitor.check()
    assert page.locator(".nhsuk-error-summary").is_visible()
    page.get_by_label("Title").fill("Maternity co-design workshop")
    page.get_by_label("Summary").fill("Help us redesign antenatal classes.")
    fill_nhs_date(page, "Starts", 14, 3, 2027, "6:30pm")
    page.get_by_label("Time asked").fill("2 hours, once")
    page.get_by_label("How many people we need").fill("8")
    page.get_by_role("button", name="Create opportunity").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Maternity co-design workshop"
    page.get_by_role("button", name="Open for invitations").click()
    visitor.check()
    assert Opportunity.objects.get().status == "open"

    page.get_by_role("link", name="Draw a representative sample").click()
    visitor.check()
    page.get_by_label("Sample size").fill("60")
    page.get_by_label("Ethnic group (broad)").check()
    page.get_by_role("button", name="Draw the sample").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Representative sample"
    assert "Target and achieved, by group" in page.locator("main").inner_text()
    shortfalls = page.locator("#shortfalls").inner_text()
    assert "White: wanted 57, only 24 in the pool" in shortfalls
    page.get_by_role("button", name=re.compile(r"Send invitations to the 25 people")).click()
    visitor.check()
    assert "25 invitations sent." in page.locator("main").inner_text()

    assert len(smtp_server.messages) == 25
    message = smtp_server.messages[0]
    body = message.get_body(preferencelist=("plain",)).get_content()
    accept = re.search(r"http\S+/invitations/accept/\S+/", body).group(0)
    invitation = Invitation.objects.get(member__email=message["To"])

    member_page = visitor.page.context.browser.new_context().new_page()
    from tests.browser.conftest import Visitor

    member = Visitor(member_page, visitor.base_url)
    member_page.goto(accept)
    member.check()
    assert member_page.locator("h1").inner_text() == "Maternity co-design workshop"
    member_page.get_by_role("button", name="Yes, I would like to take part").click()
    member.check()
    assert "You have accepted" in member_page.locator("h1").inner_text()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED

    page.reload()
    visitor.check()
    assert page.locator("#count-accepted").inner_text() == "1"

    visitor.visit(reverse("involvement:reach"))
    assert page.locator("svg.heard-chart[role=img]").count() == 4
    visitor.visit(reverse("involvement:participation"))
    visitor.visit(reverse("involvement:retention"))
    page.get_by_label("Dry run: count only, change nothing").check()
    page.get_by_role("button", name="Run now").click()
    visitor.check()
    assert "Dry run (counts only)" in page.locator("main").inner_text()
    visitor.visit(reverse("involvement:populations"))


def test_broken_invitation_link_page_is_accessible(visitor):
    visitor.visit(reverse("invitations:accept", kwargs={"token": "not-a-token"}), expect_status=404)
    assert visitor.page.locator("h1").inner_text() == "This link does not work"


def test_invite_by_criteria_and_edit_pages_are_accessible(visitor, make_staff):
    from heard.involvement.tests.factories import OpportunityFactory

    _members()
    opportunity = OpportunityFactory(title="Digital inclusion drop-in")
    _sign_in(visitor, make_staff(Role.ENGAGEMENT_OFFICER))
    page = visitor.page
    visitor.visit(reverse("involvement:invite", kwargs={"pk": opportunity.pk}))
    page.get_by_label("Norwich").check()
    page.get_by_role("button", name="Count who matches").click()
    visitor.check()
    assert "25 members match" in page.locator("#preview").inner_text()
    visitor.visit(reverse("involvement:opportunity_edit", kwargs={"pk": opportunity.pk}))
    page.get_by_label("How many people we need").fill("0")
    page.get_by_role("button", name="Save changes").click()
    visitor.check()
    assert "Enter at least 1 person" in page.locator(".nhsuk-error-summary").inner_text()
    visitor.visit(reverse("involvement:sample_new", kwargs={"pk": opportunity.pk}))
    page.get_by_label("Sex and age band together").check()
    page.get_by_label("Sex", exact=True).check()
    page.get_by_role("button", name="Draw the sample").click()
    visitor.check()
    assert "not both" in page.locator(".nhsuk-error-summary").inner_text()


def test_every_answer_page_is_accessible(visitor):
    from datetime import timedelta

    from django.utils import timezone

    from heard.involvement.links import invitation_token
    from heard.involvement.tests.factories import InvitationFactory

    old = InvitationFactory(sent_at=timezone.now() - timedelta(days=40))
    visitor.visit(
        reverse("invitations:accept", kwargs={"token": invitation_token(old, "accept")}),
        expect_status=410,
    )
    assert visitor.page.locator("h1").inner_text() == "This link has expired"

    invitation = InvitationFactory()
    visitor.visit(
        reverse("invitations:decline", kwargs={"token": invitation_token(invitation, "decline")})
    )
    visitor.page.get_by_role("button", name="No, I cannot take part this time").click()
    visitor.check()
    assert visitor.page.locator("h1").inner_text() == "You have declined"
    Opportunity.objects.filter(pk=invitation.opportunity_id).update(status="closed")
    visitor.visit(
        reverse("invitations:accept", kwargs={"token": invitation_token(invitation, "accept")})
    )
    assert visitor.page.locator("h1").inner_text() == "This invitation cannot be answered"


def test_population_and_retention_errors_are_accessible(visitor, make_staff, tmp_path):
    _sign_in(visitor, make_staff(Role.ADMINISTRATOR))
    page = visitor.page
    visitor.visit(reverse("involvement:populations"))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    page.get_by_label("Name").fill("Broken")
    page.get_by_label("Population file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload population").click()
    visitor.check()
    assert "missing: category" in page.locator(".nhsuk-error-summary").inner_text()
    visitor.visit(reverse("involvement:retention"))
    page.get_by_label("Erase members after this many days without activity").fill("100")
    page.get_by_role("button", name="Save rules").click()
    visitor.check()
    assert "Erase after must be longer" in page.locator(".nhsuk-error-summary").inner_text()
