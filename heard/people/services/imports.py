"""Importing members and contacts from CSV or XLSX: upload, map columns, run, report.

Flow: ``import_upload`` (file read and stored, columns guessed) → ``import_start`` (the
mapping is checked and the background task queued) → ``import_run`` (in the task: every
row checked; valid new people bulk-created in chunks; people already held counted as
existing and, if a group was chosen, added to it; every rejected row kept with its
reason). Each step is audited with counts only – never names or addresses.
"""

import contextlib
import functools
import hashlib
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import Lower
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.jobs import JobStopped, SweepResult, checkpoint, delete_in_chunks, sweep_stale
from heard.core.text import spreadsheet_safe
from heard.people.imports.reader import (
    MAX_BYTES,
    Table,
    UnreadableFile,
    file_kind,
    is_blank,
    read_table,
)
from heard.people.imports.validation import (
    CleanRow,
    DuplicateTracker,
    RowInvalid,
    auto_map,
    clean_row,
    duplicate_reason,
    is_valid_email,
    mapping_problems,
    name_postcode_key,
)
from heard.people.models import (
    Group,
    GroupMembership,
    ImportBatch,
    ImportRejectedRow,
    Member,
    Topic,
)
from heard.people.postcodes import LOCALITY_BY_DISTRICT, OUTSIDE_AREA

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = MAX_BYTES  # the shared reader's bound (50 MB)
PREVIEW_ROWS = 10
CHUNK_ROWS = 2000


class ImportProblem(ValueError):
    """An import that cannot go ahead as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Preview:
    header: list[str]
    rows: list[list[str]]


def _open_table(batch: ImportBatch) -> Table:
    with batch.stored_file.open("rb") as handle:
        data = handle.read()
    return read_table(data, batch.filename)


def import_upload(
    *, filename: str, data: bytes, actor: Any, group: Group | None = None
) -> ImportBatch:
    """Read and store an uploaded file, guess the column mapping, and audit the upload.

    Raises ImportProblem (nothing stored) if the file is too big, has the wrong
    extension, is empty, has no header row or cannot be read as a table.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportProblem(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
            "Split it into smaller files and import each one."
        )
    try:
        kind = file_kind(filename)
        table = read_table(data, filename)
        first_rows = list(islice(table.rows, PREVIEW_ROWS))
    except UnreadableFile as exc:
        raise ImportProblem(str(exc)) from exc
    if any("@" in cell and is_valid_email(cell) for cell in table.header):
        raise ImportProblem(
            "The first row should hold the column names (like Name, Email, Postcode), but it "
            "looks like a person's details. Add a row of column names at the top of the file "
            "and upload it again."
        )
    if not any(not is_blank(row) for row in first_rows):
        raise ImportProblem(
            "The file has column names but no people in it. Add one person per row below "
            "the column names and upload it again."
        )
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            filename=filename[-255:],
            file_sha256=digest,
            encoding=table.encoding,
            columns=table.header,
            mapping=auto_map(table.header),
            group=group,
        )
        batch.stored_file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(data), save=True)
        audit_record(
            action=Action.IMPORT_UPLOADED,
            actor=actor,
            subject=batch,
            after={"columns": len(table.header), "bytes": len(data), "sha256": digest},
        )
    return batch


def import_preview(*, batch: ImportBatch, rows: int = PREVIEW_ROWS) -> Preview:
    """The header and the first rows of the stored file (padded to the header's width)."""
    table = _open_table(batch)
    width = len(table.header)
    first = [row for row in islice(table.rows, rows * 2) if not is_blank(row)][:rows]
    return Preview(table.header, [(row + [""] * width)[:width] for row in first])


