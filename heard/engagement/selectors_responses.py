"""Reading questionnaires and responses."""

import re
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, QuerySet
from django.db.models.expressions import Col
from django.utils import timezone

from heard.engagement import domain, questionnaire
from heard.engagement.models import (
    Activity,
    Answer,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
    SpamLog,
)
from heard.engagement.questionnaire import QuestionSpec


@dataclass
class VersionView:
    """A version's sections and questions, read once, with the pure specs beside them."""

    version: QuestionnaireVersion
    sections: list[Section]
    questions: list[Question]
    specs: list[QuestionSpec]

    def spec(self, key: str) -> QuestionSpec | None:
        return next((s for s in self.specs if s.key == key), None)

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def page_specs(self, page: int) -> list[QuestionSpec]:
        return [s for s in self.specs if s.page == page]

    @property
    def page_count(self) -> int:
        return len(self.sections)


def spec_for(question: Question, page: int) -> QuestionSpec:
    return QuestionSpec(
        key=question.key,
        kind=question.kind,
        text=question.text,
        required=question.required,
        options=[(str(v), str(label)) for v, label in (question.options or [])],
        max_length=question.max_length,
        min_value=question.min_value,
        max_value=question.max_value,
        show_if_key=question.show_if_key,
        show_if_values=[str(v) for v in (question.show_if_values or [])],
        page=page,
    )


def version_view(version: QuestionnaireVersion) -> VersionView:
    """Sections as pages, numbered from 0 in order; empty sections are left out.

    One query: this runs on every public page and every submission.
    """
    questions = list(
        Question.objects.filter(version=version)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )
    used: list[Section] = []
    for q in questions:
        if not used or used[-1].pk != q.section_id:
            used.append(q.section)
    page_of = {s.pk: i for i, s in enumerate(used)}
    specs = [spec_for(q, page_of[q.section_id]) for q in questions]
    return VersionView(version=version, sections=used, questions=questions, specs=specs)


