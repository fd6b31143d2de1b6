"""Runs: the background task analyses a question, keeps people's decisions on a re-run,
fails with a message for people, and writes themes back to the insight bank."""

from unittest import mock

import pytest

from heard.analysis import services
from heard.analysis.models import AnalysisRun, AnswerAnalysis, Codeframe, Coding, Theme
from heard.analysis.tests.helpers import make_question, run, texts
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.insight.models import Insight

pytestmark = pytest.mark.django_db

CAMPAIGN = (
    "Save our district nurses: we the undersigned oppose any cut to community nursing "
    "in Norfolk and Waveney and ask the board to think again"
)


def test_a_run_proposes_themes_suggests_codings_and_fills_the_insight_bank(
    make_staff, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    question = make_question([*texts(), *[CAMPAIGN] * 6, "Call Sarah Jones on 07700 900123"])
    done = run(question, analyst, django_capture_on_commit_callbacks)

    assert done.status == "done"
    assert (done.progress_done, done.progress_total, done.percent) == (100, 100, 100)
    assert done.started_at and done.finished_at
    assert done.summary["answers"] == 67
    # The campaign is shown, and counted, never dropped.
    ours = [c for c in done.summary["campaigns"] if "Save our district nurses" in c["template"]]
    assert [c["size"] for c in ours] == [6]
    assert done.summary["campaign_answers"] >= 6
    assert (
        AnswerAnalysis.objects.filter(
            question=question, campaign=True, answer__text=CAMPAIGN
        ).count()
        == 6
    )
    assert AnswerAnalysis.objects.filter(question=question).count() == 67
    # Personal data removed from what people will read.
    redacted = AnswerAnalysis.objects.get(answer__text__startswith="Call Sarah").redacted_text
    assert "07700" not in redacted and "Sarah" not in redacted

    themes = Theme.objects.filter(codeframe__question=question)
    assert themes.count() >= 2
    suggestions = Coding.objects.filter(theme__codeframe__question=question)
    assert suggestions.exists()
    assert set(suggestions.values_list("source", "status").distinct()) == {("machine", "suggested")}
    assert all(c is not None for c in suggestions.values_list("confidence", flat=True))
    # Themes and sentiment written back to the insight bank.
    coded = Insight.objects.filter(answer_id__in=suggestions.values("answer_id"))
    assert coded.exists()
    assert all(i.themes for i in coded)
    assert Insight.objects.exclude(sentiment="").count() == 67
    # Audited: started by a person, completed by the machine.
    started = AuditEvent.objects.get(action=Action.ANALYSIS_RUN_STARTED)
    assert started.actor_id == analyst.pk
    completed = AuditEvent.objects.get(action=Action.ANALYSIS_RUN_COMPLETED)
    assert completed.after["by"] == "machine"
    assert completed.after["suggestions_made"] == suggestions.count()


def test_a_second_run_keeps_the_codeframe_and_peoples_decisions(
    make_staff, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    question = make_question(texts())
    run(question, analyst, django_capture_on_commit_callbacks)
    theme = Theme.objects.filter(codeframe__question=question).first()
    services.theme_update(theme=theme, actor=analyst, name="Waiting for visits", description="")
    # People decide on 25 answers: accept the first suggestion, reject any others.
    decided = []
    for aa in AnswerAnalysis.objects.filter(question=question).order_by("answer_id")[:25]:
        codings = list(Coding.objects.filter(answer_id=aa.answer_id))
        for i, coding in enumerate(codings):
            services.coding_decide(coding=coding, actor=analyst, accept=i == 0)
        decided.append(aa.answer_id)
    before = set(Coding.objects.filter(answer_id__in=decided).values_list("pk", "status", "by_id"))

    second = run(question, analyst, django_capture_on_commit_callbacks)

    assert second.status == "done"
    assert second.summary["trained_on"] == "people"
    assert second.summary["people_coded"] >= 20
    assert Theme.objects.filter(codeframe__question=question, name="Waiting for visits").exists()
    after = set(Coding.objects.filter(answer_id__in=decided).values_list("pk", "status", "by_id"))
    assert after == before  # people's decisions untouched
    assert not Coding.objects.filter(answer_id__in=decided, status="suggested").exists()
    # The active learner proposes what to code next, among answers not yet reviewed.
    ranked = AnswerAnalysis.objects.filter(question=question, code_next_rank__isnull=False)
    assert ranked.exists()
    assert not ranked.filter(answer_id__in=decided).exists()


def test_only_one_run_at_a_time_and_only_free_text(make_staff):
    analyst = make_staff(Role.ANALYST)
    question = make_question(texts(2))
    services.analysis_run_start(question=question, actor=analyst)  # not executed: on_commit
    with pytest.raises(services.AnalysisProblem, match="already under way"):
        services.analysis_run_start(question=question, actor=analyst)
    question.kind = "number"
    with pytest.raises(services.AnalysisProblem, match="Only free-text"):
        services.analysis_run_start(question=question, actor=analyst)


def test_a_failed_run_says_what_to_do_and_changes_nothing(
    make_staff, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    question = make_question(texts(5))
    with mock.patch("heard_analysis.run_pipeline", side_effect=RuntimeError("boom")):
        failed = run(question, analyst, django_capture_on_commit_callbacks)
    assert failed.status == "failed"
    assert "Run the analysis again" in failed.error
    assert "boom" not in failed.error
    assert not Theme.objects.filter(codeframe__question=question).exists()
    assert AuditEvent.objects.filter(action=Action.ANALYSIS_RUN_FAILED).count() == 1
    # A finished run is not run twice.
    assert services.analysis_run_execute(run_id=failed.pk).status == "failed"
    assert AnalysisRun.objects.get(pk=failed.pk).status == "failed"


def test_an_abandoned_run_is_replaced_by_a_new_one(make_staff):
    from datetime import timedelta

    from django.utils import timezone

    analyst = make_staff(Role.ANALYST)
    question = make_question(texts(2))
    old = AnalysisRun.objects.create(
        question=question, status="running", started_at=timezone.now() - timedelta(hours=3)
    )
    new = services.analysis_run_start(question=question, actor=analyst)
    old.refresh_from_db()
    assert old.status == "failed" and "never finished" in old.error
    assert new.status == "queued"


@pytest.mark.parametrize("answers", [[], ["Only one answer."], ["Good", "Bad", "Good"]])
def test_tiny_questions_finish_cleanly(answers, make_staff, django_capture_on_commit_callbacks):
    analyst = make_staff(Role.ANALYST)
    question = make_question(answers)
    done = run(question, analyst, django_capture_on_commit_callbacks)
    assert done.status == "done", done.error
    assert done.summary["answers"] == len(answers)
    assert AnswerAnalysis.objects.filter(question=question).count() == len(answers)
    if answers == ["Good", "Bad", "Good"]:
        # Three one-word answers: the engine proposes a small codeframe to refine by hand.
        assert done.summary["no_proposal"] is False
        assert Codeframe.objects.filter(question=question).exists()


def test_the_machine_learns_from_a_bounded_sample_but_suggests_for_every_answer(
    make_staff, django_capture_on_commit_callbacks, monkeypatch
):
    import heard_analysis

    trained_on: list[int] = []
    real = heard_analysis.train_classifier

    def spy(texts, labels, **kw):
        trained_on.append(len(texts))
        return real(texts, labels, **kw)

    monkeypatch.setattr(heard_analysis, "train_classifier", spy)
    monkeypatch.setattr(services.domain, "MAX_MACHINE_TRAINING", 30)
    analyst = make_staff(Role.ANALYST)
    question = make_question(texts())
    done = run(question, analyst, django_capture_on_commit_callbacks)
    assert done.status == "done", done.error
    assert trained_on == [30]  # proposed themes: learnt from a sample of 30 of 60
    suggested = Coding.objects.filter(answer__question=question).values("answer").distinct()
    assert suggested.count() > 30  # but every answer gets its suggestions


def test_answers_of_white_space_alone_are_not_analysed(
    make_staff, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    question = make_question([*texts(3), "   ", "\n\t"])
    done = run(question, analyst, django_capture_on_commit_callbacks)
    assert done.status == "done", done.error
    assert done.summary["answers"] == len(texts(3))
    blank = question.answers.filter(text__in=["   ", "\n\t"])
    assert not AnswerAnalysis.objects.filter(answer__in=blank).exists()
    assert not Coding.objects.filter(answer__in=blank).exists()


def test_a_run_failing_while_learning_leaves_no_half_made_codeframe(
    make_staff, django_capture_on_commit_callbacks
):
    analyst = make_staff(Role.ANALYST)
    question = make_question(texts(5))
    with mock.patch("heard_analysis.train_classifier", side_effect=MemoryError):
        failed = run(question, analyst, django_capture_on_commit_callbacks)
    assert failed.status == "failed"
    assert "Learning the themes" in failed.error
    assert not Codeframe.objects.filter(question=question).exists()
    assert not AnswerAnalysis.objects.filter(question=question).exists()