def import_start(
    *, batch: ImportBatch, mapping: dict[str, str], group: Group | None, actor: Any
) -> ImportBatch:
    """Fix the mapping and queue the import. Raises ImportProblem if it cannot start."""
    if batch.status != ImportBatch.Status.UPLOADED:
        raise ImportProblem(
            "This import has already been started. Upload the file again to re-run it."
        )
    mapping = {field: column for field, column in mapping.items() if column}
    problems = mapping_problems(mapping, list(batch.columns))
    if problems:
        raise ImportProblem(" ".join(problems))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.UPLOADED:
            raise ImportProblem("This import has already been started.")
        batch.mapping = mapping
        batch.group = group
        batch.status = ImportBatch.Status.RUNNING
        batch.attempt = 1
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["mapping", "group", "status", "attempt", "heartbeat_at"])
        audit_record(
            action=Action.IMPORT_STARTED,
            actor=actor,
            subject=batch,
            after={"fields": sorted(mapping), "group_id": group.pk if group else None},
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: _enqueue(batch_id, 1))
    return batch


def _enqueue(batch_id: int, attempt: int) -> None:
    from heard.people.tasks import import_members

    import_members.enqueue(batch_id, attempt)


@dataclass
class _Counts:
    processed: int = 0
    imported: int = 0
    existing: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "processed_rows": self.processed,
            "imported_rows": self.imported,
            "existing_rows": self.existing,
            "rejected_rows": self.rejected,
        }


RUNNING = (ImportBatch.Status.RUNNING,)


