"""Staff pages for the annual involvement report: start one, write the narrative, see
the draft with its live figures (HTML, PDF, CSV), record the board's approval, publish,
reopen, and every published version as stored."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from heard.core.permissions import permission_required
from heard.reports import document, forms, selectors, services
from heard.reports.models import AnnualReport, ReportVersion


def _report(year: int) -> AnnualReport:
    report = selectors.report_for_year(year)
    if report is None:
        raise Http404
    return report


def _refused(form: Any, refused: services.ReportRefused) -> None:
    for field, message in refused.problems.items():
        form.add_error(field if field in form.fields else None, message)


def _draft_context(report: AnnualReport) -> dict[str, Any]:
    """The report as it stands: the approved figures once approved, else live ones."""
    approved = report.status != AnnualReport.Status.DRAFT and report.approved_figures
    figures = report.approved_figures if approved else selectors.figures(report.year)
    meta = {
        "draft": report.status == AnnualReport.Status.DRAFT,
        "approved_on": report.approved_on,
        "approved_at_meeting": report.approved_at_meeting,
        "approved_by": str(report.approved_by or ""),
    }
    return document.context(narrative=report.narrative(), figures=figures, meta=meta)


@permission_required("reports.view_reports")
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    items = list(selectors.reports())
    form = forms.CreateForm(taken={r.year for r in items})
    return render(request, "reports/staff/index.html", {"reports": items, "form": form})


@permission_required("reports.edit_reports")
@require_http_methods(["POST"])
def create(request: HttpRequest) -> HttpResponse:
    items = list(selectors.reports())
    form = forms.CreateForm(request.POST, taken={r.year for r in items})
    if form.is_valid():
        try:
            report = services.annual_report_create(
                year=form.cleaned_data["year"], actor=request.user
            )
        except services.ReportRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"The report for {report.period.label} is started.")
            return redirect("reports:detail", year=report.year)
    return render(request, "reports/staff/index.html", {"reports": items, "form": form}, status=400)


@permission_required("reports.view_reports")
@require_http_methods(["GET"])
def detail(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    ctx = _draft_context(report)
    return render(
        request,
        "reports/staff/detail.html",
        {
            "report": report,
            "body": document.body_html(ctx),
            "versions": selectors.versions_of(report),
        },
    )


@permission_required("reports.view_reports")
@require_http_methods(["GET"])
def draft_pdf(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    pdf = document.pdf(document.document_html(_draft_context(report)))
    response = HttpResponse(pdf, content_type="application/pdf")
    label = report.period.label.replace("/", "-")
    response["Content-Disposition"] = (
        f'inline; filename="annual-involvement-report-{label}-draft.pdf"'
    )
    return response


@permission_required("reports.view_reports")
@require_http_methods(["GET"])
def draft_csv(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    figures = _draft_context(report)["f"]
    response = HttpResponse(document.annex_csv(figures), content_type="text/csv; charset=utf-8")
    label = report.period.label.replace("/", "-")
    response["Content-Disposition"] = (
        f'attachment; filename="annual-involvement-report-{label}-draft-figures.csv"'
    )
    return response


@permission_required("reports.edit_reports")
@require_http_methods(["GET", "POST"])
def narrative(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    if report.status != AnnualReport.Status.DRAFT:
        messages.info(request, "The board has approved the report: reopen it to change it.")
        return redirect("reports:detail", year=year)
    form = forms.NarrativeForm(request.POST or None, initial=report.narrative())
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_narrative_update(
                report=report, actor=request.user, texts=form.cleaned_data
            )
        except services.ReportRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The narrative is saved.")
            return redirect("reports:detail", year=year)
    return render(request, "reports/staff/narrative_form.html", {"report": report, "form": form})


@permission_required("reports.approve_reports")
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    form = forms.ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_approve(report=report, actor=request.user, **form.cleaned_data)
        except services.ReportRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The board's approval is recorded; the figures are frozen.")
            return redirect("reports:detail", year=year)
    return render(request, "reports/staff/approve_form.html", {"report": report, "form": form})


@permission_required("reports.publish_reports")
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    problem = ""
    if request.method == "POST":
        try:
            version = services.annual_report_publish(report=report, actor=request.user)
        except services.ReportRefused as refused:
            problem = str(refused)
        else:
            messages.success(
                request, f"Version {version.version} is published and stored as issued."
            )
            return redirect("reports:detail", year=year)
    return render(
        request,
        "reports/staff/publish_form.html",
        {"report": report, "problem": problem},
        status=409 if problem else 200,
    )


@permission_required("reports.edit_reports")
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    form = forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_reopen(report=report, actor=request.user, **form.cleaned_data)
        except services.ReportRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The report is reopened as a draft.")
            return redirect("reports:detail", year=year)
    return render(request, "reports/staff/reopen_form.html", {"report": report, "form": form})


def _version(year: int, number: int) -> ReportVersion:
    v = selectors.version(year, number)
    if v is None:
        raise Http404
    return v


@permission_required("reports.view_reports")
@require_http_methods(["GET"])
def version(request: HttpRequest, year: int, number: int) -> HttpResponse:
    v = _version(year, number)
    return render(
        request,
        "reports/staff/version.html",
        {"v": v, "report": v.report, "newer": selectors.newer_version(v)},
    )


def version_file(v: ReportVersion, kind: str) -> HttpResponse:
    if kind == "pdf":
        response = HttpResponse(bytes(v.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{v.filename_stem}.pdf"'
    else:
        response = HttpResponse(v.csv, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{v.filename_stem}-figures.csv"'
    return response


@permission_required("reports.view_reports")
@require_http_methods(["GET"])
def version_pdf(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return version_file(_version(year, number), "pdf")


@permission_required("reports.view_reports")
@require_http_methods(["GET"])
def version_csv(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return version_file(_version(year, number), "csv")
