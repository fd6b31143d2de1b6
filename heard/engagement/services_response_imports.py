"""Importing responses from a file as a recoverable background job (heard.core.jobs).

``response_import_start`` (after the columns are matched) records the import and queues
the task; ``response_import_run`` (the task) reads the stored file with the shared
table reader and imports ``CHUNK_ROWS`` rows at a time – each chunk validated outside
the transaction, then stored with the progress in one short transaction that starts by
checking the job is still this attempt's. A later attempt (the worker died: see
``response_import_sweep``) starts after the last committed chunk. An import can be
stopped, and removed with the responses it stored (a chunked task). Every step audited
with counts only.
"""

import logging
from collections.abc import Iterator
from datetime import timedelta
from itertools import islice
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.actors import require
from heard.core.jobs import JobStopped, SweepResult, checkpoint, delete_in_chunks, sweep_stale
from heard.core.text import spreadsheet_safe
from heard.engagement import services_responses
from heard.engagement.models import (
    Activity,
    QuestionnaireVersion,
    Response,
    ResponseImport,
    ResponseImportRejectedRow,
)
from heard.people.imports.reader import UnreadableFile, is_blank, read_table

logger = logging.getLogger(__name__)

CHUNK_ROWS = 500
REMOVE_CHUNK = 1000
RUNNING = (ResponseImport.Status.RUNNING,)
REMOVING = (ResponseImport.Status.DELETING,)
ENDED = (
    ResponseImport.Status.DONE,
    ResponseImport.Status.FAILED,
    ResponseImport.Status.CANCELLED,
    ResponseImport.Status.DELETED,
)


class ImportProblem(ValueError):
    """The import cannot do what was asked; the message says why."""


def response_import_start(
    *,
    activity: Activity,
    version: QuestionnaireVersion,
    filename: str,
    stored_name: str,
    header: list[str],
    mapping: dict[int, str],
    actor: Any,
) -> ResponseImport:
    require(actor, "engagement.change_activities", to="import responses")
    with transaction.atomic():
        if ResponseImport.objects.filter(stored_name=stored_name).exists():
            raise ImportProblem("This file is already being imported.")
        batch = ResponseImport.objects.create(
            activity=activity,
            version=version,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            filename=filename[-255:],
            stored_name=stored_name,
            header=header,
            mapping={str(index): target for index, target in mapping.items() if target},
            heartbeat_at=timezone.now(),
        )
        audit_record(
            action=Action.RESPONSE_IMPORT_STARTED,
            actor=actor,
            subject=batch,
            after={"activity_id": activity.pk, "version": version.number, "columns": len(header)},
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: _enqueue(batch_id, 1))
    return batch


def _enqueue(batch_id: int, attempt: int) -> None:
    from heard.engagement.tasks import import_responses

    import_responses.enqueue(batch_id, attempt)


def _rows(batch: ResponseImport) -> Iterator[tuple[int, list[str]]]:
    with default_storage.open(batch.stored_name, "rb") as handle:
        data = handle.read()
    table = read_table(data, batch.filename)
    for number, cells in enumerate(table.rows, start=table.header_row + 1):
        if not is_blank(cells):
            yield number, cells


