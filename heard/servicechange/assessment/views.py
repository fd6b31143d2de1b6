"""Staff pages: options appraisal, significance assessment and assurance of a proposal.

Thin views: forms validate, services write (audited), selectors read. Every write is
POST-redirect-GET; saving the same thing twice leaves the same record.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.servicechange.assessment import charts, selectors, services
from heard.servicechange.assessment.forms import (
    AssuranceTestForm,
    BedClosuresForm,
    CallInRequestForm,
    CallInResponseForm,
    CheckpointForm,
    CriterionForm,
    DueRegardForm,
    EqiaForm,
    EqiaImpactsForm,
    EqiaReviewForm,
    OptionForm,
    OverrideForm,
    PanelForm,
    ReconfigurationNoticeForm,
    ScoreGridForm,
    SignificanceForm,
    UrgentPathForm,
    WeightsAgreedForm,
)
from heard.servicechange.assessment.models import (
    AssuranceTest,
    CallInRequest,
    Checkpoint,
    Criterion,
    Option,
    Panel,
)
from heard.servicechange.proposals.models import Proposal

VIEW = "assessment.view_assessment"
CHANGE = "assessment.change_assessment"


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(Proposal, pk=pk)


def proposal_url(proposal: Proposal) -> str:
    """The proposal's staff page (kept by the proposals app), if it has one."""
    for kwargs in ({"pk": proposal.pk}, {"slug": proposal.slug}):
        try:
            return reverse("proposals:detail", kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


NAV = [
    ("options", "Options", "assessment:options"),
    ("criteria", "Criteria and weights", "assessment:criteria"),
    ("panels", "Panels and scores", "assessment:panels"),
    ("results", "Appraisal results and sensitivity", "assessment:results"),
    ("significance", "Significance assessment", "assessment:significance"),
    ("assurance", "Assurance and EqIA", "assessment:assurance"),
]


def _context(proposal: Proposal, section: str, **extra: Any) -> dict[str, Any]:
    return {
        "proposal": proposal,
        "section": section,
        "nav": NAV,
        "proposal_url": proposal_url(proposal),
        "frozen": services.frozen_reason(proposal),
        **extra,
    }


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's refusal on the form: each problem on the field it names (where the form
    has that field), the rest at the top."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
        return
    for message in error.messages:
        form.add_error(None, message)


