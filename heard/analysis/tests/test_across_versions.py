"""One analysis per question across questionnaire versions: answers to the same question
(same key) in versions 1 and 2 land in one analysis with one codeframe; a question whose
meaning changed (a new key) is analysed on its own."""

import pytest
from django.urls import reverse

from heard.analysis import selectors
from heard.analysis.models import AnalysisRun, AnswerAnalysis, Codeframe
from heard.analysis.tests.helpers import make_question, run, texts
from heard.core.roles import Role
from heard.engagement.models import Answer, Question, QuestionnaireVersion, Response, Section

pytestmark = pytest.mark.django_db


def _second_version(first: Question, answers: list[str], *, key: str) -> Question:
    questionnaire = first.version.questionnaire
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=2)
    section = Section.objects.create(version=version, position=1, title="Your experience")
    question = Question.objects.create(
        version=version,
        section=section,
        key=key,
        kind=Question.Kind.LONG_TEXT,
        text=first.text + " (reworded)",
    )
    for i, text in enumerate(answers):
        response = Response.objects.create(
            activity=questionnaire.activity,
            questionnaire=questionnaire,
            version=version,
            reference=f"V2{question.pk:04d}{i:04d}",
        )
        Answer.objects.create(response=response, question=question, text=text)
    return question


def test_answers_under_v1_and_v2_of_the_same_key_land_in_one_analysis(
    make_staff, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    all_texts = texts(n_per_topic=12)
    first = make_question(all_texts[:30])
    second = _second_version(first, all_texts[30:], key=first.key)

    # run from the second version's page: it runs the one analysis of the key
    done = run(second, analyst, django_capture_on_commit_callbacks)
    assert done.status == "done" and done.question_id == first.pk
    assert done.summary["answers"] == len(all_texts)
    assert Codeframe.objects.count() == 1
    assert selectors.codeframe_of(second) == selectors.codeframe_of(first)
    analysed = AnswerAnalysis.objects.filter(question=first)
    assert analysed.filter(answer__question=second).count() == len(all_texts) - 30
    assert analysed.count() == len(all_texts)
    # listed once, with every version's answers
    listed = [q for q in selectors.questions_for_analysis() if q.pk in (first.pk, second.pk)]
    assert [(q.pk, q.answer_count) for q in listed] == [(first.pk, len(all_texts))]
    # a second run (again from either version) keeps the one codeframe
    run(first, analyst, django_capture_on_commit_callbacks)
    assert Codeframe.objects.count() == 1
    assert AnalysisRun.objects.filter(question=second).count() == 0


def test_a_question_whose_meaning_changed_is_analysed_on_its_own(
    make_staff, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    all_texts = texts(n_per_topic=12)
    first = make_question(all_texts[:30])
    changed = _second_version(first, all_texts[30:], key="experience-2")
    done = run(changed, analyst, django_capture_on_commit_callbacks)
    assert done.question_id == changed.pk
    assert done.summary["answers"] == len(all_texts) - 30
    assert selectors.codeframe_of(first) is None


def test_the_second_versions_page_shows_the_shared_analysis(
    make_staff, client, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    all_texts = texts(n_per_topic=12)
    first = make_question(all_texts[:30])
    second = _second_version(first, all_texts[30:], key=first.key)
    run(first, analyst, django_capture_on_commit_callbacks)
    client.force_login(analyst)
    html = client.get(reverse("analysis:codeframe", args=[second.pk])).content.decode()
    assert "There is no codeframe yet" not in html
    assert reverse("analysis:theme_add", args=[first.pk]) in html
