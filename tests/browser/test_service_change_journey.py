"""A service change from creation to decision in a real browser, axe clean on every page:
log the proposal and move it on; the Gunning panel blocks the opening for each failing
reason, then passes and it opens; responses come in and it closes; analysis finds the
themes; the decision is refused until every theme has a response and the outcome report
has been issued; then it is recorded; the report is downloaded (its text read back) and
the public "You said, we did" page is shown.

What is set up through the services rather than the pages (each has its own browser
test): the option appraisal, significance scores, EqIA and stage 2 (test_assessment),
the document's sections (test_consultations), and the responses (bulk, like an import).
Time passing to the close is simulated by moving the consultation's dates back.
"""

import io
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from heard.analysis import services as analysis_services
from heard.analysis.models import AnswerAnalysis, Coding, Theme
from heard.audit.models import Action, AuditEvent
from heard.core.actors import CLOCK
from heard.core.roles import Role
from heard.demo.service_change import DETAILS, MIU_TOPICS
from heard.engagement import hooks as engagement_hooks
from heard.engagement import services as engagement_services
from heard.engagement.models import Activity, Answer, Question, Response
from heard.servicechange.assessment.tests.helpers import (
    attach_eqia,
    make_appraisal,
    make_significance,
    pass_stage2,
)
from heard.servicechange.consultations import services as consultation_services
from heard.servicechange.consultations.models import Consultation, ScrutinyLetter
from heard.servicechange.consultations.tests.helpers import (
    fill_document,
    set_period,
    write_to_scrutiny,
)
from heard.servicechange.outcomes.models import Decision
from heard.servicechange.proposals import services as proposal_services
from heard.servicechange.proposals.models import Proposal
from tests.browser.conftest import Visitor, fill_nhs_date
from tests.browser.test_pages import _sign_in

TITLE = "Move the Eastbrook minor injuries unit"
RENAMED = "Getting to the new site"
ANSWERS = 90


