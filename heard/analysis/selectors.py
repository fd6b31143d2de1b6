"""Reading analysis results: questions to analyse, themes with counts and sentiment,
the review queue, agreement between people and machine, themes by respondent group."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from heard.analysis import domain
from heard.analysis.models import AnalysisRun, AnswerAnalysis, Codeframe, Coding, Theme
from heard.engagement.models import Answer, Question, Response, ResponseEquality
from heard.people import equality

FREE_TEXT = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)
# A run still waiting after this long probably has no worker to run it.
STALE_AFTER = timedelta(minutes=5)


def questions_for_analysis() -> QuerySet[Question]:
    latest = AnalysisRun.objects.filter(question=OuterRef("pk")).order_by("-pk")
    return (
        Question.objects.filter(kind__in=FREE_TEXT)
        .select_related("version__questionnaire__activity")
        .annotate(
            answer_count=Count("answers", filter=~Q(answers__text="")),
            run_status=Subquery(latest.values("status")[:1]),
            run_id=Subquery(latest.values("pk")[:1]),
        )
        .filter(answer_count__gt=0)
        .order_by("-version__questionnaire__created_at", "version__questionnaire", "position")
    )


def questions_of_activity(activity_id: int) -> QuerySet[Question]:
    return questions_for_analysis().filter(version__questionnaire__activity_id=activity_id)


def latest_run(question: Question) -> AnalysisRun | None:
    return AnalysisRun.objects.filter(question=question).order_by("-pk").first()


def latest_finished_run(question: Question) -> AnalysisRun | None:
    return (
        AnalysisRun.objects.filter(question=question, status=domain.RunStatus.DONE)
        .order_by("-pk")
        .first()
    )


def run_seems_stuck(run: AnalysisRun) -> bool:
    return run.status == domain.RunStatus.QUEUED and timezone.now() - run.created_at > STALE_AFTER


def codeframe_of(question: Question) -> Codeframe | None:
    return Codeframe.objects.filter(question=question).first()


LIVE = ~Q(codings__status=Coding.Status.REJECTED)


@dataclass
class ThemeRow:
    theme: Theme
    depth: int
    answers: int  # suggested or accepted
    accepted: int
    suggested: int
    negative: int = 0
    neutral: int = 0
    positive: int = 0
    mean_score: float | None = None


def themes_with_counts(codeframe: Codeframe) -> list[ThemeRow]:
    """Themes in tree order (parents then their sub-themes), with live counts and
    sentiment of the answers in each (rejected suggestions do not count)."""
    themes = list(
        Theme.objects.filter(codeframe=codeframe)
        .annotate(
            accepted_n=Count("codings", filter=Q(codings__status=Coding.Status.ACCEPTED)),
            suggested_n=Count("codings", filter=Q(codings__status=Coding.Status.SUGGESTED)),
        )
        # Meta.ordering is not applied to aggregating queries: order explicitly, or
        # PostgreSQL returns the themes in whatever order its grouping produced.
        .order_by("pk")
    )
    moods: dict[int, Counter[str]] = defaultdict(Counter)
    scores: dict[int, list[float]] = defaultdict(list)
    # Two plain lookups matched here, not one query joining codings, answers and their
    # analysis: PostgreSQL can plan that join badly while its statistics are stale (just
    # after a bulk load); a CI run once spent minutes in it, 13 s and more per call.
    mood_of = {
        answer_id: (label, score)
        for answer_id, label, score in AnswerAnalysis.objects.filter(
            question_id=codeframe.question_id
        ).values_list("answer_id", "sentiment", "score")
    }
    for theme_id, answer_id in (
        Coding.objects.filter(theme_id__in=[t.pk for t in themes])
        .exclude(status=Coding.Status.REJECTED)
        .order_by()
        .values_list("theme_id", "answer_id")
    ):
        label, score = mood_of.get(answer_id, ("", None))
        if label:
            moods[theme_id][label] += 1
        if score is not None:
            scores[theme_id].append(score)
    children: dict[int | None, list[Theme]] = defaultdict(list)
    ids = {t.pk for t in themes}
    for t in themes:
        children[t.parent_id if t.parent_id in ids else None].append(t)
    rows: list[ThemeRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for t in children.get(parent, []):
            s = scores.get(t.pk)
            rows.append(
                ThemeRow(
                    theme=t,
                    depth=depth,
                    answers=t.accepted_n + t.suggested_n,  # type: ignore[attr-defined]
                    accepted=t.accepted_n,  # type: ignore[attr-defined]
                    suggested=t.suggested_n,  # type: ignore[attr-defined]
                    negative=moods[t.pk]["negative"],
                    neutral=moods[t.pk]["neutral"],
                    positive=moods[t.pk]["positive"],
                    mean_score=round(sum(s) / len(s), 2) if s else None,
                )
            )
            if depth < 3:
                walk(t.pk, depth + 1)

    walk(None, 0)
    return rows


# Review queue --------------------------------------------------------------------------


def review_queue(question: Question) -> QuerySet[AnswerAnalysis]:
    """Answers not yet reviewed: the active learner's "code these next" first (a short
    list, the answers whose coding teaches the model most), then low-confidence
    suggestions, then the rest in answer order."""
    return AnswerAnalysis.objects.filter(question=question, reviewed_at__isnull=True).order_by(
        F("code_next_rank").asc(nulls_last=True), F("needs_review").desc(), "answer_id"
    )


def code_next(question: Question) -> list[AnswerAnalysis]:
    return list(
        AnswerAnalysis.objects.filter(
            question=question, reviewed_at__isnull=True, code_next_rank__isnull=False
        ).order_by("code_next_rank")
    )


@dataclass(frozen=True)
class QueueCounts:
    """Answers of one question by where they are in people's review. ``open`` and
    ``reviewed`` add up to ``analysed``; ``needs_review`` and ``code_next`` are parts of
    ``open``; ``confirmed`` counts answers with at least one theme a person accepted or
    added (reviewed or not: coding one theme by hand does not finish an answer)."""

    open: int
    needs_review: int
    code_next: int
    reviewed: int
    confirmed: int = 0

    @property
    def analysed(self) -> int:
        return self.open + self.reviewed


def queue_counts(question: Question) -> QueueCounts:
    agg = AnswerAnalysis.objects.filter(question=question).aggregate(
        open=Count("pk", filter=Q(reviewed_at__isnull=True)),
        needs=Count("pk", filter=Q(reviewed_at__isnull=True, needs_review=True)),
        nxt=Count("pk", filter=Q(reviewed_at__isnull=True, code_next_rank__isnull=False)),
        reviewed=Count("pk", filter=Q(reviewed_at__isnull=False)),
    )
    confirmed = (
        Coding.objects.filter(theme__codeframe__question=question, status=Coding.Status.ACCEPTED)
        .values("answer_id")
        .distinct()
        .count()
    )
    return QueueCounts(agg["open"], agg["needs"], agg["nxt"], agg["reviewed"], confirmed)


@dataclass
class BulkRow:
    analysis: AnswerAnalysis
    themes: list[str]  # names of the themes it has now (suggested or accepted)
    has_theme: bool  # whether it has the theme being filtered on


def bulk_answers(
    question: Question, *, contains: str = "", theme: Theme | None = None, without: bool = False
) -> QuerySet[AnswerAnalysis]:
    """Analysed answers to code in bulk: optionally those whose redacted words contain
    ``contains``, and those with (or, ``without``, lacking) ``theme`` (not rejected)."""
    qs = AnswerAnalysis.objects.filter(question=question)
    if contains.strip():
        qs = qs.filter(redacted_text__icontains=contains.strip())
    if theme is not None:
        having = Coding.objects.filter(theme=theme).exclude(status=Coding.Status.REJECTED)
        ids = having.values("answer_id")
        qs = qs.exclude(answer_id__in=ids) if without else qs.filter(answer_id__in=ids)
    return qs.order_by("answer_id")


def bulk_rows(analyses: list[AnswerAnalysis], theme: Theme | None) -> list[BulkRow]:
    """The themes each answer on one page has now (one query for the page)."""
    names: dict[int, list[str]] = defaultdict(list)
    with_theme: set[int] = set()
    for answer_id, theme_id, name in (
        Coding.objects.filter(answer_id__in=[a.answer_id for a in analyses])
        .exclude(status=Coding.Status.REJECTED)
        .order_by("theme__name")
        .values_list("answer_id", "theme_id", "theme__name")
    ):
        names[answer_id].append(name)
        if theme is not None and theme_id == theme.pk:
            with_theme.add(answer_id)
    return [BulkRow(a, names.get(a.answer_id, []), a.answer_id in with_theme) for a in analyses]


def review_item(answer_id: int) -> AnswerAnalysis | None:
    return (
        AnswerAnalysis.objects.select_related("answer__response", "question")
        .filter(answer_id=answer_id)
        .first()
    )


def codings_of(answer_id: int) -> list[Coding]:
    return list(
        Coding.objects.filter(answer_id=answer_id)
        .select_related("theme", "by")
        .order_by(F("confidence").desc(nulls_last=True), "pk")
    )


def next_in_queue(question: Question, *, after: int | None = None) -> AnswerAnalysis | None:
    """The first answer in the queue, or the one after answer ``after`` in queue order
    (so skipping moves forward through the queue, wrapping round at the end)."""
    queue = review_queue(question)
    if after is None:
        return queue.first()
    ids = list(queue.values_list("answer_id", flat=True))
    if after in ids:
        position = ids.index(after)
        ids = ids[position + 1 :] + ids[:position]
    if not ids:
        return None
    return AnswerAnalysis.objects.filter(answer_id=ids[0]).first()


# Agreement -----------------------------------------------------------------------------


def agreement_table(question: Question) -> list[domain.Agreement]:
    """Per theme, people against machine over the answers both coded: reviewed by a
    person and given at least one suggestion by the machine."""
    codeframe = codeframe_of(question)
    if codeframe is None:
        return []
    reviewed = set(
        AnswerAnalysis.objects.filter(question=question, reviewed_at__isnull=False).values_list(
            "answer_id", flat=True
        )
    )
    machine: dict[int, set[int]] = defaultdict(set)
    people: dict[int, set[int]] = defaultdict(set)
    for answer_id, theme_id, source, status in Coding.objects.filter(
        theme__codeframe=codeframe, answer_id__in=list(reviewed)
    ).values_list("answer_id", "theme_id", "source", "status"):
        if source == Coding.Source.MACHINE:
            machine[answer_id].add(theme_id)
        if status == Coding.Status.ACCEPTED:
            people[answer_id].add(theme_id)
    both = [a for a in reviewed if machine.get(a)]
    return [
        domain.agreement(
            theme.name,
            ((theme.pk in machine[a], theme.pk in people.get(a, set())) for a in both),
        )
        for theme in Theme.objects.filter(codeframe=codeframe).order_by("name")
    ]


# Themes by respondent group -----------------------------------------------------------------


@dataclass
class GroupTable:
    title: str
    groups: list[str]
    rows: list[tuple[str, list[int | None]]] = field(default_factory=list)
    respondents: list[int | None] = field(default_factory=list)


def themes_by_group(question: Question) -> list[GroupTable]:
    """Counts of answers per theme × respondent type and × each equality question
    (aggregate only), with numbers below HEARD_SMALL_NUMBER_THRESHOLD suppressed."""
    threshold = settings.HEARD_SMALL_NUMBER_THRESHOLD
    codeframe = codeframe_of(question)
    if codeframe is None:
        return []
    themes = list(Theme.objects.filter(codeframe=codeframe).order_by("name"))
    response_of = dict(
        Answer.objects.filter(question=question).exclude(text="").values_list("pk", "response_id")
    )
    themes_of: dict[int, set[int]] = defaultdict(set)  # response -> themes
    for answer_id, theme_id in (
        Coding.objects.filter(theme__codeframe=codeframe)
        .exclude(status=Coding.Status.REJECTED)
        .values_list("answer_id", "theme_id")
    ):
        if answer_id in response_of:
            themes_of[response_of[answer_id]].add(theme_id)
    responses = set(response_of.values())
    dimensions: list[tuple[str, dict[int, str], list[tuple[str, str]]]] = []
    rtype: dict[int, str] = {}
    channel: dict[int, str] = {}
    for pk, kind, how in Response.objects.filter(pk__in=list(responses)).values_list(
        "pk", "respondent_type", "channel"
    ):
        rtype[pk], channel[pk] = kind, how
    dimensions.append(
        ("Responding as", rtype, [(c.value, str(c.label)) for c in Response.RespondentType])
    )
    dimensions.append(
        ("How they responded", channel, [(c.value, str(c.label)) for c in Response.Channel])
    )
    eq_fields = list(equality.QUESTIONS)
    eq_rows = list(
        ResponseEquality.objects.filter(response_id__in=list(responses)).values_list(
            "response_id", *eq_fields
        )
    )
    for position, key in enumerate(eq_fields, 1):
        title, options = equality.QUESTIONS[key]
        values = {row[0]: row[position] for row in eq_rows if row[position]}
        dimensions.append((title, values, list(options)))
    tables = []
    for title, values, options in dimensions:
        present = [(v, label) for v, label in options if v in set(values.values())]
        if not present:
            continue
        table = GroupTable(title=title, groups=[label for _, label in present])
        counts_by_group = Counter(values.values())
        table.respondents = domain.suppress_row([counts_by_group[v] for v, _ in present], threshold)
        cells: Counter[tuple[int, str]] = Counter()
        for r, ts in themes_of.items():
            value = values.get(r)
            if value:
                cells.update((t, value) for t in ts)
        for theme in themes:
            table.rows.append(
                (
                    theme.name,
                    domain.suppress_row([cells[(theme.pk, v)] for v, _ in present], threshold),
                )
            )
        tables.append(table)
    return tables


def evidence_answers(question: Question, limit: int = 20) -> list[AnswerAnalysis]:
    return list(
        AnswerAnalysis.objects.filter(question=question, evidence_flagged=True).order_by(
            "answer_id"
        )[:limit]
    )


AGREE = frozenset({"strongly_agree", "agree"})
DISAGREE = frozenset({"strongly_disagree", "disagree"})


@dataclass
class SupportRow:
    name: str
    depth: int
    agree: int = 0
    neutral: int = 0
    disagree: int = 0
    other: int = 0  # "don't know", or the agree/disagree question not answered


@dataclass
class Support:
    """Support or opposition beside the themes: how the people who raised each theme
    answered the questionnaire's agree/disagree question. Sentiment is the tone of the
    words; this is what people said they think of the proposal."""

    question_text: str
    rows: list[SupportRow]


def support_by_theme(question: Question, theme_rows: list[ThemeRow]) -> Support | None:
    """None when the questionnaire asks no agree/disagree (Likert) question."""
    questionnaire_id = question.version.questionnaire_id
    likert = (
        Question.objects.filter(version__questionnaire_id=questionnaire_id, kind="likert")
        .order_by("-version__number", "section__position", "position")
        .first()
    )
    if likert is None or not theme_rows:
        return None
    pairs = list(
        Coding.objects.filter(theme_id__in=[r.theme.pk for r in theme_rows])
        .exclude(status=Coding.Status.REJECTED)
        .order_by()
        .values_list("theme_id", "answer__response_id")
    )
    stance = dict(
        Answer.objects.filter(
            question__version__questionnaire_id=questionnaire_id,
            question__key=likert.key,
            response_id__in={r for _, r in pairs},
        ).values_list("response_id", "value")
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for theme_id, response_id in pairs:
        value = stance.get(response_id)
        side = (
            "agree"
            if value in AGREE
            else "disagree"
            if value in DISAGREE
            else "neutral"
            if value == "neutral"
            else "other"
        )
        counts[theme_id][side] += 1
    return Support(
        question_text=likert.text,
        rows=[
            SupportRow(
                name=r.theme.name,
                depth=r.depth,
                agree=counts[r.theme.pk]["agree"],
                neutral=counts[r.theme.pk]["neutral"],
                disagree=counts[r.theme.pk]["disagree"],
                other=counts[r.theme.pk]["other"],
            )
            for r in theme_rows
        ],
    )
