"""Reading options appraisals, significance assessments and assurance.

The functions at the top are the interface other apps code against (consultations,
outcomes): ``options_for``, ``appraisal_summary``, ``significance_for``,
``stage2_passed``, ``eqia_for``. ``facts``, ``timeline`` and ``links`` feed the proposal
through ``heard.servicechange.proposals.hooks`` (registered in ``AppConfig.ready``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from fractions import Fraction
from typing import Any

from django.urls import reverse
from django.utils import timezone

from heard.accounts import selectors as rules_selectors
from heard.servicechange.assessment import appraisal, assurance, reconfiguration, significance
from heard.servicechange.assessment import eqia as eqia_rules
from heard.servicechange.assessment.models import (
    Appraisal,
    AssuranceSettings,
    AssuranceTest,
    CallInRequest,
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
from heard.servicechange.proposals.domain import AssessmentFacts
from heard.servicechange.proposals.parts import ProposalLink, TimelineEntry

COMBINATION_METHOD = (
    "Each panel's weighted score is the sum of weight × score over the criteria "
    f"(scores {appraisal.SCORE_MIN}–{appraisal.SCORE_MAX}, weights scaled to add up to "
    "100 %). Panels count equally: an option's combined score is the mean of the panels' "
    "weighted scores. Equal combined scores share a place."
)

# ---------------------------------------------------------------------------------------
# Options appraisal
# ---------------------------------------------------------------------------------------


def options_for(proposal: Any) -> list[Option]:
    """Every option, in order: each has title, description, is_do_nothing, is_preferred,
    set_aside, set_aside_reason and estimated_cost."""
    return list(Option.objects.filter(proposal=proposal))


def criteria_for(proposal: Any) -> list[Criterion]:
    return list(Criterion.objects.filter(proposal=proposal))


def panels_for(proposal: Any) -> list[Panel]:
    return list(Panel.objects.filter(proposal=proposal))


def appraisal_record(proposal: Any) -> Appraisal | None:
    return Appraisal.objects.filter(proposal=proposal).first()


def scores_for_panel(panel: Panel) -> dict[tuple[int, int], int]:
    return {(s.option_id, s.criterion_id): s.value for s in Score.objects.filter(panel=panel)}


@dataclass(frozen=True)
class RankedOption:
    option: Option
    score: float
    place: int
    tied: bool
    panel_scores: list[float]


@dataclass(frozen=True)
class SensitivityRow:
    criterion: Criterion
    change_label: str
    weight_percent: float  # the criterion's share after the change
    top: list[str]  # titles of the top option(s) after the change
    order: list[str]
    top_changed: bool
    order_changed: bool
    ties_broken: bool = False  # options that shared a place separate (not an order change)


@dataclass(frozen=True)
class AppraisalSummary:
    ranking: list[RankedOption]
    panels: list[Panel]
    criteria: list[tuple[Criterion, float]]  # with its share of the weight, in %
    sensitivity: list[SensitivityRow]
    robust: bool
    top_robust: bool
    verdict: str
    method: str
    weights_agreed_by: str
    weights_agreed_on: date | None

    @property
    def top(self) -> list[Option]:
        return [r.option for r in self.ranking if r.place == 1]


@dataclass(frozen=True)
class MissingScore:
    panel: Panel
    option: Option
    criterion: Criterion


@dataclass(frozen=True)
class AppraisalState:
    """What the results page needs: the summary, or why there is none yet."""

    summary: AppraisalSummary | None
    problems: list[str] = field(default_factory=list)
    missing: list[MissingScore] = field(default_factory=list)


def _key(prefix: str, pk: int) -> str:
    return f"{prefix}{pk}"


def appraisal_state(proposal: Any) -> AppraisalState:
    options = options_for(proposal)
    criteria = criteria_for(proposal)
    panels = panels_for(proposal)
    by_option = {_key("o", o.pk): o for o in options}
    by_criterion = {_key("c", c.pk): c for c in criteria}
    by_panel = {_key("p", p.pk): p for p in panels}
    scores: dict[str, dict[tuple[str, str], int]] = {k: {} for k in by_panel}
    for s in Score.objects.filter(panel__proposal=proposal):
        scores[_key("p", s.panel_id)][(_key("o", s.option_id), _key("c", s.criterion_id))] = s.value
    inputs = appraisal.Inputs(
        options=list(by_option),
        criteria=list(by_criterion),
        weights={k: Fraction(c.weight) for k, c in by_criterion.items()},
        scores=scores,
        names={
            **{k: o.title for k, o in by_option.items()},
            **{k: c.name for k, c in by_criterion.items()},
            **{k: p.name for k, p in by_panel.items()},
        },
    )
    try:
        result = appraisal.appraise(inputs)
    except appraisal.Incomplete as incomplete:
        return AppraisalState(
            summary=None,
            problems=incomplete.problems,
            missing=[
                MissingScore(by_panel[m.panel], by_option[m.option], by_criterion[m.criterion])
                for m in incomplete.missing
            ],
        )
    record = appraisal_record(proposal)

    def titles(keys: list[str]) -> list[str]:
        return [by_option[k].title for k in keys]

    ranking = [
        RankedOption(
            option=by_option[r.option],
            score=round(float(r.score), 2),
            place=r.place,
            tied=r.tied,
            panel_scores=[round(float(result.panel_scores[p][r.option]), 2) for p in by_panel],
        )
        for r in result.ranking
    ]
    sensitivity = [
        SensitivityRow(
            criterion=by_criterion[s.criterion],
            change_label=s.change_label,
            weight_percent=round(float(s.weights[s.criterion]) * 100, 1),
            top=titles([r.option for r in s.ranking if r.place == 1]),
            order=titles([r.option for r in s.ranking]),
            top_changed=s.top_changed,
            order_changed=s.order_changed,
            ties_broken=s.ties_broken,
        )
        for s in result.sensitivity
    ]
    verdict = result.verdict({k: c.name for k, c in by_criterion.items()})
    summary = AppraisalSummary(
        ranking=ranking,
        panels=panels,
        criteria=[(c, round(float(result.weights[k]) * 100, 1)) for k, c in by_criterion.items()],
        sensitivity=sensitivity,
        robust=result.robust,
        top_robust=result.top_robust,
        verdict=verdict,
        method=COMBINATION_METHOD,
        weights_agreed_by=record.weights_agreed_by if record else "",
        weights_agreed_on=record.weights_agreed_on if record else None,
    )
    return AppraisalState(summary=summary)


def appraisal_summary(proposal: Any) -> AppraisalSummary | None:
    """The ranking and sensitivity check, or None while the appraisal is incomplete."""
    return appraisal_state(proposal).summary


# ---------------------------------------------------------------------------------------
# Significance
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideInfo:
    consultation_required: bool
    reason: str
    by: Any
    at: datetime | None


@dataclass(frozen=True)
class SignificanceView:
    assessment: SignificanceAssessment
    areas: list[SignificanceArea]  # in the order of significance.Area
    determination_result: significance.Determination
    override: OverrideInfo | None
    urgent: UrgentPath | None
    notice: ReconfigurationNotice | None

    @property
    def determination(self) -> str:
        return self.determination_result.headline

    @property
    def reasons(self) -> list[str]:
        return self.determination_result.reasons

    @property
    def complete(self) -> bool:
        return self.determination_result.complete

    @property
    def consultation_required(self) -> bool:
        return self.determination_result.consultation_required

    @property
    def notifiable(self) -> bool:
        return self.determination_result.notifiable


def _person(user: Any) -> str:
    """Name and role for the record (never the email address: reasons may be published)."""
    if user is None:
        return ""
    role = str(user.get_role_display()) if getattr(user, "role", "") else ""
    name = getattr(user, "full_name", "")
    if name and role:
        return f"{name} ({role.lower()})"
    return name or (f"a {role.lower()}" if role else "")


def significance_for(proposal: Any) -> SignificanceView | None:
    assessment = (
        SignificanceAssessment.objects.filter(proposal=proposal)
        .select_related("override_by")
        .first()
    )
    if assessment is None:
        return None
    rows = {a.area: a for a in assessment.areas.all()}
    areas = [rows[a.value] for a in significance.Area if a.value in rows]
    urgent = UrgentPath.objects.filter(assessment=assessment).first()
    notice = ReconfigurationNotice.objects.filter(assessment=assessment).first()
    override = None
    if assessment.override_required is not None:
        override = OverrideInfo(
            consultation_required=assessment.override_required,
            reason=assessment.override_reason,
            by=assessment.override_by,
            at=assessment.override_at,
        )
    result = significance.determine(
        {significance.Area(a.area): significance.Impact(a.impact) for a in areas},
        override=(
            significance.Override(
                consultation_required=override.consultation_required,
                reason=override.reason,
                by=_person(override.by),
            )
            if override
            else None
        ),
        urgent=urgent is not None,
    )
    return SignificanceView(
        assessment=assessment,
        areas=areas,
        determination_result=result,
        override=override,
        urgent=urgent,
        notice=notice,
    )


# ---------------------------------------------------------------------------------------
# Assurance and the EqIA
# ---------------------------------------------------------------------------------------


def call_in_facts(request: CallInRequest) -> reconfiguration.RequestFacts:
    responses = list(request.responses.all())
    return reconfiguration.RequestFacts(
        requested_on=request.requested_on,
        requested_by=request.requested_by,
        outcomes=tuple(r.outcome for r in responses),
        last_received_on=responses[-1].received_on if responses else None,
    )


def call_ins_for(proposal: Any) -> list[CallInRequest]:
    """The call-in requests about the proposal, oldest first, with their answers."""
    return list(
        CallInRequest.objects.filter(assessment__proposal=proposal).prefetch_related("responses")
    )


@dataclass(frozen=True)
class Reconfiguration:
    """What the decision needs to know of a notifiable reconfiguration."""

    notifiable: bool
    notice: ReconfigurationNotice | None
    requests: list[CallInRequest]

    def hold_problems(self, decided_on: date | None) -> list[str]:
        return reconfiguration.hold_problems(
            notifiable=self.notifiable,
            notified_on=self.notice.notified_on if self.notice else None,
            requests=[call_in_facts(r) for r in self.requests],
            decided_on=decided_on,
        )

    def state(self, request: CallInRequest) -> str:
        return reconfiguration.state(call_in_facts(request))


def reconfiguration_for(proposal: Any) -> Reconfiguration:
    view = significance_for(proposal)
    return Reconfiguration(
        notifiable=bool(view and view.notifiable),
        notice=view.notice if view else None,
        requests=call_ins_for(proposal) if view else [],
    )


def latest_checkpoint(proposal: Any, stage: int) -> Checkpoint | None:
    return (
        Checkpoint.objects.filter(proposal=proposal, stage=stage)
        .order_by("-held_on", "-pk")
        .first()
    )


def stage2_passed(proposal: Any) -> bool:
    """The latest stage 2 checkpoint passed (with or without conditions)."""
    latest = latest_checkpoint(proposal, Checkpoint.Stage.ASSURANCE_CHECKPOINT)
    return bool(latest and latest.passed)


def eqia_for(proposal: Any) -> EqualityImpactAssessment | None:
    """The EqIA (``file``, ``url``, ``attached_at``, ``reviewed_at``…), or None."""
    return EqualityImpactAssessment.objects.filter(proposal=proposal).first()


@dataclass(frozen=True)
class EqiaRow:
    """One characteristic on the EqIA's table: what was recorded, or nothing yet."""

    characteristic: str
    label: str
    required: bool
    record: EqualityImpact | None

    @property
    def problems(self) -> list[str]:
        return list(eqia_rules.row_problems(self.record.row()).values()) if self.record else []


