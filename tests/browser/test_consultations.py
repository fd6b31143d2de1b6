"""A formal consultation in a real browser: the Gunning panel blocks the opening for each
failing reason in turn, then every check passes and it opens; axe on every page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import PASSWORD, totp_code
from heard.core.roles import Role
from heard.servicechange.assessment.tests.helpers import pass_stage2
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.consultations.tests.helpers import ready_proposal
from heard.servicechange.proposals.models import Proposal
from tests.browser.conftest import fill_nhs_date, htmx_settled


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


def _when(page, label: str, moment) -> None:
    """Type ``moment`` into the NHS date input labelled ``label`` (day, month, year, time)."""
    local = timezone.localtime(moment)
    fill_nhs_date(page, label, local.day, local.month, local.year, local.strftime("%H:%M"))


def _panel(page) -> str:
    return page.locator("#gunning-panel").inner_text()


def _check(page, key: str) -> str:
    return page.locator(f"#check-{key}").inner_text()


def _try_to_open(visitor, expect_blocked_by: str) -> None:
    page = visitor.page
    page.get_by_role("button", name="Open the consultation").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "The consultation cannot open yet" in main
    assert expect_blocked_by in main
    assert Consultation.objects.get().activity.status == "draft"


def _write_to_the_committee(visitor, consultation) -> None:
    """Record the council, then send the first reg. 23 letter from the scrutiny page."""
    page = visitor.page
    visitor.visit(reverse("consultations:osc", kwargs={"pk": consultation.pk}))
    visitor.check()
    page.get_by_label("Council", exact=True).fill("Norfolk County Council")
    page.get_by_label("Overview and scrutiny committee").fill(
        "Health Overview and Scrutiny Committee"
    )
    page.get_by_label("Contact email address").fill("hosc@norfolk.example.gov.uk")
    page.get_by_role("button", name="Add the council").click()
    visitor.check()
    consultation.refresh_from_db()
    closes = timezone.localtime(consultation.activity.closes_at).date()
    # The hurried officer: a comments date already past is refused, with the reason.
    past = timezone.localdate() - timedelta(days=1)
    fill_nhs_date(
        page, "Date by which the committee's comments are wanted", past.day, past.month, past.year
    )
    decide = closes + timedelta(weeks=4)
    fill_nhs_date(page, "Proposed decision date", decide.day, decide.month, decide.year)
    page.get_by_role("button", name="Send the first letter").click()
    visitor.check()  # the error summary
    assert "must be after today" in page.locator("main").inner_text()
    due = closes + timedelta(weeks=2)
    fill_nhs_date(
        page, "Date by which the committee's comments are wanted", due.day, due.month, due.year
    )
    page.get_by_role("button", name="Send the first letter").click()
    visitor.check()
    assert (
        "The first letter has been sent to 1 council contact" in page.locator("main").inner_text()
    )


def test_gunning_panel_blocks_each_failing_reason_then_opens(visitor, make_staff):
    lead = make_staff(Role.PROGRAMME_LEAD)
    proposal = ready_proposal("Relocate the Eastham minor injuries unit", stage2=False)
    _sign_in(visitor, lead)
    page = visitor.page

    visitor.visit(reverse("consultations:create", kwargs={"proposal_pk": proposal.pk}))
    page.get_by_role("button", name="Create the formal consultation").click()
    visitor.check()
    consultation = Consultation.objects.get()
    detail = reverse("consultations:detail", kwargs={"pk": consultation.pk})
    assert "Fail" in _check(page, "sufficient_reasons")
    assert "Fail" in _check(page, "adequate_time")
    assert "Fail" in _check(page, "assurance")
    assert "Pass" in _check(page, "formative")

    # 1. Sufficient reasons: the document is not published; publishing is refused while
    # sections are empty, then the missing sections are written and it is published.
    _try_to_open(visitor, "Sufficient reasons")
    page.get_by_role("button", name="Publish the document").click()
    visitor.check()
    assert "Write every section before publishing" in page.locator("main").inner_text()
    for label, text in (
        ("costs", "About £2.1 million to refit the health centre, saving £300,000 a year."),
        ("alternatives", "A new unit was set aside: no site is available within five years."),
    ):
        page.get_by_role("link", name=f"Edit {dict(COSTS_LABELS)[label]}").click()
        visitor.check()
        page.locator("textarea").fill(text)
        page.get_by_role("button", name="Save the section").click()
        visitor.check()
    page.get_by_role("button", name="Publish the document").click()
    visitor.check()
    assert "The consultation document has been published." in page.locator("main").inner_text()
    assert "Pass" in _check(page, "sufficient_reasons")

    # 2. Adequate time: six weeks with no justification.
    now = timezone.now()
    page.get_by_role("link", name="Change the consultation period").click()
    visitor.check()
    _when(page, "Opens", now - timedelta(minutes=1))
    _when(page, "Closes", now + timedelta(weeks=6))
    page.get_by_role("group", name="Closes").get_by_label("Time").dispatch_event("change")
    # the panel beside the form previews the unsaved dates (htmx), then they are saved
    page.locator("#check-adequate_time").get_by_text("shorter than 12 weeks").wait_for()
    assert "Preview with the dates" in _panel(page)
    visitor.check()
    # No preview still on its way when the form is sent (the test database, in memory and
    # shared between threads, refuses a write while another thread reads the same table).
    htmx_settled(page)
    page.get_by_role("button", name="Save the period").click()
    visitor.check()
    assert "shorter than 12 weeks" in _check(page, "adequate_time")
    _try_to_open(visitor, "Adequate time")

    # 3. Assurance stage 2 has not passed.
    page.get_by_role("link", name="Change the consultation period").click()
    visitor.check()
    _when(page, "Closes", now + timedelta(weeks=13))
    page.get_by_role("button", name="Save the period").click()
    visitor.check()
    assert "Fail" not in _check(page, "adequate_time")
    _try_to_open(visitor, "Assurance stage 2")
    pass_stage2(proposal)

    # 4. Formative stage: a proposal already decided cannot be consulted on.
    # The panel says so, and the stage table refuses the opening before the guard runs
    # (a 409 page with the reason; nothing changes).
    Proposal.objects.filter(pk=proposal.pk).update(status="decided")
    visitor.visit(detail)
    assert "Fail" in _check(page, "formative")
    page.get_by_role("button", name="Open the consultation").click()
    visitor.check()
    refused = page.locator("main").inner_text()
    assert "This cannot be done at this stage" in refused
    assert "you cannot prepare or open the consultation" in refused
    assert Consultation.objects.get().activity.status == "draft"
    Proposal.objects.filter(pk=proposal.pk).update(status="assurance")

    # 5. The Consultation Institute's checkpoints: the scope agreed and the document
    # reviewed, by someone who did not draft it (the lead published it: refused).
    visitor.visit(detail)
    assert "Fail" in _check(page, "scope") and "Fail" in _check(page, "documents")
    _try_to_open(visitor, "Scope agreed")
    page.get_by_role("link", name="Agree the scope").click()
    visitor.check()
    page.get_by_label("What was agreed or checked").fill("n/a")
    page.get_by_role("button", name="Sign it off").click()
    visitor.check()  # the error summary: a placeholder is not a note
    page.get_by_label("What was agreed or checked").fill(
        "Open to change: where the unit goes and its hours. Not open: the budget. Reach "
        "people without a car."
    )
    page.get_by_role("button", name="Sign it off").click()
    visitor.check()
    assert "Pass" in _check(page, "scope")
    page.get_by_role("link", name="Sign off the review of version 1 of the document").click()
    visitor.check()
    page.get_by_label("What was agreed or checked").fill(
        "Checked every section against the appraisal and the EqIA."
    )
    page.get_by_role("button", name="Sign it off").click()
    visitor.check()
    assert "did not draft or publish" in page.locator("main").inner_text()
    from heard.servicechange.consultations.services import documents_review

    documents_review(
        actor=make_staff(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        note="Checked every section against the appraisal and the EqIA.",
    )

    # 5. Overview and scrutiny (reg. 23): no council, then no first letter.
    visitor.visit(detail)
    assert "Fail" in _check(page, "scrutiny")
    _try_to_open(visitor, "No council is recorded")
    _write_to_the_committee(visitor, consultation)
    visitor.visit(detail)
    assert "Pass" in _check(page, "scrutiny")

    # Every check passes: it opens, and the proposal moves to formal consultation.
    assert "Pass" in _check(page, "documents")
    assert "No check fails" in _panel(page)
    page.get_by_role("button", name="Open the consultation").click()
    visitor.check()
    assert "The consultation is open." in page.locator("main").inner_text()
    consultation.refresh_from_db()
    assert consultation.activity.status == "open"
    proposal.refresh_from_db()
    assert proposal.status == "formal_consultation"

    # The public page: the document, the dates and how to respond.
    page.get_by_role("link", name="See the public page").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "About £2.1 million" in main
    # an NHS.UK button link (role="button"), into the engagement respond flow
    assert page.get_by_role("button", name="Respond to the consultation").is_visible()


COSTS_LABELS = [("costs", "costs"), ("alternatives", "alternatives set aside and why")]


def test_scrutiny_telling_people_and_mid_point_review(visitor, make_staff, make_member):
    from heard.people.models import Consent, Group
    from heard.servicechange.consultations.tests.helpers import passing_consultation

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation()
    Group.objects.create(
        name="Healthwatch Norfolk", kind="organisation", email="hello@healthwatch.example"
    )
    member = make_member(email="resident@example.com").member
    Consent.objects.create(member=member, purpose=Consent.Purpose.CONTACT, wording="Yes.")
    from heard.servicechange.proposals.models import Proposal as P

    P.objects.filter(pk=consultation.proposal_id).update(localities=["Norwich"])
    _sign_in(visitor, officer)
    page = visitor.page

    # Overview and scrutiny: the first letter went to the county council (the helper);
    # a second council added is sent the same letter, after a joint committee is named.
    visitor.visit(reverse("consultations:osc", kwargs={"pk": consultation.pk}))
    page.get_by_label("Council", exact=True).fill("Suffolk County Council")
    page.get_by_label("Overview and scrutiny committee").fill("Health Scrutiny Committee")
    page.get_by_label("Contact email address").fill("scrutiny@suffolk.example.gov.uk")
    page.get_by_role("button", name="Add the council").click()
    visitor.check()
    page.get_by_role("button", name="Send the first letter").click()
    visitor.check()  # the error summary: a joint committee is needed
    assert "record the joint committee" in page.locator("main").inner_text()
    page.get_by_label("Joint committee (where several councils are consulted)").fill(
        "Norfolk and Suffolk Joint Health Scrutiny Committee"
    )
    page.get_by_role("button", name="Save and send the change").click()
    visitor.check()
    assert "Saved." in page.locator("main").inner_text()  # no date changed: nothing sent
    page.get_by_role("button", name="Send the first letter").click()
    visitor.check()
    assert "sent to 1 council contact" in page.locator("main").inner_text()
    # A change of the proposed decision date is sent to both, from what to what.
    told = consultation.scrutiny_letters.first()
    decide = told.proposed_decision_on + timedelta(days=14)
    fill_nhs_date(page, "Proposed decision date", decide.day, decide.month, decide.year)
    page.get_by_label("Why the dates are changing").fill(
        "The board meeting in public moved two weeks later."
    )
    page.get_by_role("button", name="Save and send the change").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "2 council contacts sent the change of dates" in main
    assert "The proposed decision date changed from" in main
    # The committee's response, recorded.
    today = timezone.localdate()
    fill_nhs_date(
        page, "Date the committee's response was received", today.day, today.month, today.year
    )
    page.get_by_label("Agrees with the proposal").check()
    page.get_by_label("What the committee said").fill(
        "The joint committee supports the proposal, provided the shuttle bus runs."
    )
    page.get_by_role("button", name="Record the response").click()
    visitor.check()
    assert "The committee's response has been recorded." in page.locator("main").inner_text()

    # Telling people: one group and the one interested member who agreed to contact.
    visitor.visit(reverse("consultations:tell", kwargs={"pk": consultation.pk}))
    assert "1 member is interested" in page.locator("main").inner_text()
    page.get_by_label("Healthwatch Norfolk (hello@healthwatch.example)").check()
    page.get_by_label("Also email members interested").check()
    page.get_by_role("button", name="Send the emails").click()
    visitor.check()
    assert "2 of 2" in page.locator("main").inner_text()

    # Mid-point review, made while the consultation runs (the stage table allows it only
    # then): the charts with data tables, then the action recorded.
    from heard.servicechange.consultations.services import consultation_open

    consultation = consultation_open(actor=officer, consultation=consultation)
    visitor.visit(reverse("consultations:midpoint", kwargs={"pk": consultation.pk}))
    page.get_by_role("button", name="Record the review").click()
    visitor.check()  # error summary
    page.get_by_label("What we are doing about it").fill(
        "Two extra drop-in sessions in Great Yarmouth for younger people."
    )
    page.get_by_role("button", name="Record the review").click()
    visitor.check()
    assert "Two extra drop-in sessions" in page.locator("main").inner_text()
