"""A bed-closure proposal walked from logging to decision, as a new officer would, through
the pages only (axe on every page), each safeguard met by doing the real thing.

Issue 13's "done when": every legal safeguard on the way – early engagement, options,
significance, NHS England assurance with the patient care test (beds close), the EqIA,
the Consultation Institute's checkpoints, the reg 23 letter to the council's committee,
Gunning's four principles, conscientious consideration of every answer, the decision
makers' own due regard – is met by filling in what a real officer would record, and
is first seen refusing a placeholder. What is not done through the pages: time passing
(the consultation's dates are moved back, as the clock would), and the bulk of the
responses (a few are sent through the public form, the rest arrive as an import would).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from heard.consultations.models import Consultation
from heard.core.roles import Role
from heard.proposals.models import Proposal
from tests.browser.conftest import Visitor, fill_nhs_date
from tests.browser.test_pages import _sign_in

TITLE = "Close the 16-bed Holt community ward and care for people at home"
CASE = (
    "Holt community hospital's Cley ward (16 beds) has had a third of its beds empty for "
    "two years and cannot be staffed safely at night. We propose to close it and fund a "
    "virtual ward and rapid community response team covering north Norfolk instead."
)
OPTIONS = [
    "Do nothing: keep the Cley ward open",
    "Close the ward and open a virtual ward",
    "Keep eight beds and a smaller virtual ward",
]
CRITERIA = [("Quality and safety of care", "50"), ("Access for local people", "30"), ("Cost", "20")]
GRID = [[2, 5, 2], [4, 3, 5], [3, 4, 3]]
AREAS = {
    "Access": (
        "Substantial",
        "Patients from Holt, Cley and Blakeney who are now admitted locally, and visitors",
        "2400",
        "Admissions data 2024/25: 410 admissions, 62% from within 8 miles of Holt",
    ),
    "Wider community": (
        "Moderate",
        "Carers and families in north Norfolk who visit relatives on the ward",
        "900",
        "Carers survey, spring 2026: 118 replies from families of Cley ward patients",
    ),
    "Patients or users": (
        "Substantial",
        "Older people needing step-down care after a stay at the Norfolk and Norwich",
        "410",
        "Discharge pathway audit 2025 and the frailty team's caseload figures",
    ),
    "Service delivery": (
        "Moderate",
        "Community nursing teams, the virtual ward and the acute hospital discharge team",
        "120",
        "Workforce plan 2026/27 and night staffing rotas for the last twelve months",
    ),
}
TESTS = {
    "Strong public and patient engagement": (
        "Listening events in Holt and Cley (84 people), the carers survey (118 replies) and "
        "the patient reference group's review of the options in March 2026."
    ),
    "Consistency with current and prospective need for patient choice": (
        "People choose between care at home on the virtual ward and a bed at Cromer or "
        "North Walsham; the choice is offered at the point of referral."
    ),
    "A clear clinical evidence base": (
        "The clinical senate's review of virtual wards for frail older people (May 2026) "
        "and the outcomes of the Norwich virtual ward pilot over eighteen months."
    ),
    "Support from clinical commissioners": (
        "The primary care network clinical directors for north Norfolk supported the "
        "preferred option at their meeting on 14 April 2026; minutes attached to the case."
    ),
}
SECTION_LINKS = {"costs": "costs", "alternatives": "alternatives set aside and why"}
NEGATIVE = {
    "age": (
        "Four in five of the ward's patients in 2024/25 were over 75, and older people are "
        "the least likely to drive to Cromer or North Walsham.",
        "The virtual ward visits people at home; a volunteer car scheme and the hospital "
        "transport service take visitors to the nearest remaining beds.",
    ),
    "disability": (
        "Most patients have frailty or a long-term condition; some cannot use video "
        "calls, which the virtual ward relies on for daily checks.",
        "Daily visits in person instead of video calls for anyone who cannot use them, "
        "agreed at the first assessment.",
    ),
    "carers": (
        "Carers told the survey that care at home moves work onto them, often older "
        "partners who are unwell themselves.",
        "A carer's assessment before discharge to the virtual ward, and night sitting "
        "from the rapid response team when a carer needs rest.",
    ),
}
PATIENT_CARE = (
    "The virtual ward (30 places) and the rapid response team are staffed and running in "
    "north Norfolk from September 2026, ahead of any bed closure."
)


@pytest.fixture(autouse=True)
def _empty_search_index(transactional_db):
    """Flushing between browser tests empties the tables but not the FTS5 index."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")