def import_run(*, batch_id: int, attempt: int | None = None) -> ImportBatch:
    """Run a started import to the end (called by the background task).

    Works in chunks of ``CHUNK_ROWS``; each chunk's transaction checks the import is
    still this attempt's (heard.core.jobs.checkpoint), stores the chunk and the progress
    together, and moves the heartbeat. A later attempt (after the worker died: see
    ``import_sweep``) starts after the last committed chunk, so no row is stored twice.
    A cancelled or superseded import stops without storing its chunk; any other failure
    marks the import failed with a plain message.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.RUNNING:
        return batch
    attempt = batch.attempt if attempt is None else attempt
    if attempt != batch.attempt:
        return batch  # a newer attempt has it
    counts = _Counts(
        processed=batch.processed_rows,
        imported=batch.imported_rows,
        existing=batch.existing_rows,
        rejected=batch.rejected_rows,
    )
    try:
        _run(batch, counts, attempt)
    except JobStopped:
        return ImportBatch.objects.get(pk=batch_id)
    except Exception as exc:
        logger.exception("Import %s failed", batch_id)
        if isinstance(exc, UnreadableFile | ImportProblem):
            message = str(exc)
        else:
            message = (
                f"The import stopped after {counts.processed} rows because of an unexpected "
                "error. The rows before that point were saved. Upload the file again to "
                "finish: people already imported are recognised and not added twice."
            )
        _fail(batch, message)
    return ImportBatch.objects.get(pk=batch_id)


def _fail(batch: ImportBatch, message: str) -> None:
    with transaction.atomic():
        updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.FAILED, error=message, completed_at=timezone.now()
        )
        if updated:
            batch.refresh_from_db()
            counts = _Counts(
                batch.processed_rows, batch.imported_rows, batch.existing_rows, batch.rejected_rows
            )
            audit_record(
                action=Action.IMPORT_FAILED,
                actor=batch.created_by,
                subject=batch,
                after={**counts.as_dict(), "attempt": batch.attempt},
            )


def _numbered_rows(table: Table) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(table.rows, start=table.header_row + 1):
        if not is_blank(row):
            yield number, row


def _run(batch: ImportBatch, counts: _Counts, attempt: int) -> None:
    total = batch.total_rows
    if not total:
        total = sum(1 for _ in _numbered_rows(_open_table(batch)))
        ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total)
    table = _open_table(batch)
    header = table.header
    columns = {
        field: header.index(column) for field, column in batch.mapping.items() if column in header
    }
    topics = _topic_lookup()
    tracker = DuplicateTracker()
    rows = _numbered_rows(table)
    # Resuming: the rows before the last committed chunk were stored (or rejected) by an
    # earlier attempt. Skip them, remembering their keys so later repeats are still found.
    for number, row in islice(rows, counts.processed):
        with contextlib.suppress(RowInvalid):
            tracker.first_row(clean_row(row, columns, width=len(header)).key, number)
    while True:
        chunk = list(islice(rows, CHUNK_ROWS))
        if not chunk:
            break
        valid: list[tuple[int, CleanRow]] = []
        rejected: list[ImportRejectedRow] = []
        for number, row in chunk:
            try:
                clean = clean_row(row, columns, width=len(header))
            except RowInvalid as exc:
                rejected.append(_rejected(batch, number, header, row, str(exc)))
                continue
            first = tracker.first_row(clean.key, number)
            if first is not None:
                reason = duplicate_reason(first, by_email=bool(clean.email))
                rejected.append(_rejected(batch, number, header, row, reason))
                continue
            valid.append((number, clean))
        with transaction.atomic():
            checkpoint(ImportBatch, batch.pk, attempt, running=RUNNING)
            imported, existing = _save_chunk(batch, valid, topics)
            ImportRejectedRow.objects.bulk_create(rejected, batch_size=1000)
            counts.processed += len(chunk)
            counts.imported += imported
            counts.existing += existing
            counts.rejected += len(rejected)
            ImportBatch.objects.filter(pk=batch.pk).update(**counts.as_dict())
    with transaction.atomic():
        checkpoint(ImportBatch, batch.pk, attempt, running=RUNNING)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.DONE, completed_at=timezone.now(), **counts.as_dict()
        )
        audit_record(
            action=Action.IMPORT_COMPLETED,
            actor=batch.created_by,
            subject=batch,
            after={"total_rows": total, "attempt": attempt, **counts.as_dict()},
        )


def _rejected(
    batch: ImportBatch, number: int, header: list[str], row: list[str], reason: str
) -> ImportRejectedRow:
    data = {column: (row[i] if i < len(row) else "") for i, column in enumerate(header)}
    for extra in range(len(header), len(row)):
        if row[extra]:
            data[f"Column {extra + 1}"] = row[extra]
    return ImportRejectedRow(batch=batch, row_number=number, data=data, reason=reason)


def _topic_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for pk, name, slug in Topic.objects.values_list("pk", "name", "slug"):
        lookup[name.lower()] = pk
        lookup[slug.lower()] = pk
    return lookup


def _existing_ids(valid: list[tuple[int, CleanRow]]) -> dict[str, int]:
    """Members already held, by the same key the rows use (email, else name|postcode)."""
    found: dict[str, int] = {}
    emails = [clean.email for _, clean in valid if clean.email]
    for start in range(0, len(emails), 500):
        part = emails[start : start + 500]
        for email, pk in (
            Member.objects.annotate(email_lower=Lower("email"))
            # The condition of the partial unique index on lower(email): without it the
            # index cannot be used and every chunk scans the whole table.
            .filter(~Q(email=""), email_lower__in=part)
            .order_by()
            .values_list("email_lower", "pk")
        ):
            found[email] = pk
    postcodes = sorted({clean.postcode for _, clean in valid if not clean.email})
    for start in range(0, len(postcodes), 500):
        part = postcodes[start : start + 500]
        for name, postcode, pk in Member.objects.filter(postcode__in=part).values_list(
            "full_name", "postcode", "pk"
        ):
            found.setdefault(name_postcode_key(name, postcode), pk)
    return found


def _save_chunk(
    batch: ImportBatch, valid: list[tuple[int, CleanRow]], topics: dict[str, int]
) -> tuple[int, int]:
    existing = _existing_ids(valid)
    new_rows = [clean for _, clean in valid if clean.key not in existing]
    now = timezone.now()
    members = [
        Member(
            full_name=clean.full_name,
            email=clean.email,
            phone=clean.phone,
            postcode=clean.postcode,
            postcode_district=clean.postcode.split(" ")[0] if clean.postcode else "",
            locality=(
                LOCALITY_BY_DISTRICT.get(clean.postcode.split(" ")[0], OUTSIDE_AREA)
                if clean.postcode
                else ""
            ),
            source=Member.Source.IMPORT,
            import_batch_id=batch.pk,
            status=Member.Status.ACTIVE,
            joined_at=now,
        )
        for clean in new_rows
    ]
    created = Member.objects.bulk_create(members, batch_size=500)
    ids = {clean.key: member.pk for clean, member in zip(new_rows, created, strict=True)}
    Interest = Member.interests.through
    links = []
    for clean in new_rows:
        for topic_id in {topics[i.lower()] for i in clean.interests if i.lower() in topics}:
            links.append(Interest(member_id=ids[clean.key], topic_id=topic_id))
    Interest.objects.bulk_create(links, batch_size=1000)
    if batch.group_id:
        memberships = [
            GroupMembership(
                group_id=batch.group_id,
                member_id=ids.get(clean.key) or existing[clean.key],
                role=clean.role,
            )
            for _, clean in valid
        ]
        GroupMembership.objects.bulk_create(memberships, batch_size=1000, ignore_conflicts=True)
    return len(created), len(valid) - len(new_rows)


# Stopping, resuming, removing, sweeping -------------------------------------------------

REMOVING = (ImportBatch.Status.DELETING,)
REMOVE_CHUNK = 2000


def import_cancel(*, batch: ImportBatch, actor: Any) -> ImportBatch:
    """Stop a running import. What was committed stays (it can be removed after).

    The task stops at its next chunk without storing it: the new attempt number makes
    its checkpoint fail.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.RUNNING:
            raise ImportProblem("This import is not running, so there is nothing to stop.")
        batch.status = ImportBatch.Status.CANCELLED
        batch.attempt += 1
        batch.completed_at = timezone.now()
        batch.save(update_fields=["status", "attempt", "completed_at"])
        audit_record(
            action=Action.IMPORT_CANCELLED,
            actor=actor,
            subject=batch,
            after={"processed_rows": batch.processed_rows, "imported_rows": batch.imported_rows},
        )
    return batch


