"""Test data: a survey with one free-text question and answers (any text given)."""

import itertools
import random
from typing import Any

from heard.engagement import hooks
from heard.engagement.models import (
    Activity,
    Answer,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseEquality,
    Section,
)
from heard.engagement.tests.factories import ActivityFactory

_refs = itertools.count(1)

TOPICS = {
    "kind": [
        "The nurse was kind and caring and listened to my mother",
        "Lovely caring nurses, always kind and patient with us",
        "Staff were so kind, caring and gentle with my dad",
        "Kind caring nurse who took time to listen",
    ],
    "late": [
        "Visits were late and we waited all day for the nurse to arrive",
        "Nobody told us the visit was late, waited hours at home",
        "The nurse arrived hours late again, waiting all morning",
        "Always late, we wait in all day and nobody phones",
    ],
    "phone": [
        "Could never get through on the phone line, rang for hours",
        "The phone number rings out, no answer from the office",
        "Impossible to reach anyone by phone when we needed help",
        "Phone lines always busy and calls not returned",
    ],
}


def texts(n_per_topic: int = 20, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for topic in TOPICS.values():
        for i in range(n_per_topic):
            extra = rng.choice(["", " really", " honestly", " to be fair", " this year"])
            out.append(f"{topic[i % len(topic)]}{extra} ({i}).")
    rng.shuffle(out)
    return out


def make_question(
    answers: list[str], *, equality: list[dict[str, str]] | None = None, organisations: int = 0
) -> Question:
    activity: Activity = ActivityFactory()  # type: ignore[assignment]
    q = Questionnaire.objects.create(activity=activity, title=activity.title)
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    s = Section.objects.create(version=v, position=1, title="Your experience")
    question = Question.objects.create(
        version=v,
        section=s,
        key="experience",
        kind=Question.Kind.LONG_TEXT,
        text="Tell us about your experience of community nursing",
    )
    responses = []
    for i, text in enumerate(answers):
        response = Response.objects.create(
            activity=activity,
            questionnaire=q,
            version=v,
            reference=f"T{next(_refs):07d}",
            respondent_type="organisation" if i < organisations else "individual",
        )
        Answer.objects.create(response=response, question=question, text=text)
        if equality and i < len(equality):
            ResponseEquality.objects.create(response=response, activity=activity, **equality[i])
        responses.append(response)
    hooks.responses_bulk_created(responses)  # insights for the answers, as in real life
    return question


def run(question: Question, actor: Any, capture: Any) -> Any:
    """Start a run and let the immediate task backend do the work."""
    from heard.analysis.services import analysis_run_start

    with capture(execute=True):
        started = analysis_run_start(question=question, actor=actor)
    started.refresh_from_db()
    return started
