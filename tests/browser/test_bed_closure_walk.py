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

from heard.core.roles import Role
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals.models import Proposal
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
COMMENTS = [
    "Visiting my husband at Cromer would mean two buses and most of a day",
    "The ward nurses were kind and my mum recovered close to home",
    "Care at home is better if someone actually comes every day",
    "Who looks after the carers when the patient is sent home at night",
    "The virtual ward will not work for people who cannot use a tablet",
    "Closing beds in a rural area when the ambulance takes an hour is dangerous",
    "My father got better faster at home with the rapid response team",
    "There is no public transport from the villages to the other hospitals",
    "Staffing the ward at night safely matters more than keeping it open",
    "Older people living alone need a bed nearby when they cannot cope",
]
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
    from heard.servicechange.assessment.eqia import CHARACTERISTIC_LABELS, REQUIRED

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
    opens = timezone.localtime(timezone.now() - timedelta(minutes=1))
    closes = opens + timedelta(weeks=12, days=1)
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


def _try_to_open(visitor: Visitor, detail: str, blocked_by: str) -> None:
    visitor.visit(detail)
    visitor.page.get_by_role("button", name="Open the consultation").click()
    visitor.check()
    main = _main(visitor)
    assert "The consultation cannot open yet" in main and blocked_by in main, main


def _sign_off_and_open(visitor, another_visitor, make_staff, consultation) -> None:
    """The Consultation Institute's checkpoints before opening, then the opening."""
    page = visitor.page
    detail = reverse("consultations:detail", kwargs={"pk": consultation.pk})
    _try_to_open(visitor, detail, "Scope agreed")
    page.get_by_role("link", name="Agree the scope").click()
    visitor.check()
    page.get_by_label("What was agreed or checked").fill("n/a")
    assert "There is a problem" in _save(visitor, "Sign it off")
    page.get_by_label("What was agreed or checked").fill(
        "Open to change: how care at home is organised and the transport to the remaining "
        "beds. Not open: keeping the ward staffed at night, which cannot be done safely. "
        "Reach carers, older people in the villages and the ward's recent patients."
    )
    _save(visitor, "Sign it off")
    # The document is reviewed by someone who did not draft it: the lead wrote two
    # sections and published it, so an engagement officer reviews it.
    _try_to_open(visitor, detail, "Documents reviewed")
    officer = make_staff(Role.ENGAGEMENT_OFFICER, full_name="Tom Reeve")
    officer_visitor = another_visitor()
    _sign_in(officer_visitor, officer)
    officer_visitor.visit(detail)
    officer_visitor.page.get_by_role(
        "link", name="Sign off the review of version 1 of the document"
    ).click()
    officer_visitor.check()
    officer_visitor.page.get_by_label("What was agreed or checked").fill(
        "Read every section against the options appraisal, the EqIA and the business "
        "case; the costs agree and the alternatives set aside are explained."
    )
    officer_visitor.page.get_by_role("button", name="Sign it off").click()
    officer_visitor.check()
    visitor.visit(detail)
    panel = page.locator("#gunning-panel").inner_text()
    assert "No check fails" in panel, panel
    text = _save(visitor, "Open the consultation")
    assert "The consultation is open." in text, text


