"""Writing options appraisals, significance assessments and assurance records.

Keyword-only arguments; each change in one transaction with one audit event (before and
after, no personal data). Views validate input with forms; the services re-check the rules
that keep the record honest (a reason to set an option aside, exactly one "do nothing",
scores in range, an override only by an authorised role and with a reason).
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from heard.accounts.actors import Actor
from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals, erasable
from heard.core import substance
from heard.core.actors import person, require
from heard.engagement import domain as engagement_domain
from heard.engagement.models import Activity
from heard.servicechange.assessment import (
    appraisal,
    assurance,
    documents,
    reconfiguration,
    selectors,
    significance,
)
from heard.servicechange.assessment import eqia as eqia_rules
from heard.servicechange.assessment.models import (
    Appraisal,
    AssuranceSettings,
    AssuranceTest,
    CallInRequest,
    CallInResponse,
    Checkpoint,
    Criterion,
    DueRegard,
    EqualityImpact,
    EqualityImpactAssessment,
    Option,
    Panel,
    ReconfigurationNotice,
    Score,
    SignificanceArea,
    SignificanceAssessment,
    UrgentPath,
)
from heard.servicechange.proposals.guard import stage
from heard.servicechange.proposals.stages import Change

# ---------------------------------------------------------------------------------------
# Options appraisal
# ---------------------------------------------------------------------------------------

OPTION_FIELDS = ("title", "description", "is_do_nothing", "is_preferred", "estimated_cost")


# Once the formal consultation has opened, the options appraisal and the significance and
# assurance records are part of what people were consulted on (the consultation document
# sets out the options and why consultation was needed): they can no longer change – a
# mistake is put right by a correction of the consultation document, a new public version
# with its reason. Without a consultation they are frozen once the proposal is decided.
# The EqIA review, the overview and scrutiny notice and the assurance checkpoints stay
# open (the equality duty continues, and a checkpoint adds to the record, changing none).
CHANGE = "assessment.change_assessment"


def _may_change(actor: Actor) -> None:
    require(actor, CHANGE, to="change the options appraisal, significance or assurance record")


_FROZEN_FROM = ("decided", "implementation", "evaluation")
_NOT_OPENED = (engagement_domain.Status.DRAFT, engagement_domain.Status.SCHEDULED)

CONSULTED = (
    "The formal consultation has opened: the options appraisal and the significance and "
    "assurance records are part of what people were consulted on and can no longer change. "
    "If something in them was wrong, correct the consultation document with the reason "
    "(a new version, shown on the public page) and consider whether to consult again."
)
DECIDED = (
    "This proposal has been decided: its options appraisal and significance assessment "
    "are part of the record of the decision and can no longer change."
)


def frozen_reason(proposal: Any) -> str:
    """Why the proposal's appraisal, significance and assurance records can no longer
    change ("" while they can): its formal consultation has opened, or it is decided."""
    activity = Activity.objects.filter(consultation__proposal_id=proposal.pk).first()
    if activity is not None:
        status = engagement_domain.effective_status(activity.facts(), timezone.now())
        if status not in _NOT_OPENED:
            return CONSULTED
    if str(getattr(proposal, "status", "")) in _FROZEN_FROM:
        return DECIDED
    return ""


def is_frozen(proposal: Any) -> bool:
    """True once the formal consultation has opened or the proposal is decided."""
    return bool(frozen_reason(proposal))


def _refuse(problems: dict[str, str]) -> None:
    """Refuse with every problem, each named by its field."""
    if problems:
        raise ValidationError(problems)


def _created_on(proposal: Any) -> date:
    """The day the proposal was created: nothing about it happened before then."""
    created = getattr(proposal, "created_at", None)
    if created is None:
        from heard.servicechange.proposals.models import Proposal

        created = Proposal.objects.values_list("created_at", flat=True).get(
            pk=getattr(proposal, "pk", proposal)
        )
    return timezone.localdate(created)


def _date_problems(
    value: date,
    *,
    proposal: Any,
    field: str,
    what: str,
    not_before: date | None = None,
    follows: str = "",
) -> dict[str, str]:
    """Not in the future, not before the proposal was created (nor before ``not_before``,
    the date of what it ``follows``, when that is later)."""
    created = _created_on(proposal)
    if not_before is None or not_before < created:
        not_before, follows = created, "the proposal was created"
    return assurance.date_problems(
        value,
        field=field,
        what=what,
        today=timezone.localdate(),
        not_before=not_before,
        follows=follows,
    )


def _name_problem(text: str, thing: str, ask: str) -> None:
    """A name a reader of the appraisal could follow: not "x", "-", "n/a" or one letter."""
    if substance.is_placeholder(text):
        shown = text.strip()
        raise ValidationError(
            f"{ask} in words: \u201c{shown}\u201d is not a name for a {thing}."
            if shown
            else f"{ask}."
        )


def _open_for_change(proposal: Any) -> None:
    reason = frozen_reason(proposal)
    if reason:
        raise ValidationError(reason)


def _option_state(option: Option) -> dict[str, Any]:
    return {f: getattr(option, f) for f in (*OPTION_FIELDS, "set_aside", "set_aside_reason")}


@stage(
    Change.APPRAISE_OPTIONS,
    proposal=lambda kw: kw.get("proposal") or kw["option"].proposal_id,
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def option_save(
    *,
    actor: Actor,
    proposal: Any,
    option: Option | None = None,
    title: str,
    description: str = "",
    is_do_nothing: bool = False,
    is_preferred: bool = False,
    estimated_cost: str = "",
    set_aside: bool = False,
    set_aside_reason: str = "",
) -> Option:
    """Add or change an option. Only one "do nothing" and one preferred option per
    proposal; setting one aside needs a reason (it feeds the consultation document)."""
    _may_change(actor)
    _open_for_change(proposal)
    _name_problem(title, "option", "Name the option")
    set_aside_reason = set_aside_reason.strip()
    if set_aside and not set_aside_reason:
        raise ValidationError("Give the reason for setting this option aside.")
    if set_aside and (
        problems := substance.reason_problems(
            set_aside_reason, what="for setting this option aside"
        )
    ):
        raise ValidationError(problems[0])
    if set_aside and is_preferred:
        raise ValidationError("The preferred option cannot be set aside.")
    with transaction.atomic():
        others = Option.objects.select_for_update().filter(proposal=proposal)
        if option is not None:
            others = others.exclude(pk=option.pk)
        if others.filter(title__iexact=title.strip()).exists():
            # Also makes a double submission of the add form harmless.
            raise ValidationError(f"There is already an option called “{title.strip()}”.")
        if is_do_nothing and others.filter(is_do_nothing=True).exists():
            raise ValidationError("There is already a “do nothing” option.")
        moved_from: list[int] = []
        if is_preferred:
            # Marking a new preferred option moves the mark: there is only one.
            for previous in others.filter(is_preferred=True):
                previous.is_preferred = False
                previous.save(update_fields=["is_preferred"])
                moved_from.append(previous.pk)
        before = _option_state(option) if option else None
        if option is None:
            option = Option(proposal=proposal, position=others.count() + 1)
        was_set_aside = option.set_aside if before else False
        option.title = title.strip()
        option.description = description
        option.is_do_nothing = is_do_nothing
        option.is_preferred = is_preferred
        option.estimated_cost = estimated_cost
        option.set_aside = set_aside
        option.set_aside_reason = set_aside_reason if set_aside else ""
        option.save()
        action = Action.OPTION_SET_ASIDE if was_set_aside != set_aside else Action.OPTION_SAVED
        after = _option_state(option)
        if moved_from:
            after["preferred_mark_moved_from_option"] = moved_from
        audit_record(action=action, actor=actor, subject=option, before=before, after=after)
    return option


@stage(
    Change.APPRAISE_OPTIONS,
    proposal=lambda kw: kw.get("proposal") or kw["criterion"].proposal_id,
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def criterion_save(
    *,
    actor: Actor,
    proposal: Any,
    criterion: Criterion | None = None,
    name: str,
    description: str = "",
    weight: Decimal,
) -> Criterion:
    _may_change(actor)
    _open_for_change(proposal)
    _name_problem(name, "criterion", "Name the criterion")
    if weight < 0:
        raise ValidationError("A weight cannot be negative.")
    with transaction.atomic():
        same = Criterion.objects.filter(proposal=proposal, name__iexact=name.strip())
        if criterion is not None:
            same = same.exclude(pk=criterion.pk)
        if same.exists():
            raise ValidationError(f"There is already a criterion called “{name.strip()}”.")
        before = None
        if criterion is None:
            criterion = Criterion(
                proposal=proposal,
                position=Criterion.objects.filter(proposal=proposal).count() + 1,
            )
        else:
            before = {"name": criterion.name, "weight": str(criterion.weight)}
        criterion.name = name
        criterion.description = description
        criterion.weight = weight
        criterion.save()
        audit_record(
            action=Action.CRITERION_SAVED,
            actor=actor,
            subject=criterion,
            before=before,
            after={"name": name, "weight": str(weight)},
        )
    return criterion


@stage(
    Change.APPRAISE_OPTIONS,
    proposal=lambda kw: kw["criterion"].proposal_id,
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def criterion_remove(*, actor: Actor, criterion: Criterion) -> None:
    """Remove a criterion and every panel's scores on it (the audit event keeps them)."""
    _may_change(actor)
    _open_for_change(criterion.proposal)
    with transaction.atomic():
        scores = {
            f"{s.panel_id}:{s.option_id}": s.value
            for s in Score.objects.filter(criterion=criterion)
        }
        audit_record(
            action=Action.CRITERION_REMOVED,
            actor=actor,
            subject=criterion,
            before={"name": criterion.name, "weight": str(criterion.weight), "scores": scores},
        )
        criterion.delete()


