"""Staff pages for responses: the overview with the spam log, fast data entry of paper,
phone and event responses, and import from CSV/XLSX with a file of rejected rows."""

import csv
import io
import uuid
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from heard.core.permissions import permission_required
from heard.core.text import spreadsheet_safe
from heard.engagement import questionnaire, selectors_responses
from heard.engagement import services_responses as services
from heard.engagement.forms_responses import EntryForm, ImportMappingForm, ImportUploadForm
from heard.engagement.models import Activity, Questionnaire, Response, SpamLog
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
                "channels": Response.Channel.choices,
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
    start = table.header_row + 1
    rows = [(start + i, cells) for i, cells in enumerate(table.rows)]
    outcome = services.responses_import(
        actor=request.user,
        version=version,
        header=header,
        rows=rows,
        mapping=mapping.mapping(),
    )
    default_storage.delete(stored["name"])  # the upload is not kept once imported
    rejected_link = ""
    if outcome.rejected:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["Row", *map(spreadsheet_safe, header), "Why it was not imported"])
        for number, cells, reason in outcome.rejected:
            writer.writerow([number, *map(spreadsheet_safe, cells), spreadsheet_safe(reason)])
        name = default_storage.save(
            f"{IMPORT_DIR}/rejected-{uuid.uuid4().hex}.csv",
            ContentFile(buffer.getvalue().encode("utf-8-sig")),
        )
        rejected_link = signing.dumps(name, salt=UPLOAD_SALT)
    context.update({"outcome": outcome, "rejected_link": rejected_link, "filename": stored["file"]})
    return render(request, "engagement/entry/import_result.html", context)


@permission_required("engagement.change_activities")
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Activity, pk=pk)
    try:
        name = signing.loads(request.GET.get("f", ""), salt=UPLOAD_SALT, max_age=7 * 24 * 3600)
        with default_storage.open(name, "rb") as fh:
            content = fh.read()
    except (signing.BadSignature, OSError):
        messages.error(
            request,
            "That file of rejected rows has expired. Import the file again to get a new one.",
        )
        return redirect("engagement:responses_import", pk=pk)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
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