def _main(visitor: Visitor) -> str:
    return visitor.page.locator("main").inner_text()


def _save(visitor: Visitor, name: str = "Save") -> str:
    visitor.page.get_by_role("button", name=name).click()
    visitor.check()
    return _main(visitor)


def _move(visitor: Visitor, hub: str, label: str) -> None:
    visitor.visit(hub)
    visitor.page.get_by_role("button", name=f"Move to {label}").click()
    visitor.check()
    assert f"The proposal has moved to {label}." in _main(visitor), _main(visitor)


def _log_and_engage(visitor: Visitor) -> tuple[Proposal, str]:
    page = visitor.page
    visitor.visit(reverse("proposals:list"))
    page.get_by_role("link", name="Log a proposal").click()
    visitor.check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The case for change").fill(CASE)
    _save(visitor, "Log the proposal")
    proposal = Proposal.objects.get()
    hub = reverse("proposals:detail", kwargs={"pk": proposal.pk})
    _move(visitor, hub, "Early engagement")

    # What it drew on, before any option was formed: a placeholder is refused first.
    visitor.visit(reverse("proposals:know", kwargs={"pk": proposal.pk}))
    page.get_by_label("Other evidence we drew on").fill("x")
    assert "Record this evidence" in page.locator("main").inner_text()
    text = _save(visitor, "Record this evidence")
    assert proposal.evidence.count() == 0, text
    page.get_by_label("Other evidence we drew on").fill(
        "Listening events in Holt and Cley in January 2026 (84 people) and the carers "
        "survey (118 replies): what people value about the ward and what they fear losing."
    )
    _save(visitor, "Record this evidence")
    assert proposal.evidence.count() == 1
    return proposal, hub


def _appraise(visitor: Visitor, proposal: Proposal, hub: str) -> None:
    page = visitor.page
    _move(visitor, hub, "Options")
    visitor.visit(reverse("assessment:options", kwargs={"pk": proposal.pk}))
    for title in OPTIONS:
        page.get_by_role("link", name="Add an option").click()
        visitor.check()
        page.get_by_label("Option", exact=True).fill(title)
        if title.startswith("Do nothing"):
            page.get_by_label("This is the “do nothing” option").check()
        _save(visitor)
    page.get_by_role("link", name="Next: criteria and weights").click()
    for name, weight in CRITERIA:
        page.get_by_role("link", name="Add a criterion").click()
        visitor.check()
        page.get_by_label("Criterion", exact=True).fill(name)
        page.get_by_label("Weight").fill(weight)
        _save(visitor)
    page.get_by_role("link", name="Record who agreed the criteria and weights").click()
    visitor.check()
    page.get_by_label("Who agreed the criteria and weights").fill("-")
    today = timezone.localdate()
    fill_nhs_date(page, "Date agreed", today.day, today.month, today.year)
    text = _save(visitor)
    assert "There is a problem" in text
    page.get_by_label("Who agreed the criteria and weights").fill(
        "Workshop of the patient reference group and the clinical panel, Holt, 10 March 2026"
    )
    _save(visitor)
    page.get_by_role("link", name="Next: panels and scores").click()
    page.get_by_role("link", name="Add a panel").click()
    page.get_by_label("Panel name").fill("Patient reference group and clinicians")
    _save(visitor)
    page.get_by_role("link", name="Enter scores for Patient reference group and clinicians").click()
    visitor.check()
    for i, option in enumerate(OPTIONS):
        for j, (criterion, _) in enumerate(CRITERIA):
            page.get_by_label(f"{option}: score for {criterion}").fill(str(GRID[i][j]))
    text = _save(visitor, "Save the scores")
    assert "Appraisal results" in text


