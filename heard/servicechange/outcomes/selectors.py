"""Reading outcomes: the themes of a consultation with our responses, the decision guard's
facts, and everything the outcome report (HTML, PDF) and "You said, we did" show – all
from one function, ``report_for``, so that the three can never disagree."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone

from heard.accounts import selectors as rules_selectors
from heard.analysis import charts as analysis_charts
from heard.analysis import selectors as analysis_selectors
from heard.core import suppression
from heard.engagement.models import Answer, Question, Response, ResponseEquality
from heard.involvement import charts as involvement_charts
from heard.involvement import population as population_module
from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.assessment.models import UrgentPath
from heard.servicechange.consultations import selectors as consultation_selectors
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.outcomes import domain
from heard.servicechange.outcomes.models import (
    Decision,
    LateResponseDecision,
    Outcome,
    Publication,
    ReportIssue,
    ReportPublication,
    ReportReopening,
    ThemeResponse,
)
from heard.servicechange.proposals.models import Proposal, ProposalActivity

QUOTES_PER_THEME = 3


def outcome_of(proposal: Proposal) -> Outcome | None:
    return Outcome.objects.filter(proposal=proposal).first()


def decision_of(proposal: Proposal) -> Decision | None:
    return Decision.objects.filter(proposal=proposal).first()


def consultation_of(proposal: Proposal) -> Consultation | None:
    return consultation_selectors.consultation_for(proposal)


def latest_issue(outcome: Outcome | None) -> ReportIssue | None:
    if outcome is None:
        return None
    return ReportIssue.objects.filter(outcome=outcome).order_by("-issued_at", "-pk").first()


def responses_changed_at(outcome: Outcome | None) -> datetime | None:
    if outcome is None:
        return None
    return ThemeResponse.objects.filter(outcome=outcome).aggregate(m=Max("updated_at"))["m"]


def free_text_questions(consultation: Consultation) -> list[Question]:
    """The consultation questionnaire's free-text questions that have answers: one per
    question across questionnaire versions (the first version's, with every version's
    answers counted), as the analysis treats them."""
    return list(
        analysis_selectors.analysis_roots(  # type: ignore[misc]  # annotated answer_count
            Question.objects.filter(
                version__questionnaire__activity=consultation.activity,
                kind__in=analysis_selectors.FREE_TEXT,
            )
        )
        .filter(answer_count__gt=0)
        .order_by("version__number", "position")
    )


@dataclass
class ThemeItem:
    """One theme found in the answers to one question, with what we said about it."""

    theme_id: int
    name: str
    description: str
    question: str
    question_id: int
    depth: int
    answers: int
    negative: int
    neutral: int
    positive: int
    quotes: list[str]
    response: ThemeResponse | None = None
    # answers in it a person coded or confirmed at sign-off (0: machine suggestions only)
    accepted: int = 0

    @property
    def complete(self) -> bool:
        return domain.is_complete(self.response.facts() if self.response else None)

    @property
    def changed_label(self) -> str:
        if self.response is None or not self.response.changed:
            return ""
        return domain.SHORT_CHANGED_LABELS[domain.Changed(self.response.changed)]


@dataclass(frozen=True)
class UsedVersion:
    """The signed-off codeframe version a question's themes come from."""

    question: str
    question_id: int
    number: int
    signed_off_by: str
    signed_off_at: datetime


