"""Staff pages for responses: the overview with the spam log, fast data entry of paper,
phone and event responses, and import from CSV/XLSX with a file of rejected rows."""

import csv
import uuid
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.engagement import questionnaire, selectors_responses
from heard.engagement import services_response_imports as response_imports
from heard.engagement import services_responses as services
from heard.engagement.forms_responses import EntryForm, ImportMappingForm, ImportUploadForm
from heard.engagement.models import Activity, Questionnaire, ResponseImport, SpamLog
from heard.engagement.views_respond import error_items, field_context, merge_answers
from heard.people.imports.reader import UnreadableFile, read_table

UPLOAD_SALT = "heard.engagement.responses-import"
IMPORT_DIR = "response-imports"


def _questionnaire(activity: Activity) -> Questionnaire:
    q = selectors_responses.questionnaire_for_activity(activity)
    if q is None:
        raise Http404("This activity has no questionnaire yet")
    return q


@permission_required("engagement.view_activities")
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = selectors_responses.questionnaire_for_activity(activity)
    context: dict[str, Any] = {"activity": activity, "q": q}
    if q is not None:
        context.update(
            {
                "counts": selectors_responses.response_counts(q),
                "spam": selectors_responses.spam_log(q)[:50],
                "spam_labels": [
                    (label, selectors_responses.spam_summary(q).get(str(value), 0))
                    for value, label in SpamLog.Reason.choices
                ],
                "channels": selectors_responses.channel_rows(q),
                "recent": selectors_responses.recent_responses(q),
            }
        )
    return render(request, "engagement/entry/responses.html", context)


@permission_required("engagement.change_activities")
def enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Fast data entry: every question on one page; how and when are kept for the next one."""
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    version = selectors_responses.respondable_version(q)
    if version is None:
        messages.error(request, "Add questions to the questionnaire before entering responses.")
        return redirect("engagement:builder", pk=pk)
    view = selectors_responses.version_view(version)
    today = timezone.localdate().strftime("%d/%m/%Y")
    meta = EntryForm(
        request.POST or None,
        initial={
            "channel": request.GET.get("channel", "paper"),
            "received_on": request.GET.get("received_on", today),
        },
    )
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = _raw_from_post(view.specs, request)
        if meta.is_valid():
            received_on = meta.cleaned_data["received_on"]
            received_at = datetime.combine(
                received_on, time(12), tzinfo=timezone.get_current_timezone()
            )
            try:
                response = services.response_enter(
                    actor=request.user,
                    version=version,
                    raw=raw,
                    channel=meta.cleaned_data["channel"],
                    received_at=received_at,
                    publish_consent=meta.cleaned_data["publish_consent"],
                )
            except services.ResponseInvalid as exc:
                errors = exc.errors
            except services.ResponseRefused as exc:
                meta.add_error("channel", exc.message)
            else:
                messages.success(
                    request,
                    f"Response {response.reference} saved"
                    f"{' (received after closing: marked late)' if response.late else ''}. "
                    "Enter the next one.",
                )
                return redirect(
                    f"{request.path}?channel={meta.cleaned_data['channel']}"
                    f"&received_on={received_on:%d/%m/%Y}"
                )
        else:
            # Check the answers too, so every problem shows at once.
            errors = questionnaire.clean_all(view.specs, raw).errors
    fields = field_context(view, None, raw, errors, preview=True)
    return render(
        request,
        "engagement/entry/enter.html",
        {
            "activity": activity,
            "q": q,
            "version": version,
            "meta": meta,
            "fields": fields,
            "error_items": error_items(fields, errors),
            "has_errors": bool(errors) or bool(meta.errors),
        },
        status=400 if (errors or meta.errors) else 200,
    )


def _raw_from_post(specs: list[questionnaire.QuestionSpec], request: HttpRequest) -> dict[str, Any]:
    return merge_answers(specs, {}, request.POST)


@permission_required("engagement.change_activities")
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: upload. Step 2 (``stored`` posted back): match columns and import."""
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    version = selectors_responses.respondable_version(q)
    if version is None:
        messages.error(request, "Add questions to the questionnaire before importing responses.")
        return redirect("engagement:builder", pk=pk)
    view = selectors_responses.version_view(version)
    context: dict[str, Any] = {"activity": activity, "q": q, "version": version}
    if request.method == "POST" and request.POST.get("stored"):
        return _import_mapped(request, activity, version, view, context)
    upload = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        file = upload.cleaned_data["file"]
        data = file.read()
        try:
            table = read_table(data, file.name)
            header = table.header
        except UnreadableFile as exc:
            upload.add_error("file", str(exc))
        else:
            ext = "xlsx" if file.name.lower().endswith(".xlsx") else "csv"
            name = default_storage.save(f"{IMPORT_DIR}/{uuid.uuid4().hex}.{ext}", ContentFile(data))
            mapping = ImportMappingForm(header=header, specs=view.specs)
            context.update(
                {
                    "mapping": mapping,
                    "stored": signing.dumps({"name": name, "file": file.name}, salt=UPLOAD_SALT),
                    "filename": file.name,
                }
            )
            return render(request, "engagement/entry/import_mapping.html", context)
    context["upload"] = upload
    return render(
        request,
        "engagement/entry/import_upload.html",
        context,
        status=400 if upload.errors else 200,
    )