@pytest.fixture(autouse=True)
def _empty_search_index(transactional_db):
    """Flushing between browser tests empties the tables but not the FTS5 index."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")


def _main(visitor: Visitor) -> str:
    return visitor.page.locator("main").inner_text()


def _move(visitor: Visitor, label: str) -> None:
    visitor.page.get_by_role("button", name=f"Move to {label}").click()
    visitor.check()
    assert f"The proposal has moved to {label}." in _main(visitor)


def _try_to_open(visitor: Visitor, detail: str, blocked_by: str) -> None:
    visitor.visit(detail)
    visitor.page.get_by_role("button", name="Open the consultation").click()
    visitor.check()
    main = _main(visitor)
    assert "The consultation cannot open yet" in main
    assert blocked_by in main
    assert Consultation.objects.get().activity.status == "draft"


def _responses(consultation: Consultation) -> None:
    """Responses to "Why do you say that?", bulk-created as an import would."""
    rng = random.Random(3)
    activity = consultation.activity
    questionnaire = activity.questionnaire
    version = questionnaire.current_version()
    why = Question.objects.get(version=version, text="Why do you say that?")
    topics = list(MIU_TOPICS)
    responses = Response.objects.bulk_create(
        Response(
            activity=activity,
            questionnaire=questionnaire,
            version=version,
            channel=rng.choice(["online", "online", "paper", "event"]),
            reference=f"HYS-E2E-{i:04d}",
            publish_consent=i % 2 == 0,  # half agreed to their words being quoted
        )
        for i in range(ANSWERS)
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=why,
            text=f"{rng.choice(MIU_TOPICS[topics[i % len(topics)]])}. {rng.choice(DETAILS)}",
        )
        for i, response in enumerate(responses)
    )
    engagement_hooks.responses_bulk_created(responses)


def test_a_proposal_from_creation_to_decision(visitor, another_visitor, make_staff, monkeypatch):
    lead = make_staff(Role.PROGRAMME_LEAD, full_name="Gareth Lead")
    analyst = make_staff(Role.ANALYST)
    board = make_staff(Role.DECISION_MAKER)
    page = visitor.page
    _sign_in(visitor, lead)

    # 1. The programme lead logs the proposal and moves it on.
    visitor.visit(reverse("proposals:list"))
    page.get_by_role("link", name="Log a proposal").click()
    visitor.check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The case for change").fill(
        "Move the minor injuries unit from the cottage hospital to the new health centre, "
        "beside the X-ray department, open 8am to 10pm."
    )
    page.get_by_role("button", name="Log the proposal").click()
    visitor.check()
    proposal = Proposal.objects.get()
    hub = reverse("proposals:detail", kwargs={"pk": proposal.pk})
    visitor.visit(hub)
    _move(visitor, "Early engagement")
    proposal_services.evidence_record(
        proposal=proposal, actor=lead, note="Listening events in Eastbrook: 62 people."
    )
    visitor.visit(hub)
    _move(visitor, "Options")
    make_appraisal(proposal, actor=lead)
    visitor.visit(hub)
    _move(visitor, "Significance assessment")
    make_significance(proposal, substantial=True, actor=lead)
    visitor.visit(hub)
    _move(visitor, "Assurance")
    attach_eqia(proposal, actor=lead)

    # 2. The formal consultation: the Gunning panel blocks each failing reason in turn.
    visitor.visit(reverse("consultations:create", kwargs={"proposal_pk": proposal.pk}))
    page.get_by_role("button", name="Create the formal consultation").click()
    visitor.check()
    consultation = Consultation.objects.get()
    detail = reverse("consultations:detail", kwargs={"pk": consultation.pk})
    _try_to_open(visitor, detail, "Sufficient reasons")
    fill_document(consultation, lead)
    set_period(consultation, weeks=6, actor=lead)
    _try_to_open(visitor, detail, "Adequate time")
    set_period(consultation, weeks=13, actor=lead)
    _try_to_open(visitor, detail, "Assurance stage 2")
    pass_stage2(proposal, actor=lead)
    # A decided proposal: the stage table refuses the opening (a 409 page with the reason).
    Proposal.objects.filter(pk=proposal.pk).update(status="decided")
    visitor.visit(detail)
    visitor.page.get_by_role("button", name="Open the consultation").click()
    visitor.check()
    assert "you cannot prepare or open the consultation" in _main(visitor)
    assert Consultation.objects.get().activity.status == "draft"
    Proposal.objects.filter(pk=proposal.pk).update(status="assurance")
    # The Consultation Institute's checkpoints: the scope agreed, the document reviewed by
    # someone who did not draft it (the lead drafted it: an engagement officer reviews).
    _try_to_open(visitor, detail, "Scope agreed")
    page.get_by_role("link", name="Agree the scope").click()
    visitor.check()
    page.get_by_label("What was agreed or checked").fill(
        "Open to change: the site, the hours and transport. Not open: the staffing model."
    )
    page.get_by_role("button", name="Sign it off").click()
    visitor.check()
    _try_to_open(visitor, detail, "Documents reviewed")
    consultation_services.documents_review(
        actor=make_staff(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        note="Checked every section against the appraisal, the EqIA and the costs.",
    )
    # Overview and scrutiny (reg. 23): no council, then the council and its first letter.
    _try_to_open(visitor, detail, "No council is recorded")
    write_to_scrutiny(consultation, lead)
    visitor.visit(detail)
    assert "No check fails" in page.locator("#gunning-panel").inner_text()
    page.get_by_role("button", name="Open the consultation").click()
    visitor.check()
    assert "The consultation is open." in _main(visitor)
    proposal.refresh_from_db()
    assert proposal.status == "formal_consultation"

    # 3. Responses arrive; the mid-point review is recorded while it runs; twelve weeks
    # pass and the clock closes it.
    consultation.refresh_from_db()
    _responses(consultation)
    visitor.visit(reverse("consultations:midpoint", kwargs={"pk": consultation.pk}))
    page.get_by_label("What we are doing about it").fill(
        "An evening online meeting for people at work; paper copies at the GP surgery."
    )
    page.get_by_role("button", name="Record the review").click()
    visitor.check()
    now = timezone.now()
    Activity.objects.filter(pk=consultation.activity_id).update(
        opens_at=now - timedelta(weeks=13), closes_at=now - timedelta(days=7)
    )
    consultation.activity.refresh_from_db()
    # The committee's letter went before it opened; its comments date has come, and the
    # proposed decision date it was told is today.
    ScrutinyLetter.objects.filter(consultation=consultation).update(
        sent_at=now - timedelta(weeks=14),
        comments_due_on=timezone.localdate() - timedelta(days=2),
        proposed_decision_on=timezone.localdate(),
    )
    engagement_services.activity_transition(
        activity=consultation.activity, target="closed", actor=CLOCK
    )
    visitor.visit(hub)
    _move(visitor, "Decision pending")

    # 4. The analyst runs the analysis of the free-text answers: themes.
    analyst_visitor = another_visitor()
    _sign_in(analyst_visitor, analyst)
    queued: list[int] = []
    monkeypatch.setattr(analysis_services, "_enqueue", queued.append)
    why = Question.objects.get(
        version__questionnaire__activity=consultation.activity, text="Why do you say that?"
    )
    analyst_visitor.visit(reverse("analysis:question", kwargs={"pk": why.pk}))
    analyst_visitor.page.get_by_role("button", name="Run the analysis").click()
    analyst_visitor.check()
    analysis_services.analysis_run_execute(run_id=queued[0])  # the worker's part
    analyst_visitor.page.wait_for_selector("text=Analysis finished", timeout=30_000)
    analyst_visitor.check()
    # The analyst renames one theme and merges another into it, then signs off the
    # codeframe: the version the report, the considerations and the public page use.
    analyst_page = analyst_visitor.page
    analyst_visitor.visit(reverse("analysis:codeframe", kwargs={"pk": why.pk}))
    first, second = Theme.objects.filter(parent=None).order_by("pk")[:2]
    analyst_page.get_by_role("link", name=f"Rename or describe {first.name}").click()
    analyst_visitor.check()
    analyst_page.get_by_label("Theme name").fill(RENAMED)
    analyst_page.get_by_role("button", name="Save the theme").click()
    analyst_visitor.check()
    analyst_page.get_by_role("link", name=f"Merge {second.name}").click()
    analyst_visitor.check()
    analyst_page.get_by_label("Merge into").select_option(label=RENAMED)
    analyst_page.get_by_role("button", name="Merge the themes").click()
    analyst_visitor.check()
    assert f"merged into “{RENAMED}”" in _main(analyst_visitor)
    # A person reviews before sign-off (Gunning 4: machine themes alone are not enough,
    # and every answer is analysed): a suggestion confirmed in each theme, each answer
    # the machine gave no theme marked so – through the analysis services.
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
    analyst_page.get_by_role("button", name="Sign off this codeframe").click()
    analyst_visitor.check()
    assert "Version 1 of the codeframe signed off." in _main(analyst_visitor)

    # 5. The board member tries to record the decision: refused, with every reason.
    board_visitor = another_visitor()
    _sign_in(board_visitor, board)
    outcome_page = reverse("outcomes:proposal", kwargs={"pk": proposal.pk})
    board_visitor.visit(outcome_page)
    board_page = board_visitor.page
    assert "A decision cannot be recorded yet" in _main(board_visitor)
    board_page.get_by_role("link", name="Record the decision").click()
    board_visitor.check()

    def fill_decision() -> None:
        today = timezone.localdate()
        fill_nhs_date(board_page, "Date of the decision", today.day, today.month, today.year)
        board_page.get_by_label("Who decided").fill("NHS Example ICB board, in public")
        board_page.get_by_label("What was decided").fill(
            "Move the unit to the health centre, with a shuttle bus for two years."
        )
        board_page.get_by_label("Board paper web address").fill(
            "https://example.nhs.uk/board/eastbrook-miu.pdf"
        )
        board_page.get_by_role("button", name="Record the decision").click()
        board_visitor.check()

    fill_decision()
    errors = board_page.locator(".nhsuk-error-summary").inner_text()
    assert "no complete response" in errors
    assert "Issue the outcome report to the decision makers." in errors
    assert "record its review after the consultation closed" in errors
    assert "record the notice to the Secretary of State" in errors  # notifiable
    assert not Decision.objects.exists()

    # The lead records the notice to the Secretary of State, with the committee's view
    # (a placeholder is refused on the page).
    visitor.visit(reverse("assessment:reconfiguration_notice", kwargs={"pk": proposal.pk}))
    today = timezone.localdate()
    fill_nhs_date(
        page, "Date the Secretary of State was notified", today.day, today.month, today.year
    )
    page.get_by_label("The overview and scrutiny committee's view").fill("n/a")
    page.get_by_role("button", name="Save", exact=True).click()
    visitor.check()
    assert "says nothing" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("The overview and scrutiny committee's view").fill(
        "The committee supports the move if the shuttle bus runs from the first day."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    visitor.check()
    assert "The notice has been recorded." in _main(visitor)

    # The board member reviews the EqIA in the light of what people said (the duty is
    # the decision makers' own: a programme lead may not record it).
    visitor.visit(reverse("assessment:eqia_review", kwargs={"pk": proposal.pk}), expect_status=403)
    board_visitor.visit(reverse("assessment:eqia_review", kwargs={"pk": proposal.pk}))
    board_page.get_by_label("What the review found").fill(
        "Older people without a car raised travel most: the shuttle bus answers it."
    )
    board_page.get_by_role("button", name="Record the review").click()
    board_visitor.check()
    # ... and records, in their own words, the regard they had to it (not delegated:
    # the programme lead may not record it for them).
    visitor.visit(reverse("assessment:due_regard", kwargs={"pk": proposal.pk}), expect_status=403)
    board_visitor.visit(reverse("assessment:due_regard", kwargs={"pk": proposal.pk}))
    board_page.get_by_label("The regard you had to the equality impact assessment").fill("Noted.")
    board_page.get_by_role("button", name="Record my regard").click()
    board_visitor.check()
    assert "in your own words" in board_page.locator(".nhsuk-error-summary").inner_text()
    board_page.get_by_label("The regard you had to the equality impact assessment").fill(
        "I read the reviewed EqIA: older people without a car lose most from the move, and "
        "I weighed the shuttle bus as the mitigation before deciding."
    )
    board_page.get_by_role("button", name="Record my regard").click()
    board_visitor.check()
    assert "older people without a car lose most" in _main(board_visitor)

    # 6. The lead responds to every theme (an incomplete answer is refused first) ...
    visitor.visit(outcome_page)
    links = page.locator("a", has_text="Respond")
    themes = links.count()
    assert themes >= 2
    for n in range(themes):
        visitor.visit(outcome_page)
        page.locator("a", has_text="Respond").first.click()
        visitor.check()
        page.get_by_label("Our response").fill(
            f"We will run a shuttle bus ({n + 1}) because the bus from the villages takes "
            "over an hour."
        )
        page.get_by_label("Partly").check()
        if n == 0:
            page.get_by_role("button", name="Save the response").click()
            visitor.check()
            assert (
                "Say how it changed the recommendation"
                in page.locator(".nhsuk-error-summary").inner_text()
            )
        page.get_by_label("How it changed the recommendation").fill(
            "A free shuttle bus from the villages every hour for two years."
        )
        page.get_by_role("button", name="Save the response").click()
        visitor.check()
        assert "saved" in _main(visitor)
    assert "0 without a complete response" in _main(visitor)

    # ... issues the outcome report to the decision makers, and downloads it.
    page.get_by_role("link", name="Issue the report to the decision makers").click()
    visitor.check()
    page.get_by_label("Issued to").fill("ICB board members, meeting in public")
    page.get_by_role("button", name="Issue the report").click()
    visitor.check()
    assert "ICB board members, meeting in public" in _main(visitor)
    page.get_by_role("link", name="Read the outcome report").click()
    visitor.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF, tagged for accessibility)").click()
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for expected in (
        f"Outcome report: {TITLE}",
        "Issued to ICB board members, meeting in public",
        f"We received {ANSWERS} responses",
        "What people said",
        "How it was taken into account",
        "We will run a shuttle bus (1) because",
        "A free shuttle bus from the villages every hour for two years.",
    ):
        assert expected in text, expected
    assert "/StructTreeRoot" in reader.root_object
    assert AuditEvent.objects.filter(action=Action.OUTCOME_REPORT_DOWNLOADED).count() == 1

    # 7. The board member records the decision: the proposal is decided.
    board_visitor.visit(outcome_page)
    assert "Everything needed before a decision is in place." in _main(board_visitor)
    board_page.get_by_role("link", name="Record the decision").click()
    board_visitor.check()
    fill_decision()
    assert "The decision is recorded and the proposal is decided." in _main(board_visitor)
    proposal.refresh_from_db()
    assert proposal.status == "decided"
    assert Decision.objects.get().decided_by == "NHS Example ICB board, in public"

    # 7b. Issuing published nothing: an administrator approves "you said, we did" after
    # reading what the redactor would change; only then does it go public.
    admin_visitor = another_visitor()
    _sign_in(admin_visitor, make_staff(Role.ADMINISTRATOR))
    admin_visitor.visit(reverse("outcomes:publications"))
    admin_visitor.page.get_by_role("link", name=TITLE).click()
    admin_visitor.check()
    admin_visitor.page.get_by_role("button", name="Approve and publish the redacted text").click()
    admin_visitor.check()
    assert "is published" in _main(admin_visitor)

    # 8. The public: the proposal's page links to "You said, we did".
    public = another_visitor()
    public.visit(reverse("public:home"))
    public.page.get_by_role("main").get_by_role("link", name="You said, we did").click()
    public.check()
    public.page.get_by_role("link", name=TITLE).click()
    public.check()
    said = _main(public)
    assert "You said, we did" in said
    assert "We will run a shuttle bus (1) because" in said
    assert "Move the unit to the health centre, with a shuttle bus for two years." in said
    public.visit(reverse("proposals_public:detail", kwargs={"slug": proposal.slug}))
    public.page.get_by_role("link", name="You said, we did").first.click()
    public.check()
    assert public.page.url.endswith(
        reverse("outcomes_public:detail", kwargs={"slug": proposal.slug})
    )

    # 9. The themes page, the outcome report and "you said, we did" agree on the names,
    # the counts and the quotes of the signed-off codeframe (renamed and merged above),
    # and the counts are the codings counted here, independently of the selectors.
    expected = {
        theme.name: Coding.objects.filter(theme=theme)
        .exclude(status="rejected")
        .values("answer")
        .distinct()
        .count()
        for theme in Theme.objects.filter(codeframe__question=why)
    }
    assert RENAMED in expected and second.name not in expected

    analyst_visitor.visit(reverse("analysis:question", kwargs={"pk": why.pk}))
    staff_rows = analyst_visitor.page.evaluate(_TABLE_ROWS, "#themes-table")
    on_themes_page = {name: int(n) for name, n, *_ in staff_rows}

    visitor.visit(reverse("outcomes:report", kwargs={"pk": proposal.pk}))
    report = page.evaluate(_REPORT_THEMES)
    public.visit(reverse("outcomes_public:detail", kwargs={"slug": proposal.slug}))
    said_page = public.page.evaluate(_PUBLIC_THEMES)

    assert on_themes_page == expected
    assert {name: t["answers"] for name, t in report.items()} == expected
    assert {name: t["answers"] for name, t in said_page.items()} == expected
    assert {name: t["quotes"] for name, t in said_page.items()} == {
        name: t["quotes"] for name, t in report.items()
    }
    quoted = [q for t in report.values() for q in t["quotes"]]
    assert quoted, "people agreed to be quoted: the report quotes some of them"
    consented = set(  # quotes are the redacted words of people who agreed
        AnswerAnalysis.objects.filter(
            answer__question=why, answer__response__publish_consent=True
        ).values_list("redacted_text", flat=True)
    )
    assert all(q in consented for q in quoted), "a quote from someone who did not agree"


_TABLE_ROWS = """selector => [...document.querySelectorAll(selector + ' tbody tr')].map(
  tr => [...tr.querySelectorAll('th, td')].map(
    c => c.innerText.replace('Sub-theme:', '').replace(/^\\s*–\\s*/, '').trim()))"""

# The report: a table of themes with their answers, then a heading per theme followed by
# its quotes.
_REPORT_THEMES = """() => {
  const out = {};
  const table = [...document.querySelectorAll('main table')].find(
    t => t.caption && t.caption.innerText.startsWith('Themes, with the number of answers'));
  for (const tr of table.querySelectorAll('tbody tr')) {
    const cells = [...tr.querySelectorAll('td')].map(c => c.innerText.trim());
    out[cells[0].replace(/^–\\s*/, '')] = {answers: parseInt(cells[1], 10), quotes: []};
  }
  for (const h of document.querySelectorAll('main h3')) {
    if (!(h.innerText.trim() in out)) continue;
    let el = h.nextElementSibling;
    while (el && el.tagName !== 'H3' && el.tagName !== 'H2') {
      if (el.tagName === 'UL') out[h.innerText.trim()].quotes =
        [...el.querySelectorAll('li')].map(li => li.innerText.trim().replace(/^“|”$/g, ''));
      el = el.nextElementSibling;
    }
  }
  return out;
}"""

_PUBLIC_THEMES = """() => {
  const out = {};
  for (const card of document.querySelectorAll('main .nhsuk-card')) {
    const h = card.querySelector('h3');
    if (!h) continue;
    const said = card.querySelector('p').innerText;
    const m = said.match(/\\((\\d+) answers?/);
    out[h.innerText.trim()] = {
      answers: m ? parseInt(m[1], 10) : null,
      quotes: [...card.querySelectorAll('ul li')].map(
        li => li.innerText.trim().replace(/^“|”$/g, '')),
    };
  }
  return out;
}"""