@dataclass
class Themes:
    items: list[ThemeItem]
    unanalysed: list[str]  # free-text questions with answers and no themes
    # questions with themes but no signed-off codeframe version (nothing to report yet)
    unsigned: list[str] = field(default_factory=list)
    versions: list[UsedVersion] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Themes without a complete response of substance."""
        return [t.name for t in self.items if not t.complete]

    @property
    def unanswered(self) -> list[str]:
        """Themes with no response written, or one missing the yes/partly/no or how
        (a written response without substance is named by AnalysisProgress instead)."""
        return [
            t.name
            for t in self.items
            if not t.complete
            and (
                t.response is None
                or not t.response.response.strip()
                or not substance_problems(t.response.response)
            )
        ]


def themes_for(
    proposal: Proposal, consultation: Consultation | None = None, *, public: bool = False
) -> Themes:
    """Every theme with answers in the consultation's free-text questions (in question,
    then codeframe order), with our response where there is one. Quotes, for the staff
    page, the board's report and its PDF as for the public page, only from people who
    agreed to publication (analysis_selectors.consented_quotes); ``public`` is kept for
    callers that tell the two apart."""
    consultation = consultation or consultation_of(proposal)
    if consultation is None:
        return Themes([], [])
    outcome = outcome_of(proposal)
    responses = (
        {r.theme_id: r for r in ThemeResponse.objects.filter(outcome=outcome)} if outcome else {}
    )
    items: list[ThemeItem] = []
    unanalysed: list[str] = []
    unsigned: list[str] = []
    versions: list[UsedVersion] = []
    for question in free_text_questions(consultation):
        codeframe = analysis_selectors.codeframe_of(question)
        version = analysis_selectors.signed_off(codeframe)
        if version is None:
            rows = analysis_selectors.themes_with_counts(codeframe) if codeframe else []
            if any(r.answers > 0 for r in rows):
                unsigned.append(question.text)
            else:
                unanalysed.append(question.text)
            continue
        # Names, descriptions, counts and quotes as signed off, never the live codeframe
        # (nor a first run's stored quotes). Quotes are checked against consent again:
        # a withdrawal after sign-off is honoured on every page made from now on.
        signed = [t for t in analysis_selectors.signed_themes(version) if t.answers > 0]
        allowed = set(
            analysis_selectors.consented_quotes(question.pk, [q for t in signed for q in t.quotes])
        )
        by = version.signed_off_by
        versions.append(
            UsedVersion(
                question=question.text,
                question_id=question.pk,
                number=version.number,
                # the name only, never an email address (the report is public)
                signed_off_by=(by.full_name.strip() if by else "") or "an analyst",
                signed_off_at=version.signed_off_at,
            )
        )
        for theme in signed:
            items.append(
                ThemeItem(
                    theme_id=theme.theme_id_at_sign_off,
                    name=theme.name,
                    description=theme.description,
                    question=question.text,
                    question_id=question.pk,
                    depth=theme.depth,
                    answers=theme.answers,
                    negative=theme.negative,
                    neutral=theme.neutral,
                    positive=theme.positive,
                    accepted=theme.accepted,
                    quotes=[q for q in theme.quotes if q in allowed][:QUOTES_PER_THEME],
                    response=responses.get(theme.theme_id_at_sign_off),
                )
            )
    return Themes(items, unanalysed, unsigned, versions)


def late_decisions(proposal: Proposal) -> list[LateResponseDecision]:
    return list(
        LateResponseDecision.objects.filter(outcome__proposal=proposal)
        .select_related("response", "decided_by")
        .order_by("decided_at", "pk")
    )


def late_responses(consultation: Consultation) -> list[Response]:
    """Responses received after the consultation closed, with free-text answers."""
    return list(
        Response.objects.filter(activity=consultation.activity, late=True)
        .filter(
            answers__question__kind__in=analysis_selectors.FREE_TEXT,
        )
        .exclude(answers__text="")
        .distinct()
        .order_by("submitted_at", "pk")
    )


def analysis_progress(
    proposal: Proposal, consultation: Consultation | None = None, themes: Themes | None = None
) -> domain.AnalysisProgress:
    """Every free-text answer received (late ones too) against what the report relies
    on: coded in the signed-off codeframe or marked "no theme" by a person; late answers
    set aside with a recorded reason; themes a person reviewed; responses of substance."""
    consultation = consultation or consultation_of(proposal)
    if consultation is None:
        return domain.AnalysisProgress()
    themes = themes or themes_for(proposal, consultation)
    set_aside = set(
        LateResponseDecision.objects.filter(outcome__proposal=proposal).values_list(
            "response_id", flat=True
        )
    )
    questions: list[domain.QuestionProgress] = []
    late_answers = 0
    late_set_aside = 0
    undecided_refs: set[str] = set()
    for question in free_text_questions(consultation):
        ids = analysis_selectors.analysed_question_ids(question)
        rows = list(
            Answer.objects.filter(question_id__in=ids)
            .exclude(text="")
            .values_list("pk", "response_id", "response__late", "response__reference")
        )
        version = analysis_selectors.signed_off(analysis_selectors.codeframe_of(question))
        coded, no_theme = (
            analysis_selectors.answers_analysed(version, ids) if version else (set(), set())
        )
        checked = analysis_selectors.answers_checked_by_person(ids)
        answers = analysed = none = late_open = by_person = 0
        for answer_id, response_id, late, reference in rows:
            if late:
                late_answers += 1
                if response_id in set_aside:
                    late_set_aside += 1
                    continue
            answers += 1
            if answer_id in coded or answer_id in no_theme:
                analysed += 1
                none += answer_id in no_theme and answer_id not in coded
                by_person += answer_id in checked
            elif late:
                late_open += 1
                undecided_refs.add(reference)
        questions.append(
            domain.QuestionProgress(
                question=question.text,
                signed_off=version is not None,
                answers=answers,
                analysed=analysed if version else 0,
                no_theme=none,
                unanalysed_late=late_open,
                by_person=by_person if version else 0,
            )
        )
    thin = tuple(
        t.name
        for t in themes.items
        if t.response is not None
        and t.response.response.strip()
        and substance_problems(t.response.response)
    )
    return domain.AnalysisProgress(
        questions=tuple(questions),
        late_answers=late_answers,
        late_set_aside=late_set_aside,
        late_undecided_refs=tuple(sorted(undecided_refs)),
        themes_in_use=len(themes.items),
        machine_only_themes=tuple(t.name for t in themes.items if t.accepted == 0),
        themes_responded=sum(1 for t in themes.items if t.complete),
        thin_responses=thin,
    )


def substance_problems(response: str) -> list[str]:
    """Why a written response does not say what was considered and why (empty: it does)."""
    return domain.response_problems(domain.ThemeResponseFacts(response, "no", ""))


def theme_still_in_analysis(theme_id: int) -> bool:
    """Whether the signed-off theme is still a theme in the analysis (not merged away or
    deleted since sign-off): a response is kept against the live theme."""
    return analysis_selectors.theme_exists(theme_id)


def theme_item(proposal: Proposal, theme_id: int) -> ThemeItem | None:
    return next((t for t in themes_for(proposal).items if t.theme_id == theme_id), None)


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def decision_facts(
    proposal: Proposal,
    *,
    decided_on: date | None,
    decided_by: str,
    decision: str,
    board_paper: bool,
    actor: Any = None,
) -> domain.DecisionFacts:
    """``actor``: the person recording the decision (their own due regard is asked for
    when they are one who may record it)."""
    consultation = consultation_of(proposal)
    themes = themes_for(proposal, consultation) if consultation else Themes([], [])
    outcome = outcome_of(proposal)
    issue = latest_issue(outcome)
    issued = latest_report(outcome)
    eqia = assessment_selectors.eqia_for(proposal)
    reviewed_at = eqia.reviewed_at if eqia else None
    told = consultation_selectors.scrutiny_state(consultation) if consultation else None
    regard = assessment_selectors.due_regard_on_review(proposal)
    actor_may = bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.has_perm("assessment.record_due_regard")
    )
    progress = analysis_progress(proposal, consultation, themes) if consultation else None
    reconfiguration = assessment_selectors.reconfiguration_for(proposal)
    return domain.DecisionFacts(
        proposal_status=proposal.status,
        decided_on=decided_on,
        today=timezone.localdate(),
        decided_by=decided_by,
        decision=decision,
        board_paper=board_paper,
        consulted=consultation is not None,
        involvement_activities=ProposalActivity.objects.filter(proposal=proposal).count(),
        urgent_path=UrgentPath.objects.filter(assessment__proposal=proposal).exists(),
        consultation_closed=bool(consultation and consultation.is_closed),
        closes_on=_local_date(consultation.closes_at) if consultation else None,
        unanalysed_questions=themes.unanalysed,
        unsigned_codeframes=themes.unsigned,
        themes_without_response=themes.unanswered,
        report_issued_at=issue.issued_at if issue else None,
        report_issued_on=_local_date(issue.issued_at) if issue else None,
        responses_changed_at=responses_changed_at(outcome),
        already_decided=Decision.objects.filter(proposal=proposal).exists(),
        report_reopened=bool(issued and is_reopened(issued)),
        report_changes=(
            snapshot_changes(issued, live_snapshot(proposal, consultation, themes=themes))
            if issued
            else []
        ),
        eqia_attached=eqia is not None,
        eqia_reviewed_after_close=bool(
            reviewed_at
            and consultation
            and consultation.closes_at
            and reviewed_at >= consultation.closes_at
        ),
        osc_first_letter_on=told.first_letter_on if told else None,
        osc_comments_due_on=told.comments_due_on if told else None,
        osc_proposed_decision_on=told.proposed_decision_on if told else None,
        due_regard_on=[timezone.localdate(d.recorded_at) for d in regard],
        actor_due_regard=(
            any(d.decision_maker_id == actor.pk for d in regard) if actor_may else None
        ),
        analysis_problems=progress.problems() if progress else [],
        midpoint_reviewed=midpoint_reviewed(consultation),
        reconfiguration_holds=reconfiguration.hold_problems(decided_on),
    )


def midpoint_reviewed(consultation: Consultation | None) -> bool:
    """Whether the formal consultation's mid-point review is recorded (True without one)."""
    return consultation is None or bool(consultation_selectors.midpoint_reviews(consultation))