def questionnaire_for_slug(slug: str) -> Questionnaire | None:
    """The questionnaire of a published activity (not a draft), with its activity; one query.

    Every public page and submission starts here, so the query is written once as SQL
    instead of being compiled by the ORM each time (≈ 2 ms of CPU per request for a
    0.1 ms query). It is the same query as

        Questionnaire.objects.select_related("activity").filter(activity__slug=slug)
        .exclude(activity__status="draft").order_by("pk").first()

    and reads both rows afresh every time, so a change of status or closing time (a
    staff "close now") holds for the very next request.
    """
    db = connections[DEFAULT_DB_ALIAS]
    prepared = _prepared.get(db)
    if prepared is None:
        prepared = _prepared[db] = _questionnaire_sql(db)
    sql, converters = prepared
    with db.cursor() as cursor:
        cursor.execute(sql, [slug, domain.Status.DRAFT.value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, col, funcs in converters:
        for func in funcs:
            values[i] = func(values[i], col, db)
    n = len(_Q_FIELDS)
    q = Questionnaire.from_db(db.alias, _Q_NAMES, values[:n])
    activity = Activity.from_db(db.alias, _A_NAMES, values[n:])
    q.activity = activity
    return q


_Q_FIELDS = list(Questionnaire._meta.concrete_fields)
_A_FIELDS = list(Activity._meta.concrete_fields)
_Q_NAMES = [f.attname for f in _Q_FIELDS]
_A_NAMES = [f.attname for f in _A_FIELDS]
# Per database connection (each thread has its own): the SQL, and the converters of the
# columns that have any, as the ORM would apply them.
_prepared: "weakref.WeakKeyDictionary[Any, tuple[str, list[tuple[int, Col, list[Any]]]]]" = (
    weakref.WeakKeyDictionary()
)


def _questionnaire_sql(db: Any) -> tuple[str, list[tuple[int, Col, list[Any]]]]:
    qn = db.ops.quote_name
    qt, at = Questionnaire._meta.db_table, Activity._meta.db_table
    cols = [f.get_col(qt) for f in _Q_FIELDS] + [f.get_col(at) for f in _A_FIELDS]
    select = ", ".join(f"{qn(c.alias)}.{qn(c.target.column)}" for c in cols)

    def column(model: Any, name: str) -> str:
        return f"{qn(model._meta.db_table)}.{qn(model._meta.get_field(name).column)}"

    # Only quoted table and column names from the models go into the text; the slug and
    # status are parameters.
    sql = (
        f"SELECT {select} FROM {qn(qt)} INNER JOIN {qn(at)} "  # noqa: S608
        f"ON ({column(Questionnaire, 'activity')} = {column(Activity, 'id')}) "
        f"WHERE {column(Activity, 'slug')} = %s AND NOT ({column(Activity, 'status')} = %s) "
        f"ORDER BY {column(Questionnaire, 'id')} ASC LIMIT 1"
    )
    converters = []
    for i, c in enumerate(cols):
        funcs = [*db.ops.get_db_converters(c), *c.get_db_converters(db)]
        if funcs:
            converters.append((i, c, funcs))
    return sql, converters


def questionnaire_for_activity(activity: Activity) -> Questionnaire | None:
    return Questionnaire.objects.filter(activity=activity).first()


def general_feedback_questionnaire() -> Questionnaire | None:
    return Questionnaire.objects.filter(is_general_feedback=True).first()


def respondable_version(q: Questionnaire) -> QuestionnaireVersion | None:
    """The version the public answers now: the newest published one that has questions
    (a draft of changes stays with staff until it is published)."""
    return (
        q.versions.filter(published_at__isnull=False)
        .annotate(n=Count("questions"))
        .filter(n__gt=0)
        .order_by("-number")
        .first()
    )


def draft_version(q: Questionnaire) -> QuestionnaireVersion | None:
    """The unpublished draft of changes, if staff have started one."""
    newest = q.current_version()
    return newest if newest is not None and newest.published_at is None else None


def question_answer_count(q: Questionnaire, key: str) -> int:
    """How many responses, in any version, answered the question with this key."""
    return Answer.objects.filter(question__version__questionnaire=q, question__key=key).count()


def response_window(activity: Activity | None, now: datetime | None = None) -> str:
    """ "open", "late" (closed, late responses allowed), "closed" or "not_open"."""
    if activity is None:
        return "open"  # the general feedback channel is always open
    status = domain.effective_status(activity.facts(), now or timezone.now())
    if status == domain.Status.OPEN:
        return "open"
    if status in (domain.Status.DRAFT, domain.Status.SCHEDULED):
        return "not_open"
    return "late" if activity.allow_late_responses else "closed"


def version_response_count(version: QuestionnaireVersion) -> int:
    return Response.objects.filter(version=version).count()


def response_counts(q: Questionnaire) -> dict[str, int]:
    rows = Response.objects.filter(questionnaire=q).values("channel").annotate(n=Count("id"))
    counts = {r["channel"]: r["n"] for r in rows}
    counts["total"] = sum(counts.values())
    counts["late"] = Response.objects.filter(questionnaire=q, late=True).count()
    return counts


def channel_rows(q: Questionnaire) -> list[tuple[str, int]]:
    """Each channel's label and its number of responses, 0 included (a blank cell reads
    as "not known", not as none)."""
    counts = response_counts(q)
    return [(str(label), counts.get(value, 0)) for value, label in Response.Channel.choices]


def spam_log(q: Questionnaire) -> QuerySet[SpamLog]:
    return SpamLog.objects.filter(questionnaire=q).order_by("-occurred_at")


def spam_summary(q: Questionnaire) -> dict[str, int]:
    rows = SpamLog.objects.filter(questionnaire=q).values("reason").annotate(n=Count("id"))
    return {r["reason"]: r["n"] for r in rows}


def recent_responses(q: Questionnaire, limit: int = 20) -> QuerySet[Response]:
    return (
        Response.objects.filter(questionnaire=q)
        .select_related("version")
        .order_by("-submitted_at")[:limit]
    )


def response_answers(response: Response, *, redacted: bool = False) -> list[tuple[str, str]]:
    """A response's answers in words, in question order (never the equality answers).

    ``redacted``: free-text answers with personal data replaced by placeholders
    ([NAME], [PHONE], [NHS_NUMBER]…), by the analysis engine's redaction – what the
    insight bank shows – for staff without ``engagement.view_responses_unredacted``.
    """
    view = version_view(response.version)
    by_question = {a.question_id: a for a in response.answers.all()}
    out: list[tuple[str, str]] = []
    free: list[int] = []
    for q, spec in zip(view.questions, view.specs, strict=True):
        answer = by_question.get(q.pk)
        if answer is not None:
            if spec.is_free_text:
                free.append(len(out))
            out.append((q.text, questionnaire.display_answer(spec, answer.text, answer.value)))
    if redacted and free:
        clean = redact_texts([out[i][1] for i in free])
        for i, text in zip(free, clean, strict=True):
            out[i] = (out[i][0], text)
    return out


# A safety net after the engine, as in the insight bank: any email address it left.
_EMAIL_LEFT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact_texts(texts: list[str]) -> list[str]:
    """Personal data replaced by typed placeholders (heard_analysis.redact)."""
    from heard_analysis.redact import redact_many

    return [_EMAIL_LEFT.sub("[EMAIL]", text) for text in redact_many(texts)]


def response_by_reference(reference: str) -> Response | None:
    return (
        Response.objects.select_related("questionnaire", "questionnaire__activity", "activity")
        .filter(reference=reference)
        .first()
    )


# --- a process-local cache of frozen versions, for the public submission path -------------
# Every public page and submission reads the same questions. A version that has
# responses is frozen (an edit makes a new version), so its questions can be kept in
# memory; a version still being built is always read afresh. The questionnaire and its
# activity are always read afresh too, so a survey closes on the second.
FROZEN_CACHE_SECONDS = 60.0
_frozen: dict[int, tuple[float, VersionView]] = {}
_frozen_lock = threading.Lock()


def public_cache_clear() -> None:
    with _frozen_lock:
        _frozen.clear()


def public_version_view(q: Questionnaire, version_id: int) -> VersionView | None:
    """The view of one version of ``q`` (None if it is not one of ``q``'s versions)."""
    now = time.monotonic()
    hit = _frozen.get(version_id)
    if hit is not None and now - hit[0] < FROZEN_CACHE_SECONDS:
        view = hit[1]
    else:
        version = QuestionnaireVersion.objects.filter(pk=version_id, questionnaire=q).first()
        if version is None:
            return None
        view = version_view(version)
        if Response.objects.filter(version=version).exists():
            with _frozen_lock:
                if len(_frozen) > 200:
                    _frozen.clear()
                _frozen[version_id] = (now, view)
    if view.version.questionnaire_id != q.pk:
        return None
    view.version.questionnaire = q
    return view


@dataclass
class AnswerCopy:
    question: str
    answer: str


def response_copy(response: Response) -> list[AnswerCopy]:
    """A respondent's own answers in words, in the order they were asked (equality
    answers are kept apart and not included)."""
    view = version_view(response.version)
    given = {a.question_id: a for a in Answer.objects.filter(response=response)}
    rows = []
    for question, spec in zip(view.questions, view.specs, strict=True):
        answer = given.get(question.pk)
        if answer is None:
            continue
        rows.append(
            AnswerCopy(
                question=question.text,
                answer=questionnaire.display_answer(spec, answer.text, answer.value),
            )
        )
    return rows


def activity_responses(activity: Activity) -> QuerySet[Response]:
    """Every response to an activity, oldest first, with its version and answers (for
    ``response_answers``; the equality answers are never among them)."""
    return (
        Response.objects.filter(activity=activity)
        .select_related("version")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