def _consult(visitor: Visitor, consultation: Consultation, hub: str) -> None:
    """Responses arrive (as an import would bring paper and event forms); the mid-point
    review is held while it runs; twelve weeks pass and the clock closes it; the
    committee's response is recorded; the proposal moves to "Decision pending"."""
    import random

    from heard.core.actors import CLOCK
    from heard.engagement import hooks as engagement_hooks
    from heard.engagement import services as engagement_services
    from heard.engagement.models import Activity, Answer, Question, Response
    from heard.servicechange.consultations.models import ScrutinyLetter

    page = visitor.page
    rng = random.Random(16)
    activity = consultation.activity
    questionnaire = activity.questionnaire
    version = questionnaire.current_version()
    why = Question.objects.get(version=version, text="Why do you say that?")
    responses = Response.objects.bulk_create(
        Response(
            activity=activity,
            questionnaire=questionnaire,
            version=version,
            channel=rng.choice(["online", "paper", "event"]),
            reference=f"HOLT-{i:04d}",
            publish_consent=i % 2 == 0,
        )
        for i in range(len(COMMENTS) * 6)
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=why, text=f"{COMMENTS[i % len(COMMENTS)]} ({i})")
        for i, response in enumerate(responses)
    )
    engagement_hooks.responses_bulk_created(responses)

    visitor.visit(reverse("consultations:midpoint", kwargs={"pk": consultation.pk}))
    page.get_by_label("What we are doing about it").fill(
        "Few carers have answered: two evening sessions with the carers' centre in Holt and "
        "a paper form sent with the community nurses' visits."
    )
    assert "Few carers have answered" in _save(visitor, "Record the review")

    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        opens_at=now - timedelta(weeks=13), closes_at=now - timedelta(days=14)
    )
    ScrutinyLetter.objects.filter(consultation=consultation).update(
        sent_at=now - timedelta(weeks=14),
        comments_due_on=timezone.localdate() - timedelta(days=1),
        proposed_decision_on=timezone.localdate(),
    )
    activity.refresh_from_db()
    engagement_services.activity_transition(activity=activity, target="closed", actor=CLOCK)

    visitor.visit(reverse("consultations:osc", kwargs={"pk": consultation.pk}))
    received = timezone.localdate() - timedelta(days=1)
    fill_nhs_date(
        page,
        "Date the committee's response was received",
        received.day,
        received.month,
        received.year,
    )
    page.get_by_label("Agrees with the proposal").check()
    page.get_by_label("What the committee said").fill(
        "The committee supports the closure provided the virtual ward is running first and "
        "the volunteer car scheme is funded for visitors."
    )
    assert "The committee's response has been recorded." in _save(visitor, "Record the response")

    # A notifiable reconfiguration: the Secretary of State is told, with the committee's
    # view in words ("n/a" refused), before the decision.
    visitor.visit(reverse("assessment:significance", kwargs={"pk": consultation.proposal_id}))
    page.get_by_role("link", name="Record the notice to the Secretary of State").click()
    visitor.check()
    today = timezone.localdate()
    fill_nhs_date(
        page, "Date the Secretary of State was notified", today.day, today.month, today.year
    )
    page.get_by_label("The overview and scrutiny committee's view").fill("n/a")
    assert "There is a problem" in _save(visitor)
    page.get_by_label("The overview and scrutiny committee's view").fill(
        "The Norfolk committee supports the closure provided the virtual ward runs first and "
        "the volunteer car scheme is funded (its letter of last week)."
    )
    assert "There is a problem" not in _save(visitor)
    _move(visitor, hub, "Decision pending")


def _analyse(another_visitor, make_staff, consultation, monkeypatch) -> None:
    """The analyst runs the analysis, a person reviews what the machine proposed, and
    the codeframe is signed off."""
    from heard.analysis import services as analysis_services
    from heard.analysis.models import AnswerAnalysis, Coding, Theme
    from heard.engagement.models import Question

    analyst = make_staff(Role.ANALYST)
    analyst_visitor = another_visitor()
    _sign_in(analyst_visitor, analyst)
    page = analyst_visitor.page
    queued: list[int] = []
    monkeypatch.setattr(analysis_services, "_enqueue", queued.append)
    why = Question.objects.get(
        version__questionnaire__activity=consultation.activity, text="Why do you say that?"
    )
    analyst_visitor.visit(reverse("analysis:question", kwargs={"pk": why.pk}))
    page.get_by_role("button", name="Run the analysis").click()
    analyst_visitor.check()
    analysis_services.analysis_run_execute(run_id=queued[0])  # the worker's part
    page.wait_for_selector("text=Analysis finished", timeout=30_000)
    live = Coding.objects.filter(theme__codeframe__question=why).exclude(status="rejected")
    for theme in Theme.objects.filter(codeframe__question=why):
        suggestion = live.filter(theme=theme).order_by("-confidence", "pk").first()
        if suggestion is not None:
            analysis_services.coding_decide(coding=suggestion, actor=analyst, accept=True)
    coded = set(live.values_list("answer_id", flat=True))
    for item in AnswerAnalysis.objects.filter(question=why, reviewed_at__isnull=True):
        if item.answer_id not in coded:
            analysis_services.answer_reviewed(analysis=item, actor=analyst)
    analyst_visitor.visit(reverse("analysis:codeframe", kwargs={"pk": why.pk}))
    page.get_by_role("button", name="Sign off this codeframe").click()
    analyst_visitor.check()
    assert "Version 1 of the codeframe signed off." in _main(analyst_visitor)