def readiness(proposal: Proposal, actor: Any = None) -> list[str]:
    """What stands between this proposal and a decision, before the form is filled in."""
    facts = decision_facts(
        proposal, decided_on=None, decided_by="-", decision="-", board_paper=True, actor=actor
    )
    problems = [p for p in domain.decision_problems(facts) if p != "Give the date of the decision."]
    if facts.consulted and facts.osc_first_letter_on is not None:
        # Reg. 23's dates: a decision cannot be dated in the future, so while either date
        # is still to come no decision can be recorded today.
        from heard.servicechange.consultations import scrutiny

        problems += [
            p
            for p in scrutiny.decision_problems(
                decided_on=facts.today,
                first_letter_on=facts.osc_first_letter_on,
                comments_due_on=facts.osc_comments_due_on,
                proposed_decision_on=facts.osc_proposed_decision_on,
            )
            if p not in problems
        ]
    return problems


def scrutiny_for(proposal: Proposal) -> Any:
    """What the overview and scrutiny committee was sent and said (the decision checklist
    shows it), or None without a formal consultation."""
    consultation = consultation_of(proposal)
    return consultation_selectors.scrutiny_state(consultation) if consultation else None


# The report --------------------------------------------------------------------------------


@dataclass
class CountRow:
    label: str
    figure: suppression.Figure

    @property
    def count(self) -> int | None:  # None: hidden
        return self.figure.shown