@dataclass
class EqiaView:
    """The EqIA as the staff pages and the evidence pack show it (no personal data
    beyond staff names): every characteristic, whether considered, with evidence, impact
    and mitigation; what is missing; the review; each decision maker's due regard."""

    eqia: EqualityImpactAssessment
    rows: list[EqiaRow]
    problems: list[str]
    due_regard: list[DueRegard]

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def considered(self) -> int:
        return sum(1 for r in self.rows if r.record is not None)

    @property
    def negative(self) -> list[EqiaRow]:
        return [r for r in self.rows if r.record and r.record.impact == eqia_rules.Impact.NEGATIVE]

    @property
    def due_regard_on_review(self) -> list[DueRegard]:
        """Statements made on the EqIA's current review (earlier reviews' stay shown)."""
        return [d for d in self.due_regard if d.reviewed_at == self.eqia.reviewed_at]


def eqia_rows(eqia: EqualityImpactAssessment) -> dict[str, eqia_rules.Row]:
    return {r.characteristic: r.row() for r in EqualityImpact.objects.filter(eqia=eqia)}


def eqia_problems(proposal: Any) -> list[str]:
    """Why the proposal's EqIA is not complete (empty: it is); none attached says so."""
    eqia = eqia_for(proposal)
    if eqia is None:
        return ["No equality impact assessment is recorded."]
    return eqia_rules.completeness_problems(eqia_rows(eqia))


