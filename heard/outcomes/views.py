"""Staff pages for conscientious consideration, the outcome report and the decision.
Thin: reads through selectors, writes through services (which enforce the rules)."""

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.core.permissions import permission_required
from heard.outcomes import forms, pdf, selectors, services
from heard.outcomes.services import OutcomeRefused
from heard.proposals.models import Proposal

STAGES = ("formal_consultation", "other_involvement", "decision_pending", "decided")


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(Proposal, pk=pk)


def _back(proposal: Proposal) -> str:
    return reverse("outcomes:proposal", args=[proposal.pk])


@permission_required("outcomes.view_outcomes")
def index(request: HttpRequest) -> HttpResponse:
    proposals = (
        Proposal.objects.filter(
            Q(status__in=STAGES) | Q(consultation__isnull=False) | Q(decision__isnull=False)
        )
        .distinct()
        .order_by("-updated_at")[:200]
    )
    return render(request, "outcomes/staff/index.html", {"proposals": proposals})


@permission_required("outcomes.view_outcomes")
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    consultation = selectors.consultation_of(p)
    outcome = selectors.outcome_of(p)
    decision = selectors.decision_of(p)
    return render(
        request,
        "outcomes/staff/proposal.html",
        {
            "proposal": p,
            "consultation": consultation,
            "outcome": outcome,
            "themes": selectors.themes_for(p, consultation),
            "issues": list(outcome.issues.all()) if outcome else [],
            "decision": decision,
            "readiness": [] if decision else selectors.readiness(p),
            "may_change": request.user.has_perm("outcomes.change_outcomes"),
            "may_decide": request.user.has_perm("outcomes.record_decision"),
        },
    )


@permission_required("outcomes.change_outcomes")
def theme_response(request: HttpRequest, pk: int, theme_id: int) -> HttpResponse:
    p = _proposal(pk)
    item = selectors.theme_item(p, theme_id)
    if item is None:
        raise Http404
    existing = item.response
    initial = (
        {
            "heard": existing.heard,
            "response": existing.response,
            "changed": existing.changed,
            "how": existing.how,
        }
        if existing
        else {}
    )
    form = forms.ThemeResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_response_save(
                proposal=p, theme_id=theme_id, actor=request.user, **form.cleaned_data
            )
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"Response to “{item.name}” saved.")
            return redirect(_back(p) + "#themes")
    return render(
        request, "outcomes/staff/theme_form.html", {"proposal": p, "item": item, "form": form}
    )


@permission_required("outcomes.change_outcomes")
def outcome_text(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    outcome = selectors.outcome_of(p)
    initial: dict[str, Any] = {}
    if outcome is not None:
        initial = {"summary": outcome.summary, "why": outcome.why, "next_steps": outcome.next_steps}
    form = forms.OutcomeTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.outcome_update(proposal=p, actor=request.user, **form.cleaned_data)
        messages.success(request, "The report's text was saved.")
        return redirect(_back(p))
    return render(request, "outcomes/staff/text_form.html", {"proposal": p, "form": form})


@permission_required("outcomes.change_outcomes")
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    form = forms.IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_issue(proposal=p, actor=request.user, **form.cleaned_data)
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The outcome report is recorded as issued.")
            return redirect(_back(p))
    return render(request, "outcomes/staff/issue_form.html", {"proposal": p, "form": form})


@permission_required("outcomes.record_decision")
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    if selectors.decision_of(p) is not None:
        messages.info(request, "The decision has already been recorded.")
        return redirect(_back(p))
    form = forms.DecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(proposal=p, actor=request.user, **form.cleaned_data)
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The decision is recorded and the proposal is decided.")
            return redirect(_back(p))
    return render(
        request,
        "outcomes/staff/decision_form.html",
        {"proposal": p, "form": form, "readiness": selectors.readiness(p)},
    )


@permission_required("outcomes.view_outcomes")
def report(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    return render(
        request, "outcomes/staff/report.html", {"proposal": p, "report": selectors.report_for(p)}
    )


@permission_required("outcomes.view_outcomes")
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    data = pdf.report_pdf({"report": selectors.report_for(p), "proposal": p})
    services.report_downloaded(proposal=p, actor=request.user)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"outcome-report-{p.slug}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("outcomes.view_outcomes")
def board_paper(request: HttpRequest, pk: int) -> FileResponse:
    record = selectors.decision_of(_proposal(pk))
    if record is None or not record.board_paper_file:
        raise Http404
    return FileResponse(record.board_paper_file.open("rb"), as_attachment=True)