def _board_regard(visitor, another_visitor, make_staff, proposal):
    """The board member reviews the EqIA after the close and records, in their own
    words, the regard they had to it ("Noted." is refused)."""
    board = make_staff(Role.DECISION_MAKER, full_name="Dr Helen Ward")
    board_visitor = another_visitor()
    _sign_in(board_visitor, board)
    page = board_visitor.page
    board_visitor.visit(reverse("assessment:eqia_review", kwargs={"pk": proposal.pk}))
    page.get_by_label("What the review found").fill("ok")
    assert "There is a problem" in _save(board_visitor, "Record the review")
    page.get_by_label("What the review found").fill(
        "Carers and older people without a car were the most concerned in the consultation; "
        "the night sitting service and the volunteer car scheme were added as mitigations."
    )
    _save(board_visitor, "Record the review")
    board_visitor.visit(reverse("assessment:due_regard", kwargs={"pk": proposal.pk}))
    field = "The regard you had to the equality impact assessment"
    page.get_by_label(field).fill("Noted.")
    assert "in your own words" in _save(board_visitor, "Record my regard")
    page.get_by_label(field).fill(
        "I read the reviewed EqIA before the meeting: carers and older people in the villages "
        "carry most of the change, and I weighed the night sitting service and the car scheme "
        "as its mitigations before deciding."
    )
    assert "carry most of the change" in _save(board_visitor, "Record my regard")
    return board, board_visitor


def _respond_and_issue(visitor: Visitor, proposal: Proposal) -> None:
    """The lead says what became of every theme ("Noted." refused), then issues the
    report to the decision makers."""
    page = visitor.page
    outcome_page = reverse("outcomes:proposal", kwargs={"pk": proposal.pk})
    visitor.visit(outcome_page)
    themes = page.locator("a", has_text="Respond").count()
    assert themes >= 2
    for n in range(themes):
        visitor.visit(outcome_page)
        page.locator("a", has_text="Respond").first.click()
        visitor.check()
        page.get_by_label("Our response").fill("Noted.")
        page.get_by_label("Partly").check()
        page.get_by_label("How it changed the recommendation").fill("Noted.")
        assert "There is a problem" in _save(visitor, "Save the response")
        page.get_by_label("Our response").fill(
            f"We considered what people told us ({n + 1}): the virtual ward will visit in "
            "person when someone cannot use video calls, because several said they could not."
        )
        page.get_by_label("How it changed the recommendation").fill(
            "Visits in person are now part of the recommendation, and carers are assessed "
            "before anyone is cared for at home."
        )
        assert "saved" in _save(visitor, "Save the response")
    page.get_by_role("link", name="Issue the report to the decision makers").click()
    visitor.check()
    page.get_by_label("Issued to").fill("NHS Norfolk and Waveney ICB board, meeting in public")
    text = _save(visitor, "Issue the report")
    assert "meeting in public" in text, text


def _decide(board_visitor: Visitor, proposal: Proposal) -> None:
    from heard.servicechange.outcomes.models import Decision

    page = board_visitor.page
    board_visitor.visit(reverse("outcomes:proposal", kwargs={"pk": proposal.pk}))
    assert "Everything needed before a decision is in place." in _main(board_visitor)
    page.get_by_role("link", name="Record the decision").click()
    board_visitor.check()
    today = timezone.localdate()
    fill_nhs_date(page, "Date of the decision", today.day, today.month, today.year)
    page.get_by_label("Who decided").fill("NHS Norfolk and Waveney ICB board, in public")
    page.get_by_label("What was decided").fill(
        "Close the Cley ward once the virtual ward has run for three months, with visits in "
        "person, night sitting for carers and a funded volunteer car scheme."
    )
    page.get_by_label("Board paper web address").fill("https://example.nhs.uk/board/holt.pdf")
    text = _save(board_visitor, "Record the decision")
    assert "The decision is recorded and the proposal is decided." in text, text
    proposal.refresh_from_db()
    assert proposal.status == "decided"
    assert Decision.objects.get(proposal=proposal).decided_on == today


def test_a_bed_closure_from_logging_to_decision(
    visitor, another_visitor, make_staff, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    lead = make_staff(Role.PROGRAMME_LEAD, full_name="Priya Shah")
    _sign_in(visitor, lead)
    proposal, hub = _log_and_engage(visitor)
    _appraise(visitor, proposal, hub)
    _assess_significance(visitor, proposal, hub)
    _assure(visitor, proposal, hub)
    _eqia(visitor, proposal)
    proposal.refresh_from_db()
    facts = lifecycle_facts(proposal)
    assert facts.stage2_passed and facts.eqia_attached
    consultation = _prepare_consultation(visitor, proposal)
    _sign_off_and_open(visitor, another_visitor, make_staff, consultation)
    _consult(visitor, consultation, hub)
    _analyse(another_visitor, make_staff, consultation, monkeypatch)
    _board, board_visitor = _board_regard(visitor, another_visitor, make_staff, proposal)
    _respond_and_issue(visitor, proposal)
    _decide(board_visitor, proposal)
