"""Coding many answers at once, counts that add up, and support beside sentiment."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from heard.analysis import selectors, services
from heard.analysis.models import AnswerAnalysis, Codeframe, Coding, Theme
from heard.analysis.tests.helpers import make_question
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.models import Answer, Question
from heard.insight.models import Insight

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(make_staff):
    texts = [
        "The car park is always full at the hospital",
        "Parking costs too much for visitors",
        "The nurses were kind",
        "Waited three hours for a parking space",
        "Staff were lovely and kind",
    ]
    question = make_question(texts)
    frame = Codeframe.objects.create(question=question)
    parking = Theme.objects.create(codeframe=frame, name="Car parking at the hospital")
    kind = Theme.objects.create(codeframe=frame, name="Kind staff")
    answers = list(question.answers.order_by("pk"))
    for i, a in enumerate(answers):
        AnswerAnalysis.objects.create(
            answer=a, question=question, redacted_text=a.text, needs_review=(i == 4)
        )
    Coding.objects.create(answer=answers[2], theme=kind, source="machine", confidence=0.9)
    return {"question": question, "answers": answers, "parking": parking, "kind": kind}


def test_an_officer_applies_a_theme_to_many_answers_found_by_their_words(coded, staff_client):
    client, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    q, parking = coded["question"], coded["parking"]
    url = reverse("analysis:bulk", args=[q.pk])
    page = client.get(url, {"contains": "park"}).content.decode()
    assert "3 responses found" in page
    assert "The nurses were kind" not in page
    ids = [a.pk for a in coded["answers"] if "ark" in a.text]
    r = client.post(
        url + "?contains=park",
        {"answer": ids, "theme": parking.pk, "action": "apply", "contains": "park"},
        follow=True,
    )
    assert "‘Car parking at the hospital’ applied to 3 responses." in r.content.decode()
    codings = Coding.objects.filter(theme=parking)
    assert {c.answer_id for c in codings} == set(ids)
    assert all(c.status == "accepted" and c.by == officer and c.source == "person" for c in codings)
    events = AuditEvent.objects.filter(action=Action.CODING_ADDED)
    assert events.count() == 3 and all(e.after["bulk"] for e in events)
    assert Insight.objects.get(answer_id=ids[0]).themes == ["Car parking at the hospital"]
    # The same act again changes nothing and says so.
    r = client.post(url, {"answer": ids, "theme": parking.pk, "action": "apply"}, follow=True)
    assert "applied to 0 responses (3 already had that decision)" in r.content.decode()
    assert AuditEvent.objects.filter(action=Action.CODING_ADDED).count() == 3
    # Filter on the theme, then remove it from one: a person's rejection, kept.
    page = client.get(url, {"filter_theme": parking.pk}).content.decode()
    assert "3 responses found" in page
    page = client.get(url, {"filter_theme": parking.pk, "without": "1"}).content.decode()
    assert "2 responses found" in page
    client.post(url, {"answer": [ids[0]], "theme": parking.pk, "action": "remove"})
    assert Coding.objects.get(theme=parking, answer_id=ids[0]).status == "rejected"
    assert Insight.objects.get(answer_id=ids[0]).themes == []


def test_bulk_coding_refuses_what_it_must(coded, make_staff):
    q, parking = coded["question"], coded["parking"]
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(services.AnalysisProblem, match="Choose at least one response"):
        services.codings_bulk(question=q, answer_ids=[], theme=parking, actor=officer, apply=True)
    # An answer to another question (a tampered form) is refused, nothing is stored.
    other = make_question(["Something else entirely"])
    stray = other.answers.get()
    AnswerAnalysis.objects.create(answer=stray, question=other, redacted_text=stray.text)
    with pytest.raises(services.AnalysisProblem, match="not analysed answers to this question"):
        services.codings_bulk(
            question=q,
            answer_ids=[coded["answers"][0].pk, stray.pk],
            theme=parking,
            actor=officer,
            apply=True,
        )
    other_theme = Theme.objects.create(
        codeframe=Codeframe.objects.create(question=other), name="Other"
    )
    with pytest.raises(services.AnalysisProblem, match="another question"):
        services.codings_bulk(
            question=q,
            answer_ids=[coded["answers"][0].pk],
            theme=other_theme,
            actor=officer,
            apply=True,
        )
    too_many = list(range(1, services.BULK_LIMIT + 2))
    with pytest.raises(services.AnalysisProblem, match="at most"):
        services.codings_bulk(
            question=q, answer_ids=too_many, theme=parking, actor=officer, apply=True
        )
    for role in (Role.PROGRAMME_LEAD, Role.DECISION_MAKER, Role.SCRUTINY_READER):
        with pytest.raises(PermissionDenied):
            services.codings_bulk(
                question=q,
                answer_ids=[coded["answers"][0].pk],
                theme=parking,
                actor=make_staff(role),
                apply=True,
            )
    assert not Coding.objects.filter(theme=parking).exists()


def test_no_theme_chosen_is_a_clear_error_on_the_page(coded, staff_client):
    client, _ = staff_client(Role.ANALYST)
    url = reverse("analysis:bulk", args=[coded["question"].pk])
    r = client.post(url, {"answer": [coded["answers"][0].pk], "action": "apply"})
    assert r.status_code == 400
    assert "Choose the theme to apply or remove." in r.content.decode()


def test_the_summary_counts_add_up(coded, make_staff):
    officer = make_staff(Role.ANALYST)
    q, answers = coded["question"], coded["answers"]
    # One answer coded by hand (not finished), one fully reviewed.
    services.coding_add(answer_id=answers[0].pk, theme=coded["parking"], actor=officer)
    services.coding_decide(coding=Coding.objects.get(answer=answers[2]), actor=officer, accept=True)
    counts = selectors.queue_counts(q)
    assert (counts.analysed, counts.reviewed, counts.open) == (5, 1, 4)
    assert counts.reviewed + counts.open == counts.analysed
    assert counts.needs_review == 1 and counts.confirmed == 2


def test_support_is_shown_beside_the_themes_from_the_agree_question(coded):
    q = coded["question"]
    likert = Question.objects.create(
        version=q.version,
        section=q.section,
        key="agree",
        position=2,
        kind=Question.Kind.LIKERT,
        text="How far do you agree with the proposal?",
    )
    answers = coded["answers"]
    for answer, value in zip(
        answers, ["agree", "strongly_disagree", "agree", "neutral"], strict=False
    ):
        Answer.objects.create(response=answer.response, question=likert, value=value)
    for a in answers[:2] + answers[3:]:
        Coding.objects.create(answer=a, theme=coded["parking"], source="person", status="accepted")
    rows = selectors.themes_with_counts(Codeframe.objects.get(question=q))
    support = selectors.support_by_theme(q, rows)
    assert support.question_text == "How far do you agree with the proposal?"
    by_name = {r.name: r for r in support.rows}
    parking = by_name["Car parking at the hospital"]
    # answers 0, 1, 3, 4: agree, strongly disagree, neutral, not answered
    assert (parking.agree, parking.disagree, parking.neutral, parking.other) == (1, 1, 1, 1)
    assert (by_name["Kind staff"].agree, by_name["Kind staff"].disagree) == (1, 0)
