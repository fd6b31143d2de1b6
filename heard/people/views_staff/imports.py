"""Staff pages for importing people: upload, map columns, progress, rejected rows."""

import csv
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.people import selectors_staff as sel
from heard.people.forms_staff import (
    MappingForm,
    UploadForm,
)
from heard.people.models import ImportBatch
from heard.people.services import imports as import_services


@permission_required("people.import_people")
def imports(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_services.import_upload(
                filename=upload.name,
                data=upload.read(),
                actor=request.user,
                group=form.cleaned_data["group"],
            )
        except import_services.ImportProblem as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("people:import", pk=batch.pk)
    return render(
        request,
        "people/staff/imports.html",
        {"form": form, "batches": sel.import_batches()},
    )


@permission_required("people.import_people")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("group"), pk=pk)
    if batch.status != ImportBatch.Status.UPLOADED:
        return render(request, "people/staff/import_progress.html", _progress_context(batch))
    form = MappingForm(
        request.POST or None,
        columns=list(batch.columns),
        initial_mapping=batch.mapping,
        group=batch.group,
    )
    if request.method == "POST" and form.is_valid():
        try:
            import_services.import_start(
                batch=batch,
                mapping=form.mapping(),
                group=form.cleaned_data["group"],
                actor=request.user,
            )
        except import_services.ImportProblem as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("people:import", pk=batch.pk)
    try:
        preview = import_services.import_preview(batch=batch)
    except (import_services.UnreadableFile, OSError):
        preview = None
    return render(
        request,
        "people/staff/import_mapping.html",
        {
            "batch": batch,
            "form": form,
            "preview": preview,
            "earlier": sel.import_earlier_same_file(batch),
        },
    )


def _progress_context(batch: ImportBatch) -> dict[str, Any]:
    percent = 0
    if batch.total_rows:
        percent = min(100, round(100 * batch.processed_rows / batch.total_rows))
    running = batch.status in (ImportBatch.Status.RUNNING, ImportBatch.Status.DELETING)
    # No sign of life from the worker for a while: it is probably down (the sweeper
    # resumes the import when it is back, or marks it failed).
    beat = batch.heartbeat_at or batch.created_at
    stalled = running and timezone.now() - beat > timedelta(minutes=2)
    return {
        "batch": batch,
        "percent": percent,
        "running": running,
        "stalled": stalled,
        "reasons": [] if running else sel.import_rejection_summary(batch),
        "rejected_kept": not running and batch.rejected.exists(),
        "removing": batch.status == ImportBatch.Status.DELETING,
        "can_resume": batch.status in (ImportBatch.Status.FAILED, ImportBatch.Status.CANCELLED)
        and bool(batch.stored_file)
        and batch.removed_rows == 0,
        "can_remove": batch.status
        in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED, ImportBatch.Status.CANCELLED),
    }


@permission_required("people.import_people")
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, for htmx polling (a full page without htmx)."""
    batch = get_object_or_404(ImportBatch.objects.select_related("group"), pk=pk)
    if not request.headers.get("HX-Request"):
        return redirect("people:import", pk=pk)
    return render(request, "people/staff/_import_status.html", _progress_context(batch))


class _Echo:
    def write(self, value: str) -> str:
        return value


@permission_required("people.import_people")
def import_rejected(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    import_services.import_rejected_download_record(batch=batch, actor=request.user)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that Excel reads UTF-8
        for row in import_services.rejected_rows_csv(batch=batch):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejected-rows.csv"'
    return response


@require_POST
@permission_required("people.import_people")
def import_purge(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        import_services.import_purge(batch=batch, actor=request.user)
    except import_services.ImportProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The file and the rejected rows have been deleted.")
    return redirect("people:import", pk=pk)


@require_POST
@permission_required("people.import_people")
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        import_services.import_cancel(batch=batch, actor=request.user)
    except import_services.ImportProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The import has been stopped. What it stored so far is kept.")
    return redirect("people:import", pk=pk)


@require_POST
@permission_required("people.import_people")
def import_resume(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        import_services.import_resume(batch=batch, actor=request.user)
    except import_services.ImportProblem as exc:
        messages.error(request, str(exc))
    return redirect("people:import", pk=pk)


@permission_required("people.import_people")
def import_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then remove the import with the people it added (a background task)."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if request.method == "POST":
        try:
            import_services.import_delete(batch=batch, actor=request.user)
        except import_services.ImportProblem as exc:
            messages.error(request, str(exc))
        return redirect("people:import", pk=pk)
    return render(
        request,
        "people/staff/import_delete.html",
        {"batch": batch, "added": batch.members.count()},
    )