def _assess_significance(visitor: Visitor, proposal: Proposal, hub: str) -> None:
    page = visitor.page
    _move(visitor, hub, "Significance assessment")
    visitor.visit(reverse("assessment:significance", kwargs={"pk": proposal.pk}))
    page.get_by_role("link", name="Assess significance").click()
    visitor.check()
    # The hurried officer first: "-" as who is affected and as the evidence.
    for area, (level, _who, _many, _evidence) in AREAS.items():
        page.get_by_role("group", name=f"{area}: impact").get_by_label(level).check()
        page.get_by_label(f"{area}: who is affected").fill("-")
        page.get_by_label(f"{area}: evidence").fill("-")
    text = _save(visitor, "Save the assessment")
    assert "There is a problem" in text
    for area, (_level, who, many, evidence) in AREAS.items():
        page.get_by_label(f"{area}: who is affected").fill(who)
        page.get_by_label(f"{area}: about how many people (optional)").fill(many)
        page.get_by_label(f"{area}: evidence").fill(evidence)
    text = _save(visitor, "Save the assessment")
    assert "Determination: Formal consultation required; the OSC must be consulted" in text


def _assure(visitor: Visitor, proposal: Proposal, hub: str) -> None:
    page = visitor.page
    _move(visitor, hub, "Assurance")
    assurance = reverse("assessment:assurance", kwargs={"pk": proposal.pk})
    visitor.visit(assurance)
    # Beds close: nobody has answered yet, and the patient care test is not assumed away.
    assert "Significant bed closures: not answered yet" in _main(visitor)
    page.get_by_role("link", name="Change the answer about bed closures").click()
    visitor.check()
    page.get_by_role(
        "group", name="Does the proposal involve significant bed closures?"
    ).get_by_label("Yes").check()
    text = _save(visitor)
    assert "yes – the patient care test applies" in text
    for label, evidence in TESTS.items():
        visitor.visit(assurance)
        page.get_by_role("link", name=f"Record evidence for {label}").click()
        visitor.check()
        page.get_by_label("Evidence").fill(evidence)
        text = _save(visitor)
        assert "There is a problem" not in text, text
    # Stage 2 cannot come before stage 1, and neither passes without the patient care
    # test's evidence now that beds close.
    today = timezone.localdate()

    def checkpoint(stage: str) -> str:
        visitor.visit(assurance)
        page.get_by_role("link", name=f"Record an outcome for {stage}").click()
        visitor.check()
        page.get_by_label("Passed", exact=True).check()
        fill_nhs_date(page, "Date of the checkpoint", today.day, today.month, today.year)
        return _save(visitor)

    assert "There is a problem" in checkpoint("Stage 2: assurance checkpoint")
    text = checkpoint("Stage 1: strategic sense check")
    assert "record the evidence for patient care first" in text
    visitor.visit(assurance)
    page.get_by_role(
        "link", name="Record evidence for Patient care test (significant bed closures)"
    ).click()
    visitor.check()
    page.get_by_label("Evidence").fill(PATIENT_CARE)
    page.get_by_label("Sufficient alternative provision", exact=False).check()
    assert "There is a problem" not in _save(visitor)
    assert "There is a problem" not in checkpoint("Stage 1: strategic sense check")
    text = checkpoint("Stage 2: assurance checkpoint")
    assert "There is a problem" not in text, text


def _eqia(visitor: Visitor, proposal: Proposal) -> None:
    """The EqIA as a table of characteristics: a negative impact without a mitigation is
    refused first, then every required characteristic is recorded with its evidence."""
    from heard.assessment.eqia import CHARACTERISTIC_LABELS, REQUIRED

    page = visitor.page
    visitor.visit(reverse("assessment:assurance", kwargs={"pk": proposal.pk}))
    page.get_by_role("link", name="Name the EqIA and attach a supporting document").click()
    visitor.check()
    _save(visitor, "Attach the EqIA")
    page.get_by_role("link", name="Record the EqIA, characteristic by characteristic").click()
    visitor.check()
    for characteristic in REQUIRED:
        label = CHARACTERISTIC_LABELS[characteristic]
        evidence, _mitigation = NEGATIVE.get(
            characteristic.value,
            (
                f"Census 2021 for north Norfolk and the ward's admissions show no difference "
                f"in who uses the ward by {label.lower()}.",
                "",
            ),
        )
        impact = "negative" if characteristic.value in NEGATIVE else "neutral"
        page.get_by_label(f"{label}: likely impact", exact=True).select_option(impact)
        page.get_by_label(f"{label}: evidence", exact=True).fill(evidence)
    page.get_by_role("button", name="Save the EqIA").click()
    visitor.check()
    errors = page.locator(".nhsuk-error-summary").inner_text()
    assert "Age: the impact is negative" in errors
    for characteristic, (_evidence, mitigation) in NEGATIVE.items():
        label = CHARACTERISTIC_LABELS[next(c for c in REQUIRED if c.value == characteristic)]
        page.get_by_label(
            f"{label}: mitigation (required where the impact is negative)", exact=True
        ).fill(mitigation)
    text = _save(visitor, "Save the EqIA")
    assert "11 of 13" in text and "Complete" in text, text


