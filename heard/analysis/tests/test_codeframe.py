"""The codeframe editor: rename, describe, add, merge, split, delete – each audited, and
people's decisions move with the codings."""

import pytest
from django.urls import reverse

from heard.analysis import services
from heard.analysis.models import AnswerAnalysis, Codeframe, Coding, Theme
from heard.analysis.tests.helpers import make_question
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.insight.models import Insight

pytestmark = pytest.mark.django_db


@pytest.fixture
def frame(make_staff):
    question = make_question([f"Answer number {i} about nursing" for i in range(6)])
    frame = Codeframe.objects.create(question=question)
    answers = list(question.answers.order_by("pk"))
    for a in answers:
        AnswerAnalysis.objects.create(answer=a, question=question, redacted_text=a.text)
    waiting = Theme.objects.create(codeframe=frame, name="Waiting")
    visits = Theme.objects.create(codeframe=frame, name="Late visits")
    phone = Theme.objects.create(codeframe=frame, name="Phone")
    for a in answers[:4]:
        Coding.objects.create(answer=a, theme=waiting, source="machine", confidence=0.8)
    for a in answers[2:]:
        Coding.objects.create(answer=a, theme=visits, source="machine", confidence=0.6)
    Coding.objects.create(answer=answers[5], theme=phone, source="person", status="accepted")
    return {
        "frame": frame,
        "answers": answers,
        "waiting": waiting,
        "visits": visits,
        "phone": phone,
        "analyst": make_staff(Role.ANALYST),
    }


def test_rename_checks_the_name_bumps_the_version_and_updates_the_insight(frame):
    analyst, waiting = frame["analyst"], frame["waiting"]
    with pytest.raises(services.AnalysisProblem, match="already a theme called"):
        services.theme_update(theme=waiting, actor=analyst, name="late VISITS", description="")
    with pytest.raises(services.AnalysisProblem, match="Enter a name"):
        services.theme_update(theme=waiting, actor=analyst, name="  ", description="")
    services.theme_update(theme=waiting, actor=analyst, name="Waiting at home", description="D")
    assert Codeframe.objects.get().version == 2
    first = frame["answers"][0]
    assert Insight.objects.get(answer_id=first.pk).themes == ["Waiting at home"]
    event = AuditEvent.objects.get(action=Action.CODEFRAME_CHANGED)
    assert event.actor_id == analyst.pk
    assert "Waiting" not in str(event.after)  # no free text in the trail


def test_merge_moves_codings_keeps_the_stronger_decision_and_removes_the_theme(frame):
    analyst, waiting, visits = frame["analyst"], frame["waiting"], frame["visits"]
    answers = frame["answers"]
    # A person accepted "Waiting" on answer 2, which the machine also put in "Late visits".
    services.coding_decide(
        coding=Coding.objects.get(answer=answers[2], theme=waiting), actor=analyst, accept=True
    )
    services.theme_merge(source=waiting, target=visits, actor=analyst)
    assert not Theme.objects.filter(name="Waiting").exists()
    codings = Coding.objects.filter(theme=visits)
    assert sorted(codings.values_list("answer_id", flat=True)) == sorted(a.pk for a in answers)
    assert codings.get(answer=answers[2]).status == "accepted"
    assert codings.get(answer=answers[2]).by_id == analyst.pk
    event = AuditEvent.objects.get(action=Action.THEME_MERGED)
    assert event.after["codings_moved"] == 4


def test_split_moves_only_the_chosen_answers_to_a_sub_theme(frame):
    analyst, waiting, answers = frame["analyst"], frame["waiting"], frame["answers"]
    with pytest.raises(services.AnalysisProblem, match="at least one"):
        services.theme_split(theme=waiting, actor=analyst, name="Evenings", answer_ids=[])
    new = services.theme_split(
        theme=waiting, actor=analyst, name="Evenings", answer_ids=[answers[0].pk, answers[1].pk]
    )
    assert new.parent_id == waiting.pk
    assert set(new.codings.values_list("answer_id", flat=True)) == {answers[0].pk, answers[1].pk}
    assert waiting.codings.count() == 2
    assert Insight.objects.get(answer_id=answers[0].pk).themes == ["Evenings"]


def test_delete_removes_or_moves_codings_and_says_how_many(frame):
    analyst = frame["analyst"]
    removed = services.theme_delete(theme=frame["phone"], actor=analyst)
    assert removed == 1
    assert AuditEvent.objects.get(action=Action.THEME_DELETED).after["codings_removed"] == 1
    moved = services.theme_delete(theme=frame["waiting"], actor=analyst, move_to=frame["visits"])
    assert moved == 4
    assert frame["visits"].codings.count() == 6


def test_add_a_theme_through_the_page_with_errors_first(frame, staff_client):
    client, _ = staff_client(Role.ANALYST)
    question = frame["frame"].question
    url = reverse("analysis:theme_add", kwargs={"pk": question.pk})
    page = client.post(url, {"name": ""})
    assert page.status_code == 400
    assert "Enter a name for the theme." in page.content.decode()
    page = client.post(url, {"name": "phone", "description": ""})
    assert "There is already a theme called" in page.content.decode()
    page = client.post(
        url, {"name": "Parking", "description": "Cars", "parent": frame["visits"].pk}, follow=True
    )
    assert "Theme “Parking” added." in page.content.decode()
    assert Theme.objects.get(name="Parking").parent == frame["visits"]
    assert AuditEvent.objects.filter(action=Action.THEME_ADDED).count() == 1


def test_delete_page_asks_where_codings_go(frame, staff_client):
    client, _ = staff_client(Role.ANALYST)
    url = reverse("analysis:theme_delete", kwargs={"pk": frame["waiting"].pk})
    page = client.post(url, {"what": "move"})
    assert page.status_code == 400
    assert "Choose the theme to move the responses to." in page.content.decode()
    page = client.post(url, {"what": "move", "move_to": frame["visits"].pk}, follow=True)
    assert "4 coding(s) moved to “Late visits”" in page.content.decode()


def test_split_page_lists_the_theme_responses(frame, staff_client):
    client, _ = staff_client(Role.ANALYST)
    url = reverse("analysis:theme_split", kwargs={"pk": frame["waiting"].pk})
    page = client.get(url)
    assert page.content.decode().count('name="answers"') == 4
    a = frame["answers"][3]
    page = client.post(url, {"name": "Nights", "answers": [a.pk]}, follow=True)
    assert "Sub-theme “Nights” made" in page.content.decode()
