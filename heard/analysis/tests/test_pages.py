"""Pages around a run: start it, watch its progress (kept in the database, so a reload
shows the same), see the themes, campaign groups and evidence."""

import pytest
from django.urls import reverse

from heard.analysis.models import AnalysisRun
from heard.analysis.tests.helpers import make_question, texts
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def test_progress_survives_a_reload_and_polls_only_while_running(staff_client):
    client, _ = staff_client(Role.ANALYST)
    question = make_question(["One answer", "Another answer"])
    run = AnalysisRun.objects.create(
        question=question,
        status="running",
        progress_done=42,
        progress_total=100,
        stage="Suggesting themes",
    )
    for _ in range(2):  # reload: same progress, from the database
        html = client.get(reverse("analysis:run", kwargs={"pk": run.pk})).content.decode()
        assert "Suggesting themes: 42% done." in html
        assert 'value="42"' in html
        assert 'hx-trigger="every 1s"' in html
    fragment = client.get(reverse("analysis:run_status", kwargs={"pk": run.pk})).content.decode()
    assert "<h1" not in fragment and "42%" in fragment
    AnalysisRun.objects.filter(pk=run.pk).update(status="failed", error="Run it again, please.")
    html = client.get(reverse("analysis:run", kwargs={"pk": run.pk})).content.decode()
    assert "hx-trigger" not in html
    assert "The analysis did not finish" in html and "Run it again, please." in html


def test_run_from_the_question_page_then_read_the_results(
    staff_client, django_capture_on_commit_callbacks
):
    client, _ = staff_client(Role.ANALYST)
    question = make_question(texts(10))
    index = client.get(reverse("analysis:index")).content.decode()
    assert question.text in index and "Not analysed yet" in index
    url = reverse("analysis:question", kwargs={"pk": question.pk})
    assert "Run the analysis</button>" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("analysis:run_start", kwargs={"pk": question.pk}))
    run = AnalysisRun.objects.get()
    assert started.url == reverse("analysis:run", kwargs={"pk": run.pk})
    html = client.get(started.url).content.decode()
    assert "Analysis finished" in html and "30 answers analysed" in html
    html = client.get(url).content.decode()
    assert 'id="themes-table"' in html
    assert "Run the analysis again" in html
    assert "Campaign responses" in html
    assert html.count('href="/staff/analysis/answers/') >= 10  # "code these next" links
    assert 'id="code-next"' in html
    # A decision maker sees results but cannot run or edit.
    viewer, _ = staff_client(Role.DECISION_MAKER)
    html = viewer.get(url).content.decode()
    assert 'id="themes-table"' in html and "Run the analysis" not in html
    assert (
        "Rename or describe"
        not in viewer.get(
            reverse("analysis:codeframe", kwargs={"pk": question.pk})
        ).content.decode()
    )


def test_starting_twice_says_it_is_already_running(staff_client):
    client, _ = staff_client(Role.ANALYST)
    question = make_question(["One answer"])
    AnalysisRun.objects.create(question=question, status="queued")
    page = client.post(reverse("analysis:run_start", kwargs={"pk": question.pk}), follow=True)
    assert "already under way" in page.content.decode()
    assert AnalysisRun.objects.count() == 1


def test_the_activity_link_lists_only_its_questions(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    mine = make_question(["One answer"])
    other = make_question(["Another answer"])
    other.text = "A different question"
    other.save()
    activity = mine.version.questionnaire.activity
    detail = client.get(reverse("engagement:detail", kwargs={"pk": activity.pk})).content.decode()
    link = f"/staff/analysis/?activity={activity.pk}"
    assert link in detail
    html = client.get(link).content.decode()
    assert mine.text in html and "A different question" not in html
