"""The review queue: accept, reject, code by hand, move on; agreement per theme; themes by
respondent group with small numbers suppressed."""

import pytest
from django.urls import reverse

from heard.analysis import selectors, services
from heard.analysis.models import AnswerAnalysis, Codeframe, Coding, Theme
from heard.analysis.tests.helpers import make_question
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.insight.models import Insight

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(make_staff):
    question = make_question([f"Response {i} about waiting and phones" for i in range(4)])
    frame = Codeframe.objects.create(question=question)
    waiting = Theme.objects.create(codeframe=frame, name="Waiting")
    phone = Theme.objects.create(codeframe=frame, name="Phone")
    answers = list(question.answers.order_by("pk"))
    for i, a in enumerate(answers):
        AnswerAnalysis.objects.create(
            answer=a, question=question, redacted_text=a.text, needs_review=(i == 2)
        )
        Coding.objects.create(answer=a, theme=waiting, source="machine", confidence=0.91)
    Coding.objects.create(answer=answers[0], theme=phone, source="machine", confidence=0.4)
    return {"question": question, "answers": answers, "waiting": waiting, "phone": phone}


def test_low_confidence_answers_come_first(queue):
    assert selectors.next_in_queue(queue["question"]).answer_id == queue["answers"][2].pk


def test_accept_then_reject_moves_to_the_next_response_and_is_audited(queue, staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    first = queue["answers"][0]
    url = reverse("analysis:review_answer", kwargs={"pk": first.pk})
    page = client.get(url)
    html = page.content.decode()
    assert 'id="answer-heading" tabindex="-1" autofocus' in html
    assert "91%" in html
    waiting = Coding.objects.get(answer=first, theme=queue["waiting"])
    phone = Coding.objects.get(answer=first, theme=queue["phone"])
    page = client.post(url, {"accept": waiting.pk})
    assert page.url.endswith(f"/answers/{first.pk}/review/#answer-heading")  # one still open
    page = client.post(url, {"reject": phone.pk})
    nxt = queue["answers"][2].pk  # low confidence first
    assert page.url.endswith(f"/answers/{nxt}/review/#answer-heading")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.source) == ("accepted", "machine")
    assert waiting.by is not None and waiting.at
    assert AnswerAnalysis.objects.get(answer=first).reviewed_at is not None
    assert Insight.objects.get(answer_id=first.pk).themes == ["Waiting"]
    events = AuditEvent.objects.filter(
        action__in=[Action.CODING_ACCEPTED, Action.CODING_REJECTED]
    ).order_by("pk")
    assert [e.after["status"] for e in events] == ["accepted", "rejected"]
    assert all(e.after["suggested_by"] == "machine" for e in events)
    assert all(e.after["decided_by"] == "person" for e in events)


def test_code_by_hand_and_mark_reviewed(queue, staff_client):
    client, _ = staff_client(Role.ANALYST)
    answer = queue["answers"][1]
    url = reverse("analysis:review_answer", kwargs={"pk": answer.pk})
    page = client.post(url, {"add": "1", "theme": ""})
    assert page.status_code == 400
    assert "Choose a theme to add to this response." in page.content.decode()
    client.post(url, {"add": "1", "theme": queue["phone"].pk})
    hand = Coding.objects.get(answer=answer, theme=queue["phone"])
    assert (hand.source, hand.status) == ("person", "accepted")
    page = client.post(url, {"done": "1"})
    assert page.status_code == 400
    assert "Accept or reject each suggested theme" in page.content.decode()
    client.post(url, {"accept": Coding.objects.get(answer=answer, theme=queue["waiting"]).pk})
    assert AnswerAnalysis.objects.get(answer=answer).reviewed_at is not None
    assert sorted(Insight.objects.get(answer_id=answer.pk).themes) == ["Phone", "Waiting"]


def test_agreement_per_theme(queue, make_staff):
    person = make_staff(Role.ANALYST)
    a0, a1 = queue["answers"][:2]
    # a0: machine said Waiting and Phone; people accept Waiting, reject Phone.
    services.coding_decide(
        coding=Coding.objects.get(answer=a0, theme=queue["waiting"]), actor=person, accept=True
    )
    services.coding_decide(
        coding=Coding.objects.get(answer=a0, theme=queue["phone"]), actor=person, accept=False
    )
    # a1: machine said Waiting; people reject it and code Phone by hand.
    services.coding_add(answer_id=a1.pk, theme=queue["phone"], actor=person)
    services.coding_decide(
        coding=Coding.objects.get(answer=a1, theme=queue["waiting"]), actor=person, accept=False
    )
    rows = {r.theme: r for r in selectors.agreement_table(queue["question"])}
    assert (rows["Waiting"].answers, rows["Waiting"].both, rows["Waiting"].machine_only) == (
        2,
        1,
        1,
    )
    assert rows["Waiting"].percent == 50.0
    assert (rows["Phone"].machine_only, rows["Phone"].people_only) == (1, 1)
    assert rows["Phone"].percent == 0.0


def test_themes_by_group_suppress_small_numbers(make_staff, staff_client, settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 10
    equality = [{"sex": "female"}] * 12 + [{"sex": "male"}] * 3
    question = make_question([f"Answer {i}" for i in range(15)], equality=equality, organisations=2)
    frame = Codeframe.objects.create(question=question)
    theme = Theme.objects.create(codeframe=frame, name="Waiting")
    for a in question.answers.all():
        Coding.objects.create(answer=a, theme=theme, source="machine")
    tables = {t.title: t for t in selectors.themes_by_group(question)}
    sex = tables["What is your sex?"]
    assert sex.groups == ["Female", "Male"]
    # 12 women, 3 men: 3 is hidden; 12 may show, since nobody knows how many of the 15
    # gave no answer; the men's theme cells are hidden with their group, zeros included
    assert [str(f) for f in sex.respondents] == ["12", "fewer than 10"]
    assert [str(f) for f in sex.rows[0][1]] == ["12", "fewer than 10"]
    assert tables["How they responded"].groups == ["Online"]
    responding = tables["Responding as"]
    # 13 and 2 of 15, and everyone is one or the other: 13 is hidden too ("suppressed")
    assert [str(f) for f in responding.respondents] == ["suppressed", "fewer than 10"]
    assert all(f.hidden for f in responding.rows[0][1])
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    page = client.get(reverse("analysis:groups", kwargs={"pk": question.pk}))
    html = page.content.decode()
    assert "fewer than 10" in html and "suppressed" in html
    assert ">3<" not in html and ">13<" not in html and ">2<" not in html


def test_skipping_moves_forward_through_the_queue(queue, staff_client):
    client, _ = staff_client(Role.ANALYST)
    order = [a.answer_id for a in selectors.review_queue(queue["question"])]
    assert len(order) == 4
    seen = [order[0]]
    for _ in range(4):
        html = client.get(
            reverse("analysis:review_answer", kwargs={"pk": seen[-1]})
        ).content.decode()
        nxt = html.split("Skip to the next response")[0].rsplit("/staff/analysis/answers/", 1)[1]
        seen.append(int(nxt.split("/")[0]))
    assert seen == [*order, order[0]]  # every response once, then round again