def import_resume(*, batch: ImportBatch, actor: Any) -> ImportBatch:
    """Carry on a failed or stopped import from its last committed chunk."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in (ImportBatch.Status.FAILED, ImportBatch.Status.CANCELLED):
            raise ImportProblem("Only a failed or stopped import can be carried on.")
        if not batch.stored_file:
            raise ImportProblem(
                "The uploaded file has been deleted, so the import cannot carry on. "
                "Upload the file again: people already imported are not added twice."
            )
        batch.status = ImportBatch.Status.RUNNING
        batch.attempt += 1
        batch.heartbeat_at = timezone.now()
        batch.error = ""
        batch.completed_at = None
        batch.save(update_fields=["status", "attempt", "heartbeat_at", "error", "completed_at"])
        audit_record(
            action=Action.IMPORT_RESUMED,
            actor=actor,
            subject=batch,
            after={"processed_rows": batch.processed_rows, "attempt": batch.attempt},
        )
        batch_id, attempt = batch.pk, batch.attempt
        transaction.on_commit(lambda: _enqueue(batch_id, attempt))
    return batch


def import_delete(*, batch: ImportBatch, actor: Any) -> ImportBatch:
    """Remove an import with the people it added (a task, in chunks), its file and rows.

    Not while it runs (stop it first). People it found already held, and their group
    memberships, are left alone. The counts stay on the batch; the audit event is
    recorded when the removal is asked for and again, with the number removed, when done.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportBatch.Status.RUNNING:
            raise ImportProblem("Stop the import before removing it.")
        if batch.status in (ImportBatch.Status.DELETING, ImportBatch.Status.DELETED):
            raise ImportProblem("This import is already removed or being removed.")
        batch.status = ImportBatch.Status.DELETING
        batch.attempt += 1
        batch.heartbeat_at = timezone.now()
        batch.error = ""
        batch.save(update_fields=["status", "attempt", "heartbeat_at", "error"])
        audit_record(
            action=Action.IMPORT_DELETED,
            actor=actor,
            subject=batch,
            after={"asked": True, "imported_rows": batch.imported_rows},
        )
        batch_id, attempt = batch.pk, batch.attempt
        transaction.on_commit(lambda: _enqueue_remove(batch_id, attempt))
    return batch


