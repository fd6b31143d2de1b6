"""Staff pages for conscientious consideration, the outcome report and the decision.
Thin: reads through selectors, writes through services (which enforce the rules)."""

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.servicechange.outcomes import forms, pdf, selectors, services
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.proposals.models import Proposal

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
            "versions": selectors.reports_of(p),
            "locked": selectors.locked_report(p),
            "publications": selectors.publications_for_proposal(p),
            "decision": decision,
            "readiness": [] if decision else selectors.readiness(p, request.user),
            "scrutiny": selectors.scrutiny_for(p),
            "progress": selectors.analysis_progress(p, consultation) if consultation else None,
            "late": selectors.late_decisions(p),
            "publication_due": selectors.publication_due(p),
            "reconfiguration": selectors.reconfiguration_summary(p),
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
        try:
            services.outcome_update(proposal=p, actor=request.user, **form.cleaned_data)
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
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
            messages.success(
                request,
                "The outcome report is issued and stored as issued. Its “you said, we "
                "did” is waiting for approval before it goes public.",
            )
            return redirect(_back(p))
    return render(request, "outcomes/staff/issue_form.html", {"proposal": p, "form": form})


@permission_required("outcomes.view_outcomes")
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as issued (stored) while it stands; a live draft before it is issued
    or after it was reopened."""
    p = _proposal(pk)
    issued = selectors.locked_report(p)
    if issued is not None:
        return _issued_page(request, p, issued)
    return render(
        request,
        "outcomes/staff/report.html",
        {
            "proposal": p,
            "report": selectors.report_for(p, draft=True),
            "versions": selectors.reports_of(p),
        },
    )


def _issued_page(request: HttpRequest, p: Proposal, issued: Any) -> HttpResponse:
    return render(
        request,
        "outcomes/staff/report_issued.html",
        {"proposal": p, "issued": issued, "versions": selectors.reports_of(p)},
    )


@permission_required("outcomes.view_outcomes")
def report_version(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    p = _proposal(pk)
    issued = selectors.report_version(p, version)
    if issued is None:
        raise Http404
    return _issued_page(request, p, issued)


def _pdf_response(p: Proposal, data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("outcomes.view_outcomes")
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF exactly as issued while the issued version stands; a draft otherwise."""
    p = _proposal(pk)
    issued = selectors.locked_report(p)
    services.report_downloaded(proposal=p, actor=request.user)
    if issued is not None:
        return _pdf_response(
            p, bytes(issued.pdf), f"outcome-report-{p.slug}-version-{issued.version}.pdf"
        )
    data = pdf.report_pdf({"report": selectors.report_for(p, draft=True), "proposal": p})
    return _pdf_response(
        p, data, f"outcome-report-{p.slug}-draft-{timezone.localdate():%Y-%m-%d}.pdf"
    )


@permission_required("outcomes.view_outcomes")
def report_version_pdf(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    p = _proposal(pk)
    issued = selectors.report_version(p, version)
    if issued is None:
        raise Http404
    services.report_downloaded(proposal=p, actor=request.user)
    return _pdf_response(
        p, bytes(issued.pdf), f"outcome-report-{p.slug}-version-{issued.version}.pdf"
    )


@permission_required("outcomes.change_outcomes")
def late_response(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    form = forms.LateResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.late_response_set_aside(proposal=p, actor=request.user, **form.cleaned_data)
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The decision on the late response is recorded.")
            return redirect(_back(p))
    consultation = selectors.consultation_of(p)
    return render(
        request,
        "outcomes/staff/late_form.html",
        {
            "proposal": p,
            "form": form,
            "progress": selectors.analysis_progress(p, consultation) if consultation else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("outcomes.change_outcomes")
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    issued = selectors.locked_report(p)
    if issued is None:
        messages.info(request, "The report is not issued as it stands: there is nothing to reopen.")
        return redirect(_back(p))
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_reopen(proposal=p, actor=request.user, **form.cleaned_data)
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                f"Version {issued.version} is reopened. Make the changes, then issue the "
                "report again: the new version will supersede it, with your reason.",
            )
            return redirect(_back(p))
    return render(
        request, "outcomes/staff/reopen_form.html", {"proposal": p, "issued": issued, "form": form}
    )


@require_POST
@permission_required("outcomes.change_outcomes")
def publication_submit(request: HttpRequest, pk: int) -> HttpResponse:
    p = _proposal(pk)
    try:
        services.outcome_publication_submit(proposal=p, actor=request.user)
    except OutcomeRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    else:
        messages.success(request, "“You said, we did” is sent for approval.")
    return redirect(_back(p))


@require_POST
@permission_required("engagement.change_activities")
def feedback_submit(request: HttpRequest, pk: int) -> HttpResponse:
    from heard.engagement.models import Activity

    activity = get_object_or_404(Activity, pk=pk)
    try:
        services.feedback_publication_submit(activity=activity, actor=request.user)
    except OutcomeRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            "The feedback is sent for approval. It goes public once a person with the "
            "permission to publish approves it.",
        )
    return redirect("engagement:detail", pk=pk)


@permission_required("outcomes.publish")
def publications(request: HttpRequest) -> HttpResponse:
    from heard.servicechange.outcomes.models import Publication

    return render(
        request,
        "outcomes/staff/publications.html",
        {
            "pending": list(selectors.pending_publications()),
            "recent": list(
                Publication.objects.exclude(status=Publication.Status.PENDING)
                .select_related("decided_by")
                .order_by("-decided_at", "-pk")[:30]
            ),
        },
    )


@permission_required("outcomes.publish")
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    from heard.servicechange.outcomes import publishing
    from heard.servicechange.outcomes.models import Publication

    item = get_object_or_404(
        Publication.objects.select_related("proposal", "activity", "report"), pk=pk
    )
    rejecting = request.method == "POST" and request.POST.get("do") == "reject"
    form = forms.ReasonForm(request.POST if rejecting else None)
    if request.method == "POST" and request.POST.get("do") == "approve":
        try:
            services.publication_approve(publication=item, actor=request.user)
        except OutcomeRefused as refused:
            for problem in refused.problems:
                messages.error(request, problem)
            return redirect("outcomes:publication", pk=item.pk)
        messages.success(request, f"\u201c{item.title}\u201d is published.")
        return redirect("outcomes:publications")
    if rejecting and form.is_valid():
        try:
            services.publication_reject(
                publication=item, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except OutcomeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"\u201c{item.title}\u201d was sent back.")
            return redirect("outcomes:publications")
    checked = publishing.checked(item.content, item.findings or [])
    return render(
        request,
        "outcomes/staff/publication.html",
        {
            "item": item,
            "checked": checked,
            "changes": sum(1 for c in checked if c.changed),
            "form": form,
            "may_decide": item.submitted_by_id != request.user.pk,
        },
    )


@permission_required("outcomes.view_outcomes")
def board_paper(request: HttpRequest, pk: int) -> FileResponse:
    record = selectors.decision_of(_proposal(pk))
    if record is None or not record.board_paper_file:
        raise Http404
    return FileResponse(record.board_paper_file.open("rb"), as_attachment=True)