@stage(
    Change.APPRAISE_OPTIONS,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def weights_agreed(*, actor: Actor, proposal: Any, agreed_by: str, agreed_on: date) -> Appraisal:
    """Record who agreed the criteria and weights with stakeholders, and when."""
    _may_change(actor)
    _open_for_change(proposal)
    if not agreed_by.strip():
        raise ValidationError("Say who agreed the criteria and weights.")
    if substance.is_placeholder(agreed_by) or len(substance.words(agreed_by)) < 2:
        raise ValidationError(
            "Say who agreed the criteria and weights in words – the group, panel or "
            f"meeting: \u201c{agreed_by.strip()}\u201d does not say who."
        )
    if agreed_on > timezone.localdate():
        raise ValidationError(
            "The date the criteria and weights were agreed cannot be in the future."
        )
    with transaction.atomic():
        record, _ = Appraisal.objects.select_for_update().get_or_create(proposal=proposal)
        before = {
            "agreed_by": record.weights_agreed_by,
            "agreed_on": record.weights_agreed_on.isoformat() if record.weights_agreed_on else None,
        }
        record.weights_agreed_by = agreed_by.strip()
        record.weights_agreed_on = agreed_on
        record.save()
        audit_record(
            action=Action.WEIGHTS_AGREED,
            actor=actor,
            subject=record,
            before=before,
            after={
                "agreed_by": record.weights_agreed_by,
                "agreed_on": agreed_on.isoformat(),
                "weights": {
                    c.name: str(c.weight) for c in Criterion.objects.filter(proposal=proposal)
                },
            },
        )
    return record


@stage(
    Change.APPRAISE_OPTIONS,
    proposal=lambda kw: kw.get("proposal") or kw["panel"].proposal_id,
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def panel_save(
    *,
    actor: Actor,
    proposal: Any,
    panel: Panel | None = None,
    name: str,
    description: str = "",
    scored_on: date | None = None,
) -> Panel:
    _may_change(actor)
    _open_for_change(proposal)
    _name_problem(name, "panel", "Name the panel")
    with transaction.atomic():
        same = Panel.objects.filter(proposal=proposal, name__iexact=name.strip())
        if panel is not None:
            same = same.exclude(pk=panel.pk)
        if same.exists():
            raise ValidationError(f"There is already a panel called “{name.strip()}”.")
        before = None
        if panel is None:
            panel = Panel(
                proposal=proposal, position=Panel.objects.filter(proposal=proposal).count() + 1
            )
        else:
            before = {"name": panel.name, "scored_on": str(panel.scored_on or "")}
        panel.name = name
        panel.description = description
        panel.scored_on = scored_on
        panel.save()
        audit_record(
            action=Action.PANEL_SAVED,
            actor=actor,
            subject=panel,
            before=before,
            after={"name": name, "scored_on": str(scored_on or "")},
        )
    return panel


@stage(
    Change.APPRAISE_OPTIONS,
    proposal=lambda kw: kw["panel"].proposal_id,
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def panel_remove(*, actor: Actor, panel: Panel) -> None:
    """Remove a panel and its scores (the audit event keeps them)."""
    _may_change(actor)
    _open_for_change(panel.proposal)
    with transaction.atomic():
        scores = {
            f"{s.option_id}:{s.criterion_id}": s.value for s in Score.objects.filter(panel=panel)
        }
        audit_record(
            action=Action.PANEL_REMOVED,
            actor=actor,
            subject=panel,
            before={"name": panel.name, "scores": scores},
        )
        panel.delete()


@stage(
    Change.APPRAISE_OPTIONS,
    proposal=lambda kw: kw["panel"].proposal_id,
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def scores_save(
    *, actor: Actor, panel: Panel, scores: dict[tuple[int, int], int | None]
) -> list[tuple[int, int]]:
    """Save a panel's scores: ``scores[(option_id, criterion_id)]``; None clears a cell.

    Returns the cells still missing. Saving the same scores twice changes nothing (and
    records no audit event).
    """
    _may_change(actor)
    _open_for_change(panel.proposal)
    option_ids = set(Option.objects.filter(proposal=panel.proposal_id).values_list("pk", flat=True))
    criterion_ids = set(
        Criterion.objects.filter(proposal=panel.proposal_id).values_list("pk", flat=True)
    )
    for (o, c), value in scores.items():
        if o not in option_ids or c not in criterion_ids:
            raise ValidationError("A score is for an option or criterion of another proposal.")
        if value is not None and not appraisal.SCORE_MIN <= value <= appraisal.SCORE_MAX:
            raise ValidationError(
                f"Scores must be from {appraisal.SCORE_MIN} to {appraisal.SCORE_MAX}."
            )
    with transaction.atomic():
        existing = {(s.option_id, s.criterion_id): s for s in Score.objects.filter(panel=panel)}
        before = {f"{o}:{c}": s.value for (o, c), s in existing.items()}
        for cell, value in scores.items():
            current = existing.get(cell)
            if value is None:
                if current is not None:
                    current.delete()
                    del existing[cell]
            elif current is None:
                existing[cell] = Score.objects.create(
                    panel=panel, option_id=cell[0], criterion_id=cell[1], value=value
                )
            elif current.value != value:
                current.value = value
                current.save(update_fields=["value"])
        after = {f"{o}:{c}": s.value for (o, c), s in existing.items()}
        if after != before:
            audit_record(
                action=Action.SCORES_SAVED, actor=actor, subject=panel, before=before, after=after
            )
    return sorted((o, c) for o in option_ids for c in criterion_ids if (o, c) not in existing)


# ---------------------------------------------------------------------------------------
# Significance
# ---------------------------------------------------------------------------------------


@stage(
    Change.ASSESS_SIGNIFICANCE,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def significance_save(
    *,
    actor: Actor,
    proposal: Any,
    areas: dict[str, dict[str, Any]],
    summary: str = "",
) -> SignificanceAssessment:
    """Record the four areas: ``areas[area] = {impact, who_affected, how_many, evidence}``.

    All four must be given, each with who is affected and the evidence.
    """
    _may_change(actor)
    _open_for_change(proposal)
    wanted = {a.value for a in significance.Area}
    if set(areas) != wanted:
        raise ValidationError("Assess all four areas.")
    problems: dict[str, str] = {}
    for area, row in areas.items():
        significance.Impact(row["impact"])  # refuses an unknown level
        label = significance.AREA_LABELS[significance.Area(area)]
        problems |= assurance.text_problems(
            str(row.get("who_affected", "")),
            field=f"{area}_who_affected",
            what=f"{label}: who is affected",
            min_words=1,
        )
        problems |= assurance.text_problems(
            str(row.get("evidence", "")),
            field=f"{area}_evidence",
            what=f"{label}: the evidence for the impact",
        )
    _refuse(problems)
    with transaction.atomic():
        assessment, created = SignificanceAssessment.objects.select_for_update().get_or_create(
            proposal=proposal
        )
        before = None
        if not created:
            before = {
                a.area: {"impact": a.impact, "how_many": a.how_many} for a in assessment.areas.all()
            }
        for area, row in areas.items():
            SignificanceArea.objects.update_or_create(
                assessment=assessment,
                area=area,
                defaults={
                    "impact": row["impact"],
                    "who_affected": row["who_affected"].strip(),
                    "how_many": row.get("how_many"),
                    "evidence": row["evidence"].strip(),
                },
            )
        assessment.summary = summary
        assessment.assessed_by = person(actor)
        assessment.assessed_at = timezone.now()
        assessment.save()
        result = significance.determine(
            {significance.Area(a): significance.Impact(r["impact"]) for a, r in areas.items()}
        )
        audit_record(
            action=Action.SIGNIFICANCE_ASSESSED,
            actor=actor,
            subject=assessment,
            before=before,
            after={
                **{
                    a: {"impact": r["impact"], "how_many": r.get("how_many")}
                    for a, r in areas.items()
                },
                "required_by_rules": result.required_by_rules,
            },
        )
    return assessment


@audits_refusals("significance.override", subject="proposal")
@stage(
    Change.OVERRIDE_SIGNIFICANCE,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: require(
        a, "assessment.override_significance", to="override the significance determination"
    ),
)
def significance_override(
    *, actor: Actor, proposal: Any, consultation_required: bool, reason: str
) -> SignificanceAssessment:
    """A reasoned override of the determination; only an authorised role may record it."""
    require(actor, "assessment.override_significance", to="override the significance determination")
    _open_for_change(proposal)
    _refuse(assurance.text_problems(reason, field="reason", what="the reasons for the override"))
    with transaction.atomic():
        assessment = (
            SignificanceAssessment.objects.select_for_update().filter(proposal=proposal).first()
        )
        if assessment is None or assessment.areas.count() < len(significance.Area):
            raise ValidationError("Complete the significance assessment before overriding it.")
        before = {
            "override_required": assessment.override_required,
            "override_reason": assessment.override_reason,
        }
        assessment.override_required = consultation_required
        assessment.override_reason = reason.strip()
        assessment.override_by = person(actor)
        assessment.override_at = timezone.now()
        assessment.save()
        audit_record(
            action=Action.SIGNIFICANCE_OVERRIDDEN,
            actor=actor,
            subject=assessment,
            before=before,
            after={"override_required": consultation_required, "override_reason": reason.strip()},
        )
    return assessment


@stage(
    Change.RECORD_URGENT_PATH,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def urgent_path_record(
    *,
    actor: Actor,
    proposal: Any,
    reason: str,
    notice_sent_on: date,
    notice_to: str,
    notice_text: str,
) -> UrgentPath:
    _may_change(actor)
    _open_for_change(proposal)
    problems = assurance.text_problems(
        reason, field="reason", what="the risk to the safety or welfare of patients or staff"
    )
    if substance.name_is_placeholder(notice_to) or substance.is_placeholder(notice_to):
        problems["notice_to"] = (
            "Say which council was told and who there (for example the chair of the health "
            "overview and scrutiny committee)."
        )
    problems |= assurance.text_problems(
        notice_text, field="notice_text", what="what the council was told"
    )
    problems |= _date_problems(
        notice_sent_on, proposal=proposal, field="notice_sent_on", what="The notice date"
    )
    _refuse(problems)
    with transaction.atomic():
        assessment, _ = SignificanceAssessment.objects.get_or_create(proposal=proposal)
        existing = UrgentPath.objects.filter(assessment=assessment).first()
        before = (
            {"notice_sent_on": existing.notice_sent_on.isoformat(), "notice_to": existing.notice_to}
            if existing
            else None
        )
        urgent, _ = UrgentPath.objects.update_or_create(
            assessment=assessment,
            defaults={
                "reason": reason.strip(),
                "notice_sent_on": notice_sent_on,
                "notice_to": notice_to.strip(),
                "notice_text": notice_text.strip(),
                "recorded_by": person(actor),
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            action=Action.URGENT_PATH_RECORDED,
            actor=actor,
            subject=assessment,
            before=before,
            after={"notice_sent_on": notice_sent_on.isoformat(), "notice_to": notice_to.strip()},
        )
    return urgent


def _notifiable_assessment(proposal: Any) -> SignificanceAssessment:
    """The significance assessment that finds the proposal notifiable, or a refusal."""
    view = selectors.significance_for(proposal)
    if view is None or not view.complete:
        raise ValidationError("Record the significance assessment first.")
    if not view.notifiable:
        raise ValidationError(
            "The significance assessment does not find this a notifiable reconfiguration "
            f"({view.determination}): there is nothing to tell the Secretary of State."
        )
    return view.assessment


@audits_refusals("significance.reconfiguration_notified", subject="proposal")
@stage(
    Change.NOTIFY_RECONFIGURATION,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def reconfiguration_notice_record(
    *, actor: Actor, proposal: Any, notified_on: date, osc_view: str
) -> ReconfigurationNotice:
    """Record the notice to the Secretary of State of a notifiable reconfiguration, with
    the overview and scrutiny committee's view (in words: a placeholder is refused). Dated
    on or after the significance assessment that found it notifiable, never in the
    future. Recording the same notice again changes nothing; a different one replaces it
    (the audit trail keeps both)."""
    _may_change(actor)
    assessment = _notifiable_assessment(proposal)
    _refuse(
        assurance.text_problems(
            osc_view,
            field="osc_view",
            what="the overview and scrutiny committee's view, as sent to the Secretary of State",
            min_words=3,
        )
        | _date_problems(
            notified_on,
            proposal=proposal,
            field="notified_on",
            what="The date the Secretary of State was told",
            not_before=timezone.localdate(assessment.assessed_at),
            follows="the significance assessment found it notifiable",
        )
    )
    with transaction.atomic():
        existing = ReconfigurationNotice.objects.filter(assessment=assessment).first()
        if (
            existing is not None
            and existing.notified_on == notified_on
            and existing.osc_view == osc_view.strip()
        ):
            return existing  # the same form sent twice
        before = (
            {"notified_on": existing.notified_on.isoformat(), "osc_view": existing.osc_view}
            if existing
            else None
        )
        notice, _ = ReconfigurationNotice.objects.update_or_create(
            assessment=assessment,
            defaults={
                "notified_on": notified_on,
                "osc_view": osc_view.strip(),
                "recorded_by": person(actor),
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            action=Action.RECONFIGURATION_NOTIFIED,
            actor=actor,
            subject=assessment,
            before=before,
            after={"notified_on": notified_on.isoformat(), "osc_view": notice.osc_view},
        )
    return notice


@audits_refusals("significance.call_in_requested", subject="proposal")
@stage(
    Change.RECORD_CALL_IN,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def call_in_request_record(
    *, actor: Actor, proposal: Any, requested_on: date, requested_by: str, grounds: str
) -> CallInRequest:
    """Record a request to the Secretary of State to call the proposal in: who asked (for
    example the council's health overview and scrutiny committee), when, and on what
    grounds. The decision is held until the Secretary of State's answer is recorded. Only
    one request is open at a time; the request follows the notice."""
    _may_change(actor)
    assessment = _notifiable_assessment(proposal)
    notice = ReconfigurationNotice.objects.filter(assessment=assessment).first()
    problems: dict[str, str] = {}
    if substance.name_is_placeholder(requested_by) or substance.is_placeholder(requested_by):
        problems["requested_by"] = (
            "Say who asked the Secretary of State to call the proposal in (for example the "
            "council's health overview and scrutiny committee)."
        )
    problems |= assurance.text_problems(
        grounds, field="grounds", what="the grounds given for the request", min_words=3
    )
    problems |= _date_problems(
        requested_on,
        proposal=proposal,
        field="requested_on",
        what="The date of the request",
        not_before=notice.notified_on if notice else timezone.localdate(assessment.assessed_at),
        follows=(
            "the Secretary of State was told"
            if notice
            else "the significance assessment found it notifiable"
        ),
    )
    _refuse(problems)
    with transaction.atomic():
        requests = list(
            CallInRequest.objects.select_for_update()
            .filter(assessment=assessment)
            .prefetch_related("responses")
        )
        same = next(
            (
                r
                for r in requests
                if r.requested_on == requested_on
                and r.requested_by == requested_by.strip()
                and r.grounds == grounds.strip()
            ),
            None,
        )
        if same is not None:
            return same  # the same form sent twice
        open_problems = reconfiguration.request_problems(
            [selectors.call_in_facts(r) for r in requests]
        )
        if open_problems:
            raise ValidationError(open_problems)
        request = CallInRequest.objects.create(
            assessment=assessment,
            requested_on=requested_on,
            requested_by=requested_by.strip(),
            grounds=grounds.strip(),
            recorded_by=person(actor),
        )
        audit_record(
            action=Action.CALL_IN_REQUESTED,
            actor=actor,
            subject=assessment,
            after={
                "request": request.pk,
                "requested_on": requested_on.isoformat(),
                "requested_by": request.requested_by,
                "grounds": request.grounds,
            },
        )
    return request


@audits_refusals("significance.call_in_answered", subject="proposal")
@stage(
    Change.RECORD_CALL_IN,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def call_in_response_record(
    *,
    actor: Actor,
    proposal: Any,
    request: CallInRequest,
    received_on: date,
    outcome: str,
    text: str,
) -> CallInResponse:
    """Record the Secretary of State's answer to a call-in request: not called in, called
    in, or (after a call-in) directions – with what it said, and the date it was
    received (after the request, not in the future)."""
    _may_change(actor)
    assessment = _notifiable_assessment(proposal)
    if request.assessment_id != assessment.pk:
        raise ValidationError("That call-in request is about another proposal.")
    problems = assurance.text_problems(
        text, field="text", what="what the Secretary of State said", min_words=3
    )
    problems |= _date_problems(
        received_on,
        proposal=proposal,
        field="received_on",
        what="The date the answer was received",
        not_before=request.requested_on,
        follows="the request was made",
    )
    _refuse(problems)
    with transaction.atomic():
        locked = CallInRequest.objects.select_for_update().get(pk=request.pk)
        previous = list(locked.responses.all())
        if previous and (
            previous[-1].outcome == outcome
            and previous[-1].received_on == received_on
            and previous[-1].text == text.strip()
        ):
            return previous[-1]  # the same form sent twice
        facts = selectors.call_in_facts(locked)
        _refuse(
            {"outcome": " ".join(reconfiguration.response_problems(facts, outcome))}
            if reconfiguration.response_problems(facts, outcome)
            else {}
        )
        if previous and received_on < previous[-1].received_on:
            _refuse(
                {
                    "received_on": "The date the answer was received cannot be before the "
                    f"last answer ({previous[-1].received_on:%-d %B %Y})."
                }
            )
        response = CallInResponse.objects.create(
            request=locked,
            received_on=received_on,
            outcome=outcome,
            text=text.strip(),
            recorded_by=person(actor),
        )
        audit_record(
            action=Action.CALL_IN_ANSWERED,
            actor=actor,
            subject=assessment,
            after={
                "request": locked.pk,
                "received_on": received_on.isoformat(),
                "outcome": outcome,
                "text": response.text,
            },
        )
    return response


# ---------------------------------------------------------------------------------------
# Assurance and the EqIA
# ---------------------------------------------------------------------------------------


@stage(
    Change.ASSESS_SIGNIFICANCE,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def bed_closures_save(*, actor: Actor, proposal: Any, significant: bool) -> AssuranceSettings:
    _may_change(actor)
    _open_for_change(proposal)
    with transaction.atomic():
        record, _ = AssuranceSettings.objects.select_for_update().get_or_create(proposal=proposal)
        before = {"significant_bed_closures": record.significant_bed_closures}
        if before["significant_bed_closures"] != significant:
            record.significant_bed_closures = significant
            record.save()
            audit_record(
                action=Action.ASSURANCE_BEDS_SAVED,
                actor=actor,
                subject=record,
                before=before,
                after={"significant_bed_closures": significant},
            )
    return record


@stage(
    Change.RECORD_ASSURANCE,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def assurance_test_save(
    *,
    actor: Actor,
    proposal: Any,
    test: str,
    evidence: str,
    condition: str = "",
    document: File | None = None,
) -> AssuranceTest:
    _may_change(actor)
    _open_for_change(proposal)
    test = AssuranceTest.Test(test)
    _refuse(assurance.text_problems(evidence, field="evidence", what="the evidence for this test"))
    if document is not None and documents.problem(document):
        raise ValidationError({"document": documents.problem(document) + "."})
    if test == AssuranceTest.Test.PATIENT_CARE:
        AssuranceTest.Condition(condition)  # one of the three conditions must be met
    else:
        condition = ""
    with transaction.atomic():
        record = AssuranceTest.objects.filter(proposal=proposal, test=test).first()
        before = (
            {"condition": record.condition, "document": bool(record.document)} if record else None
        )
        if record is None:
            record = AssuranceTest(proposal=proposal, test=test)
        record.evidence = evidence.strip()
        record.condition = condition
        record.recorded_by = person(actor)
        record.recorded_at = timezone.now()
        if document is not None:
            record.document = document
        record.save()
        audit_record(
            action=Action.ASSURANCE_TEST_SAVED,
            actor=actor,
            subject=record,
            before=before,
            after={
                "test": test.value,
                "condition": condition,
                "document": record.document.name if record.document else "",
            },
        )
    return record


def _evidenced_tests(proposal: Any) -> list[str]:
    return [
        t.test
        for t in AssuranceTest.objects.filter(proposal=proposal)
        if not substance.is_placeholder(t.evidence)
    ]


@stage(
    Change.RECORD_ASSURANCE,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def checkpoint_record(
    *,
    actor: Actor,
    proposal: Any,
    stage: int,
    outcome: str,
    held_on: date,
    conditions: str = "",
    notes: str = "",
) -> Checkpoint:
    _may_change(actor)
    stage = Checkpoint.Stage(stage)
    outcome = Checkpoint.Outcome(outcome)
    problems: dict[str, str] = {}
    if outcome == Checkpoint.Outcome.PASSED_WITH_CONDITIONS:
        problems |= assurance.text_problems(
            conditions, field="conditions", what="the conditions NHS England set"
        )
    stage1 = (
        Checkpoint.objects.filter(
            proposal=proposal,
            stage=Checkpoint.Stage.STRATEGIC_SENSE_CHECK,
            outcome__in=(Checkpoint.Outcome.PASSED, Checkpoint.Outcome.PASSED_WITH_CONDITIONS),
        )
        .order_by("held_on")
        .first()
    )
    after = stage1.held_on if stage1 and stage == Checkpoint.Stage.ASSURANCE_CHECKPOINT else None
    problems |= _date_problems(
        held_on,
        proposal=proposal,
        field="held_on",
        what="The date of the checkpoint",
        not_before=after,
        follows="stage 1 was passed",
    )
    problems |= assurance.stage_problems(
        stage=int(stage),
        passed=outcome != Checkpoint.Outcome.NOT_PASSED,
        stage1_passed=stage1 is not None,
        evidenced=_evidenced_tests(proposal),
        patient_care=selectors.patient_care_applies(proposal),
    )
    _refuse(problems)
    with transaction.atomic():
        same = Checkpoint.objects.filter(
            proposal=proposal,
            stage=stage,
            outcome=outcome,
            held_on=held_on,
            conditions=conditions.strip(),
            notes=notes.strip(),
        ).first()
        if same is not None:
            return same  # a double submission: already recorded
        checkpoint = Checkpoint.objects.create(
            proposal=proposal,
            stage=stage,
            outcome=outcome,
            held_on=held_on,
            conditions=conditions.strip(),
            notes=notes.strip(),
            recorded_by=person(actor),
        )
        audit_record(
            action=Action.CHECKPOINT_RECORDED,
            actor=actor,
            subject=checkpoint,
            after={"stage": int(stage), "outcome": outcome.value, "held_on": held_on.isoformat()},
        )
    return checkpoint


@stage(
    Change.ATTACH_EQIA,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def eqia_attach(
    *, actor: Actor, proposal: Any, title: str, file: File | None = None
) -> EqualityImpactAssessment:
    """Name the EqIA and attach its supporting document (optional; refused when empty or
    unreadable). A new document replaces the old one and clears the review. The
    assessment itself is its rows (``eqia_impacts_save``)."""
    _may_change(actor)
    _refuse(
        assurance.text_problems(title, field="title", what="the title of the EqIA", min_words=1)
    )
    if file is not None and documents.problem(file):
        raise ValidationError({"file": documents.problem(file) + "."})
    with transaction.atomic():
        eqia = (
            EqualityImpactAssessment.objects.select_for_update().filter(proposal=proposal).first()
        )
        before = {"title": eqia.title, "file": eqia.file.name} if eqia else None
        if eqia is None:
            eqia = EqualityImpactAssessment(proposal=proposal)
        elif file is None and eqia.title == title.strip():
            return eqia  # nothing new: a double submission changes nothing
        eqia.title = title.strip()
        if file is not None:
            eqia.file = file
            eqia.attached_at = timezone.now()
            eqia.attached_by = person(actor)
            # A new version has not been reviewed yet.
            eqia.reviewed_at = None
            eqia.reviewed_by = None
            eqia.review_notes = ""
        elif eqia.pk is None:
            eqia.attached_by = person(actor)
        eqia.save()
        audit_record(
            action=Action.EQIA_ATTACHED,
            actor=actor,
            subject=eqia,
            before=before,
            after={"title": eqia.title, "file": eqia.file.name or ""},
        )
    return eqia


def _row_state(row: EqualityImpact) -> dict[str, str]:
    return {
        "impact": row.impact,
        "evidence": row.evidence,
        "mitigation": row.mitigation,
    }


@audits_refusals("eqia.impacts", subject="proposal")
@stage(
    Change.ATTACH_EQIA,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: _may_change(a),
)
def eqia_impacts_save(
    *, actor: Actor, proposal: Any, rows: Mapping[str, Mapping[str, str]]
) -> EqualityImpactAssessment:
    """Record what the EqIA says about each characteristic: ``rows[characteristic]`` has
    ``impact`` (positive, neutral, negative, unknown), ``evidence`` and ``mitigation``.
    A row left wholly empty is not considered yet (and an existing one stays); a row
    started must be complete – evidence in words, and a mitigation where the impact is
    negative – or the whole save is refused, each problem named by its field
    (``<characteristic>-<field>``). Frozen once the consultation opens (the stage
    table). A change clears the review: what was reviewed is no longer what is there."""
    _may_change(actor)
    problems: dict[str, str] = {}
    clean: dict[str, eqia_rules.Row] = {}
    for key, values in rows.items():
        try:
            characteristic = eqia_rules.Characteristic(key)
        except ValueError:
            problems[key] = f"\u201c{key}\u201d is not a characteristic the EqIA considers."
            continue
        row = eqia_rules.Row(
            characteristic.value,
            (values.get("impact") or "").strip(),
            (values.get("evidence") or "").strip(),
            (values.get("mitigation") or "").strip(),
        )
        if not (row.impact or row.evidence or row.mitigation):
            continue
        for field, problem in eqia_rules.row_problems(row).items():
            problems[f"{characteristic.value}-{field}"] = problem
        clean[characteristic.value] = row
    _refuse(problems)
    with transaction.atomic():
        eqia = (
            EqualityImpactAssessment.objects.select_for_update().filter(proposal=proposal).first()
        )
        if eqia is None:
            eqia = EqualityImpactAssessment.objects.create(
                proposal=proposal,
                title="Equality impact assessment",
                attached_by=person(actor),
            )
        existing = {r.characteristic: r for r in EqualityImpact.objects.filter(eqia=eqia)}
        changed: dict[str, dict[str, Any]] = {}
        for key, row in clean.items():
            values = {"impact": row.impact, "evidence": row.evidence, "mitigation": row.mitigation}
            if row.impact != eqia_rules.Impact.NEGATIVE and not row.mitigation:
                values["mitigation"] = ""
            current = existing.get(key)
            if current is not None and _row_state(current) == values:
                continue
            changed[key] = {
                "before": current.impact if current else None,
                "after": row.impact,
            }
            EqualityImpact.objects.update_or_create(
                eqia=eqia,
                characteristic=key,
                defaults={**values, "recorded_by": person(actor), "recorded_at": timezone.now()},
            )
        if not changed:
            return eqia
        if eqia.reviewed_at is not None:
            eqia.reviewed_at = None
            eqia.reviewed_by = None
            eqia.review_notes = ""
            eqia.save(update_fields=["reviewed_at", "reviewed_by", "review_notes"])
        audit_record(
            action=Action.EQIA_IMPACTS_SAVED,
            actor=actor,
            subject=eqia,
            after={"impacts": changed},
        )
    return eqia


@stage(
    Change.REVIEW_EQIA,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=lambda a: require(
        a, "assessment.review_eqia", to="record the review of the equality impact assessment"
    ),
)
def eqia_review(*, actor: Actor, proposal: Any, notes: str) -> EqualityImpactAssessment:
    require(
        actor, "assessment.review_eqia", to="record the review of the equality impact assessment"
    )
    _refuse(
        assurance.text_problems(
            notes,
            field="notes",
            what="what the review found (who is affected, how, and what was decided)",
            min_words=3,
        )
    )
    with transaction.atomic():
        eqia = (
            EqualityImpactAssessment.objects.select_for_update().filter(proposal=proposal).first()
        )
        if eqia is None:
            raise ValidationError("Attach the EqIA before recording its review.")
        incomplete = eqia_rules.completeness_problems(selectors.eqia_rows(eqia))
        if incomplete:
            raise ValidationError("Complete the EqIA before reviewing it: " + " ".join(incomplete))
        eqia.reviewed_at = timezone.now()
        eqia.reviewed_by = person(actor)
        eqia.review_notes = notes.strip()
        eqia.save()
        audit_record(
            action=Action.EQIA_REVIEWED,
            actor=actor,
            subject=eqia,
            after={"reviewed_at": eqia.reviewed_at.isoformat()},
        )
    return eqia


def _may_record_due_regard(actor: Actor) -> None:
    require(
        actor,
        "assessment.record_due_regard",
        to="record your own regard to the equality impact assessment (decision makers only)",
    )


@audits_refusals("eqia.due_regard", subject="proposal")
@stage(
    Change.RECORD_DUE_REGARD,
    proposal=lambda kw: kw["proposal"],
    refuse=ValidationError,
    who=_may_record_due_regard,
)
def due_regard_record(*, actor: Actor, proposal: Any, statement: str) -> DueRegard:
    """A decision maker records, in their own words, that they read the EqIA as reviewed
    after the consultation and the regard they had to it (Brown principles: by the
    decision makers themselves, before the decision, in substance). Only for oneself –
    no one records it for another – and once per review of the EqIA. Refused: a
    placeholder or stock acknowledgement ("Noted.", "I have read the EqIA"); no review
    yet; a second record on the same review."""
    _may_record_due_regard(actor)
    with transaction.atomic():
        eqia = (
            EqualityImpactAssessment.objects.select_for_update().filter(proposal=proposal).first()
        )
        if eqia is None:
            raise ValidationError("There is no equality impact assessment to have regard to.")
        me = person(actor)
        already = (
            eqia.reviewed_at is not None
            and DueRegard.objects.filter(
                eqia=eqia, decision_maker=me, reviewed_at=eqia.reviewed_at
            ).exists()
        )
        problems = eqia_rules.due_regard_problems(
            statement=statement,
            reviewed_on=timezone.localdate(eqia.reviewed_at) if eqia.reviewed_at else None,
            already_recorded=already,
        )
        if problems:
            raise ValidationError({"statement": " ".join(problems)})
        assert eqia.reviewed_at is not None
        record = DueRegard.objects.create(
            eqia=eqia,
            decision_maker=me,
            reviewed_at=eqia.reviewed_at,
            statement=" ".join(statement.split()),
            recorded_at=timezone.now(),
        )
        audit_record(
            action=Action.EQIA_DUE_REGARD_RECORDED,
            actor=actor,
            subject=eqia,
            after={
                "decision_maker": getattr(me, "pk", None),
                "reviewed_at": eqia.reviewed_at.isoformat(),
                "statement": erasable(record.statement, about=eqia),
            },
        )
    return record