def _enqueue_remove(batch_id: int, attempt: int) -> None:
    from heard.people.tasks import import_remove

    import_remove.enqueue(batch_id, attempt)


def import_remove_run(*, batch_id: int, attempt: int | None = None) -> ImportBatch:
    """Delete the people the import added, ``REMOVE_CHUNK`` at a time (in the task)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    attempt = batch.attempt if attempt is None else attempt
    if batch.status != ImportBatch.Status.DELETING or attempt != batch.attempt:
        return batch
    try:
        try:
            delete_in_chunks(
                ImportBatch,
                batch_id,
                attempt,
                lambda: Member.objects.filter(import_batch_id=batch_id),
                chunk=REMOVE_CHUNK,
                running=REMOVING,
            )
        except (ProtectedError, RestrictedError) as exc:
            raise ImportProblem(
                "Some people this import added cannot be removed: other records "
                "depend on them (for example a group's membership term with "
                "actions). Remove those records first, then remove the import again."
            ) from exc
        with transaction.atomic():
            checkpoint(ImportBatch, batch_id, attempt, running=REMOVING)
            batch = ImportBatch.objects.get(pk=batch_id)
            rejected, _ = batch.rejected.all().delete()
            name, storage = batch.stored_file.name, batch.stored_file.storage
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportBatch.Status.DELETED, stored_file="", completed_at=timezone.now()
            )
            audit_record(
                action=Action.IMPORT_DELETED,
                actor=batch.created_by,
                subject=batch,
                after={
                    "people_removed": batch.removed_rows,
                    "rejected_rows_deleted": rejected,
                    "file_deleted": bool(name),
                },
            )
            if name:
                transaction.on_commit(lambda: storage.delete(name))
    except JobStopped:
        pass
    except ImportProblem as exc:
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.DELETING).update(
                status=ImportBatch.Status.FAILED, error=str(exc), completed_at=timezone.now()
            )
    return ImportBatch.objects.get(pk=batch_id)


def _sweep_fail(batch: ImportBatch, message: str) -> None:
    if batch.status == ImportBatch.Status.DELETING:
        message = (
            f"Removing this import stopped: the background worker stopped {batch.attempt} "
            f"times. {batch.removed_rows:,} people were removed so far. Remove it again to "
            "finish."
        )
    else:
        message += " Carry it on, or upload the file again."
    batch.status = ImportBatch.Status.FAILED
    batch.error = message
    batch.completed_at = timezone.now()
    batch.save(update_fields=["status", "error", "completed_at"])
    audit_record(
        action=Action.IMPORT_FAILED,
        actor=None,
        subject=batch,
        after={"swept": True, "attempt": batch.attempt, "processed_rows": batch.processed_rows},
    )


def _sweep_enqueue(batch_id: int, attempt: int) -> None:
    status = ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first()
    if status == ImportBatch.Status.DELETING:
        _enqueue_remove(batch_id, attempt)
    else:
        _enqueue(batch_id, attempt)


def import_sweep() -> SweepResult:
    """Resume (from the last committed chunk) or fail imports whose worker died."""
    return sweep_stale(
        ImportBatch,
        running=(ImportBatch.Status.RUNNING, ImportBatch.Status.DELETING),
        enqueue=_sweep_enqueue,
        fail=_sweep_fail,
        what="import",
    )


def imports_cleanup(*, keep_days: int, now: Any = None) -> dict[str, int]:
    """Delete uploaded files and rejected rows of imports that ended ``keep_days`` ago,
    and imports abandoned at the column-mapping step as long ago (with their file)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=keep_days)
    ended = (
        ImportBatch.Status.DONE,
        ImportBatch.Status.FAILED,
        ImportBatch.Status.CANCELLED,
        ImportBatch.Status.DELETED,
    )
    files = rejected = abandoned = 0
    old = ImportBatch.objects.filter(status__in=ended, completed_at__lt=cutoff).filter(
        ~Q(stored_file="") | Q(rejected__isnull=False)
    )
    for batch in old.distinct():
        with transaction.atomic():
            count, _ = batch.rejected.all().delete()
            rejected += count
            name, storage = batch.stored_file.name or "", batch.stored_file.storage
            if name:
                ImportBatch.objects.filter(pk=batch.pk).update(stored_file="")
                transaction.on_commit(functools.partial(storage.delete, name))
                files += 1
    for batch in ImportBatch.objects.filter(
        status=ImportBatch.Status.UPLOADED, created_at__lt=cutoff
    ):
        with transaction.atomic():
            name, storage = batch.stored_file.name or "", batch.stored_file.storage
            batch.delete()
            if name:
                transaction.on_commit(functools.partial(storage.delete, name))
            abandoned += 1
    result = {"files": files, "rejected_rows": rejected, "abandoned": abandoned}
    if any(result.values()):
        with transaction.atomic():
            audit_record(
                action=Action.IMPORT_FILES_CLEANED,
                actor=None,
                subject=("people.importbatch", ""),
                after={**result, "keep_days": keep_days},
            )
    return result


