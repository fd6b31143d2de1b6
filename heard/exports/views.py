"""Staff pages for exports: choose what to export, follow a large one, download it.

Thin: who may have what is decided in ``services`` (and again when a file is made and at
each download); these pages only show the forms each role may use."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from heard.accounts import selectors as rules_selectors
from heard.core.permissions import permission_required
from heard.engagement.models import Activity
from heard.exports import build, selectors, services
from heard.exports.forms import AnalysisForm, ResponsesForm
from heard.exports.models import Export


def _may_unredact(request: HttpRequest) -> bool:
    return request.user.has_perm(services.UNREDACTED_PERM)


def _file(export: Export, data: bytes) -> HttpResponse:
    response = HttpResponse(
        data, content_type=build.CONTENT_TYPES[export.filename.rsplit(".", 1)[-1]]
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _after_request(request: HttpRequest, export: Export) -> HttpResponse:
    """A small export is ready: send the file now. A large one: its progress page."""
    if export.status == Export.Status.DONE:
        return _file(export, services.export_downloaded(export=export, actor=request.user))
    if export.status == Export.Status.FAILED:
        messages.error(request, "The export could not be made. The reason is shown below.")
    else:
        messages.success(
            request, "The export is being made. This page shows its progress and the link."
        )
    return redirect("exports:detail", pk=export.pk)


@permission_required("exports.view_exports")
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exports/staff/index.html",
        {
            "exports": list(selectors.exports_of(request.user)[:50]),
            "publications": selectors.publications()
            if request.user.has_perm("exports.export_open_data")
            else [],
            "keep_hours": services.keep_hours(),
            "threshold": rules_selectors.small_number_threshold(),
        },
    )


@permission_required("exports.view_exports")
@require_http_methods(["GET"])
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Activity, pk=pk)
    context: dict[str, Any] = {
        "activity": item,
        "keep_hours": services.keep_hours(),
        "inline_rows": services.inline_rows(),
        "threshold": rules_selectors.small_number_threshold(),
        "exports": list(selectors.exports_of(request.user, activity=item)[:20]),
        "publications": selectors.publications_of_activity(item)
        if request.user.has_perm("exports.export_open_data")
        else [],
    }
    if request.user.has_perm("exports.export_responses"):
        context["form"] = ResponsesForm(may_unredact=_may_unredact(request))
        context["responses"] = selectors.response_count(item)
    if request.user.has_perm("exports.export_analysis"):
        context["questions"] = selectors.free_text_questions(item)
    return render(request, "exports/staff/activity.html", context)


@permission_required("exports.export_responses")
@require_POST
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Activity, pk=pk)
    form = ResponsesForm(request.POST, may_unredact=_may_unredact(request))
    if not form.is_valid():
        return render(
            request,
            "exports/staff/activity.html",
            {
                "activity": item,
                "form": form,
                "responses": selectors.response_count(item),
                "keep_hours": services.keep_hours(),
                "inline_rows": services.inline_rows(),
                "exports": list(selectors.exports_of(request.user, activity=item)[:20]),
            },
            status=422,
        )
    try:
        export = services.export_request(
            kind=Export.Kind.RESPONSES,
            fmt=form.cleaned_data["format"],
            actor=request.user,
            activity=item,
            unredacted=bool(form.cleaned_data.get("unredacted")),
        )
    except services.ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("exports:activity", pk=item.pk)
    return _after_request(request, export)


@permission_required("exports.export_analysis")
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, pk: int) -> HttpResponse:
    q = selectors.question(pk)
    if q is None:
        raise Http404
    form = AnalysisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.export_request(
                kind=Export.Kind.ANALYSIS,
                fmt=form.cleaned_data["format"],
                actor=request.user,
                question=q,
            )
        except services.ExportRefused as refused:
            messages.error(request, str(refused))
            return redirect("exports:question", pk=q.pk)
        return _after_request(request, export)
    tables = selectors.analysis_tables(q)
    return render(
        request,
        "exports/staff/question.html",
        {
            "question": q,
            "activity": q.version.questionnaire.activity,
            "form": form,
            "source": tables.source,
            "themes": list(tables.themes.rows),
            "codings": selectors.coding_count(q),
        },
        status=422 if form.errors else 200,
    )


@permission_required("exports.export_open_data")
@require_POST
def open_data(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.approved_publication(pk)
    if publication is None:
        raise Http404("Only a published 'you said, we did' can be exported as open data")
    export = services.export_request(
        kind=Export.Kind.OPEN_DATA,
        fmt=Export.Format.ZIP,
        actor=request.user,
        publication=publication,
    )
    return _after_request(request, export)


def _visible(request: HttpRequest, pk: int) -> Export:
    export = selectors.export(pk)
    if export is None:
        raise Http404
    why = services.refusal(export, request.user)
    if why:
        raise PermissionDenied(why)
    return export


@permission_required("exports.view_exports")
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = _visible(request, pk)
    template = (
        "exports/staff/_export.html"
        if request.headers.get("HX-Request")
        else "exports/staff/detail.html"
    )
    return render(request, template, {"export": export, "keep_hours": services.keep_hours()})


@permission_required("exports.view_exports")
@require_http_methods(["GET"])
def download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _visible(request, pk)
    if export.status != Export.Status.DONE:
        raise Http404("This export is not ready, or has been deleted")
    return _file(export, services.export_downloaded(export=export, actor=request.user))
