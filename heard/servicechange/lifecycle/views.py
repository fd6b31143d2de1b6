"""The lifecycle's pages: the proposal's hub (every stage's work, the moves open to it),
moving it on, its whole timeline, its public page, the consultation's public page (with
the outcome once published) and recording the decision (which moves it to "decided")."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.engagement import domain as engagement_domain
from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.consultations import selectors as consultation_selectors
from heard.servicechange.lifecycle import selectors, services
from heard.servicechange.lifecycle.facts import facts as proposal_facts
from heard.servicechange.outcomes import forms as outcome_forms
from heard.servicechange.outcomes import selectors as outcome_selectors
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.proposals import domain
from heard.servicechange.proposals import selectors as proposal_selectors
from heard.servicechange.proposals.forms import TransitionForm
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.services import TransitionRefused


def _proposal(pk: int) -> Proposal:
    proposal = proposal_selectors.proposal_for(pk)
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def _detail_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    facts = proposal_facts(proposal)
    return {
        "proposal": proposal,
        "facts": facts,
        "flags": domain.flags(facts),
        "moves": selectors.moves(proposal, facts),
        "steps": proposal_selectors.lifecycle_steps(
            proposal, consultation_required=selectors.consultation_path(facts)
        ),
        "links": selectors.links(proposal, request.user),
        "evidence": proposal_selectors.evidence_for(proposal),
        "plan": proposal_selectors.plan_view(proposal),
        "is_public": domain.is_public_stage(facts.status) and not proposal.is_private,
        "transition_form": TransitionForm(),
        "recent": selectors.timeline(proposal)[-5:],
        "know": proposal_selectors.what_we_know_summary(proposal),
        "stage_changes": proposal_selectors.stage_changes(proposal),
    }


@permission_required("proposals.view_proposals")
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    return render(request, "proposals/staff/detail.html", _detail_context(request, proposal))


@require_POST
@permission_required("proposals.change_proposals")
def proposal_move(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a stage to move the proposal to.")
        return redirect("proposals:detail", pk=pk)
    target = domain.Status(form.cleaned_data["target"])
    if proposal.status == target.value:
        # A repeated click after the move went through: nothing more to do.
        messages.success(request, f"The proposal is at {domain.STATUS_LABELS[target]}.")
        return redirect("proposals:detail", pk=pk)
    try:
        services.proposal_transition(
            proposal=proposal, target=target, actor=request.user, note=form.cleaned_data["note"]
        )
    except TransitionRefused as exc:
        context = _detail_context(request, proposal)
        context["refused"] = (domain.STATUS_LABELS[target], exc.problems)
        return render(request, "proposals/staff/detail.html", context, status=400)
    messages.success(request, f"The proposal has moved to {domain.STATUS_LABELS[target]}.")
    return redirect("proposals:detail", pk=pk)


@permission_required("proposals.view_proposals")
def proposal_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    return render(
        request,
        "proposals/staff/timeline.html",
        {"proposal": proposal, "entries": selectors.timeline(proposal)},
    )


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = proposal_selectors.public_proposal(slug)
    if proposal is None:
        raise Http404("No such proposal on the public site")
    return render(
        request, "proposals/public/detail.html", {"view": selectors.public_view(proposal)}
    )


def consultation_public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_selectors.public_consultation(slug)
    if consultation is None:
        raise Http404
    now = timezone.now()
    status = consultation.status_at(now)
    if status == engagement_domain.Status.DRAFT:
        raise Http404
    return render(
        request,
        "consultations/public/detail.html",
        {
            "consultation": consultation,
            "proposal": consultation.proposal,
            "activity": consultation.activity,
            "status": status,
            "status_label": engagement_domain.STATUS_LABELS[status],
            "is_open": status == engagement_domain.Status.OPEN,
            "document": consultation_selectors.published_document(consultation),
            "eqia": assessment_selectors.eqia_for(consultation.proposal),
            "councils": list(consultation.councils.all()),
            "told": consultation_selectors.scrutiny_state(consultation),
            "events": consultation_selectors.events(consultation),
            "has_questionnaire": hasattr(consultation.activity, "questionnaire"),
            # What else is published about the proposal ("you said, we did", following it).
            "outcome_links": [
                link
                for link in selectors.public_sections(consultation.proposal)
                if link.title != "Formal consultation"
            ],
        },
    )


@permission_required("outcomes.record_decision")
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Proposal, pk=pk)
    back = reverse("outcomes:proposal", args=[p.pk])
    if outcome_selectors.decision_of(p) is not None:
        messages.info(request, "The decision has already been recorded.")
        return redirect(back)
    form = outcome_forms.DecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(proposal=p, actor=request.user, **form.cleaned_data)
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The decision is recorded and the proposal is decided.")
            return redirect(back)
    return render(
        request,
        "outcomes/staff/decision_form.html",
        {
            "proposal": p,
            "form": form,
            "readiness": outcome_selectors.readiness(p, request.user),
            "scrutiny": outcome_selectors.scrutiny_for(p),
        },
    )
