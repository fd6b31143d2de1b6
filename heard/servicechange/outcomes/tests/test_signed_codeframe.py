"""The outcome report and the consideration of themes use a signed-off codeframe version:
issuing is refused without one, the report says which version it used, and what happens
in analysis after sign-off never alters what was reported."""

import pytest

from heard.analysis import services as analysis_services
from heard.analysis.models import Codeframe, Coding
from heard.core.roles import Role
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.models import ReportPublication
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import (
    make_consulted_proposal,
    respond_to_all,
    sign_off_codeframe,
)

pytestmark = pytest.mark.django_db


def test_no_report_without_a_signed_off_codeframe(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal(sign_off=False)
    proposal = made["proposal"]
    themes = selectors.themes_for(proposal)
    assert themes.items == [] and themes.unsigned == ["What do you think of the proposal?"]
    with pytest.raises(OutcomeRefused, match="Sign off the codeframe of"):
        services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    assert any("Sign off the codeframe" in p for p in selectors.readiness(proposal))
    sign_off_codeframe(made["question"].codeframe)
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    assert ReportPublication.objects.filter(outcome__proposal=proposal).count() == 1


def test_the_report_says_which_version_and_later_changes_never_alter_it(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    analyst = make_staff(Role.ANALYST, full_name="Priya Shah")
    made = make_consulted_proposal(sign_off=False)
    proposal, frame = made["proposal"], made["question"].codeframe
    analysis_services.codeframe_sign_off(codeframe=frame, actor=analyst)
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    issued = ReportPublication.objects.get(outcome__proposal=proposal)
    assert "Based on codeframe version 1, signed off by Priya Shah on" in issued.body_html
    assert {r["codeframe_version"] for r in issued.themes} == {1}
    stored = (issued.body_html, issued.themes, bytes(issued.pdf))
    counts = {t.name: t.answers for t in selectors.themes_for(proposal).items}
    assert counts == {"Travel to the new site": 3, "Parking": 2}

    # after issue the analysis is locked: a change needs the report reopened first
    travel, parking = made["themes"]["Travel to the new site"], made["themes"]["Parking"]
    with pytest.raises(analysis_services.AnalysisProblem, match="reopened with a reason"):
        analysis_services.theme_update(
            theme=travel, actor=analyst, name="Buses", description="Buses to the site."
        )
    # ... and even if the lock were lifted behind the services (a direct database write),
    # rename, recode and merge change nothing that was issued
    Codeframe.objects.filter(pk=frame.pk).update(locked_reason="")
    analysis_services.theme_update(
        theme=travel, actor=analyst, name="Buses", description="Buses to the site."
    )
    Coding.objects.filter(theme=parking).update(status="rejected")
    # the live pages still show version 1 as signed off, and the record still matches
    assert {t.name: t.answers for t in selectors.themes_for(proposal).items} == counts
    assert not any("no longer" in p or "come from" in p for p in selectors.readiness(proposal))

    # a new version is signed off: the issued report is untouched, and the board is told
    analysis_services.theme_merge(source=parking, target=travel, actor=analyst)
    analysis_services.codeframe_sign_off(
        codeframe=frame, actor=analyst, reason="Merged parking into buses after review"
    )
    issued.refresh_from_db()
    assert (issued.body_html, issued.themes, bytes(issued.pdf)) == stored
    now = {t.name: t.answers for t in selectors.themes_for(proposal).items}
    assert now == {"Buses": 3}
    problems = selectors.readiness(proposal)
    assert any("now come from codeframe version 2, not version 1" in p for p in problems)


def test_no_response_to_a_signed_theme_merged_away_since(make_staff):
    officer, analyst = make_staff(Role.ENGAGEMENT_OFFICER), make_staff(Role.ANALYST)
    made = make_consulted_proposal()
    travel, parking = made["themes"]["Travel to the new site"], made["themes"]["Parking"]
    parking_id = parking.pk
    analysis_services.theme_merge(source=parking, target=travel, actor=analyst)
    with pytest.raises(OutcomeRefused, match="sign off a new version"):
        services.theme_response_save(
            proposal=made["proposal"],
            theme_id=parking_id,
            actor=officer,
            response="We will add spaces. We weighed this against the travel survey and the clinical advice.",
            changed="no",
        )


def test_a_later_questionnaire_versions_question_is_not_a_second_unanalysed_question():
    """Editing the questionnaire (a new version, the question keeping its key) does not
    split the question's analysis: the report does not ask for v2 to be analysed apart."""
    from heard.engagement.models import Answer, Question, QuestionnaireVersion, Response, Section

    made = make_consulted_proposal()
    first = made["question"]
    questionnaire = first.version.questionnaire
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=2)
    section = Section.objects.create(version=version, position=1, title="Your views")
    second = Question.objects.create(
        version=version, section=section, key=first.key, kind=first.kind, text=first.text
    )
    response = Response.objects.create(
        activity=questionnaire.activity,
        questionnaire=questionnaire,
        version=version,
        reference="V2000001",
    )
    Answer.objects.create(response=response, question=second, text="The bus is too slow")
    assert [q.pk for q in selectors.free_text_questions(made["consultation"])] == [first.pk]
    assert selectors.free_text_questions(made["consultation"])[0].answer_count == 6
    themes = selectors.themes_for(made["proposal"])
    assert themes.unanalysed == [] and themes.unsigned == []
    assert {t.question_id for t in themes.items} == {first.pk}
