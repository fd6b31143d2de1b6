"""Every analysis service checks the actor's permission itself: each service × every
staff role, a member of the public and someone not signed in (see service_roles).
Analysts and administrators run analyses and change codeframes; engagement officers also
code answers; a refused sign-off of a codeframe is audited with who, what and why."""

from typing import Any

import pytest

from heard.accounts.tests.service_roles import Case, params, roles, try_as
from heard.analysis import services
from heard.analysis.models import AnswerAnalysis, Codeframe, Coding, Theme
from heard.analysis.tests.helpers import make_question
from heard.core.roles import Role

pytestmark = pytest.mark.django_db

RUNNERS = roles(Role.ADMINISTRATOR, Role.ANALYST)
CODEFRAME = roles(Role.ADMINISTRATOR, Role.ANALYST)
CODERS = roles(Role.ADMINISTRATOR, Role.ANALYST, Role.ENGAGEMENT_OFFICER)


def _question() -> dict[str, Any]:
    return {"question": make_question([f"Answer number {i} about nursing" for i in range(3)])}


def _frame() -> dict[str, Any]:
    question = make_question([f"Answer number {i} about waiting for nurses" for i in range(4)])
    frame = Codeframe.objects.create(question=question)
    answers = list(question.answers.order_by("pk"))
    analyses = [
        AnswerAnalysis.objects.create(answer=a, question=question, redacted_text=a.text)
        for a in answers
    ]
    waiting = Theme.objects.create(
        codeframe=frame, name="Waiting", description="Waiting for a nurse to visit."
    )
    phone = Theme.objects.create(
        codeframe=frame, name="Phone", description="Getting through on the phone line."
    )
    for a in answers[:3]:
        Coding.objects.create(answer=a, theme=waiting, source="machine", confidence=0.8)
    Coding.objects.create(answer=answers[3], theme=phone, source="person", status="accepted")
    return {
        "question": question,
        "frame": frame,
        "answers": answers,
        "analyses": analyses,
        "waiting": waiting,
        "phone": phone,
        "suggestion": Coding.objects.get(answer=answers[0], theme=waiting),
    }


CASES = [
    Case(
        "analysis_run_start",
        RUNNERS,
        lambda actor, made: services.analysis_run_start(question=made["question"], actor=actor),
        _question,
    ),
    Case(
        "theme_update",
        CODEFRAME,
        lambda actor, made: services.theme_update(
            theme=made["waiting"], actor=actor, name="Waiting times", description="How long."
        ),
        _frame,
    ),
    Case(
        "theme_add",
        CODEFRAME,
        lambda actor, made: services.theme_add(
            codeframe=made["frame"], actor=actor, name="Kindness", description="Kind nurses."
        ),
        _frame,
    ),
    Case(
        "theme_merge",
        CODEFRAME,
        lambda actor, made: services.theme_merge(
            source=made["phone"], target=made["waiting"], actor=actor
        ),
        _frame,
    ),
    Case(
        "theme_split",
        CODEFRAME,
        lambda actor, made: services.theme_split(
            theme=made["waiting"],
            actor=actor,
            name="Evenings",
            answer_ids=[made["answers"][0].pk],
        ),
        _frame,
    ),
    Case(
        "theme_delete",
        CODEFRAME,
        lambda actor, made: services.theme_delete(theme=made["phone"], actor=actor),
        _frame,
    ),
    Case(
        "coding_decide",
        CODERS,
        lambda actor, made: services.coding_decide(
            coding=made["suggestion"], actor=actor, accept=True
        ),
        _frame,
    ),
    Case(
        "coding_add",
        CODERS,
        lambda actor, made: services.coding_add(
            answer_id=made["answers"][1].pk, theme=made["phone"], actor=actor
        ),
        _frame,
    ),
    Case(
        "answer_reviewed",
        CODERS,
        lambda actor, made: services.answer_reviewed(analysis=made["analyses"][3], actor=actor),
        _frame,
    ),
    Case(
        "codings_bulk",
        CODERS,
        lambda actor, made: services.codings_bulk(
            question=made["question"],
            answer_ids=[a.pk for a in made["answers"]],
            theme=made["phone"],
            actor=actor,
            apply=True,
        ),
        _frame,
    ),
    Case(
        "codeframe_sign_off",
        CODEFRAME,
        lambda actor, made: services.codeframe_sign_off(codeframe=made["frame"], actor=actor),
        _frame,
        act="codeframe.sign_off",
        subject=lambda made: ("analysis.codeframe", str(made["frame"].pk)),
    ),
]


@pytest.mark.parametrize(("case", "who"), params(CASES))
def test_the_service_checks_who_is_acting(case: Case, who: str) -> None:
    try_as(case, who)
