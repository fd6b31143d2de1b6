"""Reads for the staff home: what analysts owe now.

A fixed number of queries whatever the number of answers: the review backlog is counted
per question in one grouped query over the (question, reviewed_at) index, and only the
few questions shown are then read.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from heard.analysis import domain
from heard.analysis.models import AnalysisRun, AnswerAnalysis, Coding, Theme
from heard.engagement.models import Question, Response


@dataclass(frozen=True)
class QuestionCount:
    question: Question
    count: int
    extra: int = 0  # answers the machine was least sure of (review) / themes (codeframes)


@dataclass(frozen=True)
class AnalystWork:
    to_review: int
    to_review_unsure: int
    review_questions: list[QuestionCount]
    out_of_date: Sequence[Question]
    unconfirmed_themes: int
    unconfirmed_questions: list[QuestionCount]


def _questions(ids: list[int]) -> dict[int, Question]:
    return Question.objects.select_related("version__questionnaire__activity").in_bulk(ids)


def analyst_work(*, limit: int = 5) -> AnalystWork:
    """Answers to review, analyses out of date (responses arrived after the last finished
    run began) and themes no person has yet confirmed on any answer. Six queries."""
    backlog = AnswerAnalysis.objects.filter(reviewed_at__isnull=True)
    totals = backlog.aggregate(n=Count("pk"), unsure=Count("pk", filter=Q(needs_review=True)))
    per_question = list(
        backlog.values("question_id")
        .annotate(n=Count("pk"), unsure=Count("pk", filter=Q(needs_review=True)))
        .order_by("-n", "question_id")[:limit]
    )
    newer = Response.objects.filter(
        version_id=OuterRef("version_id"), submitted_at__gt=OuterRef("last_run")
    )
    last_done = (
        AnalysisRun.objects.filter(question_id=OuterRef("pk"), status=domain.RunStatus.DONE)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    out_of_date = list(
        Question.objects.annotate(last_run=Subquery(last_done))
        .filter(last_run__isnull=False)
        .filter(Exists(newer))
        .select_related("version__questionnaire__activity")
        .order_by("pk")[:limit]
    )
    confirmed = Coding.objects.filter(theme_id=OuterRef("pk"), status=Coding.Status.ACCEPTED)
    unconfirmed = (
        Theme.objects.filter(~Exists(confirmed))
        .values("codeframe__question_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "codeframe__question_id")
    )
    unconfirmed_rows = list(unconfirmed)
    ids = [r["question_id"] for r in per_question] + [
        r["codeframe__question_id"] for r in unconfirmed_rows[:limit]
    ]
    questions = _questions(ids)
    return AnalystWork(
        to_review=totals["n"],
        to_review_unsure=totals["unsure"],
        review_questions=[
            QuestionCount(questions[r["question_id"]], r["n"], r["unsure"])
            for r in per_question
            if r["question_id"] in questions
        ],
        out_of_date=out_of_date,
        unconfirmed_themes=sum(r["n"] for r in unconfirmed_rows),
        unconfirmed_questions=[
            QuestionCount(questions[r["codeframe__question_id"]], r["n"])
            for r in unconfirmed_rows[:limit]
            if r["codeframe__question_id"] in questions
        ],
    )