@dataclass
class Comparison:
    """Respondents against the population on one dimension (chart + table)."""

    title: str
    # label, respondents, share of those who answered (None when hidden), population share
    rows: list[tuple[str, suppression.Figure, float | None, float | None]]
    chart: Any
    chart_id: str
    answered: suppression.Figure
    # groups with no respondents, left out of the table when a figure in it is hidden
    left_out: list[str] = field(default_factory=list)


@dataclass
class Campaign:
    question: str
    size: int
    template: str
    exact: bool


@dataclass
class Report:
    proposal: Proposal
    consultation: Consultation | None
    outcome: Outcome | None
    decision: Decision | None
    issue: ReportIssue | None
    organisation: str
    total_responses: int = 0
    by_channel: list[CountRow] = field(default_factory=list)
    by_type: list[CountRow] = field(default_factory=list)
    channel_chart: Any = None
    type_chart: Any = None
    comparisons: list[Comparison] = field(default_factory=list)
    themes: Themes = field(default_factory=lambda: Themes([], []))
    theme_chart: Any = None
    campaigns: list[Campaign] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    councils: list[Any] = field(default_factory=list)
    options: list[Any] = field(default_factory=list)
    significance: Any = None  # the significance assessment (determination, override, notice)
    emailed: int = 0
    threshold: int = 10
    generated_at: datetime | None = None

    @property
    def channels_used(self) -> list[str]:
        return [r.label for r in self.by_channel if r.count != 0]

    @property
    def changed_counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter(
            t.response.changed for t in self.themes.items if t.response is not None
        )
        return {label: counts[value] for value, label in domain.SHORT_CHANGED_LABELS.items()}


def _suppressed_rows(pairs: list[tuple[str, int]], total: int, threshold: int) -> list[CountRow]:
    """Counts that add up to the number of responses (published on the report's front)."""
    counts = [n for _, n in pairs]
    values = [*counts, max(total, sum(counts))]
    if total > sum(counts):  # responses with no value for this: never shown
        values = [*counts, total - sum(counts), total]
    k = len(values) - 1
    result = suppression.protect(
        values,
        [suppression.Line(tuple(range(k)), k)],
        threshold,
        fixed=[k],
        remainders=list(range(len(counts), k)),
    )
    return [
        CountRow(label, figure) for (label, _), figure in zip(pairs, result.figures, strict=False)
    ]


