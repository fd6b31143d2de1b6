"""Writing analysis: runs (lifecycle and the background work), the codeframe editor and
coding decisions. Every state change records one audit event in its own transaction,
with ids, statuses and counts only (never text)."""

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.accounts.actors import Actor
from heard.analysis import domain, selectors
from heard.analysis.models import (
    AnalysisRun,
    AnswerAnalysis,
    Codeframe,
    CodeframeVersion,
    Coding,
    SignedTheme,
    Theme,
)
from heard.audit.models import Action
from heard.audit.services import AuditEntry, audit_record, audit_record_many, audits_refusals
from heard.core.actors import TASK, person, require
from heard.core.substance import is_placeholder, reason_problems
from heard.engagement.models import Answer, Question
from heard.insight.services_themes import AnswerAnalysed, insights_annotate

logger = logging.getLogger(__name__)


class AnalysisProblem(ValueError):
    """Something a person asked for that cannot be done; the message says why and what to do."""


# Runs --------------------------------------------------------------------------------


RUN = "analysis.run_analysis"
CODEFRAME = "analysis.change_codeframe"
CODE = "analysis.code_answers"


# Locked analysis -----------------------------------------------------------------------
#
# Once a report has been issued on a question's analysis, its themes, codings and quotes
# are part of what the decision makers were given: they cannot change until the report is
# reopened with a reason. The stage that issues the report (outcomes, above this app)
# locks and unlocks the codeframes through these services; every change below refuses
# while the codeframe is locked.


def _refuse_if_locked(codeframe_id: int | None) -> None:
    if codeframe_id is None:
        return
    reason = (
        Codeframe.objects.filter(pk=codeframe_id).values_list("locked_reason", flat=True).first()
    )
    if reason:
        raise AnalysisProblem(
            f"{reason} The analysis cannot change until the report is reopened with a "
            "reason: reopen it, change the analysis, sign it off again and issue the report "
            "again."
        )


def _question_codeframe_id(question: Question) -> int | None:
    return (
        Codeframe.objects.filter(
            question__key=question.key,
            question__version__questionnaire_id=question.version.questionnaire_id,
        )
        .values_list("pk", flat=True)
        .first()
    )


def codeframes_lock(*, codeframe_ids: Sequence[int], actor: Actor, reason: str) -> int:
    """Lock the codeframes a report was issued on (inside the caller's transaction),
    with a reason a person reads in every refusal. Returns how many were locked."""
    reason = " ".join(reason.split())
    if not reason:
        raise AnalysisProblem("Say why the analysis is locked.")
    frames = list(Codeframe.objects.select_for_update().filter(pk__in=codeframe_ids))
    for frame in frames:
        frame.locked_reason = reason[:300]
        frame.save(update_fields=["locked_reason"])
    audit_record_many(
        [
            AuditEntry(
                action=Action.CODEFRAME_CHANGED,
                actor=actor,
                subject=frame,
                after={"codeframe": frame.pk, "change": "locked", "reason": frame.locked_reason},
            )
            for frame in frames
        ]
    )
    return len(frames)


def codeframes_unlock(*, codeframe_ids: Sequence[int], actor: Actor, reason: str) -> int:
    """Unlock them again when the report is reopened (with the reopening's reason)."""
    frames = list(
        Codeframe.objects.select_for_update().filter(pk__in=codeframe_ids).exclude(locked_reason="")
    )
    for frame in frames:
        frame.locked_reason = ""
        frame.save(update_fields=["locked_reason"])
    audit_record_many(
        [
            AuditEntry(
                action=Action.CODEFRAME_CHANGED,
                actor=actor,
                subject=frame,
                after={"codeframe": frame.pk, "change": "unlocked", "reason": reason},
            )
            for frame in frames
        ]
    )
    return len(frames)


def active_run(question: Question) -> AnalysisRun | None:
    return (
        AnalysisRun.objects.filter(question=question, status__in=list(domain.ACTIVE))
        .order_by("-pk")
        .first()
    )


def _abandoned(run: AnalysisRun) -> bool:
    """A run waiting or running far longer than any real run takes has been abandoned
    (the worker died or never ran); a new run may replace it."""
    since = run.started_at or run.created_at
    return timezone.now() - since > domain.ABANDONED_AFTER


