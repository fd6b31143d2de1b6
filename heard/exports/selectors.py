"""What exports read: responses, analysis results and approved publications, through the
models and selectors of the apps below; plus the exports themselves.

Responses are read in chunks (ids first, then each chunk's answers in one query), so an
export of 100,000 responses holds one chunk in memory. Never read: the equality answers
(``ResponseEquality``, and questions of the equality kind), contact details (none are on a
response; a postcode answer is cut to its district).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from heard.accounts import selectors as rules_selectors
from heard.analysis import selectors as analysis_selectors
from heard.analysis.models import AnswerAnalysis, Coding
from heard.core import suppression
from heard.engagement import questionnaire as qn
from heard.engagement.models import Activity, Answer, Question, Questionnaire, Response
from heard.engagement.selectors_responses import redact_texts, spec_for
from heard.exports.models import Export
from heard.exports.writers import Table
from heard.insight.models import Insight
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.outcomes import selectors as outcome_selectors
from heard.servicechange.outcomes.models import Publication
from heard.servicechange.proposals.models import ProposalActivity

CHUNK = 1000
Progress = Callable[[int, int], None]  # (done, total)

RESPONSE_FIELDS = [
    ("reference", "Reference"),
    ("submitted_at", "Submitted"),
    ("channel", "Channel"),
    ("questionnaire_version", "Questionnaire version"),
    ("late", "Late"),
    ("respondent_type", "Responding as"),
    ("organisation", "Organisation"),
]


@dataclass
class Column:
    key: str
    text: str
    kind: str

    @property
    def label(self) -> str:
        return f"{self.text} [{self.key}]"


@dataclass
class ResponseTable:
    activity: Activity
    questionnaire: Questionnaire | None
    columns: list[Column]
    total: int
    redacted: bool
    versions: list[int] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [label for _, label in RESPONSE_FIELDS] + [c.label for c in self.columns]

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in RESPONSE_FIELDS] + [c.key for c in self.columns]


def response_count(activity: Activity) -> int:
    return Response.objects.filter(questionnaire__activity=activity).count()


def response_table(activity: Activity, *, redacted: bool) -> ResponseTable:
    """The columns of ``activity``'s responses: one per question key across every version
    of its questionnaire (the newest version's order and wording; keys only earlier
    versions asked come after), never the equality questions."""
    questionnaire = Questionnaire.objects.filter(activity=activity).first()
    columns: list[Column] = []
    versions: list[int] = []
    if questionnaire is not None:
        questions = list(
            Question.objects.filter(version__questionnaire=questionnaire)
            .exclude(kind=Question.Kind.EQUALITY)
            .select_related("version", "section")
            .order_by("-version__number", "section__position", "section_id", "position", "pk")
        )
        seen: dict[str, Column] = {}
        for q in questions:
            if q.version.number not in versions:
                versions.append(q.version.number)
            if q.key not in seen:
                seen[q.key] = Column(key=q.key, text=q.text, kind=q.kind)
                columns.append(seen[q.key])
    total = Response.objects.filter(questionnaire=questionnaire).count() if questionnaire else 0
    return ResponseTable(
        activity=activity,
        questionnaire=questionnaire,
        columns=columns,
        total=total,
        redacted=redacted,
        versions=sorted(versions),
    )


def _when(moment: Any) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _postcode_district(text: str) -> str:
    compact = "".join(str(text or "").split()).upper()
    return compact[:-3] if len(compact) >= 5 else ""


def response_rows(table: ResponseTable, progress: Progress | None = None) -> Iterator[list[Any]]:
    """One row per response, oldest first, in ``table.keys`` order."""
    if table.questionnaire is None:
        return
    questions = (
        Question.objects.filter(version__questionnaire=table.questionnaire)
        .exclude(kind=Question.Kind.EQUALITY)
        .select_related("version")
    )
    position = {c.key: i for i, c in enumerate(table.columns)}
    fixed = len(RESPONSE_FIELDS)
    specs = {q.pk: (fixed + position[q.key], spec_for(q, 0)) for q in questions}
    ids = list(
        Response.objects.filter(questionnaire=table.questionnaire)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
    )
    total = len(ids)
    channels = dict(Response.Channel.choices)
    kinds = dict(Response.RespondentType.choices)
    width = fixed + len(table.columns)
    for start in range(0, total, CHUNK):
        chunk = ids[start : start + CHUNK]
        rows: dict[int, list[Any]] = {}
        for pk, ref, at, channel, number, late, kind, org in (
            Response.objects.filter(pk__in=chunk)
            .order_by()
            .values_list(
                "pk",
                "reference",
                "submitted_at",
                "channel",
                "version__number",
                "late",
                "respondent_type",
                "organisation_name",
            )
        ):
            row: list[Any] = [""] * width
            row[:fixed] = [
                ref,
                _when(at),
                channels.get(channel, channel),
                number,
                bool(late),
                kinds.get(kind, kind),
                org,
            ]
            rows[pk] = row
        free: list[tuple[int, int, int, str]] = []  # answer id, response id, column, text
        for answer_id, response_id, question_id, text, value in (
            Answer.objects.filter(response_id__in=chunk, question_id__in=specs)
            .order_by()
            .values_list("pk", "response_id", "question_id", "text", "value")
        ):
            column, spec = specs[question_id]
            if spec.is_free_text:
                free.append((answer_id, response_id, column, text))
                continue
            if spec.kind == qn.POSTCODE:
                shown: Any = _postcode_district(text or value or "")
            elif spec.kind == qn.NUMBER and isinstance(value, int) and not isinstance(value, bool):
                shown = value
            else:
                shown = qn.display_answer(spec, text, value)
            rows[response_id][column] = shown
        if free:
            texts = _free_texts(free, redacted=table.redacted)
            for answer_id, response_id, column, _ in free:
                rows[response_id][column] = texts[answer_id]
        for pk in chunk:
            if pk in rows:
                yield rows[pk]
        if progress is not None:
            progress(min(start + CHUNK, total), total)


def _free_texts(free: list[tuple[int, int, int, str]], *, redacted: bool) -> dict[int, str]:
    """The free-text answers as written, or redacted: the redacted copy the insight bank
    keeps (or the analysis, for an answer the bank has not taken in yet); any other is
    redacted now by the same engine."""
    if not redacted:
        return {answer_id: text for answer_id, _, _, text in free}
    ids = [answer_id for answer_id, _, _, text in free if text]
    out = {answer_id: "" for answer_id, _, _, text in free if not text}
    out.update(
        Insight.objects.filter(answer_id__in=ids)
        .order_by()
        .values_list("answer_id", "redacted_text")
    )
    missing = [i for i in ids if i not in out]
    if missing:
        out.update(
            AnswerAnalysis.objects.filter(answer_id__in=missing)
            .order_by()
            .values_list("answer_id", "redacted_text")
        )
    left = [(answer_id, text) for answer_id, _, _, text in free if answer_id not in out]
    if left:
        clean = redact_texts([text for _, text in left])
        out.update({answer_id: text for (answer_id, _), text in zip(left, clean, strict=True)})
    return out


# Analysis results --------------------------------------------------------------------------


@dataclass
class AnalysisTables:
    question: Question
    source: str  # where the themes come from, in words
    signed_off_version: int | None
    themes: Table
    codings: Table


THEME_HEADER = [
    "Theme id",
    "Theme",
    "Parent theme",
    "Level",
    "Description",
    "Answers",
    "Accepted by a person",
    "Negative",
    "Neutral",
    "Positive",
]
CODING_HEADER = [
    "Answer id",
    "Response reference",
    "Questionnaire version",
    "Theme id",
    "Theme",
    "Coded by",
    "Person",
    "Status",
    "Confidence",
    "When",
]


def analysis_tables(question: Question) -> AnalysisTables:
    """Themes with their counts – from the signed-off codeframe version when there is
    one, else the live codeframe (said so) – and every coding (ids, not words)."""
    root = analysis_selectors.analysis_question(question)
    codeframe = analysis_selectors.codeframe_of(root)
    version = analysis_selectors.signed_off(codeframe)
    theme_rows: list[list[Any]] = []
    names: dict[int, str] = {}
    if version is not None:
        signed = analysis_selectors.signed_themes(version)
        parents: list[str] = []
        for t in signed:
            del parents[t.depth :]
            theme_rows.append(
                [
                    t.theme_id_at_sign_off,
                    t.name,
                    parents[-1] if parents else "",
                    t.depth + 1,
                    t.description,
                    t.answers,
                    t.accepted,
                    t.negative,
                    t.neutral,
                    t.positive,
                ]
            )
            parents.append(t.name)
            names[t.theme_id_at_sign_off] = t.name
        by = version.signed_off_by
        source = (
            f"Codeframe version {version.number}, signed off "
            f"{timezone.localtime(version.signed_off_at):%-d %B %Y at %H:%M}"
            f"{f' by {by.email}' if by else ''}"
        )
    elif codeframe is not None:
        parents = []
        for row in analysis_selectors.themes_with_counts(codeframe):
            del parents[row.depth :]
            theme_rows.append(
                [
                    row.theme.pk,
                    row.theme.name,
                    parents[-1] if parents else "",
                    row.depth + 1,
                    row.theme.description,
                    row.answers,
                    row.accepted,
                    row.negative,
                    row.neutral,
                    row.positive,
                ]
            )
            parents.append(row.theme.name)
            names[row.theme.pk] = row.theme.name
        source = "The codeframe as it stands (not signed off yet): counts may still change"
    else:
        source = "This question has no codeframe yet"
    return AnalysisTables(
        question=root,
        source=source,
        signed_off_version=version.number if version else None,
        themes=Table("Themes", THEME_HEADER, theme_rows),
        codings=Table("Codings", CODING_HEADER, _coding_rows(names)),
    )


def _coding_rows(names: dict[int, str]) -> Iterator[list[Any]]:
    sources = dict(Coding.Source.choices)
    statuses = dict(Coding.Status.choices)
    query = (
        Coding.objects.filter(theme_id__in=list(names))
        .order_by("answer_id", "theme_id", "pk")
        .values_list(
            "answer_id",
            "answer__response__reference",
            "answer__response__version__number",
            "theme_id",
            "source",
            "by__email",
            "status",
            "confidence",
            "at",
        )
    )
    for answer_id, ref, number, theme_id, source, email, status, confidence, at in query.iterator(
        chunk_size=2000
    ):
        yield [
            answer_id,
            ref,
            number,
            theme_id,
            names.get(theme_id, ""),
            sources.get(source, source),
            email or "",
            statuses.get(status, status),
            round(confidence, 3) if confidence is not None else "",
            _when(at),
        ]


def coding_count(question: Question) -> int:
    root = analysis_selectors.analysis_question(question)
    codeframe = analysis_selectors.codeframe_of(root)
    if codeframe is None:
        return 0
    return Coding.objects.filter(theme__codeframe=codeframe).count()


def question(pk: int) -> Question | None:
    q = (
        Question.objects.filter(pk=pk, kind__in=[Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT])
        .select_related("version__questionnaire__activity")
        .first()
    )
    return analysis_selectors.analysis_question(q) if q is not None else None


def free_text_questions(activity: Activity) -> list[Question]:
    return list(analysis_selectors.questions_of_activity(activity.pk))


# Open data of a published outcome ------------------------------------------------------------

LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass
class OpenData:
    publication: Publication
    metadata: dict[str, Any]
    table: Table


OPEN_HEADER = [
    "Theme",
    "Question",
    "Answers",
    "What we heard",
    "Our response",
    "Did it change the recommendation",
    "How",
    "Quote 1",
    "Quote 2",
]


def publications() -> list[Publication]:
    """The "you said, we did" publications that are public now, newest first."""
    return outcome_selectors.current_publications()


def approved_publication(pk: int) -> Publication | None:
    """An approved publication whose subject is public (never a pending, rejected or
    withdrawn one, nor one of a private proposal)."""
    return outcome_selectors.approved().filter(pk=pk).first()


def publications_of_activity(activity: Activity) -> list[Publication]:
    """The approved publications about ``activity``: its feedback, and the outcome of the
    proposal it was consulted on or linked to."""
    proposals = set(
        ProposalActivity.objects.filter(activity=activity).values_list("proposal_id", flat=True)
    )
    proposals |= set(
        Consultation.objects.filter(activity=activity).values_list("proposal_id", flat=True)
    )
    items = outcome_selectors.approved().filter(
        Q(activity=activity) | Q(kind=Publication.Kind.OUTCOME, proposal_id__in=proposals)
    )
    return list(items.order_by("-decided_at", "-pk"))


def open_data(publication: Publication) -> OpenData:
    """What was approved for publication (``Publication.redacted``, the text shown on the
    public page), never the live record; counts under the small-number threshold shown as
    "fewer than N"."""
    threshold = rules_selectors.small_number_threshold()
    content = publication.redacted or {}
    rows: list[list[Any]] = []
    total_label: Any = None
    if publication.kind == Publication.Kind.OUTCOME:
        themes = list(content.get("themes") or [])
        counts = [int(t.get("answers") or 0) for t in themes]
        total = int(content.get("total_responses") or 0)
        figures = suppression.protect([*counts, total], [], threshold).figures
        for theme, figure in zip(themes, figures, strict=False):
            quotes = list(theme.get("quotes") or [])[:2]
            quotes += [""] * (2 - len(quotes))
            rows.append(
                [
                    theme.get("name", ""),
                    theme.get("question", ""),
                    figure.shown if figure.shown is not None else figure.label,
                    theme.get("heard", ""),
                    theme.get("response", ""),
                    theme.get("changed_label", ""),
                    theme.get("how", ""),
                    *quotes,
                ]
            )
        total_figure = figures[-1]
        total_label = total_figure.shown if total_figure.shown is not None else total_figure.label
        subject = publication.proposal.title if publication.proposal else publication.title
    else:
        subject = publication.activity.title if publication.activity else publication.title
    metadata = {
        "title": publication.title,
        "subject": subject,
        "kind": publication.get_kind_display(),
        "publication_id": publication.pk,
        "published_at": _when(publication.decided_at),
        "report_version": content.get("version"),
        "summary": content.get("summary", content.get("feedback", "")),
        "next_steps": content.get("next_steps", ""),
        "opens_at": content.get("opens_at"),
        "closes_at": content.get("closes_at"),
        "total_responses": total_label,
        "small_numbers": (
            f"Counts from 1 to {threshold - 1} are shown as 'fewer than {threshold}'."
        ),
        "source": (
            "The 'you said, we did' text as approved for publication (the published page's "
            f"HTML has SHA-256 {publication.html_sha256})."
        ),
        "publisher": getattr(settings, "HEARD_ORGANISATION_NAME", "") or "",
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
    }
    return OpenData(
        publication=publication, metadata=metadata, table=Table("themes", OPEN_HEADER, rows)
    )


# The exports themselves ---------------------------------------------------------------------


def exports_of(user: Any, *, activity: Activity | None = None) -> QuerySet[Export]:
    items = Export.objects.filter(requested_by=user).defer("data")
    if activity is not None:
        items = items.filter(activity=activity)
    return items.select_related("activity", "question", "publication")


def export(pk: int) -> Export | None:
    return (
        Export.objects.filter(pk=pk)
        .select_related("activity", "question", "publication", "requested_by")
        .first()
    )