def comparison_figures(
    counts: list[int], total_responses: int, threshold: int
) -> tuple[list[suppression.Figure], suppression.Figure]:
    """Suppress one equality question's groups against what a reader knows: the groups add
    up to the number who answered, which with those who did not adds up to the number of
    responses (on the report's front). Returns the groups' figures and the number who
    answered (hidden when it would give a group away)."""
    answered = sum(counts)
    k = len(counts)
    values = [*counts, answered, max(total_responses - answered, 0)]
    values.append(answered + values[-1])
    result = suppression.protect(
        values,
        [
            suppression.Line(tuple(range(k)), k),
            suppression.Line((k, k + 1), k + 2),
        ],
        threshold,
        fixed=[k + 2],
        remainders=[k + 1],  # those who did not answer: never shown
    )
    return result.figures[:k], result.figures[k]


def _comparisons(activity_id: int, total_responses: int, threshold: int) -> list[Comparison]:
    """Respondents' age, sex and broad ethnic group against the built-in population."""
    try:
        population = population_module.built_in_population()
    except (OSError, population_module.PopulationError):
        return []
    counts: dict[str, Counter[str]] = {"age_band": Counter(), "sex": Counter()}
    counts["ethnic_group"] = Counter()
    for age_band, sex, ethnic in ResponseEquality.objects.filter(
        activity_id=activity_id
    ).values_list("age_band", "sex", "ethnic_group"):
        categories = population_module.member_categories(
            age_band=age_band, sex=sex, ethnic_group=ethnic, age_map=population.age_map
        )
        for dimension in counts:
            if dimension in categories:
                counts[dimension][categories[dimension]] += 1
    result = []
    for dimension, counter in counts.items():
        shares = population.shares.get(dimension)
        if not shares:
            continue
        if not sum(counter.values()):
            continue
        labels = list(shares)
        figures, answered = comparison_figures(
            [counter[label] for label in labels], total_responses, threshold
        )
        rows: list[tuple[str, suppression.Figure, float | None, float | None]] = []
        left_out: list[str] = []
        any_hidden = answered.hidden or any(f.hidden for f in figures)
        for label, figure in zip(labels, figures, strict=True):
            if any_hidden and figure.value == 0:
                left_out.append(label)  # no column of zeros beside a hidden figure
                continue
            rows.append((label, figure, figure.share_of(answered), shares[label]))
        title = population_module.DIMENSION_LABELS.get(dimension, dimension)
        chart = involvement_charts.bar_chart(
            title=f"Respondents by {title.lower()}",
            first_name="Respondents",
            second_name="Population",
            rows=[(label, share, pop) for label, _, share, pop in rows],
        )
        result.append(
            Comparison(
                title=title,
                rows=rows,
                chart=chart,
                chart_id=f"pop-{dimension}",
                answered=answered,
                left_out=left_out,
            )
        )
    return result