def analysis_run_start(*, question: Question, actor: Actor, seed: int = 0) -> AnalysisRun:
    """Queue an analysis of one free-text question; the work runs as a background task.

    Raises AnalysisProblem for a question that is not free text, or while another run of
    the same question is waiting or running (one at a time, so results do not interleave);
    a run abandoned for longer than domain.ABANDONED_AFTER is marked failed instead.
    """
    require(actor, RUN, to="run an analysis")
    _refuse_if_locked(_question_codeframe_id(question))
    if not question.is_free_text:
        raise AnalysisProblem(
            "Only free-text questions can be analysed. Choose a question people answered "
            "in their own words."
        )
    # One analysis for every version of the question (same key): it runs on the first.
    question = selectors.analysis_question(question)
    with transaction.atomic():
        # Lock the question row so two people pressing "Run" at once start one run.
        Question.objects.select_for_update().filter(pk=question.pk).first()
        running = active_run(question)
        if running is not None and _abandoned(running):
            _transition(
                running,
                domain.RunStatus.FAILED,
                finished_at=timezone.now(),
                error=(
                    "This analysis never finished (the background worker stopped or was not "
                    "running). A new run was started in its place."
                ),
            )
            audit_record(
                action=Action.ANALYSIS_RUN_FAILED,
                actor=actor,
                subject=running,
                after={"status": domain.RunStatus.FAILED, "reason": "abandoned"},
            )
            running = None
        if running is not None:
            raise AnalysisProblem(
                "An analysis of this question is already under way. Wait for it to finish, "
                "then run it again if you need to."
            )
        run = AnalysisRun.objects.create(
            question=question, created_by=person(actor), seed=seed, stage="Waiting to start"
        )
        audit_record(
            action=Action.ANALYSIS_RUN_STARTED,
            actor=actor,
            subject=run,
            after={"question": question.pk, "status": run.status},
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from heard.analysis.tasks import run_analysis

    run_analysis.enqueue(run_id)


def _transition(run: AnalysisRun, target: domain.RunStatus, **fields: Any) -> None:
    domain.check_transition(run.status, target)
    run.status = target
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])


