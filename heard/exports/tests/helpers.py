"""Test data for exports: an activity whose questionnaire changed between versions."""

import itertools
from typing import Any

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

_n = itertools.count(1)

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1)", "\tcmd", "\rcr"]


def _q(
    version: QuestionnaireVersion, section: Section, key: str, kind: str, text: str, **kw: Any
) -> Question:
    return Question.objects.create(
        version=version, section=section, key=key, kind=kind, text=text, position=next(_n), **kw
    )


def make_activity_with_versions() -> dict[str, Any]:
    """Version 1 asks views, choice, postcode and an equality question; version 2 rewords
    views, drops postcode and adds extra. Two responses on v1 (online), one on v2 (paper)."""
    activity: Activity = ActivityFactory()  # type: ignore[assignment]
    questionnaire = Questionnaire.objects.create(activity=activity, title=activity.title)
    v1 = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    s1 = Section.objects.create(version=v1, position=1, title="Your views")
    options = [["yes", "Yes"], ["no", "No"]]
    q1 = {
        "views": _q(v1, s1, "views", Question.Kind.LONG_TEXT, "What do you think?"),
        "choice": _q(
            v1, s1, "choice", Question.Kind.SINGLE_CHOICE, "Do you agree?", options=options
        ),
        "postcode": _q(v1, s1, "postcode", Question.Kind.POSTCODE, "Your postcode"),
        "about": _q(v1, s1, "about", Question.Kind.EQUALITY, "About you"),
    }
    v2 = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=2)
    s2 = Section.objects.create(version=v2, position=1, title="Your views")
    q2 = {
        "views": _q(v2, s2, "views", Question.Kind.LONG_TEXT, "What do you think of the plan?"),
        "choice": _q(
            v2, s2, "choice", Question.Kind.SINGLE_CHOICE, "Do you agree?", options=options
        ),
        "extra": _q(v2, s2, "extra", Question.Kind.SHORT_TEXT, "Anything else?"),
    }

    def respond(
        version: QuestionnaireVersion, channel: str, answers: dict[Question, Any]
    ) -> Response:
        response = Response.objects.create(
            activity=activity,
            questionnaire=questionnaire,
            version=version,
            channel=channel,
            reference=f"X{next(_n):07d}",
        )
        for question, given in answers.items():
            if question.is_free_text or question.kind in (
                Question.Kind.POSTCODE,
                Question.Kind.EQUALITY,
            ):
                Answer.objects.create(response=response, question=question, text=given)
            else:
                Answer.objects.create(response=response, question=question, value=given)
        return response

    r1 = respond(
        v1,
        "online",
        {
            q1["views"]: "My name is John Smith, ring me on 07700 900123 about it",
            q1["choice"]: "yes",
            q1["postcode"]: "NR1 3SR",
            q1["about"]: "secret-equality-answer",
        },
    )
    ResponseEquality.objects.create(response=r1, activity=activity, age_band="secret-age-band")
    r2 = respond(v1, "online", {q1["views"]: HOSTILE[0], q1["choice"]: "no"})
    r3 = respond(
        v2, "paper", {q2["views"]: "Good plan", q2["choice"]: "yes", q2["extra"]: HOSTILE[1]}
    )
    return {
        "activity": activity,
        "questionnaire": questionnaire,
        "q1": q1,
        "q2": q2,
        "responses": [r1, r2, r3],
    }