# Reading the results ---------------------------------------------------------------


def import_rejected_download_record(*, batch: ImportBatch, actor: Any) -> None:
    """Record that someone downloaded the rejected rows (they hold personal data)."""
    with transaction.atomic():
        audit_record(
            action=Action.IMPORT_REJECTED_DOWNLOADED,
            actor=actor,
            subject=batch,
            after={"rejected_rows": batch.rejected_rows},
        )


def import_purge(*, batch: ImportBatch, actor: Any) -> ImportBatch:
    """Delete the stored file and the rejected rows (personal data); keep the counts.

    Only for a finished or failed import. The file is removed after the commit, so a
    rollback never leaves a batch pointing at a deleted file.
    """
    if batch.status not in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
        raise ImportProblem("Only a finished or failed import can be deleted.")
    with transaction.atomic():
        deleted, _ = batch.rejected.all().delete()
        name = batch.stored_file.name
        storage = batch.stored_file.storage
        batch.stored_file = ""
        batch.save(update_fields=["stored_file"])
        audit_record(
            action=Action.IMPORT_PURGED,
            actor=actor,
            subject=batch,
            after={"rejected_rows_deleted": deleted, "file_deleted": bool(name)},
        )
        if name:
            transaction.on_commit(lambda: storage.delete(name))
    return batch


def rejected_rows_csv(*, batch: ImportBatch) -> Iterator[list[str]]:
    """Rows for the rejected-rows file: row number, the original columns, the reason.

    Cells that a spreadsheet would run as a formula get a leading quote, the header row
    and the reason included (heard.core.text.spreadsheet_safe).
    """
    columns = list(batch.columns)
    extras: list[str] = []
    for data in batch.rejected.values_list("data", flat=True).iterator():
        for key in data:
            if key not in columns and key not in extras:
                extras.append(key)
    yield ["Row", *map(spreadsheet_safe, [*columns, *extras]), "Reason"]
    for rejected in batch.rejected.order_by("row_number").iterator(chunk_size=2000):
        cells = [str(rejected.data.get(column, "")) for column in [*columns, *extras]]
        yield [
            str(rejected.row_number),
            *map(spreadsheet_safe, cells),
            spreadsheet_safe(rejected.reason),
        ]
