"""The record in a real browser (axe on every page): the audit chain's status and signed
checkpoint, a correction of an opened consultation's document and its public versions,
and a formal consultation closed early with its reason and public notice."""

from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD, staff_member, totp_code
from heard.audit.services import audit_checkpoint
from heard.core.roles import Role
from heard.servicechange.consultations import services
from heard.servicechange.consultations.models import DocumentVersion
from heard.servicechange.consultations.tests.helpers import passing_consultation

REASON = "The capital cost was given as £42,000 instead of £420,000."
CLOSE = "The unit closed after a fire, so responses can no longer shape the decision."


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


def test_correct_close_early_and_see_the_chain_signed(visitor, make_staff):
    lead = make_staff(Role.PROGRAMME_LEAD)
    consultation = services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=passing_consultation()
    )
    _sign_in(visitor, lead)
    page = visitor.page

    # A correction of the opened consultation's document: a reason is required.
    visitor.visit(reverse("consultations:section", args=[consultation.pk, "costs"]))
    page.get_by_label("Costs").fill("£420,000 capital; running costs £150,000 a year lower.")
    page.get_by_label("Why is it being corrected?").fill("n/a")
    page.get_by_role("button", name="Publish the correction").click()
    visitor.check()
    assert "is not a reason" in page.locator("main").inner_text()
    page.get_by_label("Why is it being corrected?").fill(REASON)
    page.get_by_role("button", name="Publish the correction").click()
    page.wait_for_url(f"**/staff/consultations/{consultation.pk}/")
    visitor.check()
    assert DocumentVersion.objects.filter(consultation=consultation).count() == 2

    visitor.visit(reverse("consultations_public:detail", args=[consultation.slug]))
    main = page.locator("main").inner_text()
    assert f"Reason: {REASON}" in main and "£420,000 capital" in main
    page.get_by_role("link", name="See every version of the document").click()
    visitor.check()
    page.get_by_role("link", name="Version 1").click()
    visitor.check()
    assert "Version 1 of the consultation document" in page.locator("h1").inner_text()

    # Close it early, from the activity page: the reason is asked and published.
    visitor.visit(reverse("engagement:detail", args=[consultation.activity_id]))
    page.get_by_label("Why is it closing before").fill(CLOSE)
    page.get_by_role("button", name="Close it now").click()
    visitor.check()
    visitor.visit(reverse("consultations_public:detail", args=[consultation.slug]))
    assert "closed early" in page.locator("#closed-early").inner_text()
    assert CLOSE in page.locator("#closed-early").inner_text()

    # The chain, signed after each of those acts, on the staff audit page.
    audit_checkpoint(reason="command")
    admin = make_staff(Role.ADMINISTRATOR)
    visitor.page.context.clear_cookies()
    _sign_in(visitor, admin)
    visitor.visit(reverse("audit:events"))
    assert "Intact since the last signed checkpoint" in page.locator("main").inner_text()