def response_import_run(*, batch_id: int, attempt: int | None = None) -> ResponseImport:
    batch = ResponseImport.objects.select_related("version__questionnaire").get(pk=batch_id)
    attempt = batch.attempt if attempt is None else attempt
    if batch.status != ResponseImport.Status.RUNNING or attempt != batch.attempt:
        return batch
    mapping = {int(index): target for index, target in batch.mapping.items()}
    try:
        if not batch.total_rows:
            total = sum(1 for _ in _rows(batch))
            ResponseImport.objects.filter(pk=batch_id).update(total_rows=total)
        rows = _rows(batch)
        for _ in islice(rows, batch.processed_rows):  # resuming: after the last chunk
            pass
        while True:
            chunk = list(islice(rows, CHUNK_ROWS))
            if not chunk:
                break
            outcome, prepared = services_responses.responses_import_check(
                version=batch.version, header=batch.header, rows=chunk, mapping=mapping
            )
            with transaction.atomic():
                checkpoint(ResponseImport, batch_id, attempt, running=RUNNING)
                outcome = services_responses.responses_import_store(
                    actor=batch.created_by,
                    version=batch.version,
                    outcome=outcome,
                    prepared=prepared,
                    import_batch_id=batch_id,
                    audit=False,
                )
                ResponseImportRejectedRow.objects.bulk_create(
                    [
                        ResponseImportRejectedRow(
                            batch_id=batch_id, row_number=number, cells=cells, reason=reason
                        )
                        for number, cells, reason in outcome.rejected
                    ]
                )
                ResponseImport.objects.filter(pk=batch_id).update(
                    processed_rows=F("processed_rows") + len(chunk),
                    imported_rows=F("imported_rows") + outcome.created,
                    duplicate_rows=F("duplicate_rows") + outcome.duplicates,
                    rejected_rows=F("rejected_rows") + len(outcome.rejected),
                )
        with transaction.atomic():
            checkpoint(ResponseImport, batch_id, attempt, running=RUNNING)
            # The upload is not kept once imported (the rejected rows are, for a while).
            _delete_file_on_commit(batch.stored_name)
            ResponseImport.objects.filter(pk=batch_id).update(
                status=ResponseImport.Status.DONE, completed_at=timezone.now(), stored_name=""
            )
            batch.refresh_from_db()
            audit_record(
                action=Action.RESPONSES_IMPORTED,
                actor=batch.created_by,
                subject=batch.version.questionnaire,
                after={
                    "version": batch.version.number,
                    "import_id": batch_id,
                    "created": batch.imported_rows,
                    "duplicates": batch.duplicate_rows,
                    "rejected": batch.rejected_rows,
                    "attempt": attempt,
                },
            )
    except JobStopped:
        pass
    except Exception as exc:
        logger.exception("Response import %s failed", batch_id)
        batch.refresh_from_db()
        message = (
            str(exc)
            if isinstance(exc, UnreadableFile | OSError)
            else (
                f"The import stopped after {batch.processed_rows} rows because of an "
                "unexpected error. The rows before that point were saved. Import the file "
                "again to finish: rows already imported are recognised and skipped."
            )
        )
        _fail(batch, attempt, message)
    return ResponseImport.objects.get(pk=batch_id)


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _fail(batch: ResponseImport, attempt: int, message: str) -> None:
    with transaction.atomic():
        updated = ResponseImport.objects.filter(
            pk=batch.pk, status=ResponseImport.Status.RUNNING, attempt=attempt
        ).update(status=ResponseImport.Status.FAILED, error=message, completed_at=timezone.now())
        if updated:
            audit_record(
                action=Action.RESPONSE_IMPORT_FAILED,
                actor=batch.created_by,
                subject=batch,
                after={"processed_rows": batch.processed_rows, "attempt": attempt},
            )


def response_import_cancel(*, batch: ResponseImport, actor: Any) -> ResponseImport:
    """Stop a running import; the responses stored so far stay (they can be removed)."""
    require(actor, "engagement.change_activities", to="stop an import of responses")
    with transaction.atomic():
        batch = ResponseImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ResponseImport.Status.RUNNING:
            raise ImportProblem("This import is not running, so there is nothing to stop.")
        _delete_file_on_commit(batch.stored_name)
        ResponseImport.objects.filter(pk=batch.pk).update(
            status=ResponseImport.Status.CANCELLED,
            attempt=batch.attempt + 1,
            completed_at=timezone.now(),
            stored_name="",
        )
        audit_record(
            action=Action.RESPONSE_IMPORT_CANCELLED,
            actor=actor,
            subject=batch,
            after={"processed_rows": batch.processed_rows, "imported_rows": batch.imported_rows},
        )
    return ResponseImport.objects.get(pk=batch.pk)


def response_import_delete(*, batch: ResponseImport, actor: Any) -> ResponseImport:
    """Remove an import with the responses it stored (a task, in chunks)."""
    require(actor, "engagement.change_activities", to="delete an import of responses")
    with transaction.atomic():
        batch = ResponseImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ResponseImport.Status.RUNNING:
            raise ImportProblem("Stop the import before removing it.")
        if batch.status in (ResponseImport.Status.DELETING, ResponseImport.Status.DELETED):
            raise ImportProblem("This import is already removed or being removed.")
        _delete_file_on_commit(batch.stored_name)
        ResponseImport.objects.filter(pk=batch.pk).update(
            status=ResponseImport.Status.DELETING,
            attempt=batch.attempt + 1,
            heartbeat_at=timezone.now(),
            stored_name="",
            error="",
        )
        audit_record(
            action=Action.RESPONSE_IMPORT_DELETED,
            actor=actor,
            subject=batch,
            after={"asked": True, "imported_rows": batch.imported_rows},
        )
        batch_id, attempt = batch.pk, batch.attempt + 1
        transaction.on_commit(lambda: _enqueue_remove(batch_id, attempt))
    return ResponseImport.objects.get(pk=batch.pk)


def _enqueue_remove(batch_id: int, attempt: int) -> None:
    from heard.engagement.tasks import remove_response_import

    remove_response_import.enqueue(batch_id, attempt)