def report_for(proposal: Proposal, *, public: bool = False, draft: bool = False) -> Report:
    """Everything the outcome report and "You said, we did" show, read from the records
    (quotes only from people who agreed to publication, whoever reads it; ``draft``: a
    report not (yet) issued in this form, e.g. after it was reopened). What was issued
    is stored: see ``ReportPublication``."""
    threshold = rules_selectors.small_number_threshold()
    consultation = consultation_of(proposal)
    outcome = outcome_of(proposal)
    report = Report(
        proposal=proposal,
        consultation=consultation,
        outcome=outcome,
        decision=decision_of(proposal),
        issue=None if draft else latest_issue(outcome),
        organisation=settings.HEARD_ORGANISATION_NAME,
        threshold=threshold,
        generated_at=timezone.now(),
    )
    report.options = list(assessment_selectors.options_for(proposal))
    report.significance = assessment_selectors.significance_for(proposal)
    if consultation is None:
        return report
    report.emailed = consultation.mailouts.aggregate(n=Sum("sent"))["n"] or 0
    summary = consultation_selectors.responses_summary(consultation)
    report.total_responses = summary["total"]
    report.by_channel = _suppressed_rows(summary["by_channel"], summary["total"], threshold)
    report.by_type = _suppressed_rows(summary["by_respondent_type"], summary["total"], threshold)
    total = report.total_responses or 1
    report.channel_chart = involvement_charts.bar_chart(
        title="Responses by how people responded",
        first_name="Share of responses",
        second_name="",
        rows=[
            (r.label, (r.count / total) if r.count is not None else None, None)
            for r in report.by_channel
            if r.count != 0
        ],
    )
    report.type_chart = involvement_charts.bar_chart(
        title="Responses by who people were responding as",
        first_name="Share of responses",
        second_name="",
        rows=[
            (r.label, (r.count / total) if r.count is not None else None, None)
            for r in report.by_type
            if r.count != 0
        ],
    )
    report.comparisons = _comparisons(consultation.activity_id, report.total_responses, threshold)
    report.themes = themes_for(proposal, consultation, public=public)
    report.theme_chart = analysis_charts.theme_chart(
        title="What people said: answers per theme, by sentiment",
        rows=[
            (t.name, t.negative, t.neutral, t.positive) for t in report.themes.items if t.depth == 0
        ],
    )
    for question in free_text_questions(consultation):
        run = analysis_selectors.latest_finished_run(question)
        for group in (run.summary or {}).get("campaigns", []) if run else []:
            # the shared text is quoted only when someone who sent it agreed to
            # publication; otherwise the report gives the count alone
            template = str(group.get("template", ""))
            report.campaigns.append(
                Campaign(
                    question=question.text,
                    size=int(group.get("size", 0)),
                    template=(
                        template
                        if analysis_selectors.consented_quotes(question.pk, [template])
                        else ""
                    ),
                    exact=bool(group.get("exact", False)),
                )
            )
    report.events = list(consultation_events(consultation))
    report.councils = list(consultation.councils.all())
    return report


def consultation_events(consultation: Consultation) -> QuerySet[Any]:
    """Events linked to the proposal (engagement activities with an event time)."""
    from heard.engagement.models import Activity

    linked = consultation.proposal.activity_links.values_list("activity_id", flat=True)
    return Activity.objects.filter(
        Q(pk__in=linked) | Q(pk=consultation.activity_id), event_starts_at__isnull=False
    ).order_by("event_starts_at")


# Public "You said, we did" --------------------------------------------------------------------


def published() -> QuerySet[Proposal]:
    """Public proposals with an approved "you said, we did", newest approval first."""
    return (
        Proposal.objects.filter(
            is_private=False,
            publications__kind=Publication.Kind.OUTCOME,
            publications__status=Publication.Status.APPROVED,
        )
        .distinct()
        .annotate(issued=Max("publications__decided_at"))
        .order_by("-issued")
    )


def published_by_slug(slug: str) -> Proposal | None:
    return published().filter(slug=slug).first()


def is_published(proposal: Proposal) -> bool:
    """An approved "you said, we did" (issuing the report to the board is not enough)."""
    return not proposal.is_private and approved_outcome(proposal) is not None


# The report as issued ------------------------------------------------------------------------


def latest_report(outcome: Outcome | None) -> ReportPublication | None:
    """The newest issued version of the outcome report."""
    if outcome is None:
        return None
    return ReportPublication.objects.filter(outcome=outcome).order_by("-version").first()


def reports_of(proposal: Proposal) -> list[ReportPublication]:
    """Every issued version, newest first, each with its reopening (if any)."""
    return list(
        ReportPublication.objects.filter(outcome__proposal=proposal)
        .select_related("reopening", "supersedes", "issued_by")
        .order_by("-version")
    )


def report_version(proposal: Proposal, version: int) -> ReportPublication | None:
    return ReportPublication.objects.filter(outcome__proposal=proposal, version=version).first()


def is_reopened(publication: ReportPublication) -> bool:
    return ReportReopening.objects.filter(publication=publication).exists()


def locked_report(proposal: Proposal) -> ReportPublication | None:
    """The issued version that fixes what the report says (issued and not reopened since),
    or None when the report's words may change."""
    issued = latest_report(outcome_of(proposal))
    if issued is None or is_reopened(issued):
        return None
    return issued


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass
class Snapshot:
    """What the outcome report says, as plain data (stored with each issued version)."""

    text: dict[str, str]
    considerations: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    facts: dict[str, Any]

    def content_sha256(self) -> str:
        return sha256(
            canonical_json(
                {"text": self.text, "considerations": self.considerations, "themes": self.themes}
            )
        )