def _prepare_consultation(visitor: Visitor, proposal: Proposal) -> Consultation:
    """Create it; write the sections the proposal did not fill; publish the document;
    twelve weeks from tomorrow; the council recorded and the first reg. 23 letter sent."""
    page = visitor.page
    visitor.visit(reverse("consultations:create", kwargs={"proposal_pk": proposal.pk}))
    _save(visitor, "Create the formal consultation")
    consultation = Consultation.objects.get()
    page.get_by_role("button", name="Publish the document").click()
    visitor.check()
    assert "Write every section before publishing" in _main(visitor)
    for key, text in (
        (
            "costs",
            "The ward costs £1.4 million a year; the virtual ward and rapid response team "
            "£1.1 million, with £0.3 million a year towards community nursing.",
        ),
        (
            "alternatives",
            "Keeping eight beds was appraised and ranked second: it cannot be staffed at "
            "night either. Doing nothing leaves unsafe night staffing.",
        ),
    ):
        page.get_by_role("link", name=f"Edit {SECTION_LINKS[key]}").click()
        visitor.check()
        page.locator("textarea").fill("x")
        page.get_by_role("button", name="Save the section").click()
        visitor.check()
        assert "There is a problem" in _main(visitor)  # "x" is not a section
        page.locator("textarea").fill(text)
        page.get_by_role("button", name="Save the section").click()
        visitor.check()
    text = _save(visitor, "Publish the document")
    assert "The consultation document has been published." in text, text

    page.get_by_role("link", name="Change the consultation period").click()
    visitor.check()
    opens = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    closes = opens + timedelta(weeks=12, hours=8)
    for label, moment in (("Opens", opens), ("Closes", closes)):
        fill_nhs_date(page, label, moment.day, moment.month, moment.year, moment.strftime("%H:%M"))
    _save(visitor, "Save the period")

    # Reg. 23: the committee is written to before the consultation opens.
    visitor.visit(reverse("consultations:osc", kwargs={"pk": consultation.pk}))
    visitor.check()
    page.get_by_label("Council", exact=True).fill("Norfolk County Council")
    page.get_by_label("Overview and scrutiny committee").fill(
        "Norfolk Health Overview and Scrutiny Committee"
    )
    page.get_by_label("Contact email address").fill("hosc@norfolk.example.gov.uk")
    _save(visitor, "Add the council")
    due = closes.date() + timedelta(weeks=2)
    decide = closes.date() + timedelta(weeks=6)
    fill_nhs_date(
        page, "Date by which the committee's comments are wanted", due.day, due.month, due.year
    )
    fill_nhs_date(page, "Proposed decision date", decide.day, decide.month, decide.year)
    text = _save(visitor, "Send the first letter")
    assert "The first letter has been sent to 1 council contact" in text, text
    consultation.refresh_from_db()
    return consultation


def test_a_bed_closure_from_logging_to_decision(visitor, make_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = make_staff(Role.PROGRAMME_LEAD, full_name="Priya Shah")
    _sign_in(visitor, lead)
    proposal, hub = _log_and_engage(visitor)
    _appraise(visitor, proposal, hub)
    _assess_significance(visitor, proposal, hub)
    _assure(visitor, proposal, hub)
    _eqia(visitor, proposal)
    proposal.refresh_from_db()
    facts = proposal.facts()
    assert facts.stage2_passed and facts.eqia_attached
    consultation = _prepare_consultation(visitor, proposal)
    assert consultation.activity.opens_at > timezone.now()