def eqia_view(proposal: Any) -> EqiaView | None:
    eqia = (
        EqualityImpactAssessment.objects.filter(proposal=proposal)
        .select_related("attached_by", "reviewed_by")
        .first()
    )
    if eqia is None:
        return None
    records = {
        r.characteristic: r
        for r in EqualityImpact.objects.filter(eqia=eqia).select_related("recorded_by")
    }
    rows = [
        EqiaRow(
            characteristic=c.value,
            label=eqia_rules.CHARACTERISTIC_LABELS[c],
            required=c in eqia_rules.REQUIRED,
            record=records.get(c.value),
        )
        for c in eqia_rules.Characteristic
    ]
    return EqiaView(
        eqia=eqia,
        rows=rows,
        problems=eqia_rules.completeness_problems({k: v.row() for k, v in records.items()}),
        due_regard=list(
            DueRegard.objects.filter(eqia=eqia)
            .select_related("decision_maker")
            .order_by("recorded_at", "pk")
        ),
    )


def due_regard_on_review(proposal: Any) -> list[DueRegard]:
    """Each decision maker's record of due regard on the EqIA's current review."""
    eqia = eqia_for(proposal)
    if eqia is None or eqia.reviewed_at is None:
        return []
    return list(
        DueRegard.objects.filter(eqia=eqia, reviewed_at=eqia.reviewed_at)
        .select_related("decision_maker")
        .order_by("recorded_at", "pk")
    )


