"""Alternative formats and translations: staff upload them, the public asks for them."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from heard.core import ratelimit
from heard.core.permissions import permission_required
from heard.engagement import selectors, services_formats
from heard.engagement.forms_formats import CloseRequestForm, DocumentForm, FormatRequestForm
from heard.engagement.models import Activity, FormatRequest


@permission_required("engagement.change_activities")
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services_formats.activity_document_add(
                actor=request.user,
                activity=activity,
                title=form.cleaned_data["title"],
                upload=upload,
                name=upload.name,
                size=upload.size,
                format=form.cleaned_data["format"],
                language=form.cleaned_data["language"],
            )
        except services_formats.FormatProblem as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "The document has been added. People can now open it.")
            return redirect("engagement:documents", pk=pk)
    return render(
        request,
        "engagement/staff/documents.html",
        {
            "activity": activity,
            "documents": activity.documents.all(),
            "requests": activity.format_requests.filter(status=FormatRequest.Status.OPEN),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@permission_required("engagement.change_activities")
def format_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "engagement/staff/format_requests.html",
        {
            "open": selectors.format_requests_open(),
            "closed": selectors.format_requests_closed()[:50],
            "today": timezone.localdate(),
        },
    )


@permission_required("engagement.change_activities")
def format_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FormatRequest.objects.select_related("activity"), pk=pk)
    form = CloseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_formats.format_request_close(
                actor=request.user,
                request=item,
                met=form.cleaned_data["met"] == "yes",
                note=form.cleaned_data["note"],
            )
        except services_formats.FormatProblem as exc:
            form.add_error("note", str(exc))
        else:
            messages.success(request, "The request is closed and the person's details erased.")
            return redirect("engagement:format_requests")
    return render(
        request,
        "engagement/staff/format_request_close.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )


def format_request_public(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for this activity's information in another format or language."""
    activity = selectors.public_activity(slug)
    if activity is None:
        raise Http404("No such activity")
    form = FormatRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services_formats.format_request_create(
                activity=activity,
                format=form.cleaned_data["format"],
                language=form.cleaned_data["language"],
                details=form.cleaned_data["details"],
                email=form.cleaned_data["email"],
                postal=form.cleaned_data["postal"],
                client=ratelimit.client_address(request),
            )
        except services_formats.FormatProblem as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return render(
                request,
                "engagement/public/format_requested.html",
                {"activity": activity, "due_by": made.due_by},
            )
    return render(
        request,
        "engagement/public/format_request.html",
        {"activity": activity, "form": form, "days": settings.HEARD_FORMAT_REQUEST_DAYS},
        status=400 if form.errors else 200,
    )
