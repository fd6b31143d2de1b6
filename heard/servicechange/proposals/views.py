"""Staff pages for proposals: list, create/edit, what we already know, evidence drawn on,
linked activities and the engagement plan. The proposal's hub, its moves and its
timeline are the lifecycle's pages (``heard.servicechange.lifecycle.views``)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.servicechange.proposals import domain, selectors, services
from heard.servicechange.proposals.forms import (
    ActivityLinkForm,
    EvidenceForm,
    HeardSoFarForm,
    PlanForm,
    PlanItemForm,
    PrivacyForm,
    ProposalForm,
)
from heard.servicechange.proposals.models import (
    PlanItem,
    Proposal,
    ProposalActivity,
    ProposalEvidence,
)


def _proposal(pk: int) -> Proposal:
    proposal = selectors.proposal_for(pk)
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


@permission_required("proposals.view_proposals")
def proposal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in {s.value for s in domain.Status}:
        status = ""
    q = request.GET.get("q", "")[:200]
    page = Paginator(selectors.staff_proposals(status=status, q=q), 25).get_page(
        request.GET.get("page")
    )
    flagged = {p.pk: selectors.own_flags(p) for p in page}
    return render(
        request,
        "proposals/staff/list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": Proposal.Status.choices,
            "counts": selectors.status_counts(),
            "flagged": flagged,
        },
    )


def _form_values(form: ProposalForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "services": data["services"],
        "localities": data["localities"],
        "people_affected": data["people_affected"],
        "lead": data["lead"],
        "topics": data["topics"],
    }


@permission_required("proposals.change_proposals")
def proposal_create(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    know = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            data = form.cleaned_data
            know = selectors.what_we_know(
                title=data["title"],
                description=data["description"],
                topics=list(data["topics"]),
                localities=data["localities"],
            )
        else:
            proposal = services.proposal_create(actor=request.user, **_form_values(form))
            messages.success(
                request,
                "The proposal has been logged. Record what it drew on from what we already know.",
            )
            return redirect("proposals:know", pk=proposal.pk)
    return render(
        request, "proposals/staff/form.html", {"form": form, "proposal": None, "know": know}
    )


@permission_required("proposals.change_proposals")
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_for(proposal))
    if request.method == "POST" and form.is_valid():
        services.proposal_update(proposal=proposal, actor=request.user, **_form_values(form))
        messages.success(request, "Your changes have been saved.")
        return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request, "proposals/staff/form.html", {"form": form, "proposal": proposal, "know": None}
    )


@permission_required("proposals.change_proposals")
def proposal_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    initial = {
        "is_private": "yes" if proposal.is_private else "no",
        "reason": proposal.private_reason,
    }
    form = PrivacyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.proposal_set_private(
            proposal=proposal,
            actor=request.user,
            is_private=form.cleaned_data["is_private"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            "The proposal is kept private."
            if form.cleaned_data["is_private"]
            else "The proposal will be shown on the public site from early engagement onward.",
        )
        return redirect("proposals:detail", pk=pk)
    return render(request, "proposals/staff/privacy.html", {"proposal": proposal, "form": form})


@permission_required("proposals.change_proposals")
def proposal_heard(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = HeardSoFarForm(request.POST or None, initial={"heard_so_far": proposal.heard_so_far})
    if request.method == "POST" and form.is_valid():
        services.proposal_update(
            proposal=proposal,
            actor=request.user,
            title=proposal.title,
            description=proposal.description,
            services=proposal.services,
            localities=list(proposal.localities or []),
            people_affected=proposal.people_affected,
            lead=proposal.lead,
            topics=list(proposal.topics.all()),
            heard_so_far=form.cleaned_data["heard_so_far"],
        )
        messages.success(request, "What we have heard so far has been saved.")
        return redirect("proposals:detail", pk=pk)
    return render(request, "proposals/staff/heard.html", {"proposal": proposal, "form": form})


# What do we already know ----------------------------------------------------------------


@permission_required("proposals.view_proposals")
def proposal_know(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    return render(
        request,
        "proposals/staff/know.html",
        {
            "proposal": proposal,
            "know": selectors.what_we_know_for(proposal),
            "evidence": selectors.evidence_for(proposal),
            "form": EvidenceForm(),
        },
    )


@require_POST
@permission_required("proposals.change_proposals")
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        insight = activity = None
        if form.cleaned_data.get("insight"):
            insight = selectors.insight_choice(form.cleaned_data["insight"])
            if insight is None:
                form.add_error(None, "That insight no longer exists.")
        elif form.cleaned_data.get("activity"):
            activity = selectors.activity_choice(form.cleaned_data["activity"])
            if activity is None:
                form.add_error(None, "That activity does not exist or is still a draft.")
        if form.is_valid():
            try:
                services.evidence_record(
                    proposal=proposal,
                    actor=request.user,
                    insight=insight,
                    activity=activity,
                    note=form.cleaned_data.get("note") or "",
                )
            except services.EvidenceRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Recorded as something this proposal drew on.")
                back = (
                    "proposals:detail" if request.POST.get("back") == "detail" else "proposals:know"
                )
                return redirect(back, pk=pk)
    return render(
        request,
        "proposals/staff/know.html",
        {
            "proposal": proposal,
            "know": selectors.what_we_know_for(proposal),
            "evidence": selectors.evidence_for(proposal),
            "form": form,
        },
        status=400,
    )


@require_POST
@permission_required("proposals.change_proposals")
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = ProposalEvidence.objects.filter(pk=evidence_pk, proposal_id=pk).first()
    if evidence is not None:
        services.evidence_remove(evidence=evidence, actor=request.user)
        messages.success(request, "Removed from what this proposal drew on.")
    return redirect("proposals:know", pk=pk)


# Engagement plan and linked activities ----------------------------------------------------


@permission_required("proposals.view_proposals")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    return render(
        request,
        "proposals/staff/plan.html",
        {"proposal": proposal, "plan": selectors.plan_view(proposal)},
    )


@permission_required("proposals.change_proposals")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    plan = selectors.plan_view(proposal).plan
    initial = (
        {
            "seldom_heard": plan.seldom_heard,
            "timeline": plan.timeline,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
        }
        if plan
        else {}
    )
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.plan_update(proposal=proposal, actor=request.user, **form.cleaned_data)
        messages.success(request, "The engagement plan has been saved.")
        return redirect("proposals:plan", pk=pk)
    return render(request, "proposals/staff/plan_form.html", {"proposal": proposal, "form": form})


@permission_required("proposals.change_proposals")
def plan_item_edit(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    proposal = _proposal(pk)
    item = None
    if item_pk is not None:
        item = get_object_or_404(PlanItem, pk=item_pk, plan__proposal=proposal)
    initial = (
        {
            "stakeholder": item.stakeholder,
            "audience": item.audience,
            "methods": item.methods,
            "starts_on": item.starts_on,
            "ends_on": item.ends_on,
        }
        if item
        else {}
    )
    form = PlanItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.plan_item_save(
            proposal=proposal, actor=request.user, item=item, **form.cleaned_data
        )
        messages.success(request, "The plan line has been saved.")
        return redirect("proposals:plan", pk=pk)
    return render(
        request,
        "proposals/staff/plan_item_form.html",
        {"proposal": proposal, "form": form, "item": item},
    )


@require_POST
@permission_required("proposals.change_proposals")
def plan_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = PlanItem.objects.filter(pk=item_pk, plan__proposal_id=pk).first()
    if item is not None:
        services.plan_item_remove(item=item, actor=request.user)
        messages.success(request, "The plan line has been removed.")
    return redirect("proposals:plan", pk=pk)


@permission_required("proposals.change_proposals")
def activity_link(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    plan = selectors.plan_view(proposal)
    items = [line.item for line in plan.lines]
    form = ActivityLinkForm(
        request.POST or None,
        activities=selectors.linkable_activities(proposal),
        plan_items=items,
        initial={"plan_item": request.GET.get("line", "")},
    )
    if request.method == "POST" and form.is_valid():
        item_id = form.cleaned_data["plan_item"]
        plan_item = next((i for i in items if str(i.pk) == item_id), None)
        services.activity_link(
            proposal=proposal,
            activity=form.cleaned_data["activity"],
            actor=request.user,
            is_early_engagement=form.cleaned_data["is_early_engagement"],
            plan_item=plan_item,
        )
        messages.success(request, "The activity has been linked to the proposal.")
        return redirect("proposals:plan", pk=pk)
    return render(
        request, "proposals/staff/activity_link.html", {"proposal": proposal, "form": form}
    )


@require_POST
@permission_required("proposals.change_proposals")
def activity_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = ProposalActivity.objects.filter(pk=link_pk, proposal_id=pk).first()
    if link is not None:
        services.activity_unlink(link=link, actor=request.user)
        messages.success(request, "The activity is no longer linked to the proposal.")
    return redirect("proposals:plan", pk=pk)