def _form_page(
    request: HttpRequest,
    *,
    proposal: Proposal,
    section: str,
    form: Any,
    heading: str,
    back: str,
    save: Callable[[Any], Any],
    success: str,
    submit: str = "Save",
    intro: str = "",
    multipart: bool = False,
    remove: tuple[str, str, str] | None = None,
) -> HttpResponse:
    """A page with one form; ``remove`` = (url, button label, warning) adds a remove button."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        "assessment/staff/form.html",
        _context(
            proposal,
            section,
            form=form,
            heading=heading,
            back=back,
            submit=submit,
            intro=intro,
            multipart=multipart,
            remove=remove,
        ),
        status=400 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------------------------------
# Options appraisal
# ---------------------------------------------------------------------------------------


@permission_required(VIEW)
def options(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    items = selectors.options_for(proposal)
    return render(
        request,
        "assessment/staff/options.html",
        _context(
            proposal,
            "options",
            options=items,
            has_do_nothing=any(o.is_do_nothing for o in items),
        ),
    )


def _option_form_page(
    request: HttpRequest, proposal: Proposal, option: Option | None
) -> HttpResponse:
    initial = {}
    if option is not None:
        initial = {
            f: getattr(option, f)
            for f in (
                "title",
                "description",
                "estimated_cost",
                "is_do_nothing",
                "is_preferred",
                "set_aside",
                "set_aside_reason",
            )
        }
    form = OptionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        proposal=proposal,
        option=option,
    )

    def save(f: OptionForm) -> None:
        services.option_save(actor=request.user, proposal=proposal, option=option, **f.cleaned_data)

    return _form_page(
        request,
        proposal=proposal,
        section="options",
        form=form,
        heading="Change the option" if option else "Add an option",
        back=reverse("assessment:options", kwargs={"pk": proposal.pk}),
        save=save,
        success="The option has been saved.",
    )


@permission_required(CHANGE)
def option_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _option_form_page(request, _proposal(pk), None)


@permission_required(CHANGE)
def option_edit(request: HttpRequest, pk: int, option_id: int) -> HttpResponse:
    proposal = _proposal(pk)
    option = get_object_or_404(Option, pk=option_id, proposal=proposal)
    return _option_form_page(request, proposal, option)


@permission_required(VIEW)
def criteria(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    items = selectors.criteria_for(proposal)
    total = sum(c.weight for c in items)
    rows = [(c, round(float(c.weight / total * 100), 1) if total else None) for c in items]
    return render(
        request,
        "assessment/staff/criteria.html",
        _context(proposal, "criteria", rows=rows, record=selectors.appraisal_record(proposal)),
    )


def _criterion_form_page(
    request: HttpRequest, proposal: Proposal, criterion: Criterion | None
) -> HttpResponse:
    if request.method == "POST":
        form = CriterionForm(request.POST)
    elif criterion is not None:
        form = CriterionForm.for_criterion(criterion)
    else:
        form = CriterionForm()

    def save(f: CriterionForm) -> None:
        services.criterion_save(
            actor=request.user, proposal=proposal, criterion=criterion, **f.cleaned_data
        )

    return _form_page(
        request,
        proposal=proposal,
        section="criteria",
        form=form,
        heading="Change the criterion" if criterion else "Add a criterion",
        back=reverse("assessment:criteria", kwargs={"pk": proposal.pk}),
        save=save,
        success="The criterion has been saved.",
        remove=(
            reverse(
                "assessment:criterion_remove",
                kwargs={"pk": proposal.pk, "criterion_id": criterion.pk},
            ),
            "Remove this criterion",
            "Removing it also removes every panel's scores on it. The audit trail keeps them.",
        )
        if criterion
        else None,
    )


@permission_required(CHANGE)
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _criterion_form_page(request, _proposal(pk), None)


@permission_required(CHANGE)
def criterion_edit(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    proposal = _proposal(pk)
    return _criterion_form_page(
        request, proposal, get_object_or_404(Criterion, pk=criterion_id, proposal=proposal)
    )


@require_POST
@permission_required(CHANGE)
def criterion_remove(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    proposal = _proposal(pk)
    criterion = get_object_or_404(Criterion, pk=criterion_id, proposal=proposal)
    try:
        services.criterion_remove(actor=request.user, criterion=criterion)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The criterion “{criterion.name}” and its scores have been removed."
        )
    return redirect("assessment:criteria", pk=proposal.pk)


@permission_required(CHANGE)
def weights_agreed(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    record = selectors.appraisal_record(proposal)
    initial = (
        {"agreed_by": record.weights_agreed_by, "agreed_on": record.weights_agreed_on}
        if record
        else {}
    )
    form = WeightsAgreedForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        proposal=proposal,
        section="criteria",
        form=form,
        heading="Record who agreed the criteria and weights",
        intro="The criteria and their weights are agreed with stakeholders before any "
        "panel scores the options.",
        back=reverse("assessment:criteria", kwargs={"pk": proposal.pk}),
        save=lambda f: services.weights_agreed(
            actor=request.user, proposal=proposal, **f.cleaned_data
        ),
        success="The agreement has been recorded.",
    )


@permission_required(VIEW)
def panels(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    cells = len(selectors.options_for(proposal)) * len(selectors.criteria_for(proposal))
    rows = [(p, len(selectors.scores_for_panel(p)), cells) for p in selectors.panels_for(proposal)]
    return render(request, "assessment/staff/panels.html", _context(proposal, "panels", rows=rows))


def _panel_form_page(request: HttpRequest, proposal: Proposal, panel: Panel | None) -> HttpResponse:
    if request.method == "POST":
        form = PanelForm(request.POST)
    elif panel is not None:
        form = PanelForm.for_panel(panel)
    else:
        form = PanelForm()
    return _form_page(
        request,
        proposal=proposal,
        section="panels",
        form=form,
        heading="Change the panel" if panel else "Add a scoring panel",
        back=reverse("assessment:panels", kwargs={"pk": proposal.pk}),
        save=lambda f: services.panel_save(
            actor=request.user, proposal=proposal, panel=panel, **f.cleaned_data
        ),
        success="The panel has been saved.",
        remove=(
            reverse("assessment:panel_remove", kwargs={"pk": proposal.pk, "panel_id": panel.pk}),
            "Remove this panel",
            "Removing it also removes its scores. The audit trail keeps them.",
        )
        if panel
        else None,
    )


@permission_required(CHANGE)
def panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _panel_form_page(request, _proposal(pk), None)


@permission_required(CHANGE)
def panel_edit(request: HttpRequest, pk: int, panel_id: int) -> HttpResponse:
    proposal = _proposal(pk)
    return _panel_form_page(
        request, proposal, get_object_or_404(Panel, pk=panel_id, proposal=proposal)
    )


@require_POST
@permission_required(CHANGE)
def panel_remove(request: HttpRequest, pk: int, panel_id: int) -> HttpResponse:
    proposal = _proposal(pk)
    panel = get_object_or_404(Panel, pk=panel_id, proposal=proposal)
    try:
        services.panel_remove(actor=request.user, panel=panel)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The panel “{panel.name}” and its scores have been removed.")
    return redirect("assessment:panels", pk=proposal.pk)


@permission_required(CHANGE)
def panel_scores(request: HttpRequest, pk: int, panel_id: int) -> HttpResponse:
    proposal = _proposal(pk)
    panel = get_object_or_404(Panel, pk=panel_id, proposal=proposal)
    option_list = selectors.options_for(proposal)
    criterion_list = selectors.criteria_for(proposal)
    form = ScoreGridForm(
        request.POST if request.method == "POST" else None,
        options=option_list,
        criteria=criterion_list,
        current=selectors.scores_for_panel(panel),
    )
    missing = None
    if request.method == "POST" and form.is_valid():
        try:
            missing = services.scores_save(actor=request.user, panel=panel, scores=form.scores())
        except ValidationError as error:
            _add_errors(form, error)
    if missing is not None:
        if missing:
            messages.warning(
                request,
                f"The scores have been saved. {len(missing)} "
                f"score{'s are' if len(missing) != 1 else ' is'} still missing: they are listed below.",
            )
            return redirect("assessment:panel_scores", pk=proposal.pk, panel_id=panel.pk)
        messages.success(request, f"The scores from {panel.name} have been saved.")
        return redirect("assessment:results", pk=proposal.pk)
    current = selectors.scores_for_panel(panel)
    missing_cells = [
        (o, c) for o in option_list for c in criterion_list if (o.pk, c.pk) not in current
    ]
    return render(
        request,
        "assessment/staff/scores.html",
        _context(
            proposal,
            "panels",
            panel=panel,
            form=form,
            criteria=criterion_list,
            missing=missing_cells if request.method != "POST" else [],
        ),
        status=400 if request.method == "POST" else 200,
    )


@permission_required(VIEW)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    state = selectors.appraisal_state(proposal)
    chart = None
    if state.summary is not None:
        chart = charts.ranking_chart(
            title="Combined weighted score of each option (0 to 5)",
            rows=[(r.option.title, r.score) for r in state.summary.ranking],
        )
    return render(
        request,
        "assessment/staff/results.html",
        _context(proposal, "results", state=state, summary=state.summary, chart=chart),
    )


# ---------------------------------------------------------------------------------------
# Significance
# ---------------------------------------------------------------------------------------


@permission_required(VIEW)
def significance_page(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    return render(
        request,
        "assessment/staff/significance.html",
        _context(
            proposal,
            "significance",
            view=selectors.significance_for(proposal),
            reconfiguration=selectors.reconfiguration_for(proposal),
        ),
    )


@permission_required(CHANGE)
def significance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    view = selectors.significance_for(proposal)
    initial: dict[str, Any] = {}
    if view is not None:
        initial["summary"] = view.assessment.summary
        for row in view.areas:
            initial.update(
                {
                    f"{row.area}_impact": row.impact,
                    f"{row.area}_who_affected": row.who_affected,
                    f"{row.area}_how_many": row.how_many,
                    f"{row.area}_evidence": row.evidence,
                }
            )
    form = SignificanceForm(request.POST if request.method == "POST" else None, initial=initial)
    back = reverse("assessment:significance", kwargs={"pk": proposal.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.significance_save(
                actor=request.user,
                proposal=proposal,
                areas=form.areas(),
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The significance assessment has been saved.")
            return redirect(back)
    return render(
        request,
        "assessment/staff/significance_form.html",
        _context(proposal, "significance", form=form, back=back),
        status=400 if request.method == "POST" else 200,
    )


@permission_required("assessment.override_significance")
def significance_override(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    view = selectors.significance_for(proposal)
    back = reverse("assessment:significance", kwargs={"pk": proposal.pk})
    if view is None or not view.complete:
        messages.error(request, "Complete the significance assessment before overriding it.")
        return redirect(back)
    initial = {}
    if view.override:
        initial = {
            "consultation_required": "yes" if view.override.consultation_required else "no",
            "reason": view.override.reason,
        }
    form = OverrideForm(request.POST if request.method == "POST" else None, initial=initial)
    rules_answer = "required" if view.determination_result.required_by_rules else "not required"
    return _form_page(
        request,
        proposal=proposal,
        section="significance",
        form=form,
        heading="Override the significance determination",
        intro=f"Under the rules, formal consultation is {rules_answer}. An override is "
        "recorded with your name, role and reasons and shown wherever the determination is.",
        back=back,
        save=lambda f: services.significance_override(
            actor=request.user,
            proposal=proposal,
            consultation_required=f.cleaned_data["consultation_required"] == "yes",
            reason=f.cleaned_data["reason"],
        ),
        success="The override has been recorded.",
        submit="Record the override",
    )


@permission_required(CHANGE)
def urgent_path(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    view = selectors.significance_for(proposal)
    initial = {}
    if view and view.urgent:
        u = view.urgent
        initial = {
            "reason": u.reason,
            "notice_sent_on": u.notice_sent_on,
            "notice_to": u.notice_to,
            "notice_text": u.notice_text,
        }
    form = UrgentPathForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        proposal=proposal,
        section="significance",
        form=form,
        heading="Record the urgent-safety path",
        intro="Where a change is urgent because of a risk to the safety or welfare of "
        "patients or staff, consultation can be skipped: the council must be told at once, "
        "with the reason.",
        back=reverse("assessment:significance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.urgent_path_record(
            actor=request.user, proposal=proposal, **f.cleaned_data
        ),
        success="The urgent-safety path has been recorded.",
    )


@permission_required(CHANGE)
def reconfiguration_notice(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    view = selectors.significance_for(proposal)
    back = reverse("assessment:significance", kwargs={"pk": proposal.pk})
    if view is None:
        messages.error(request, "Record the significance assessment first.")
        return redirect(back)
    initial = {}
    if view.notice:
        initial = {"notified_on": view.notice.notified_on, "osc_view": view.notice.osc_view}
    form = ReconfigurationNoticeForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    return _form_page(
        request,
        proposal=proposal,
        section="significance",
        form=form,
        heading="Record the notice to the Secretary of State",
        intro="A notifiable reconfiguration (anything that triggers consultation of the "
        "overview and scrutiny committee, urgent cases excepted) is notified to the "
        "Secretary of State, stating the committee's view.",
        back=back,
        save=lambda f: services.reconfiguration_notice_record(
            actor=request.user, proposal=proposal, **f.cleaned_data
        ),
        success="The notice has been recorded.",
    )


@permission_required(CHANGE)
def call_in_request(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = CallInRequestForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        proposal=proposal,
        section="significance",
        form=form,
        heading="Record a request to call the proposal in",
        intro="Anyone – most often the council's scrutiny committee – may ask the Secretary "
        "of State to call in a notifiable reconfiguration. The decision is held until the "
        "Secretary of State's answer is recorded.",
        back=reverse("assessment:significance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.call_in_request_record(
            actor=request.user, proposal=proposal, **f.cleaned_data
        ),
        success="The call-in request has been recorded.",
    )


@permission_required(CHANGE)
def call_in_response(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    call_in = get_object_or_404(CallInRequest, pk=request_pk, assessment__proposal=proposal)
    form = CallInResponseForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        proposal=proposal,
        section="significance",
        form=form,
        heading="Record the Secretary of State's answer",
        intro=f"To the request by {call_in.requested_by} of "
        f"{call_in.requested_on:%-d %B %Y}. After a call-in, record the directions when "
        "they come: the decision is held until then.",
        back=reverse("assessment:significance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.call_in_response_record(
            actor=request.user, proposal=proposal, request=call_in, **f.cleaned_data
        ),
        success="The Secretary of State's answer has been recorded.",
    )


# ---------------------------------------------------------------------------------------
# Assurance and the EqIA
# ---------------------------------------------------------------------------------------


@permission_required(VIEW)
def assurance(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    stages = [
        (stage, label, selectors.latest_checkpoint(proposal, stage))
        for stage, label in Checkpoint.Stage.choices
    ]
    return render(
        request,
        "assessment/staff/assurance.html",
        _context(
            proposal,
            "assurance",
            tests=selectors.assurance_tests(proposal),
            bed_closures=selectors.bed_closures(proposal),
            stages=stages,
            history=selectors.checkpoints(proposal),
            eqia=selectors.eqia_for(proposal),
            eqia_view=selectors.eqia_view(proposal),
            stage2_passed=selectors.stage2_passed(proposal),
        ),
    )


_YES_NO_UNANSWERED = {True: "yes", False: "no", None: None}


@permission_required(CHANGE)
def bed_closures(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = BedClosuresForm(
        request.POST if request.method == "POST" else None,
        # Unanswered until someone answers: never pre-set to "no".
        initial={"significant": _YES_NO_UNANSWERED[selectors.bed_closures(proposal)]},
    )
    return _form_page(
        request,
        proposal=proposal,
        section="assurance",
        form=form,
        heading="Significant bed closures",
        back=reverse("assessment:assurance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.bed_closures_save(
            actor=request.user,
            proposal=proposal,
            significant=f.cleaned_data["significant"] == "yes",
        ),
        success="Your answer has been saved.",
    )


def _test(test: str) -> AssuranceTest.Test:
    try:
        return AssuranceTest.Test(test)
    except ValueError as error:
        raise Http404("No such assurance test") from error


@permission_required(CHANGE)
def assurance_test(request: HttpRequest, pk: int, test: str) -> HttpResponse:
    proposal = _proposal(pk)
    kind = _test(test)
    record = AssuranceTest.objects.filter(proposal=proposal, test=kind).first()
    initial = {"evidence": record.evidence, "condition": record.condition} if record else {}
    form = AssuranceTestForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        test=kind,
    )
    return _form_page(
        request,
        proposal=proposal,
        section="assurance",
        form=form,
        heading=kind.label,
        intro="Record the evidence that this test is met. A document you upload replaces any "
        "earlier one."
        + (
            " Say which of the three conditions is met."
            if kind == AssuranceTest.Test.PATIENT_CARE
            else ""
        ),
        back=reverse("assessment:assurance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.assurance_test_save(
            actor=request.user,
            proposal=proposal,
            test=kind,
            evidence=f.cleaned_data["evidence"],
            condition=f.cleaned_data.get("condition", ""),
            document=f.cleaned_data.get("document"),
        ),
        success="The evidence has been saved.",
        multipart=True,
    )


def _download(file_field: Any) -> FileResponse:
    if not file_field:
        raise Http404("No document")
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as error:
        raise Http404("The document file is missing") from error
    name = file_field.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@permission_required(VIEW)
def test_document(request: HttpRequest, pk: int, test: str) -> HttpResponseBase:
    record = get_object_or_404(AssuranceTest, proposal_id=pk, test=_test(test))
    return _download(record.document)


@permission_required(CHANGE)
def checkpoint(request: HttpRequest, pk: int, stage: int) -> HttpResponse:
    proposal = _proposal(pk)
    try:
        kind = Checkpoint.Stage(stage)
    except ValueError as error:
        raise Http404("No such stage") from error
    form = CheckpointForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        proposal=proposal,
        section="assurance",
        form=form,
        heading=f"Record the outcome of {kind.label[0].lower()}{kind.label[1:]}",
        intro="Each outcome is kept; the latest for each stage counts.",
        back=reverse("assessment:assurance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.checkpoint_record(
            actor=request.user, proposal=proposal, stage=kind, **f.cleaned_data
        ),
        success="The checkpoint outcome has been recorded.",
    )


@permission_required(CHANGE)
def eqia_attach(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = EqiaForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    return _form_page(
        request,
        proposal=proposal,
        section="assurance",
        form=form,
        heading="Name the EqIA and attach its supporting document",
        intro="The EqIA is recorded characteristic by characteristic before a formal "
        "consultation opens, and reviewed before the decision. A supporting document is "
        "optional; a new one replaces the old one and needs a new review.",
        back=reverse("assessment:assurance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.eqia_attach(
            actor=request.user, proposal=proposal, **f.cleaned_data
        ),
        success="The EqIA has been attached.",
        submit="Attach the EqIA",
        multipart=True,
    )


@permission_required("assessment.review_eqia")
def eqia_review(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    back = reverse("assessment:assurance", kwargs={"pk": proposal.pk})
    if selectors.eqia_for(proposal) is None:
        messages.error(request, "Attach the EqIA before recording its review.")
        return redirect(back)
    form = EqiaReviewForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        proposal=proposal,
        section="assurance",
        form=form,
        heading="Record the review of the EqIA",
        back=back,
        save=lambda f: services.eqia_review(
            actor=request.user, proposal=proposal, **f.cleaned_data
        ),
        success="The review has been recorded.",
        submit="Record the review",
    )


@permission_required(CHANGE)
def eqia_impacts(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    eqia = selectors.eqia_for(proposal)
    records = {r.characteristic: r for r in eqia.impacts.all()} if eqia else {}
    form = EqiaImpactsForm(request.POST if request.method == "POST" else None, rows=records)
    return _form_page(
        request,
        proposal=proposal,
        section="assurance",
        form=form,
        heading="The equality impact assessment, characteristic by characteristic",
        intro=(
            "For each protected characteristic, and the ICB's additions, give the likely "
            "impact, the evidence it rests on and – where the impact is negative – how it "
            "will be mitigated. Leave a characteristic blank to come back to it. The EqIA "
            "is complete when every one marked as required is considered; it cannot change "
            "once the consultation opens."
        ),
        back=reverse("assessment:assurance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.eqia_impacts_save(
            actor=request.user, proposal=proposal, rows=f.rows()
        ),
        success="The EqIA has been saved.",
        submit="Save the EqIA",
    )


@permission_required("assessment.record_due_regard")
def due_regard(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = DueRegardForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        proposal=proposal,
        section="assurance",
        form=form,
        heading="Record your regard to the equality impact assessment",
        intro=(
            "Due regard to the equality duty is had by each decision maker, personally, "
            "before the decision (Brown principles): it cannot be delegated. Read the EqIA "
            "as reviewed after the consultation, then record in your own words what you "
            "took from it."
        ),
        back=reverse("assessment:assurance", kwargs={"pk": proposal.pk}),
        save=lambda f: services.due_regard_record(
            actor=request.user, proposal=proposal, **f.cleaned_data
        ),
        success="Your regard to the EqIA has been recorded.",
        submit="Record my regard",
    )


@permission_required(VIEW)
def eqia_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    eqia = selectors.eqia_for(_proposal(pk))
    if eqia is None or not eqia.file:
        raise Http404("No EqIA document")
    return _download(eqia.file)