def _import_mapped(
    request: HttpRequest,
    activity: Activity,
    version: Any,
    view: selectors_responses.VersionView,
    context: dict[str, Any],
) -> HttpResponse:
    try:
        stored = signing.loads(request.POST["stored"], salt=UPLOAD_SALT, max_age=24 * 3600)
        with default_storage.open(stored["name"], "rb") as fh:
            data = fh.read()
        table = read_table(data, stored["file"])
    except (signing.BadSignature, OSError, KeyError, UnreadableFile):
        messages.error(request, "The uploaded file has expired or cannot be read. Upload it again.")
        return redirect("engagement:responses_import", pk=activity.pk)
    header = table.header
    mapping = ImportMappingForm(request.POST, header=header, specs=view.specs)
    if not mapping.is_valid():
        context.update(
            {"mapping": mapping, "stored": request.POST["stored"], "filename": stored["file"]}
        )
        return render(request, "engagement/entry/import_mapping.html", context, status=400)
    try:
        batch = response_imports.response_import_start(
            activity=activity,
            version=version,
            filename=stored["file"],
            stored_name=stored["name"],
            header=header,
            mapping=mapping.mapping(),
            actor=request.user,
        )
    except response_imports.ImportProblem as exc:
        messages.error(request, str(exc))
        return redirect("engagement:responses_import", pk=activity.pk)
    return redirect("engagement:responses_import_detail", pk=activity.pk, import_pk=batch.pk)


def _import_context(activity: Activity, batch: ResponseImport) -> dict[str, Any]:
    running = batch.status in (ResponseImport.Status.RUNNING, ResponseImport.Status.DELETING)
    beat = batch.heartbeat_at or batch.created_at
    return {
        "activity": activity,
        "batch": batch,
        "running": running,
        "removing": batch.status == ResponseImport.Status.DELETING,
        "percent": min(100, round(100 * batch.processed_rows / batch.total_rows))
        if batch.total_rows
        else 0,
        "stalled": running and timezone.now() - beat > timedelta(minutes=2),
        "rejected": list(batch.rejected.order_by("row_number")[:50]) if not running else [],
        "can_remove": batch.imported_rows
        and batch.status
        in (
            ResponseImport.Status.DONE,
            ResponseImport.Status.FAILED,
            ResponseImport.Status.CANCELLED,
        ),
    }


def _batch(pk: int, import_pk: int) -> tuple[Activity, ResponseImport]:
    activity = get_object_or_404(Activity, pk=pk)
    batch = get_object_or_404(ResponseImport, pk=import_pk, activity=activity)
    return activity, batch


@permission_required("engagement.change_activities")
def import_detail(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """The import's progress (updated by htmx), then its result."""
    activity, batch = _batch(pk, import_pk)
    template = (
        "engagement/entry/_import_status.html"
        if request.headers.get("HX-Request")
        else "engagement/entry/import_result.html"
    )
    return render(request, template, _import_context(activity, batch))


@require_POST
@permission_required("engagement.change_activities")
def import_cancel(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    _, batch = _batch(pk, import_pk)
    try:
        response_imports.response_import_cancel(batch=batch, actor=request.user)
    except response_imports.ImportProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The import has been stopped. What it stored so far is kept.")
    return redirect("engagement:responses_import_detail", pk=pk, import_pk=import_pk)


@require_POST
@permission_required("engagement.change_activities")
def import_delete(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    _, batch = _batch(pk, import_pk)
    try:
        response_imports.response_import_delete(batch=batch, actor=request.user)
    except response_imports.ImportProblem as exc:
        messages.error(request, str(exc))
    return redirect("engagement:responses_import_detail", pk=pk, import_pk=import_pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


@permission_required("engagement.change_activities")
def import_rejected(request: HttpRequest, pk: int, import_pk: int) -> StreamingHttpResponse:
    _, batch = _batch(pk, import_pk)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that Excel reads UTF-8
        for row in response_imports.rejected_rows_csv(batch=batch):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rejected-rows.csv"'
    return response


@permission_required("engagement.change_activities")
def response_detail(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """One response, by its reference (e.g. a person quoting their receipt on the phone).

    Answers only: the "about you" answers are never shown beside a response.
    """
    activity = get_object_or_404(Activity, pk=pk)
    response = selectors_responses.response_by_reference(reference.strip().upper())
    if response is None or response.activity_id != activity.pk:
        raise Http404("No response with that reference for this activity")
    redacted = not request.user.has_perm("engagement.view_responses_unredacted")
    return render(
        request,
        "engagement/entry/response_detail.html",
        {
            "activity": activity,
            "response": response,
            "answers": selectors_responses.response_answers(response, redacted=redacted),
            "redacted": redacted,
        },
    )


@permission_required("engagement.change_activities")
def response_find(request: HttpRequest, pk: int) -> HttpResponse:
    reference = request.GET.get("reference", "").strip().upper()
    response = selectors_responses.response_by_reference(reference) if reference else None
    if response is not None and response.activity_id == pk:
        return redirect("engagement:response_detail", pk=pk, reference=reference)
    messages.error(
        request,
        "No response with that reference for this activity. References look like HYS-7KQ2-9XDM.",
    )
    return redirect("engagement:responses", pk=pk)
