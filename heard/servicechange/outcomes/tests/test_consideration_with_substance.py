"""Conscientious consideration with substance (issue 13, item 7): the report is issued
only when every answer received – late ones too, or a recorded reason why not – is
analysed in the signed-off codeframe, every theme was reviewed by a person, and every
response to a theme says what was considered and why. Refusals are audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.analysis.models import AnswerAnalysis, Coding
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.models import Answer, Response
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.models import LateResponseDecision, ThemeResponse
from heard.servicechange.outcomes.services import OutcomeNotPermitted, OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import (
    make_consulted_proposal,
    respond_to_all,
    sign_off_codeframe,
)

pytestmark = pytest.mark.django_db

REASON = "It arrived a month after the close and repeats the travel points already considered."


def _refused(act: str) -> int:
    return AuditEvent.objects.filter(action=Action.ACT_REFUSED, after__act=act).count()


def _late_paper_answer(made, text="I object: the bus from Eastham stops at six.") -> Response:
    question = made["question"]
    consultation = made["consultation"]
    response = Response.objects.create(
        activity=consultation.activity,
        questionnaire=question.version.questionnaire,
        version=question.version,
        channel=Response.Channel.PAPER,
        submitted_at=consultation.activity.closes_at + timedelta(days=3),
        late=True,
        reference=f"P{Response.objects.count() + 9000000:07d}",
    )
    Answer.objects.create(response=response, question=question, text=text)
    return response


def test_a_late_paper_objection_never_analysed_stops_the_report(make_staff):
    """Found earlier: a late paper objection was never analysed, and the report went."""
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    late = _late_paper_answer(made)
    before = _refused("outcome.issue")
    with pytest.raises(OutcomeRefused) as refused:
        services.report_issue(proposal=proposal, actor=officer, issued_to="The ICB board")
    assert any("1 late answer" in p and late.reference in p for p in refused.value.problems)
    assert _refused("outcome.issue") == before + 1
    progress = selectors.analysis_progress(proposal)
    assert (progress.analysed, progress.answers, progress.late_undecided) == (5, 6, 1)

    # A reason that says nothing is refused (and audited); so is a response not late.
    before = _refused("outcome.late_response_set_aside")
    for reason in ("late", "Noted.", "x", "Too late."):
        with pytest.raises(OutcomeRefused):
            services.late_response_set_aside(
                proposal=proposal, actor=officer, reference=late.reference, reason=reason
            )
    on_time = Response.objects.filter(activity=made["consultation"].activity, late=False).first()
    with pytest.raises(OutcomeRefused, match="received after it closed"):
        services.late_response_set_aside(
            proposal=proposal, actor=officer, reference=on_time.reference, reason=REASON
        )
    assert _refused("outcome.late_response_set_aside") == before + 5
    services.late_response_set_aside(
        proposal=proposal, actor=officer, reference=late.reference, reason=REASON
    )
    with pytest.raises(OutcomeRefused, match="already recorded"):
        services.late_response_set_aside(
            proposal=proposal, actor=officer, reference=late.reference, reason=REASON
        )
    assert LateResponseDecision.objects.filter(response=late).count() == 1
    services.report_issue(proposal=proposal, actor=officer, issued_to="The ICB board")


def test_setting_a_late_response_aside_is_for_those_who_consider_responses(make_staff):
    made = make_consulted_proposal()
    late = _late_paper_answer(made)
    with pytest.raises(OutcomeNotPermitted):
        services.late_response_set_aside(
            proposal=made["proposal"],
            actor=make_staff(Role.SCRUTINY_READER),
            reference=late.reference,
            reason=REASON,
        )
    assert not LateResponseDecision.objects.exists()


def test_one_coded_answer_does_not_make_a_question_analysed(make_staff):
    """Found earlier: a question counted as analysed once one theme had one answer."""
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    extra = Answer.objects.create(
        response=Response.objects.create(
            activity=made["consultation"].activity,
            questionnaire=made["question"].version.questionnaire,
            version=made["question"].version,
            reference="O9999999",
        ),
        question=made["question"],
        text="The car park needs more disabled bays near the entrance.",
    )
    with pytest.raises(OutcomeRefused) as refused:
        services.report_issue(proposal=proposal, actor=officer, issued_to="The ICB board")
    assert any("1 answer to" in p and "not coded" in p for p in refused.value.problems)
    # A person marks it "no theme" (reviewed, nothing applies): now it is analysed.
    from heard.analysis.services import answer_reviewed

    analysis = AnswerAnalysis.objects.create(
        answer=extra, question=made["question"], redacted_text=extra.text
    )
    answer_reviewed(analysis=analysis, actor=make_staff(Role.ANALYST))
    progress = selectors.analysis_progress(proposal)
    assert progress.analysed == progress.answers == 6
    assert progress.questions[0].no_theme == 1
    services.report_issue(proposal=proposal, actor=officer, issued_to="The ICB board")


def test_a_theme_of_machine_suggestions_only_stops_the_report(make_staff):
    """Found earlier: machine themes with no person's review were enough."""
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal(sign_off=False)
    parking = made["themes"]["Parking"]
    Coding.objects.filter(theme=parking).update(source="machine", status="suggested", by=None)
    sign_off_codeframe(made["question"].codeframe)
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    with pytest.raises(OutcomeRefused) as refused:
        services.report_issue(proposal=proposal, actor=officer, issued_to="The ICB board")
    assert any("No person reviewed" in p and "Parking" in p for p in refused.value.problems)
    assert selectors.analysis_progress(proposal).themes_reviewed == 1