def bed_closures(proposal: Any) -> bool | None:
    """The answer about significant bed closures: None until someone has answered (it is
    never assumed to be no)."""
    s = AssuranceSettings.objects.filter(proposal=proposal).first()
    return s.significant_bed_closures if s else None


def patient_care_applies(proposal: Any) -> bool:
    """The patient care test is asked whenever beds close: the answer about significant
    bed closures is yes, or the significance record speaks of beds."""
    texts: list[str] = []
    for row in SignificanceArea.objects.filter(assessment__proposal=proposal).values(
        "who_affected", "evidence"
    ):
        texts += [row["who_affected"], row["evidence"]]
    texts += list(
        SignificanceAssessment.objects.filter(proposal=proposal).values_list("summary", flat=True)
    )
    return assurance.patient_care_applies(bed_closures(proposal), texts)


@dataclass(frozen=True)
class TestRow:
    test: str
    label: str
    record: AssuranceTest | None
    applies: bool = True


def assurance_tests(proposal: Any) -> list[TestRow]:
    records = {t.test: t for t in AssuranceTest.objects.filter(proposal=proposal)}
    beds = patient_care_applies(proposal)
    return [
        TestRow(
            test=value,
            label=str(label),
            record=records.get(value),
            applies=value != AssuranceTest.Test.PATIENT_CARE or beds,
        )
        for value, label in AssuranceTest.Test.choices
    ]


