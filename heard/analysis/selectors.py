"""Reading analysis results: questions to analyse, themes with counts and sentiment,
the review queue, agreement between people and machine, themes by respondent group."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from heard.accounts import selectors as rules_selectors
from heard.analysis import domain
from heard.analysis.models import (
    AnalysisRun,
    AnswerAnalysis,
    Codeframe,
    CodeframeVersion,
    Coding,
    SignedTheme,
    Theme,
)
from heard.core import suppression
from heard.engagement.models import Answer, Question, Response, ResponseEquality
from heard.people import equality

FREE_TEXT = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)
# A run still waiting after this long probably has no worker to run it.
STALE_AFTER = timedelta(minutes=5)


# One analysis per question across questionnaire versions: a question keeps its key in a
# new version unless staff said its meaning changed, so the answers to every version's
# question with that key are analysed together, under the first version's question (its
# "analysis question": the runs, the codeframe and each answer's analysis hang off it).


def _earlier_same_key() -> QuerySet[Question]:
    return Question.objects.filter(
        version__questionnaire_id=OuterRef("version__questionnaire_id"),
        key=OuterRef("key"),
        version__number__lt=OuterRef("version__number"),
    )


def analysis_roots(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Only the analysis questions among ``questions`` (each key's first version), each
    annotated with ``answer_count``: non-empty answers under every version of its key."""
    answers = (
        Answer.objects.filter(
            question__version__questionnaire_id=OuterRef("version__questionnaire_id"),
            question__key=OuterRef("key"),
        )
        .exclude(text="")
        .order_by()
        .values("question__key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return questions.filter(~Exists(_earlier_same_key())).annotate(
        answer_count=Coalesce(Subquery(answers[:1], output_field=IntegerField()), 0)
    )


def analysis_question(question: Question) -> Question:
    """The question whose analysis covers ``question``'s answers: the first version's
    question with the same key in the same questionnaire (itself when it is the first)."""
    first = (
        Question.objects.filter(
            version__questionnaire_id=question.version.questionnaire_id, key=question.key
        )
        .select_related("version__questionnaire__activity")
        .order_by("version__number", "pk")
        .first()
    )
    return first or question


def analysed_question_ids(question: Question) -> list[int]:
    """Every version's question whose answers the analysis of ``question`` covers."""
    return list(
        Question.objects.filter(
            version__questionnaire_id=question.version.questionnaire_id, key=question.key
        ).values_list("pk", flat=True)
    )


def questions_for_analysis() -> QuerySet[Question]:
    latest = AnalysisRun.objects.filter(question=OuterRef("pk")).order_by("-pk")
    return (
        analysis_roots(  # type: ignore[misc]  # answer_count is annotated by analysis_roots
            Question.objects.filter(kind__in=FREE_TEXT).select_related(
                "version__questionnaire__activity"
            )
        )
        .annotate(
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
    """The codeframe of ``question``'s analysis (shared by every version of its key)."""
    codeframe = Codeframe.objects.filter(question=question).first()
    if codeframe is None:
        codeframe = Codeframe.objects.filter(question=analysis_question(question)).first()
    return codeframe


def signed_versions(codeframe: Codeframe) -> list[CodeframeVersion]:
    """The codeframe's signed-off versions, newest first."""
    return list(
        CodeframeVersion.objects.filter(codeframe=codeframe)
        .select_related("signed_off_by")
        .order_by("-number")
    )


def signed_off(codeframe: Codeframe | None) -> CodeframeVersion | None:
    """The codeframe version reports use: the latest one signed off (None before any)."""
    if codeframe is None:
        return None
    return (
        CodeframeVersion.objects.filter(codeframe=codeframe)
        .select_related("signed_off_by")
        .order_by("-number")
        .first()
    )


def signed_themes(version: CodeframeVersion) -> list[SignedTheme]:
    return list(SignedTheme.objects.filter(version=version).order_by("position"))


def quote_candidates(theme: Theme) -> list[tuple[int, str]]:
    """(answer id, redacted words) of the answers coded with ``theme`` now (not rejected),
    people's decisions first, then the machine's most confident suggestions. Consent is
    not checked here: pass the words through ``consented_quotes``."""
    codings = list(
        Coding.objects.filter(theme=theme)
        .exclude(status=Coding.Status.REJECTED)
        .values_list("answer_id", "status", "confidence")
    )
    codings.sort(
        key=lambda c: (c[1] != Coding.Status.ACCEPTED, -(c[2] if c[2] is not None else 1.0), c[0])
    )
    words = dict(
        AnswerAnalysis.objects.filter(answer_id__in=[c[0] for c in codings]).values_list(
            "answer_id", "redacted_text"
        )
    )
    return [(a, words[a].strip()) for a, _, _ in codings if words.get(a, "").strip()]


def has_placeholder(text: str) -> bool:
    """Whether redaction replaced something in ``text`` ([NAME], [PHONE], …): such a quote
    is safe but reads badly in public, so it is chosen by default only when a theme has
    no other."""
    from heard_analysis.redact import PLACEHOLDERS

    return any(marker in text for marker in PLACEHOLDERS.values())


def default_quotes(
    candidates: list[tuple[int, str]], allowed: set[str], used: set[str], count: int
) -> list[str]:
    """The quotes a theme gets unless a person chooses: consenting people's words, in
    the candidates' order (people's decisions first, then the machine's most confident),
    never one already shown for another theme (``used``, updated here); among the best
    ``3 * count``, words without a redaction placeholder come first."""
    usable = list(dict.fromkeys(t for _, t in candidates if t in allowed and t not in used))
    # within the best-ranked few (what illustrates the theme best), plain words first;
    # a quote is never passed over for a much less typical one just to avoid a marker
    window = usable[: 3 * count]
    ranked = [t for t in window if not has_placeholder(t)]
    ranked += [t for t in window if has_placeholder(t)] + usable[3 * count :]
    chosen: list[str] = []
    for text in ranked:
        if text not in chosen:
            chosen.append(text)
        if len(chosen) == count:
            break
    used.update(chosen)
    return chosen


@dataclass
class QuoteChoice:
    theme: Theme
    # (answer id, redacted words, chosen by default) from consenting people only
    options: list[tuple[int, str, bool]]


def quote_choices(
    codeframe: Codeframe, rows: "list[ThemeRow]", *, per_theme: int = 3, offered: int = 6
) -> list[QuoteChoice]:
    """For the sign-off form: per theme with answers, quotes a person may choose from
    (consenting people's redacted words, coded with the theme now), the first
    ``per_theme`` ticked."""
    choices = []
    used: set[str] = set()  # ticked for an earlier theme: not ticked again by default
    for row in rows:
        if row.answers <= 0:
            continue
        candidates = quote_candidates(row.theme)
        allowed = set(consented_quotes(codeframe.question_id, [t for _, t in candidates]))
        ticked = set(default_quotes(candidates, allowed, used, per_theme))
        seen: set[str] = set()
        options: list[tuple[int, str, bool]] = []
        # the ticked ones first, then others a person may prefer
        ordered = sorted(candidates, key=lambda c: c[1] not in ticked)
        for answer_id, text in ordered:
            if text in allowed and text not in seen:
                seen.add(text)
                options.append((answer_id, text, text in ticked))
            if len(options) == offered:
                break
        choices.append(QuoteChoice(row.theme, options))
    return choices


def theme_exists(theme_id: int) -> bool:
    return Theme.objects.filter(pk=theme_id).exists()


def changed_since_sign_off(codeframe: Codeframe) -> bool:
    version = signed_off(codeframe)
    return version is None or version.edit_version != codeframe.version


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
    # the theme's example quotes from people who agreed to publication (consented_quotes)
    quotes: list[str] = field(default_factory=list)


TRUNCATED = "..."  # how the engine ends a quote it shortened


def consented_quotes(question_id: int, quotes: list[str]) -> list[str]:
    """The quotes (redacted answers chosen by theme discovery) that came from people who
    agreed to their words being published: the one place every page, report and export
    that quotes people gets its quotes from. A quote is kept only when an answer to the
    question with that redacted text (or, for a shortened quote, starting with it) was
    given with consent; one that cannot be matched (a later run redacted it differently)
    is left out. A refusal is never overridden by a paraphrase of the same words: staff
    report those as counts and in their own words."""
    quotes = [str(q).strip() for q in quotes if str(q).strip()]
    if not quotes:
        return []
    consenting = AnswerAnalysis.objects.filter(
        question_id=question_id, answer__response__publish_consent=True
    )
    variants = [v for q in quotes for v in (q, f"{q}\n", f"{q}\r\n", f"{q} ")]
    allowed = {
        text.strip()
        for text in consenting.filter(redacted_text__in=variants).values_list(
            "redacted_text", flat=True
        )
    }
    kept = []
    for q in quotes:
        if q in allowed:
            kept.append(q)
        elif (q.endswith(TRUNCATED) and len(q) > 100) or len(q) >= 1000:
            head = q.removesuffix(TRUNCATED) if q.endswith(TRUNCATED) else q
            if consenting.filter(redacted_text__startswith=head).exists():
                kept.append(q)
    return kept


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
    allowed = set(
        consented_quotes(codeframe.question_id, [q for t in themes for q in t.quotes or []])
    )
    for row in rows:
        row.quotes = [q for q in (str(x).strip() for x in row.theme.quotes or []) if q in allowed]
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
    rows: list[tuple[str, list[suppression.Figure]]] = field(default_factory=list)
    respondents: list[suppression.Figure] = field(default_factory=list)

    @property
    def any_protecting(self) -> bool:
        cells = [f for _, row in self.rows for f in row] + self.respondents
        return any(f.status is suppression.Status.SUPPRESSED for f in cells)


def group_table_figures(
    respondents: list[int],
    rows: list[list[int]],
    theme_totals: list[int],
    answers: int,
    threshold: int,
    *,
    everyone_has_a_group: bool,
) -> tuple[list[suppression.Figure], list[list[suppression.Figure]]]:
    """Suppress a themes × groups table against everything a reader knows: the number of
    answers to the question and each theme's number of answers are published elsewhere,
    the groups add up to the answers (with those who gave no answer to an equality
    question, never shown), each theme's cells add up to its total (likewise), and no theme
    is raised by more people than are in the group. A group whose size is hidden has its
    theme cells hidden too (no zeros beside a suppressed group)."""
    values: list[int] = []
    lines: list[suppression.Line] = []
    fixed: list[int] = []
    forced: list[int] = []
    remainders: list[int] = []
    upper: dict[int, int] = {}

    def add(value: int) -> int:
        values.append(value)
        return len(values) - 1

    def line(cells: list[int], total: int) -> list[int]:
        ids = [add(v) for v in cells]
        members = list(ids)
        rest = total - sum(cells)
        if not everyone_has_a_group or rest:
            other = add(max(rest, 0))  # those without a group: never shown
            remainders.append(other)
            members.append(other)
        total_id = add(max(total, sum(cells)))
        fixed.append(total_id)
        lines.append(suppression.Line(tuple(members), total_id))
        return ids

    group_ids = line(respondents, answers)
    small_groups = {j for j, n in enumerate(respondents) if 0 < n < threshold}
    row_ids = []
    for cells, total in zip(rows, theme_totals, strict=True):
        ids = line(cells, total)
        for j, i in enumerate(ids):
            if j in small_groups:
                forced.append(i)
                upper[i] = threshold - 1
            else:
                upper[i] = respondents[j]
        row_ids.append(ids)
    result = suppression.protect(
        values, lines, threshold, fixed=fixed, forced=forced, remainders=remainders, upper=upper
    )
    f = result.figures
    return [f[i] for i in group_ids], [[f[i] for i in ids] for ids in row_ids]


def themes_by_group(question: Question) -> list[GroupTable]:
    """Counts of answers per theme × respondent type and × each equality question
    (aggregate only), suppressed by heard.core.suppression so that no hidden count can be
    worked out from the others or from the totals published elsewhere."""
    threshold = rules_selectors.small_number_threshold()
    codeframe = codeframe_of(question)
    if codeframe is None:
        return []
    themes = list(Theme.objects.filter(codeframe=codeframe).order_by("name"))
    response_of = dict(
        Answer.objects.filter(question_id__in=analysed_question_ids(question))
        .exclude(text="")
        .values_list("pk", "response_id")
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
    theme_totals: Counter[int] = Counter(t for ts in themes_of.values() for t in ts)
    dimensions: list[tuple[str, dict[int, str], list[tuple[str, str]], bool]] = []
    rtype: dict[int, str] = {}
    channel: dict[int, str] = {}
    for pk, kind, how in Response.objects.filter(pk__in=list(responses)).values_list(
        "pk", "respondent_type", "channel"
    ):
        rtype[pk], channel[pk] = kind, how
    dimensions.append(
        ("Responding as", rtype, [(c.value, str(c.label)) for c in Response.RespondentType], True)
    )
    dimensions.append(
        ("How they responded", channel, [(c.value, str(c.label)) for c in Response.Channel], True)
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
        dimensions.append((title, values, list(options), False))
    tables = []
    for title, values, options, everyone in dimensions:
        # groups nobody is in are not shown at all (not as columns of zeros)
        present = [(v, label) for v, label in options if v in set(values.values())]
        if not present:
            continue
        counts_by_group = Counter(values.values())
        cells: Counter[tuple[int, str]] = Counter()
        for r, ts in themes_of.items():
            value = values.get(r)
            if value:
                cells.update((t, value) for t in ts)
        known = set(dict(present))
        everyone_in_a_group = everyone and all(values.get(r) in known for r in responses)
        respondents, rows = group_table_figures(
            [counts_by_group[v] for v, _ in present],
            [[cells[(theme.pk, v)] for v, _ in present] for theme in themes],
            [theme_totals[theme.pk] for theme in themes],
            len(responses),
            threshold,
            everyone_has_a_group=everyone_in_a_group,
        )
        table = GroupTable(title=title, groups=[label for _, label in present])
        table.respondents = respondents
        table.rows = [(theme.name, row) for theme, row in zip(themes, rows, strict=True)]
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


def codings_of_activity(activity_id: int) -> QuerySet[Coding]:
    """Every coding of the answers to an activity's questions (any version), in answer
    order: what the HTTP API lists for analysts."""
    return (
        Coding.objects.filter(answer__response__activity_id=activity_id)
        .select_related("theme", "answer__question", "answer__response")
        .order_by("answer_id", "pk")
    )


def answers_analysed(
    version: CodeframeVersion, question_ids: list[int]
) -> tuple[set[int], set[int]]:
    """Of the answers to ``question_ids`` (every version's question of one analysis):
    the ids of those coded (not rejected) with a theme of the signed-off ``version``, and
    of those a person reviewed and gave no theme at all ("no theme"). An answer in
    neither has not been analysed in what the report relies on."""
    theme_ids = list(
        SignedTheme.objects.filter(version=version).values_list("theme_id_at_sign_off", flat=True)
    )
    live = Coding.objects.filter(answer__question_id__in=question_ids).exclude(
        status=Coding.Status.REJECTED
    )
    coded = set(live.filter(theme_id__in=theme_ids).values_list("answer_id", flat=True))
    with_any_theme = set(live.values_list("answer_id", flat=True))
    no_theme = (
        set(
            AnswerAnalysis.objects.filter(
                answer__question_id__in=question_ids,
                reviewed_at__isnull=False,
                reviewed_by__isnull=False,
            ).values_list("answer_id", flat=True)
        )
        - with_any_theme
    )
    return coded, no_theme


def answers_checked_by_person(question_ids: list[int]) -> set[int]:
    """Of the answers to ``question_ids``: those a person has looked at – coded by a
    person, a machine coding a person accepted, or reviewed (a theme or none)."""
    by_coding = Coding.objects.filter(answer__question_id__in=question_ids).filter(
        Q(source=Coding.Source.PERSON) | Q(status=Coding.Status.ACCEPTED)
    )
    reviewed = AnswerAnalysis.objects.filter(
        answer__question_id__in=question_ids,
        reviewed_at__isnull=False,
        reviewed_by__isnull=False,
    )
    return set(by_coding.values_list("answer_id", flat=True)) | set(
        reviewed.values_list("answer_id", flat=True)
    )