@pytest.mark.parametrize("text", [".", "Noted.", "Noted with thanks", "We will add spaces."])
def test_a_theme_response_that_says_nothing_is_refused_and_stops_the_report(make_staff, text):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    parking = made["themes"]["Parking"]
    with pytest.raises(OutcomeRefused, match="what was considered"):
        services.theme_response_save(
            proposal=proposal, theme_id=parking.pk, actor=officer, response=text, changed="no"
        )
    respond_to_all(proposal, made["themes"], officer)
    # One written before the rule (straight into the table) is caught at issue.
    ThemeResponse.objects.filter(theme=parking).update(response=text)
    with pytest.raises(OutcomeRefused) as refused:
        services.report_issue(proposal=proposal, actor=officer, issued_to="The ICB board")
    assert any("do not say what was considered" in p for p in refused.value.problems)


def test_the_outcome_page_shows_the_checklist_in_counts(staff_client, make_staff):
    made = make_consulted_proposal()
    _late_paper_answer(made)
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    page = client.get(reverse("outcomes:proposal", args=[made["proposal"].pk])).content.decode()
    assert "5 of 6 answers analysed" in page
    assert "1 late answer with no decision" in page
    assert "2 of 2 themes reviewed by a person" in page
    assert "0 of 2 themes with a response saying what was considered" in page
    assert "Record why a late response is not taken into account" in page


def test_the_decision_is_refused_without_due_regard(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    board = make_staff(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="The ICB board")
    before = _refused("outcome.decide")
    with pytest.raises(OutcomeRefused) as refused:
        lifecycle_services.decision_record(
            proposal=proposal,
            actor=board,
            decided_on=timezone.localdate(),
            decided_by="The ICB board",
            decision="Move the unit, with a shuttle bus.",
            board_paper_url="https://example.nhs.uk/board.pdf",
        )
    assert any("No decision maker has recorded their regard" in p for p in refused.value.problems)
    assert _refused("outcome.decide") == before + 1


def test_the_checklist_says_how_many_answers_only_the_machine_coded(staff_client, make_staff):
    """Found in a demo click-through: "Done – 394 of 394 answers analysed" read as if a
    person had checked them all, while 296 were the machine's coding alone."""
    from heard.analysis.models import Coding

    made = make_consulted_proposal()
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    url = reverse("outcomes:proposal", args=[made["proposal"].pk])
    page = client.get(url).content.decode()
    assert "Of these, 5 were checked by a person and 0 were coded by the machine alone" in page
    # One answer's coding becomes a machine suggestion nobody looked at.
    coding = Coding.objects.filter(answer__response__late=False).first()
    assert coding is not None
    Coding.objects.filter(answer_id=coding.answer_id).update(
        source=Coding.Source.MACHINE, status=Coding.Status.SUGGESTED, by=None
    )
    from heard.analysis.models import AnswerAnalysis

    AnswerAnalysis.objects.filter(answer_id=coding.answer_id).update(
        reviewed_at=None, reviewed_by=None
    )
    page = client.get(url).content.decode()
    assert "Of these, 4 were checked by a person and 1 was coded by the machine alone" in page