def live_snapshot(
    proposal: Proposal,
    consultation: Consultation | None = None,
    *,
    themes: Themes | None = None,
) -> Snapshot:
    """The report's words, responses and themes as the records stand now."""
    consultation = consultation or consultation_of(proposal)
    outcome = outcome_of(proposal)
    themes = themes if themes is not None else themes_for(proposal, consultation)
    public = {t.theme_id: t.quotes for t in themes_for(proposal, consultation, public=True).items}
    used = {v.question_id: v.number for v in themes.versions}
    text = {
        "summary": outcome.summary if outcome else "",
        "why": outcome.why if outcome else "",
        "next_steps": outcome.next_steps if outcome else "",
    }
    considerations = [
        {
            "theme_id": r.theme_id,
            "theme_name": r.theme_name,
            "heard": r.heard,
            "response": r.response,
            "changed": r.changed,
            "how": r.how,
        }
        for r in (ThemeResponse.objects.filter(outcome=outcome).order_by("pk") if outcome else [])
    ]
    theme_rows = [
        {
            "theme_id": t.theme_id,
            "name": t.name,
            "description": t.description,
            "question": t.question,
            "question_id": t.question_id,
            "depth": t.depth,
            "answers": t.answers,
            "negative": t.negative,
            "neutral": t.neutral,
            "positive": t.positive,
            "quotes": list(t.quotes),
            "public_quotes": list(public.get(t.theme_id, [])),
            "codeframe_version": used.get(t.question_id),
        }
        for t in themes.items
    ]
    facts: dict[str, Any] = {}
    if consultation is not None:
        facts = {
            "opens_at": consultation.opens_at.isoformat() if consultation.opens_at else None,
            "closes_at": consultation.closes_at.isoformat() if consultation.closes_at else None,
            "total_responses": consultation_selectors.responses_summary(consultation)["total"],
        }
    return Snapshot(text=text, considerations=considerations, themes=theme_rows, facts=facts)


_TEXT_LABELS = {"summary": "the summary", "why": "why we consulted", "next_steps": "next steps"}


def snapshot_changes(issued: ReportPublication, now: Snapshot) -> list[str]:
    """How the record differs from the issued version, in words (empty: it does not).
    Themes are compared by name, question and number of answers; considerations by
    every word."""
    changes: list[str] = []
    for key, label in _TEXT_LABELS.items():
        if (issued.text or {}).get(key, "") != now.text.get(key, ""):
            changes.append(f"{label} was changed")

    def themes(rows: list[dict[str, Any]]) -> dict[int, tuple[str, int, int]]:
        return {r["theme_id"]: (r["name"], r["question_id"], r["answers"]) for r in rows}

    used_before = {
        r["question_id"]: (r["question"], r["codeframe_version"])
        for r in issued.themes or []
        if "codeframe_version" in r
    }
    used_now = {r["question_id"]: r["codeframe_version"] for r in now.themes}
    for question_id, (question, number) in used_before.items():
        if used_now.get(question_id, number) != number:
            changes.append(
                f"the themes of \u201c{question}\u201d now come from codeframe version "
                f"{used_now[question_id]}, not version {number}"
            )
    before, after = themes(issued.themes or []), themes(now.themes)
    for theme_id, (name, _, _) in before.items():
        if theme_id not in after:
            changes.append(f"the theme \u201c{name}\u201d is no longer in the analysis")
        elif after[theme_id] != before[theme_id]:
            changes.append(f"the theme \u201c{name}\u201d changed")
    for theme_id, (name, _, _) in after.items():
        if theme_id not in before:
            changes.append(f"the theme \u201c{name}\u201d was found since")

    def responses(rows: list[dict[str, Any]]) -> dict[Any, tuple[Any, ...]]:
        keys = ("theme_name", "heard", "response", "changed", "how")
        return {r["theme_id"]: tuple(r.get(k) for k in keys) for r in rows}

    said_before, said_now = responses(issued.considerations or []), responses(now.considerations)
    for theme_id in sorted(set(said_before) | set(said_now), key=lambda t: (t is None, t or 0)):
        if said_before.get(theme_id) != said_now.get(theme_id):
            row = said_before.get(theme_id) or said_now.get(theme_id)
            name = row[0] if row else "a theme"
            changes.append(f"the response to \u201c{name}\u201d changed")
    return changes


# Public "you said, we did": approved publications only -----------------------------------------


