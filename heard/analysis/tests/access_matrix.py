from typing import Any

from heard.core.roles import Role
from heard.core.testing import Access

VIEW = {
    Role.ADMINISTRATOR,
    Role.ENGAGEMENT_OFFICER,
    Role.ANALYST,
    Role.PROGRAMME_LEAD,
    Role.DECISION_MAKER,
}
EDIT = {Role.ADMINISTRATOR, Role.ANALYST}
CODE = {Role.ADMINISTRATOR, Role.ANALYST, Role.ENGAGEMENT_OFFICER}


def _question() -> Any:
    from heard.analysis.tests.helpers import make_question

    return make_question(["The nurse was kind.", "Waited all day for a visit."])


def _q() -> dict[str, int]:
    return {"pk": _question().pk}


def _run() -> dict[str, int]:
    from heard.analysis.models import AnalysisRun

    return {"pk": AnalysisRun.objects.create(question=_question(), status="done").pk}


def _theme() -> dict[str, int]:
    from heard.analysis.models import Codeframe, Theme

    frame = Codeframe.objects.create(question=_question())
    return {"pk": Theme.objects.create(codeframe=frame, name="Waiting").pk}


def _answer() -> dict[str, int]:
    from heard.analysis.models import AnswerAnalysis, Codeframe

    question = _question()
    Codeframe.objects.create(question=question)
    answer = question.answers.first()
    AnswerAnalysis.objects.create(answer=answer, question=question, redacted_text=answer.text)
    return {"pk": answer.pk}


EXPECTED = {
    "analysis:index": Access(VIEW),
    "analysis:question": Access(VIEW, kwargs=_q),
    "analysis:run_start": Access(EDIT, kwargs=_q, method="post"),
    "analysis:run": Access(VIEW, kwargs=_run),
    "analysis:run_status": Access(VIEW, kwargs=_run),
    "analysis:codeframe": Access(VIEW, kwargs=_q),
    "analysis:theme_add": Access(EDIT, kwargs=_q),
    "analysis:sign_off": Access(EDIT, kwargs=_q, method="post"),
    "analysis:theme_edit": Access(EDIT, kwargs=_theme),
    "analysis:theme_merge": Access(EDIT, kwargs=_theme),
    "analysis:theme_split": Access(EDIT, kwargs=_theme),
    "analysis:theme_delete": Access(EDIT, kwargs=_theme),
    "analysis:review": Access(CODE, kwargs=_q),
    "analysis:bulk": Access(CODE, kwargs=_q),
    "analysis:review_answer": Access(CODE, kwargs=_answer),
    "analysis:agreement": Access(VIEW, kwargs=_q),
    "analysis:groups": Access(VIEW, kwargs=_q),
}
