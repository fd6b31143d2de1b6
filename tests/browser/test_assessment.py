"""Options appraisal, significance and assurance in a real browser (axe on every page)."""

from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import PASSWORD, totp_code
from heard.core.roles import Role
from heard.servicechange.assessment import selectors
from heard.servicechange.assessment.tests.helpers import PDF, make_proposal
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from tests.browser.conftest import fill_nhs_date

SCORES = {
    "Clinicians": [[1, 3, 4], [5, 3, 3], [4, 4, 1]],
    "Public reference group": [[2, 4, 4], [4, 3, 3], [4, 5, 1]],
}
OPTIONS = ["Do nothing", "Move to the health centre", "Open a new unit"]
CRITERIA = [("Quality of care", "50"), ("Access", "30"), ("Cost", "12")]


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


def test_appraisal_significance_and_assurance(visitor, make_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    _sign_in(visitor, lead)
    page = visitor.page
    main = page.locator("main")

    # Options, one of them doing nothing
    visitor.visit(reverse("assessment:options", kwargs={"pk": proposal.pk}))
    for title in OPTIONS:
        page.get_by_role("link", name="Add an option").click()
        visitor.check()
        page.get_by_label("Option", exact=True).fill(title)
        if title == "Do nothing":
            page.get_by_label("This is the “do nothing” option").check()
        page.get_by_role("button", name="Save").click()
        visitor.check()
    assert "No “do nothing” option" not in main.inner_text()

    # Criteria and weights, agreed with stakeholders
    page.get_by_role("link", name="Next: criteria and weights").click()
    for name, weight in CRITERIA:
        page.get_by_role("link", name="Add a criterion").click()
        visitor.check()
        page.get_by_label("Criterion", exact=True).fill(name)
        page.get_by_label("Weight").fill(weight)
        page.get_by_role("button", name="Save").click()
        visitor.check()
    page.get_by_role("link", name="Record who agreed the criteria and weights").click()
    visitor.check()
    page.get_by_label("Who agreed the criteria and weights").fill("Joint workshop of both panels")
    fill_nhs_date(page, "Date agreed", 3, 2, 2026)
    page.get_by_role("button", name="Save").click()
    visitor.check()

    # Two panels score every option on every criterion
    page.get_by_role("link", name="Next: panels and scores").click()
    for panel, grid in SCORES.items():
        page.get_by_role("link", name="Add a panel").click()
        page.get_by_label("Panel name").fill(panel)
        page.get_by_role("button", name="Save").click()
        visitor.check()
        page.get_by_role("link", name=f"Enter scores for {panel}").click()
        visitor.check()
        # a score out of range first: the error is shown and nothing is saved
        page.get_by_label("Do nothing: score for Quality of care").fill("9")
        page.get_by_role("button", name="Save the scores").click()
        visitor.check()
        assert "the highest score is 5" in main.inner_text()
        for i, option in enumerate(OPTIONS):
            for j, (criterion, _) in enumerate(CRITERIA):
                page.get_by_label(f"{option}: score for {criterion}").fill(str(grid[i][j]))
        page.get_by_role("button", name="Save the scores").click()
        visitor.check()
        if panel == "Clinicians":
            page.get_by_role("link", name="Panels and scores").click()

    # The ranking and the sensitivity check
    text = main.inner_text()
    assert page.locator("h1").inner_text() == "Appraisal results"
    ranking = page.get_by_role("table", name="Options ranked by combined weighted score")
    first_row = ranking.locator("tbody tr").first.inner_text()
    assert "Move to the health centre" in first_row
    assert page.locator("main svg.heard-chart[role=img]").count() == 1
    assert (
        "Not robust: the top option changes when a weight moves "
        "(Quality of care −20%; Access +20%; Cost −20%)." in text
    )
    sensitivity = page.get_by_role("table", name="What happens when one weight moves by 20 %")
    assert sensitivity.locator("tbody tr").count() == 6

    # The proposal moves on, through its page, to options and then to its significance
    # assessment (the stage table allows the assessment from options onward).
    visitor.visit(reverse("proposals:detail", args=[proposal.pk]))
    page.get_by_role("button", name="Move to Options").click()
    visitor.check()
    page.get_by_role("button", name="Move to Significance assessment").click()
    visitor.check()
    assert "The proposal has moved to Significance assessment." in main.inner_text()

    # Significance: one substantial area means formal consultation is required
    visitor.visit(reverse("assessment:significance", kwargs={"pk": proposal.pk}))
    visitor.check()
    page.get_by_role("link", name="Assess significance").click()
    visitor.check()
    for area in ("Access", "Wider community", "Patients or users", "Service delivery"):
        level = "Substantial" if area == "Access" else "Minor"
        page.get_by_role("group", name=f"{area}: impact").get_by_label(level).check()
        page.get_by_label(f"{area}: who is affected").fill("People in the town")
        page.get_by_label(f"{area}: about how many people (optional)").fill("12000")
        page.get_by_label(f"{area}: evidence").fill("Activity data 2025")
    page.get_by_role("button", name="Save the assessment").click()
    visitor.check()
    text = main.inner_text()
    assert "Determination: Formal consultation required; the OSC must be consulted" in text
    assert "Only an administrator or a decision maker may override" in text

    # A programme lead may not override: the page says so
    visitor.visit(
        reverse("assessment:significance_override", kwargs={"pk": proposal.pk}), expect_status=403
    )

    # Assurance: stage 2 passed (after stage 1, with evidence on the four tests, recorded
    # here through the services), EqIA attached
    from heard.servicechange.assessment.tests.helpers import pass_stage1

    pass_stage1(proposal, lead)
    visitor.visit(reverse("assessment:assurance", kwargs={"pk": proposal.pk}))
    page.get_by_role("link", name="Record an outcome for Stage 2: assurance checkpoint").click()
    visitor.check()
    page.get_by_label("Passed", exact=True).check()
    today = timezone.localdate()
    fill_nhs_date(page, "Date of the checkpoint", today.day, today.month, today.year)
    page.get_by_role("button", name="Save").click()
    visitor.check()
    page.get_by_role("link", name="Name the EqIA and attach a supporting document").click()
    visitor.check()
    eqia = tmp_path / "eqia.pdf"
    eqia.write_bytes(PDF)
    page.get_by_label("Supporting document (optional)").set_input_files(str(eqia))
    page.get_by_role("button", name="Attach the EqIA").click()
    visitor.check()
    text = main.inner_text()
    assert "Not reviewed yet" in text and "Not complete" in text
    # The EqIA itself: a row per characteristic. A negative impact without a mitigation
    # is refused, naming the row; then every required characteristic is recorded.
    from heard.servicechange.assessment.eqia import CHARACTERISTIC_LABELS, REQUIRED
    from heard.servicechange.assessment.tests.helpers import EQIA_ROWS

    page.get_by_role("link", name="Record the EqIA, characteristic by characteristic").click()
    visitor.check()
    for characteristic in REQUIRED:
        label = CHARACTERISTIC_LABELS[characteristic]
        row = EQIA_ROWS[characteristic.value]
        page.get_by_label(f"{label}: likely impact", exact=True).select_option(row["impact"])
        page.get_by_label(f"{label}: evidence", exact=True).fill(row["evidence"])
    page.get_by_role("button", name="Save the EqIA").click()
    visitor.check()
    assert "Age: the impact is negative" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Age: mitigation (required where the impact is negative)", exact=True).fill(
        EQIA_ROWS["age"]["mitigation"]
    )
    page.get_by_role("button", name="Save the EqIA").click()
    visitor.check()
    text = main.inner_text()
    assert "11 of 13" in text and "Complete" in text

    facts = lifecycle_facts(proposal)
    assert facts.options_count == 3
    assert facts.significance_determined and facts.consultation_required
    assert facts.stage2_passed and facts.eqia_attached
    assert selectors.appraisal_summary(proposal).top[0].title == "Move to the health centre"