def approved() -> QuerySet[Publication]:
    """Approved publications whose subject is public (not a private proposal, not a
    draft activity)."""
    return (
        Publication.objects.filter(status=Publication.Status.APPROVED)
        .exclude(kind=Publication.Kind.OUTCOME, proposal__is_private=True)
        .select_related("proposal", "activity", "report")
    )


def current_publications() -> list[Publication]:
    """The newest approved publication of each subject, newest first."""
    seen: set[tuple[str, int | None]] = set()
    result = []
    for item in approved().order_by("-decided_at", "-pk"):
        key = (
            (item.kind, item.proposal_id)
            if item.kind == Publication.Kind.OUTCOME
            else (item.kind, item.activity_id)
        )
        if key in seen:
            continue
        seen.add(key)
        result.append(item)
    return result


def publication_due(proposal: Proposal) -> Any:
    """The outcome's 12 weeks from the real close of the formal consultation (an early
    close counts from when it closed): the date it should be published by, and whether it
    was (``consultations.checkpoints.PublicationDue``); None before it closes."""
    consultation = consultation_of(proposal)
    if consultation is None:
        return None
    due = consultation_selectors.publication_deadline(consultation)
    if due is None:
        return None
    first = (
        approved()
        .filter(kind=Publication.Kind.OUTCOME, proposal=proposal, decided_at__isnull=False)
        .order_by("decided_at", "pk")
        .first()
    )
    published_on = timezone.localdate(first.decided_at) if first and first.decided_at else None
    return replace(due, published_on=published_on)


def reconfiguration_summary(proposal: Proposal) -> list[str]:
    """For the decision checklist: the notice to the Secretary of State and any call-in,
    as recorded (empty when the proposal is not a notifiable reconfiguration)."""
    r = assessment_selectors.reconfiguration_for(proposal)
    if not r.notifiable:
        return []
    lines = [
        f"Secretary of State told on {r.notice.notified_on:%-d %B %Y}, with the overview "
        f"and scrutiny committee's view."
        if r.notice
        else "Secretary of State not told yet: the notice is required before the decision."
    ]
    labels = {
        "pending": "waiting for the Secretary of State's answer (the decision is held)",
        "called_in": "called in: the decision is held until directions are recorded",
    }
    for request in r.requests:
        state = r.state(request)
        last = list(request.responses.all())[-1:] or None
        text = labels.get(state) or (
            f"answered on {last[0].received_on:%-d %B %Y}: {last[0].get_outcome_display().lower()}"
            if last
            else ""
        )
        lines.append(
            f"Call-in request – {request.requested_by}, {request.requested_on:%-d %B %Y}: {text}."
        )
    if not r.requests:
        lines.append("No request to call the proposal in has been recorded.")
    return lines


def approved_outcome(proposal: Proposal) -> Publication | None:
    return (
        approved()
        .filter(kind=Publication.Kind.OUTCOME, proposal=proposal)
        .order_by("-decided_at", "-pk")
        .first()
    )


def approved_outcomes(proposal: Proposal) -> list[Publication]:
    return list(
        approved()
        .filter(kind=Publication.Kind.OUTCOME, proposal=proposal)
        .order_by("-decided_at", "-pk")
    )


def approved_feedback(activity: Any) -> Publication | None:
    return (
        approved()
        .filter(kind=Publication.Kind.ACTIVITY, activity=activity)
        .order_by("-decided_at", "-pk")
        .first()
    )


def approved_feedbacks(activity: Any) -> list[Publication]:
    return list(
        approved()
        .filter(kind=Publication.Kind.ACTIVITY, activity=activity)
        .order_by("-decided_at", "-pk")
    )


def pending_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(status=Publication.Status.PENDING).select_related(
        "proposal", "activity", "report", "submitted_by"
    )


def publications_for_proposal(proposal: Proposal) -> list[Publication]:
    return list(
        Publication.objects.filter(kind=Publication.Kind.OUTCOME, proposal=proposal)
        .select_related("report", "submitted_by", "decided_by")
        .order_by("-submitted_at", "-pk")
    )


def publications_for_activity(activity: Any) -> list[Publication]:
    return list(
        Publication.objects.filter(kind=Publication.Kind.ACTIVITY, activity=activity)
        .select_related("submitted_by", "decided_by")
        .order_by("-submitted_at", "-pk")
    )