def checkpoints(proposal: Any) -> list[Checkpoint]:
    return list(Checkpoint.objects.filter(proposal=proposal).select_related("recorded_by"))


# ---------------------------------------------------------------------------------------
# What the proposal sees: facts, timeline, links
# ---------------------------------------------------------------------------------------


def stage_facts(proposal: Any) -> AssessmentFacts:
    """What the lifecycle's guards need from assessment.

    ``options_count`` counts the options only once one of them is "do nothing": until
    then it is at most 1, so the lifecycle's "two options, one of them doing nothing"
    guard holds.
    """
    options = options_for(proposal)
    has_do_nothing = any(o.is_do_nothing for o in options)
    view = significance_for(proposal)
    determined = bool(view and view.complete)
    eqia = eqia_for(proposal)
    return AssessmentFacts(
        options_count=len(options) if has_do_nothing else min(len(options), 1),
        significance_determined=determined,
        consultation_required=bool(view and view.consultation_required),
        urgent_path_recorded=bool(view and view.urgent),
        stage2_passed=stage2_passed(proposal),
        stage2_required=rules_selectors.stage2_required(),
        eqia_attached=eqia is not None,
        eqia_problems=tuple(
            eqia_rules.completeness_problems(eqia_rows(eqia))
            if eqia is not None
            else ["No equality impact assessment is recorded."]
        ),
    )


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def timeline(proposal: Any) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    overview = reverse("assessment:significance", kwargs={"pk": proposal.pk})
    assurance = reverse("assessment:assurance", kwargs={"pk": proposal.pk})
    record = appraisal_record(proposal)
    if record and record.weights_agreed_on:
        entries.append(
            TimelineEntry(
                at=_at(record.weights_agreed_on),
                title="Appraisal criteria and weights agreed",
                detail=record.weights_agreed_by,
                url=reverse("assessment:criteria", kwargs={"pk": proposal.pk}),
            )
        )
    for panel in panels_for(proposal):
        if panel.scored_on:
            entries.append(
                TimelineEntry(
                    at=_at(panel.scored_on),
                    title=f"Options scored by {panel.name}",
                    url=reverse("assessment:results", kwargs={"pk": proposal.pk}),
                )
            )
    view = significance_for(proposal)
    if view:
        if view.complete:
            entries.append(
                TimelineEntry(
                    at=view.assessment.assessed_at,
                    title="Significance assessed",
                    detail=view.determination,
                    url=overview,
                )
            )
        if view.override and view.override.at:
            entries.append(
                TimelineEntry(
                    at=view.override.at,
                    title="Significance determination overridden",
                    detail=view.override.reason,
                    url=overview,
                )
            )
        if view.urgent:
            entries.append(
                TimelineEntry(
                    at=_at(view.urgent.notice_sent_on),
                    title="Council told of an urgent change (urgent-safety path)",
                    detail=view.urgent.notice_to,
                    url=overview,
                )
            )
        if view.notice:
            entries.append(
                TimelineEntry(
                    at=_at(view.notice.notified_on),
                    title="Secretary of State notified of a reconfiguration",
                    detail=f"The overview and scrutiny committee's view: {view.notice.osc_view}",
                    url=overview,
                )
            )
        for request in call_ins_for(proposal):
            entries.append(
                TimelineEntry(
                    at=_at(request.requested_on),
                    title="Secretary of State asked to call the proposal in",
                    detail=f"By {request.requested_by}. Grounds: {request.grounds}",
                    url=overview,
                )
            )
            for response in request.responses.all():
                entries.append(
                    TimelineEntry(
                        at=_at(response.received_on),
                        title="Secretary of State's answer to the call-in request: "
                        + response.get_outcome_display().lower(),
                        detail=response.text,
                        url=overview,
                    )
                )
    for checkpoint in checkpoints(proposal):
        entries.append(
            TimelineEntry(
                at=_at(checkpoint.held_on),
                title=f"Assurance {checkpoint.get_stage_display().split(':')[0].lower()}: "
                f"{checkpoint.get_outcome_display().lower()}",
                detail=checkpoint.conditions,
                url=assurance,
            )
        )
    eqia = eqia_for(proposal)
    if eqia:
        entries.append(
            TimelineEntry(
                at=eqia.attached_at, title="EqIA attached", detail=eqia.title, url=assurance
            )
        )
        if eqia.reviewed_at:
            entries.append(TimelineEntry(at=eqia.reviewed_at, title="EqIA reviewed", url=assurance))
    return entries