def response_import_remove_run(*, batch_id: int, attempt: int | None = None) -> ResponseImport:
    """Delete the responses an import stored, ``REMOVE_CHUNK`` at a time (in the task)."""
    batch = ResponseImport.objects.get(pk=batch_id)
    attempt = batch.attempt if attempt is None else attempt
    if batch.status != ResponseImport.Status.DELETING or attempt != batch.attempt:
        return batch
    try:
        delete_in_chunks(
            ResponseImport,
            batch_id,
            attempt,
            lambda: Response.objects.filter(import_batch_id=batch_id),
            chunk=REMOVE_CHUNK,
            running=REMOVING,
        )
        with transaction.atomic():
            checkpoint(ResponseImport, batch_id, attempt, running=REMOVING)
            rejected, _ = ResponseImportRejectedRow.objects.filter(batch_id=batch_id).delete()
            ResponseImport.objects.filter(pk=batch_id).update(
                status=ResponseImport.Status.DELETED, completed_at=timezone.now()
            )
            batch.refresh_from_db()
            audit_record(
                action=Action.RESPONSE_IMPORT_DELETED,
                actor=batch.created_by,
                subject=batch,
                after={"responses_removed": batch.removed_rows, "rejected_rows_deleted": rejected},
            )
    except JobStopped:
        pass
    except (ProtectedError, RestrictedError):
        with transaction.atomic():
            ResponseImport.objects.filter(
                pk=batch_id, status=ResponseImport.Status.DELETING
            ).update(
                status=ResponseImport.Status.FAILED,
                error=(
                    "Some responses this import stored cannot be removed: other records depend "
                    "on them. Remove those first, then remove the import again."
                ),
                completed_at=timezone.now(),
            )
    return ResponseImport.objects.get(pk=batch_id)


def _sweep_fail(batch: ResponseImport, message: str) -> None:
    if batch.status == ResponseImport.Status.DELETING:
        message = (
            f"Removing this import stopped: the background worker stopped {batch.attempt} "
            f"times. {batch.removed_rows:,} responses were removed so far. Remove it again "
            "to finish."
        )
    else:
        message += " Import the file again to finish: rows already imported are skipped."
    _delete_file_on_commit(batch.stored_name)
    ResponseImport.objects.filter(pk=batch.pk).update(
        status=ResponseImport.Status.FAILED,
        error=message,
        completed_at=timezone.now(),
        stored_name="",
    )
    audit_record(
        action=Action.RESPONSE_IMPORT_FAILED,
        actor=None,
        subject=batch,
        after={"swept": True, "attempt": batch.attempt, "processed_rows": batch.processed_rows},
    )


def _sweep_enqueue(batch_id: int, attempt: int) -> None:
    status = ResponseImport.objects.filter(pk=batch_id).values_list("status", flat=True).first()
    if status == ResponseImport.Status.DELETING:
        _enqueue_remove(batch_id, attempt)
    else:
        _enqueue(batch_id, attempt)


def response_import_sweep() -> SweepResult:
    """Resume (from the last committed chunk) or fail response imports whose worker died."""
    return sweep_stale(
        ResponseImport,
        running=(ResponseImport.Status.RUNNING, ResponseImport.Status.DELETING),
        enqueue=_sweep_enqueue,
        fail=_sweep_fail,
        what="import",
    )


IMPORT_DIR = "response-imports"


def response_imports_cleanup(*, keep_days: int) -> dict[str, int]:
    """Delete rejected rows of imports that ended ``keep_days`` ago, and uploaded files
    in the import folder as old that no running import uses (uploads abandoned at the
    column-matching step)."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    with transaction.atomic():
        rejected, _ = ResponseImportRejectedRow.objects.filter(
            batch__status__in=ENDED, batch__completed_at__lt=cutoff
        ).delete()
    in_use = set(
        ResponseImport.objects.exclude(stored_name="").values_list("stored_name", flat=True)
    )
    files = 0
    try:
        _, names = default_storage.listdir(IMPORT_DIR)
    except (FileNotFoundError, NotImplementedError):
        names = []
    for name in names:
        path = f"{IMPORT_DIR}/{name}"
        if path in in_use:
            continue
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                files += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    result = {"rejected_rows": rejected, "files": files}
    if any(result.values()):
        with transaction.atomic():
            audit_record(
                action=Action.IMPORT_FILES_CLEANED,
                actor=None,
                subject=("engagement.responseimport", ""),
                after={**result, "keep_days": keep_days},
            )
    return result


def rejected_rows_csv(*, batch: ResponseImport) -> Iterator[list[str]]:
    """The rejected-rows file: row number, the original cells, the reason (formula-safe)."""
    header = [str(h) for h in batch.header]
    yield ["Row", *map(spreadsheet_safe, header), "Why it was not imported"]
    for row in batch.rejected.order_by("row_number").iterator(chunk_size=2000):
        cells = [str(c) for c in row.cells]
        yield [str(row.row_number), *map(spreadsheet_safe, cells), spreadsheet_safe(row.reason)]