class _Progress:
    """Writes progress to the run at most every half second (a page polls it)."""

    def __init__(self, run: AnalysisRun) -> None:
        self.run_id = run.pk
        self.last = 0.0

    def __call__(self, done: int, total: int, stage: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        AnalysisRun.objects.filter(pk=self.run_id).update(
            progress_done=done, progress_total=total, stage=stage
        )


def _scaled(progress: _Progress, start: int, width: int, stage: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        share = done / total if total else 1.0
        progress(start + int(width * share), 100, stage)

    return report


def analysis_run_execute(*, run_id: int) -> AnalysisRun | None:
    """The background work of a run (called by the task). Safe to call twice: a run that
    is no longer waiting is left alone. Any failure ends the run as failed with a message
    for people; nothing is half-written (all results are saved in one transaction)."""
    with transaction.atomic():
        run = AnalysisRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != domain.RunStatus.QUEUED:
            return run
        _transition(run, domain.RunStatus.RUNNING, started_at=timezone.now(), stage="Starting")
    progress = _Progress(run)
    try:
        _execute(run, progress)
    except Exception:
        logger.exception("Analysis run %s failed", run.pk)
        run.refresh_from_db()
        with transaction.atomic():
            _transition(
                run,
                domain.RunStatus.FAILED,
                finished_at=timezone.now(),
                error=(
                    f"The analysis stopped while “{run.stage or 'starting'}” because of an "
                    "unexpected problem. Nothing was changed: your codeframe and coding "
                    "are as they were. Run the analysis again; if it fails again, tell the "
                    f"system administrator and quote run {run.pk}."
                ),
            )
            audit_record(
                action=Action.ANALYSIS_RUN_FAILED,
                subject=run,
                before={"status": domain.RunStatus.RUNNING},
                after={"status": domain.RunStatus.FAILED},
            )
    run.refresh_from_db()
    return run


def _people_labels(question: Question) -> tuple[set[int], dict[int, set[int]]]:
    """Answers people have reviewed, and the themes people accepted on each answer."""
    reviewed = set(
        AnswerAnalysis.objects.filter(question=question, reviewed_at__isnull=False).values_list(
            "answer_id", flat=True
        )
    )
    labels: dict[int, set[int]] = defaultdict(set)
    for answer_id, theme_id in Coding.objects.filter(
        theme__codeframe__question=question, status=Coding.Status.ACCEPTED
    ).values_list("answer_id", "theme_id"):
        labels[answer_id].add(theme_id)
    return reviewed, labels


def _execute(run: AnalysisRun, progress: _Progress) -> None:
    from heard_analysis import discover_themes, run_pipeline, train_classifier

    question = run.question
    progress(0, 100, "Reading the answers", force=True)
    rows = [
        (pk, text)
        # every questionnaire version's answers to this question (the same key)
        for pk, text in Answer.objects.filter(
            question_id__in=selectors.analysed_question_ids(question)
        )
        .exclude(text="")
        .order_by("pk")
        .values_list("pk", "text")
        if text.strip()  # white space alone says nothing to analyse
    ]
    answer_ids = [pk for pk, _ in rows]
    texts = [text for _, text in rows]
    n = len(texts)
    result = run_pipeline(
        texts,
        progress=_scaled(progress, 0, 40, f"Removing personal data and scoring {n:,} answers"),
    )
    redacted = result.redacted

    codeframe = Codeframe.objects.filter(question=question).first()
    discovered = None
    no_proposal = False
    if codeframe is None and n:
        progress(40, 100, "Proposing themes", force=True)
        try:
            discovered = discover_themes(
                redacted, seed=run.seed, progress=_scaled(progress, 40, 15, "Proposing themes")
            )
        except ValueError:
            # Too few distinct words to group (a handful of one-word answers): people
            # start from an empty codeframe and add themes by hand.
            logger.warning("Run %s: no themes could be proposed", run.pk)
            no_proposal = True

    reviewed, people = _people_labels(question)
    index = {pk: i for i, pk in enumerate(answer_ids)}
    people_coded = [a for a in reviewed if people.get(a) and a in index]
    trained_on = ""
    classifier = None
    engine_to_theme: dict[str, int] = {}
    progress(55, 100, "Learning the themes", force=True)
    if len(people_coded) >= domain.MIN_PEOPLE_CODED:
        train_texts = [redacted[index[a]] for a in people_coded]
        train_labels = [[str(t) for t in sorted(people[a])] for a in people_coded]
        trained_on = "people"
    elif discovered is not None:
        sample = domain.training_sample(len(redacted), domain.MAX_MACHINE_TRAINING, run.seed)
        train_texts = [redacted[i] for i in sample]
        # Labelled with the engine's theme ids until the themes are saved, at the end.
        train_labels = [list(discovered.assignments[i]) for i in sample]
        trained_on = "proposed"
    else:
        # An existing codeframe with too few answers coded by people: learn from the
        # themes answers have now (suggestions not rejected, and people's decisions).
        current: dict[int, list[str]] = defaultdict(list)
        for answer_id, theme_id in (
            Coding.objects.filter(theme__codeframe=codeframe)
            .exclude(status=Coding.Status.REJECTED)
            .values_list("answer_id", "theme_id")
        ):
            current[answer_id].append(str(theme_id))
        coded = [a for a in answer_ids if current.get(a)]
        sample = domain.training_sample(len(coded), domain.MAX_MACHINE_TRAINING, run.seed)
        coded = [coded[i] for i in sample]
        train_texts = [redacted[index[a]] for a in coded]
        train_labels = [current[a] for a in coded]
        trained_on = "current"
    if discovered is not None:
        valid_themes = {t.id for t in discovered.themes}
    elif codeframe is not None:
        valid_themes = {
            str(pk) for pk in Theme.objects.filter(codeframe=codeframe).values_list("pk", flat=True)
        }
    else:
        valid_themes = set()
    train_labels = [[t for t in labels if t in valid_themes] for labels in train_labels]
    if len(train_texts) >= 2 and any(train_labels):
        try:
            classifier = train_classifier(
                train_texts, train_labels, progress=_scaled(progress, 55, 15, "Learning the themes")
            )
        except ValueError:
            logger.warning("Run %s: the classifier could not be trained", run.pk)
            classifier = None
    if classifier is None:
        trained_on = ""

    # Suggestions for the answers people have not reviewed.
    open_rows = [i for i, a in enumerate(answer_ids) if a not in reviewed]
    open_texts = [redacted[i] for i in open_rows]
    assignments = []
    code_next: list[int] = []
    if classifier is not None and open_texts:
        assignments = classifier.predict(
            open_texts, progress=_scaled(progress, 70, 20, "Suggesting themes")
        )
        progress(90, 100, "Choosing what to code next", force=True)
        code_next = [open_rows[i] for i in classifier.suggest_next(open_texts, domain.CODE_NEXT)]
    progress(95, 100, "Saving the results", force=True)

    groups = result.duplicates.groups
    campaign_of = {g.id: g.campaign for g in groups}
    with transaction.atomic():
        if discovered is not None or no_proposal:
            codeframe = Codeframe.objects.create(question=question)
        for theme in discovered.themes if discovered is not None else []:
            assert codeframe is not None
            engine_to_theme[theme.id] = Theme.objects.create(
                codeframe=codeframe,
                name=theme.name[:120],
                description=theme.description,
                keywords=list(theme.keywords),
                quotes=list(theme.quotes),
                size=theme.size,
                parent_id=engine_to_theme.get(theme.parent or ""),
            ).pk
        # Rebuilt for every run (bulk insert is far cheaper than bulk update); only who
        # reviewed an answer, and when, carries over.
        reviewed_by = {
            answer_id: (by, at)
            for answer_id, by, at in AnswerAnalysis.objects.filter(
                question=question, reviewed_at__isnull=False
            ).values_list("answer_id", "reviewed_by", "reviewed_at")
        }
        AnswerAnalysis.objects.filter(question=question).delete()
        rank = {row: r for r, row in enumerate(code_next, 1)}
        needs = {open_rows[i]: a.needs_review for i, a in enumerate(assignments)}
        rows_new: list[AnswerAnalysis] = []
        for i, answer_id in enumerate(answer_ids):
            group = result.duplicates.group_of[i]
            flag = result.evidence[i]
            by, at = reviewed_by.get(answer_id, (None, None))
            rows_new.append(
                AnswerAnalysis(
                    answer_id=answer_id,
                    question=question,
                    run=run,
                    redacted_text=redacted[i],
                    sentiment=result.sentiments[i].label,
                    score=result.sentiments[i].score,
                    duplicate_group=group,
                    campaign=bool(group is not None and campaign_of.get(group)),
                    evidence_flagged=bool(flag.flagged),
                    evidence=list(flag.reasons) if flag.flagged else [],
                    needs_review=needs.get(i, False),
                    code_next_rank=rank.get(i),
                    reviewed_by_id=by,
                    reviewed_at=at,
                )
            )
        AnswerAnalysis.objects.bulk_create(rows_new, batch_size=1000)
        # A new run replaces the machine's open suggestions, never people's decisions.
        replaced, _ = (
            Coding.objects.filter(
                theme__codeframe=codeframe,
                source=Coding.Source.MACHINE,
                status=Coding.Status.SUGGESTED,
            ).delete()
            if codeframe
            else (0, {})
        )
        held = (
            set(
                Coding.objects.filter(theme__codeframe=codeframe).values_list(
                    "answer_id", "theme_id"
                )
            )
            if codeframe
            else set()
        )
        now = timezone.now()
        new_codings = []
        for row, assignment in zip(open_rows, assignments, strict=False):
            answer_id = answer_ids[row]
            for theme_key in assignment.themes:
                theme_id = engine_to_theme[theme_key] if discovered is not None else int(theme_key)
                if (answer_id, theme_id) in held:
                    continue
                new_codings.append(
                    Coding(
                        answer_id=answer_id,
                        theme_id=theme_id,
                        source=Coding.Source.MACHINE,
                        confidence=assignment.confidence.get(theme_key),
                        status=Coding.Status.SUGGESTED,
                        at=now,
                    )
                )
        Coding.objects.bulk_create(new_codings, batch_size=1000)
        summary = {
            "answers": n,
            "duplicate_groups": len(groups),
            "duplicate_answers": sum(g.size for g in groups),
            "campaigns": [
                {"size": g.size, "template": g.template[:1000], "exact": g.exact}
                for g in sorted(groups, key=lambda g: -g.size)
                if g.campaign
            ],
            "campaign_answers": sum(g.size for g in groups if g.campaign),
            "evidence": sum(1 for e in result.evidence if e.flagged),
            "suggested": len(new_codings),
            "replaced": replaced,
            "needs_review": sum(1 for a in assignments if a.needs_review),
            "people_coded": len(people_coded),
            "trained_on": trained_on,
            "new_codeframe": discovered is not None or no_proposal,
            "no_proposal": no_proposal,
        }
        _write_back(question=question, answer_ids=answer_ids, with_sentiment=True)
        audit_record(
            action=Action.ANALYSIS_RUN_COMPLETED,
            actor=TASK,
            subject=run,
            before={"status": domain.RunStatus.RUNNING},
            after={
                "status": domain.RunStatus.DONE,
                "by": "machine",
                "answers": n,
                "suggestions_made": len(new_codings),
                "suggestions_replaced": replaced,
                "trained_on": trained_on,
                "codeframe": codeframe.pk if codeframe else None,
            },
        )
        # Last, so the run row (polled by the progress page) is locked only briefly.
        _transition(
            run,
            domain.RunStatus.DONE,
            finished_at=timezone.now(),
            summary=summary,
            stage="Finished",
            progress_done=100,
            progress_total=100,
        )


def _write_back(*, question: Question, answer_ids: Sequence[int], with_sentiment: bool) -> None:
    """Themes (not rejected) and sentiment of these answers, to the insight bank."""
    names: dict[int, list[str]] = defaultdict(list)
    for answer_id, name in (
        Coding.objects.filter(answer_id__in=list(answer_ids), theme__codeframe__question=question)
        .exclude(status=Coding.Status.REJECTED)
        .values_list("answer_id", "theme__name")
    ):
        names[answer_id].append(name)
    moods: dict[int, tuple[str, float | None]] = {}
    if with_sentiment:
        moods = {
            a: (s, sc)
            for a, s, sc in AnswerAnalysis.objects.filter(
                answer_id__in=list(answer_ids)
            ).values_list("answer_id", "sentiment", "score")
        }
    insights_annotate(
        results=[
            AnswerAnalysed(
                answer_id=a,
                themes=names.get(a, []),
                sentiment=moods[a][0] if a in moods else None,
                sentiment_score=moods[a][1] if a in moods else None,
            )
            for a in answer_ids
        ]
    )


# Codeframe editor ----------------------------------------------------------------------


def _touch(codeframe: Codeframe) -> None:
    codeframe.version += 1
    codeframe.updated_at = timezone.now()
    codeframe.save(update_fields=["version", "updated_at"])


def _clean_name(codeframe: Codeframe, name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise AnalysisProblem("Enter a name for the theme.")
    if len(name) > 120:
        raise AnalysisProblem("Theme names must be 120 characters or fewer.")
    clash = Theme.objects.filter(codeframe=codeframe, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise AnalysisProblem(
            f"There is already a theme called “{name}”. Choose another name, or merge the themes."
        )
    return name


def theme_update(*, theme: Theme, actor: Actor, name: str, description: str) -> Theme:
    """Rename or describe a theme. Raises AnalysisProblem for a blank or clashing name."""
    require(actor, CODEFRAME, to="change a codeframe")
    _refuse_if_locked(theme.codeframe_id)
    with transaction.atomic():
        clean = _clean_name(theme.codeframe, name, exclude=theme.pk)
        before = {
            "name_changed": clean != theme.name,
            "description_changed": description != theme.description,
        }
        theme.name = clean
        theme.description = description.strip()
        theme.save(update_fields=["name", "description"])
        _touch(theme.codeframe)
        audit_record(
            action=Action.CODEFRAME_CHANGED,
            actor=actor,
            subject=theme,
            after={"codeframe": theme.codeframe_id, "version": theme.codeframe.version, **before},
        )
        _write_back(
            question=theme.codeframe.question,
            answer_ids=list(theme.codings.values_list("answer_id", flat=True)),
            with_sentiment=False,
        )
    return theme


def theme_add(
    *,
    codeframe: Codeframe,
    actor: Actor,
    name: str,
    description: str = "",
    parent: Theme | None = None,
) -> Theme:
    require(actor, CODEFRAME, to="change a codeframe")
    _refuse_if_locked(codeframe.pk)
    with transaction.atomic():
        theme = Theme.objects.create(
            codeframe=codeframe,
            name=_clean_name(codeframe, name),
            description=description.strip(),
            parent=parent,
        )
        _touch(codeframe)
        audit_record(
            action=Action.THEME_ADDED,
            actor=actor,
            subject=theme,
            after={
                "codeframe": codeframe.pk,
                "version": codeframe.version,
                "parent": parent.pk if parent else None,
            },
        )
    return theme


_STRENGTH = {Coding.Status.REJECTED: 0, Coding.Status.SUGGESTED: 1, Coding.Status.ACCEPTED: 2}


def _move_codings(codings: Sequence[Coding], target: Theme) -> int:
    """Move codings to ``target``; where the answer already has the target theme, the
    stronger decision stays (accepted > suggested > rejected)."""
    held = {
        c.answer_id: c
        for c in Coding.objects.filter(theme=target, answer_id__in=[c.answer_id for c in codings])
    }
    moved = 0
    for coding in codings:
        other = held.get(coding.answer_id)
        if other is None:
            coding.theme = target
            coding.save(update_fields=["theme"])
            held[coding.answer_id] = coding
        else:
            if _STRENGTH[Coding.Status(coding.status)] > _STRENGTH[Coding.Status(other.status)]:
                other.status, other.by_id, other.at, other.source = (
                    coding.status,
                    coding.by_id,
                    coding.at,
                    coding.source,
                )
                other.confidence = coding.confidence
                other.save(update_fields=["status", "by", "at", "source", "confidence"])
            coding.delete()
        moved += 1
    return moved


def theme_merge(*, source: Theme, target: Theme, actor: Actor) -> Theme:
    """Merge ``source`` into ``target``: its codings and sub-themes move, then it goes."""
    require(actor, CODEFRAME, to="change a codeframe")
    _refuse_if_locked(source.codeframe_id)
    if source.pk == target.pk or source.codeframe_id != target.codeframe_id:
        raise AnalysisProblem("Choose a different theme of the same question to merge into.")
    with transaction.atomic():
        answer_ids = list(source.codings.values_list("answer_id", flat=True))
        moved = _move_codings(list(source.codings.all()), target)
        children = Theme.objects.filter(parent=source).exclude(pk=target.pk).update(parent=target)
        if target.parent_id == source.pk:
            target.parent = source.parent
            target.save(update_fields=["parent"])
        source_id = source.pk
        source.delete()
        _touch(target.codeframe)
        audit_record(
            action=Action.THEME_MERGED,
            actor=actor,
            subject=target,
            before={"theme": source_id},
            after={
                "into": target.pk,
                "codings_moved": moved,
                "sub_themes_moved": children,
                "version": target.codeframe.version,
            },
        )
        _write_back(question=target.codeframe.question, answer_ids=answer_ids, with_sentiment=False)
    return target


def theme_split(*, theme: Theme, actor: Actor, name: str, answer_ids: Sequence[int]) -> Theme:
    """Make a sub-theme of ``theme`` and move the codings of the chosen answers to it."""
    require(actor, CODEFRAME, to="change a codeframe")
    _refuse_if_locked(theme.codeframe_id)
    if not answer_ids:
        raise AnalysisProblem("Choose at least one response to move to the new theme.")
    with transaction.atomic():
        new = Theme.objects.create(
            codeframe=theme.codeframe,
            name=_clean_name(theme.codeframe, name),
            parent=theme,
            description=f"Split from “{theme.name}”.",
        )
        codings = list(theme.codings.filter(answer_id__in=list(answer_ids)))
        moved = _move_codings(codings, new)
        _touch(theme.codeframe)
        audit_record(
            action=Action.THEME_SPLIT,
            actor=actor,
            subject=new,
            before={"theme": theme.pk},
            after={"new_theme": new.pk, "codings_moved": moved, "version": theme.codeframe.version},
        )
        _write_back(
            question=theme.codeframe.question, answer_ids=list(answer_ids), with_sentiment=False
        )
    return new


def theme_delete(*, theme: Theme, actor: Actor, move_to: Theme | None = None) -> int:
    """Delete a theme. Its codings move to ``move_to`` when given, else they are removed
    (people's decisions about that theme included – the audit event keeps the count).
    Returns the number of codings moved or removed."""
    require(actor, CODEFRAME, to="change a codeframe")
    _refuse_if_locked(theme.codeframe_id)
    if move_to is not None and (
        move_to.pk == theme.pk or move_to.codeframe_id != theme.codeframe_id
    ):
        raise AnalysisProblem(
            "Choose a different theme of the same question to move the codings to."
        )
    with transaction.atomic():
        answer_ids = list(theme.codings.values_list("answer_id", flat=True))
        codings = list(theme.codings.all())
        if move_to is not None:
            count = _move_codings(codings, move_to)
        else:
            count = len(codings)
            theme.codings.all().delete()
        Theme.objects.filter(parent=theme).update(parent=theme.parent)
        theme_id, codeframe = theme.pk, theme.codeframe
        theme.delete()
        _touch(codeframe)
        audit_record(
            action=Action.THEME_DELETED,
            actor=actor,
            subject=("analysis.theme", theme_id),
            before={"theme": theme_id},
            after={
                "codings_moved_to": move_to.pk if move_to else None,
                "codings_moved" if move_to else "codings_removed": count,
                "version": codeframe.version,
            },
        )
        _write_back(question=codeframe.question, answer_ids=answer_ids, with_sentiment=False)
    return count


# Coding decisions ----------------------------------------------------------------------


def _mark_reviewed_if_decided(answer_id: int, actor: Actor) -> bool:
    if Coding.objects.filter(answer_id=answer_id, status=Coding.Status.SUGGESTED).exists():
        return False
    updated = AnswerAnalysis.objects.filter(answer_id=answer_id, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=person(actor), needs_review=False
    )
    return bool(updated)


def coding_decide(*, coding: Coding, actor: Actor, accept: bool) -> bool:
    """Accept or reject a suggested theme. Returns True when that was the answer's last
    open suggestion (the answer is then reviewed and the queue moves on)."""
    require(actor, CODE, to="code answers")
    _refuse_if_locked(coding.theme.codeframe_id)
    with transaction.atomic():
        coding = Coding.objects.select_for_update().get(pk=coding.pk)
        before = coding.status
        coding.status = Coding.Status.ACCEPTED if accept else Coding.Status.REJECTED
        coding.by = person(actor)
        coding.at = timezone.now()
        coding.save(update_fields=["status", "by", "at"])
        audit_record(
            action=Action.CODING_ACCEPTED if accept else Action.CODING_REJECTED,
            actor=actor,
            subject=coding,
            before={"status": before},
            after={
                "status": coding.status,
                "answer": coding.answer_id,
                "theme": coding.theme_id,
                "suggested_by": coding.source,
                "decided_by": "person",
            },
        )
        done = _mark_reviewed_if_decided(coding.answer_id, actor)
        _write_back(
            question=coding.theme.codeframe.question,
            answer_ids=[coding.answer_id],
            with_sentiment=False,
        )
    return done


def coding_add(*, answer_id: int, theme: Theme, actor: Actor) -> Coding:
    """Code an answer by hand with a theme (accepting the machine's suggestion if it had
    made the same one)."""
    require(actor, CODE, to="code answers")
    _refuse_if_locked(theme.codeframe_id)
    with transaction.atomic():
        coding = Coding.objects.select_for_update().filter(answer_id=answer_id, theme=theme).first()
        before = coding.status if coding else None
        if coding is None:
            coding = Coding.objects.create(
                answer_id=answer_id,
                theme=theme,
                source=Coding.Source.PERSON,
                status=Coding.Status.ACCEPTED,
                by=person(actor),
                at=timezone.now(),
            )
        else:
            coding.status = Coding.Status.ACCEPTED
            coding.by = person(actor)
            coding.at = timezone.now()
            coding.save(update_fields=["status", "by", "at"])
        audit_record(
            action=Action.CODING_ADDED,
            actor=actor,
            subject=coding,
            before={"status": before},
            after={"status": coding.status, "answer": answer_id, "theme": theme.pk, "by": "person"},
        )
        _write_back(question=theme.codeframe.question, answer_ids=[answer_id], with_sentiment=False)
    return coding


def answer_reviewed(*, analysis: AnswerAnalysis, actor: Actor) -> None:
    """Mark an answer reviewed (no more themes apply). Raises AnalysisProblem while it
    still has suggestions nobody has accepted or rejected."""
    require(actor, CODE, to="code answers")
    _refuse_if_locked(
        Codeframe.objects.filter(question_id=analysis.question_id)
        .values_list("pk", flat=True)
        .first()
    )
    with transaction.atomic():
        if Coding.objects.filter(
            answer_id=analysis.answer_id, status=Coding.Status.SUGGESTED
        ).exists():
            raise AnalysisProblem(
                "Accept or reject each suggested theme before marking this response as reviewed."
            )
        AnswerAnalysis.objects.filter(pk=analysis.pk).update(
            reviewed_at=timezone.now(), reviewed_by=person(actor), needs_review=False
        )
        audit_record(
            action=Action.CODING_REVIEWED,
            actor=actor,
            subject=("engagement.answer", analysis.answer_id),
            after={
                "answer": analysis.answer_id,
                "themes_accepted": Coding.objects.filter(
                    answer_id=analysis.answer_id, status=Coding.Status.ACCEPTED
                ).count(),
            },
        )


BULK_LIMIT = 500


def codings_bulk(
    *,
    question: Question,
    answer_ids: Sequence[int],
    theme: Theme,
    actor: Actor,
    apply: bool,
) -> int:
    """Apply a theme to many answers at once (each coding accepted by this person), or
    remove it from them (each coding of that theme rejected by this person, so a new
    run does not suggest it again). Each coding changed is audited as a person's
    decision. Returns how many codings changed.

    Refused: staff without ``analysis.code_answers``; no answers chosen; more than
    ``BULK_LIMIT`` at once; a theme of another question; answers not analysed for this
    question (a tampered form)."""
    require(actor, CODE, to="code answers")
    _refuse_if_locked(theme.codeframe_id)
    ids = sorted({int(a) for a in answer_ids})
    if not ids:
        raise AnalysisProblem("Choose at least one response.")
    if len(ids) > BULK_LIMIT:
        raise AnalysisProblem(f"Choose at most {BULK_LIMIT} responses at a time.")
    if theme.codeframe.question_id != question.pk:
        raise AnalysisProblem("That theme belongs to another question.")
    with transaction.atomic():
        known = set(
            AnswerAnalysis.objects.filter(question=question, answer_id__in=ids).values_list(
                "answer_id", flat=True
            )
        )
        if known != set(ids):
            raise AnalysisProblem(
                "Some of the chosen responses are not analysed answers to this question. "
                "Reload the page and choose again."
            )
        now = timezone.now()
        held = {
            c.answer_id: c
            for c in Coding.objects.select_for_update().filter(theme=theme, answer_id__in=ids)
        }
        target = Coding.Status.ACCEPTED if apply else Coding.Status.REJECTED
        entries: list[AuditEntry] = []
        for answer_id in ids:
            coding = held.get(answer_id)
            if coding is None and not apply:
                continue  # nothing to remove
            before = coding.status if coding else None
            if coding is None:
                coding = Coding.objects.create(
                    answer_id=answer_id,
                    theme=theme,
                    source=Coding.Source.PERSON,
                    status=target,
                    by=person(actor),
                    at=now,
                )
            elif coding.status == target:
                continue  # already so: the same act twice changes nothing
            else:
                coding.status, coding.by, coding.at = target, person(actor), now
                coding.save(update_fields=["status", "by", "at"])
            entries.append(
                AuditEntry(
                    action=Action.CODING_ADDED if apply else Action.CODING_REJECTED,
                    actor=actor,
                    subject=coding,
                    before={"status": before},
                    after={
                        "status": target,
                        "answer": answer_id,
                        "theme": theme.pk,
                        "by": "person",
                        "bulk": True,
                    },
                )
            )
        audit_record_many(entries)
        if entries:
            _write_back(question=question, answer_ids=ids, with_sentiment=False)
    return len(entries)


# Signing off a codeframe ----------------------------------------------------------------

QUOTES_PER_THEME = 3


def _chosen_quotes(
    question_id: int, theme: Theme, chosen: Sequence[int] | None, used: dict[str, str]
) -> tuple[list[str], list[str]]:
    """The quotes for ``theme`` (redacted, from consenting people, coded with the theme
    now) and the problems with the answers a person chose, if they chose any. ``used``
    maps the quotes already given to earlier themes to their theme's name: one person's
    words are shown under one theme only (a default skips them; a choice is refused)."""
    candidates = selectors.quote_candidates(theme)
    allowed = set(selectors.consented_quotes(question_id, [t for _, t in candidates]))
    if chosen is None:
        taken = set(used)
        quotes = selectors.default_quotes(candidates, allowed, taken, QUOTES_PER_THEME)
        used.update(dict.fromkeys(quotes, theme.name))
        return quotes, []
    by_answer = dict(candidates)
    problems = []
    quotes = []
    for answer_id in chosen:
        found = by_answer.get(int(answer_id))
        if found is None:
            problems.append(
                f"A quote chosen for “{theme.name}” is not an answer coded with that theme now."
            )
        elif found not in allowed:
            problems.append(
                f"A quote chosen for “{theme.name}” is from someone who did not agree to "
                "publication of their words: choose another."
            )
        elif found in used:
            problems.append(
                f"The same quote is chosen for “{used[found]}” and “{theme.name}”: "
                "choose a different quote for one of them."
            )
        elif found not in quotes:
            quotes.append(found)
    used.update(dict.fromkeys(quotes, theme.name))
    if len(quotes) > QUOTES_PER_THEME:
        problems.append(f"Choose at most {QUOTES_PER_THEME} quotes for “{theme.name}”.")
    return quotes, problems


def _content(themes: Sequence[SignedTheme]) -> list[tuple[Any, ...]]:
    return [
        (
            t.theme_id_at_sign_off,
            t.depth,
            t.name,
            t.description,
            list(t.quotes),
            t.answers,
            t.accepted,
            t.negative,
            t.neutral,
            t.positive,
        )
        for t in themes
    ]


@audits_refusals("codeframe.sign_off", subject="codeframe")
def codeframe_sign_off(
    *,
    codeframe: Codeframe,
    actor: Actor,
    reason: str = "",
    quotes: Mapping[int, Sequence[int]] | None = None,
) -> CodeframeVersion:
    """Sign off the codeframe as it stands: a new numbered version freezing each theme
    with answers (name, description, depth, counts and sentiment now, and the quotes that
    represent it) for reports to use. ``quotes`` maps a theme id to the answer ids a
    person chose as its quotes; themes not in it get the first consenting answers coded
    with them (people's decisions first).

    Refused, with every reason at once: staff who may not change codeframes; a codeframe
    with no theme that has answers; a theme with a placeholder name or no real
    description; a chosen quote not coded with its theme now or from someone who did not
    consent to publication; a version after the first without a reason a reader could
    follow, or when nothing changed since the last one was signed off."""
    require(actor, CODEFRAME, to="sign off a codeframe")
    _refuse_if_locked(codeframe.pk)
    with transaction.atomic():
        frame = Codeframe.objects.select_for_update().get(pk=codeframe.pk)
        last = selectors.signed_off(frame)
        problems: list[str] = []
        reason = " ".join(reason.split())
        if last is not None:
            problems += reason_problems(reason, what="for a new version of the codeframe")
        rows = [r for r in selectors.themes_with_counts(frame) if r.answers > 0]
        if not rows:
            problems.append(
                "No theme has any answers yet: run the analysis and code answers before "
                "signing off the codeframe."
            )
        frozen: list[SignedTheme] = []
        used: dict[str, str] = {}  # each quote given so far -> the theme it is shown under
        # the quotes people chose claim their words first; defaults fill in around them
        chosen_for = {r.theme.pk: None if quotes is None else quotes.get(r.theme.pk) for r in rows}
        theme_quotes_for: dict[int, list[str]] = {}
        for row in sorted(rows, key=lambda r: chosen_for[r.theme.pk] is None):
            theme_quotes_for[row.theme.pk], quote_problems = _chosen_quotes(
                frame.question_id, row.theme, chosen_for[row.theme.pk], used
            )
            problems += quote_problems
        for position, row in enumerate(rows, 1):
            theme = row.theme
            if is_placeholder(theme.name) or len(theme.name.strip()) < 3:
                problems.append(f"Give the theme “{theme.name}” a name a reader would understand.")
            if is_placeholder(theme.description):
                problems.append(
                    f"Describe the theme “{theme.name}” in words: what answers in it are about."
                )
            theme_quotes = theme_quotes_for[theme.pk]
            frozen.append(
                SignedTheme(
                    theme_id_at_sign_off=theme.pk,
                    position=position,
                    depth=row.depth,
                    name=theme.name,
                    description=theme.description.strip(),
                    quotes=theme_quotes,
                    answers=row.answers,
                    accepted=row.accepted,
                    negative=row.negative,
                    neutral=row.neutral,
                    positive=row.positive,
                )
            )
        if last is not None and _content(frozen) == _content(selectors.signed_themes(last)):
            problems.append(
                f"Nothing has changed since version {last.number} was signed off: "
                "there is nothing new to sign off."
            )
        if problems:
            raise AnalysisProblem(" ".join(problems))
        version = CodeframeVersion.objects.create(
            codeframe=frame,
            number=(last.number + 1) if last else 1,
            signed_off_by=person(actor),
            signed_off_at=timezone.now(),
            reason=reason if last else "",
            edit_version=frame.version,
            answers=AnswerAnalysis.objects.filter(question_id=frame.question_id).count(),
        )
        for signed in frozen:
            signed.version = version
        SignedTheme.objects.bulk_create(frozen)
        audit_record(
            action=Action.CODEFRAME_SIGNED_OFF,
            actor=actor,
            subject=version,
            before={"version": last.number if last else None},
            after={
                "codeframe": frame.pk,
                "version": version.number,
                "edit_version": frame.version,
                "themes": len(frozen),
                "answers": version.answers,
                "reason_given": bool(version.reason),
            },
        )
    return version