def _appraisal_status(proposal: Any) -> tuple[str, str]:
    options = options_for(proposal)
    if not options:
        return "Not started", "No options recorded yet."
    state = appraisal_state(proposal)
    if state.summary is None:
        return "In progress", f"{len(options)} options; " + " ".join(state.problems)
    tops = ", ".join(o.title for o in state.summary.top)
    return "Done", f"{len(options)} options; top: {tops}. {state.summary.verdict}"


def _significance_status(proposal: Any) -> tuple[str, str]:
    view = significance_for(proposal)
    if view is None:
        return "Not started", "Not assessed yet."
    if not view.complete:
        return "In progress", view.determination
    if not view.notifiable:
        return "Done", view.determination
    # A notifiable reconfiguration: the notice and any call-in, as they stand.
    r = reconfiguration_for(proposal)
    # The assessment itself is done; the summary says where the notice and call-in stand.
    if r.notice is None:
        return "Done", (
            f"{view.determination}. Notifiable reconfiguration: the Secretary of State has "
            "not been told yet (required before the decision)."
        )
    told = f"{view.determination}. Secretary of State told on {r.notice.notified_on:%-d %B %Y}."
    held = [r.state(request) for request in r.requests if r.state(request) != "settled"]
    if "called_in" in held:
        return "Done", f"{told} Called in: the decision is held until directions."
    if held:
        return "Done", f"{told} A call-in request is waiting for an answer (decision held)."
    return "Done", told


def _assurance_status(proposal: Any) -> tuple[str, str]:
    passed = stage2_passed(proposal)
    eqia = eqia_for(proposal)
    parts = [
        "Stage 2 passed" if passed else "Stage 2 not passed yet",
        "EqIA attached" if eqia else "no EqIA yet",
    ]
    if eqia and eqia.reviewed_at:
        parts.append("EqIA reviewed")
    if (
        not checkpoints(proposal)
        and not eqia
        and not AssuranceTest.objects.filter(proposal=proposal).exists()
    ):
        return "Not started", "; ".join(parts) + "."
    required = rules_selectors.stage2_required()
    done = (passed or not required) and eqia is not None
    return ("Done" if done else "In progress"), "; ".join(parts) + "."


def links(proposal: Any, user: Any) -> list[ProposalLink]:
    if not user.has_perm("assessment.view_assessment"):
        return []
    pk = proposal.pk
    result = []
    for title, name, status_fn in (
        ("Options appraisal", "assessment:options", _appraisal_status),
        ("Significance assessment", "assessment:significance", _significance_status),
        ("Assurance", "assessment:assurance", _assurance_status),
    ):
        status, summary = status_fn(proposal)
        result.append(
            ProposalLink(
                title=title, url=reverse(name, kwargs={"pk": pk}), summary=summary, status=status
            )
        )
    return result
