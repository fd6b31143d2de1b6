"""Writing the insight bank: insights from answers and imports, imports, saved searches.

Every insight is redacted (personal data removed by the analysis engine) and scored for
sentiment as it is created, and its redacted text is added to the search index in the
same transaction. Imports and saved searches are audited with ids and counts only.
"""

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.actors import require
from heard.core.jobs import JobStopped, SweepResult, checkpoint, delete_in_chunks, sweep_stale
from heard.core.text import spreadsheet_safe
from heard.insight import csvfile
from heard.insight.facets import facets_for
from heard.insight.models import Insight, InsightImport, InsightImportRejectedRow, SavedSearch
from heard.insight.search import backend
from heard.people.models import Topic

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CHUNK_ROWS = 1000


class ImportProblem(ValueError):
    """An import that cannot go ahead; the message says why and what to do."""


class SavedSearchProblem(ValueError):
    """A saved search that cannot be saved as asked; the message says why."""


@dataclass(frozen=True)
class InsightDraft:
    text: str
    source: str
    occurred_on: date
    channel: str = ""
    locality: str = ""
    service: str = ""
    topic_ids: Sequence[int] = ()
    themes: Sequence[str] = ()
    activity_id: int | None = None
    response_id: int | None = None
    answer_id: int | None = None
    import_batch_id: int | None = None
    import_row: int | None = None


# A safety net after the engine: any email address it left (seen: one followed by a
# full stop) is still removed, because quotes from the bank are shown to many staff.
_EMAIL_LEFT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _redact(texts: list[str]) -> list[str]:
    try:
        from heard_analysis.redact import redact_many
    except ImportError:  # pragma: no cover – the engine ships with the project
        logger.warning("heard_analysis is not installed: insight text is NOT redacted")
        return list(texts)
    return [_EMAIL_LEFT.sub("[EMAIL]", text) for text in redact_many(texts)]


def _sentiment(texts: list[str]) -> list[tuple[str, float | None]]:
    try:
        from heard_analysis.sentiment import sentiment
    except ImportError:  # pragma: no cover
        return [("", None) for _ in texts]
    return [(s.label, s.score) for s in sentiment(texts)]


def insights_create(*, drafts: Sequence[InsightDraft]) -> list[Insight]:
    """Store insights (redacted, scored, indexed). Answers already held are skipped.

    Runs in the caller's transaction if there is one (a response being stored), so the
    insights commit or roll back with it.
    """
    answer_ids = [d.answer_id for d in drafts if d.answer_id is not None]
    if answer_ids:
        held = set(
            Insight.objects.filter(answer_id__in=answer_ids)
            .order_by()
            .values_list("answer_id", flat=True)
        )
        drafts = [d for d in drafts if d.answer_id is None or d.answer_id not in held]
    if not drafts:
        return []
    texts = [d.text for d in drafts]
    redacted = _redact(texts)
    moods = _sentiment(redacted)
    now = timezone.now()
    with transaction.atomic():
        created = Insight.objects.bulk_create(
            [
                Insight(
                    text=d.text,
                    redacted_text=clean,
                    source=d.source,
                    channel=d.channel,
                    occurred_on=d.occurred_on,
                    locality=d.locality,
                    service=d.service,
                    themes=list(d.themes),
                    sentiment=label,
                    sentiment_score=score,
                    activity_id=d.activity_id,
                    response_id=d.response_id,
                    answer_id=d.answer_id,
                    import_batch_id=d.import_batch_id,
                    import_row=d.import_row,
                    created_at=now,
                )
                for d, clean, (label, score) in zip(drafts, redacted, moods, strict=True)
            ],
            batch_size=500,
        )
        through = Insight.topics.through
        through.objects.bulk_create(
            [
                through(insight_id=insight.pk, topic_id=topic_id)
                for insight, d in zip(created, drafts, strict=True)
                for topic_id in set(d.topic_ids)
            ],
            batch_size=1000,
        )
        slugs = dict(
            Topic.objects.filter(pk__in={t for d in drafts for t in d.topic_ids}).values_list(
                "pk", "slug"
            )
        )
        backend().index(
            (
                insight.pk,
                insight.redacted_text,
                facets_for(
                    locality=insight.locality,
                    source=insight.source,
                    topic_slugs=[slugs[t] for t in set(d.topic_ids) if t in slugs],
                    occurred_on=insight.occurred_on,
                ),
            )
            for insight, d in zip(created, drafts, strict=True)
        )
    return created


def insights_reindex(*, ids: Sequence[int]) -> None:
    """Refresh the search index for insights whose place, source or topics changed
    (whoever changes them – e.g. analysis or a correction – calls this in the same
    transaction)."""
    rows = []
    for insight in Insight.objects.filter(pk__in=ids).prefetch_related("topics"):
        slugs = [t.slug for t in insight.topics.all()]
        rows.append(
            (
                insight.pk,
                insight.redacted_text,
                facets_for(
                    locality=insight.locality,
                    source=insight.source,
                    topic_slugs=slugs,
                    occurred_on=insight.occurred_on,
                ),
            )
        )
    backend().index(rows)


def insight_delete(*, insight: Insight, actor: Any) -> None:
    """Delete one insight – e.g. when the person who said it objects or asks for erasure
    (UK GDPR; domain §11). Audited with its id and source only."""
    require(actor, "insight.delete_insight", to="delete an insight")
    with transaction.atomic():
        audit_record(
            action=Action.INSIGHT_DELETED,
            actor=actor,
            subject=insight,
            before={"source": insight.source, "import_id": insight.import_batch_id},
        )
        insight.delete()


def insights_delete(*, ids: Sequence[int]) -> int:
    """Delete insights; each leaves the search index too (receivers.insight_deleted)."""
    with transaction.atomic():
        deleted, _ = Insight.objects.filter(pk__in=ids).delete()
    return deleted


# Imports -----------------------------------------------------------------------------


def insight_import_upload(
    *, filename: str, data: bytes, default_source: str, actor: Any
) -> InsightImport:
    """Check and store an uploaded CSV and queue its import.

    Raises ImportProblem (nothing stored) if the file is too big, is not a CSV we can
    read, lacks the text or date column, or was imported before (same SHA-256).
    """
    require(actor, "insight.import_insight", to="import insights")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportProblem(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split it into "
            "smaller files and import each one."
        )
    if not filename.lower().endswith((".csv", ".txt")):
        raise ImportProblem(
            "Choose a CSV file (ending .csv). If your comments are in a spreadsheet, save "
            "it as CSV first."
        )
    try:
        table = csvfile.read_table(data)
    except csvfile.UnreadableFile as exc:
        raise ImportProblem(str(exc)) from exc
    digest = hashlib.sha256(data).hexdigest()
    earlier = (
        InsightImport.objects.filter(file_sha256=digest)
        .exclude(status=InsightImport.Status.FAILED)
        .first()
    )
    if earlier is not None:
        raise ImportProblem(
            f"This file was already imported on {timezone.localtime(earlier.created_at):%d %B %Y} "
            f"({earlier.imported_rows} insights), so nothing was imported again. If it has "
            "changed, import only the new rows."
        )
    text, _ = csvfile.decode(data)
    with transaction.atomic():
        batch = InsightImport.objects.create(
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            filename=filename[-255:],
            file_sha256=digest,
            encoding=table.encoding,
            default_source=default_source,
            content=text,
            columns=table.header,
            total_rows=len(table.rows),
            heartbeat_at=timezone.now(),
        )
        audit_record(
            action=Action.INSIGHT_IMPORT_UPLOADED,
            actor=actor,
            subject=batch,
            after={"rows": len(table.rows), "bytes": len(data), "sha256": digest},
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: _enqueue(batch_id, 1))
    return batch


def _enqueue(batch_id: int, attempt: int) -> None:
    from heard.insight.tasks import import_insights

    import_insights.enqueue(batch_id, attempt)


def _topic_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for pk, name, slug in Topic.objects.values_list("pk", "name", "slug"):
        lookup[name.lower()] = pk
        lookup[slug.lower()] = pk
    return lookup


RUNNING = (InsightImport.Status.RUNNING,)
REMOVING = (InsightImport.Status.DELETING,)
REMOVE_CHUNK = 2000


def insight_import_run(*, batch_id: int, attempt: int | None = None) -> InsightImport:
    """Run an uploaded import (in the background task): every row checked, valid rows
    stored as insights in chunks, rejected rows kept with the reason.

    Each chunk's transaction checks the import is still this attempt's
    (heard.core.jobs.checkpoint) and stores the chunk with the progress, so a later
    attempt (after the worker died: ``insight_import_sweep``) starts after the last
    committed chunk. Any unexpected failure marks the import failed, plainly."""
    batch = InsightImport.objects.get(pk=batch_id)
    attempt = batch.attempt if attempt is None else attempt
    if batch.status != InsightImport.Status.RUNNING or attempt != batch.attempt:
        return batch
    counts = {
        "processed_rows": batch.processed_rows,
        "imported_rows": batch.imported_rows,
        "rejected_rows": batch.rejected_rows,
    }
    try:
        table = csvfile.read_table(batch.content.encode("utf-8"))
        topics = _topic_lookup()
        today = timezone.localdate()
        rows = table.rows[counts["processed_rows"] :]  # resuming: after the last chunk
        for chunk in csvfile.iter_chunks(rows, CHUNK_ROWS):
            drafts: list[InsightDraft] = []
            rejected: list[InsightImportRejectedRow] = []
            for number, cells in chunk:
                try:
                    row = csvfile.clean_row(
                        cells, table.columns, default_source=batch.default_source, today=today
                    )
                except csvfile.RowInvalid as exc:
                    data = {
                        h: (cells[i] if i < len(cells) else "") for i, h in enumerate(table.header)
                    }
                    rejected.append(
                        InsightImportRejectedRow(
                            batch=batch, row_number=number, data=data, reason=str(exc)
                        )
                    )
                    continue
                drafts.append(
                    InsightDraft(
                        text=row.text,
                        source=row.source,
                        channel=row.channel,
                        occurred_on=row.occurred_on,
                        locality=row.locality,
                        service=row.service,
                        topic_ids=[topics[t.lower()] for t in row.topics if t.lower() in topics],
                        themes=row.themes,
                        import_batch_id=batch.pk,
                        import_row=number,
                    )
                )
            with transaction.atomic():
                checkpoint(InsightImport, batch.pk, attempt, running=RUNNING)
                insights_create(drafts=drafts)
                InsightImportRejectedRow.objects.bulk_create(rejected, batch_size=1000)
                counts["processed_rows"] += len(chunk)
                counts["imported_rows"] += len(drafts)
                counts["rejected_rows"] += len(rejected)
                InsightImport.objects.filter(pk=batch.pk).update(**counts)
        with transaction.atomic():
            checkpoint(InsightImport, batch.pk, attempt, running=RUNNING)
            InsightImport.objects.filter(pk=batch_id).update(
                status=InsightImport.Status.DONE, completed_at=timezone.now(), content="", **counts
            )
            audit_record(
                action=Action.INSIGHT_IMPORT_COMPLETED,
                actor=batch.created_by,
                subject=batch,
                after={**counts, "attempt": attempt},
            )
    except JobStopped:
        pass
    except Exception as exc:
        logger.exception("Insight import %s failed", batch_id)
        message = (
            str(exc)
            if isinstance(exc, csvfile.UnreadableFile)
            else (
                f"The import stopped after {counts['processed_rows']} rows because of an "
                "unexpected error. The rows before that point were saved; the rest were not. "
                "Import the remaining rows as a new file."
            )
        )
        with transaction.atomic():
            updated = InsightImport.objects.filter(
                pk=batch_id, status=InsightImport.Status.RUNNING, attempt=attempt
            ).update(
                status=InsightImport.Status.FAILED,
                error=message,
                completed_at=timezone.now(),
                content="",  # what people wrote is not kept in a failed import either
            )
            if updated:
                audit_record(
                    action=Action.INSIGHT_IMPORT_FAILED,
                    actor=batch.created_by,
                    subject=batch,
                    after=counts,
                )
    return InsightImport.objects.get(pk=batch_id)


def insight_import_cancel(*, batch: InsightImport, actor: Any) -> InsightImport:
    """Stop a running import; the insights stored so far stay (they can be removed)."""
    require(actor, "insight.import_insight", to="stop an import of insights")
    with transaction.atomic():
        batch = InsightImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != InsightImport.Status.RUNNING:
            raise ImportProblem("This import is not running, so there is nothing to stop.")
        InsightImport.objects.filter(pk=batch.pk).update(
            status=InsightImport.Status.CANCELLED,
            attempt=batch.attempt + 1,
            completed_at=timezone.now(),
            content="",
        )
        audit_record(
            action=Action.INSIGHT_IMPORT_CANCELLED,
            actor=actor,
            subject=batch,
            after={"processed_rows": batch.processed_rows, "imported_rows": batch.imported_rows},
        )
    return InsightImport.objects.get(pk=batch.pk)


def insight_import_delete(*, batch: InsightImport, actor: Any) -> InsightImport:
    """Remove an import with the insights it stored (a task, in chunks) and its rejected rows."""
    require(actor, "insight.import_insight", to="delete an import of insights")
    with transaction.atomic():
        batch = InsightImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status == InsightImport.Status.RUNNING:
            raise ImportProblem("Stop the import before removing it.")
        if batch.status in (InsightImport.Status.DELETING, InsightImport.Status.DELETED):
            raise ImportProblem("This import is already removed or being removed.")
        InsightImport.objects.filter(pk=batch.pk).update(
            status=InsightImport.Status.DELETING,
            attempt=batch.attempt + 1,
            heartbeat_at=timezone.now(),
            content="",
        )
        audit_record(
            action=Action.INSIGHT_IMPORT_DELETED,
            actor=actor,
            subject=batch,
            after={"asked": True, "imported_rows": batch.imported_rows},
        )
        batch_id, attempt = batch.pk, batch.attempt + 1
        transaction.on_commit(lambda: _enqueue_remove(batch_id, attempt))
    return InsightImport.objects.get(pk=batch.pk)


def _enqueue_remove(batch_id: int, attempt: int) -> None:
    from heard.insight.tasks import remove_insight_import

    remove_insight_import.enqueue(batch_id, attempt)


def insight_import_remove_run(*, batch_id: int, attempt: int | None = None) -> InsightImport:
    """Delete the insights an import stored, ``REMOVE_CHUNK`` at a time (in the task)."""
    batch = InsightImport.objects.get(pk=batch_id)
    attempt = batch.attempt if attempt is None else attempt
    if batch.status != InsightImport.Status.DELETING or attempt != batch.attempt:
        return batch
    try:
        delete_in_chunks(
            InsightImport,
            batch_id,
            attempt,
            lambda: Insight.objects.filter(import_batch_id=batch_id),
            chunk=REMOVE_CHUNK,
            running=REMOVING,
        )
        with transaction.atomic():
            checkpoint(InsightImport, batch_id, attempt, running=REMOVING)
            rejected, _ = InsightImportRejectedRow.objects.filter(batch_id=batch_id).delete()
            InsightImport.objects.filter(pk=batch_id).update(
                status=InsightImport.Status.DELETED, completed_at=timezone.now()
            )
            batch.refresh_from_db()
            audit_record(
                action=Action.INSIGHT_IMPORT_DELETED,
                actor=batch.created_by,
                subject=batch,
                after={"insights_removed": batch.removed_rows, "rejected_rows_deleted": rejected},
            )
    except JobStopped:
        pass
    return InsightImport.objects.get(pk=batch_id)


def _sweep_fail(batch: InsightImport, message: str) -> None:
    if batch.status == InsightImport.Status.DELETING:
        message = (
            f"Removing this import stopped: the background worker stopped {batch.attempt} "
            f"times. {batch.removed_rows:,} insights were removed so far. Remove it again "
            "to finish."
        )
    else:
        message += " Import the remaining rows as a new file."
    InsightImport.objects.filter(pk=batch.pk).update(
        status=InsightImport.Status.FAILED, error=message, completed_at=timezone.now(), content=""
    )
    audit_record(
        action=Action.INSIGHT_IMPORT_FAILED,
        actor=None,
        subject=batch,
        after={"swept": True, "attempt": batch.attempt, "processed_rows": batch.processed_rows},
    )


def _sweep_enqueue(batch_id: int, attempt: int) -> None:
    status = InsightImport.objects.filter(pk=batch_id).values_list("status", flat=True).first()
    if status == InsightImport.Status.DELETING:
        _enqueue_remove(batch_id, attempt)
    else:
        _enqueue(batch_id, attempt)


def insight_import_sweep() -> SweepResult:
    """Resume (from the last committed chunk) or fail insight imports whose worker died."""
    return sweep_stale(
        InsightImport,
        running=(InsightImport.Status.RUNNING, InsightImport.Status.DELETING),
        enqueue=_sweep_enqueue,
        fail=_sweep_fail,
        what="import",
    )


def insight_imports_cleanup(*, keep_days: int) -> dict[str, int]:
    """Delete the rejected rows (what people wrote) of imports that ended long ago."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    with transaction.atomic():
        deleted, _ = InsightImportRejectedRow.objects.filter(
            batch__completed_at__lt=cutoff,
            batch__status__in=(
                InsightImport.Status.DONE,
                InsightImport.Status.FAILED,
                InsightImport.Status.CANCELLED,
            ),
        ).delete()
        if deleted:
            audit_record(
                action=Action.IMPORT_FILES_CLEANED,
                actor=None,
                subject=("insight.insightimport", ""),
                after={"rejected_rows": deleted, "keep_days": keep_days},
            )
    return {"rejected_rows": deleted}


def rejected_rows_csv(*, batch: InsightImport) -> list[list[str]]:
    """Rows for the rejected-rows file: row number, the original columns, the reason.

    Cells a spreadsheet would run as a formula get a leading quote, the header row
    included (heard.core.text.spreadsheet_safe).
    """
    columns = [str(c) for c in batch.columns]
    out = [["Row", *map(spreadsheet_safe, columns), "Reason"]]
    for rejected in batch.rejected.order_by("row_number"):
        cells = [str(rejected.data.get(c, "")) for c in columns]
        out.append(
            [
                str(rejected.row_number),
                *map(spreadsheet_safe, cells),
                spreadsheet_safe(rejected.reason),
            ]
        )
    return out


def rejected_rows_download(*, batch: InsightImport, actor: Any) -> list[list[str]]:
    """The rejected rows as CSV rows; audited, because they hold what people wrote
    before redaction (names, contact details)."""
    require(actor, "insight.import_insight", to="download an import's rejected rows")
    rows = rejected_rows_csv(batch=batch)
    with transaction.atomic():
        audit_record(
            action=Action.INSIGHT_IMPORT_REJECTED_DOWNLOADED,
            actor=actor,
            subject=batch,
            after={"rows": len(rows) - 1},
        )
    return rows


# Saved searches ----------------------------------------------------------------------


def saved_search_create(*, owner: Any, name: str, params: dict[str, str]) -> SavedSearch:
    """Save (or replace, if the name is taken by this owner) a named search. Audited."""
    name = name.strip()
    if not name:
        raise SavedSearchProblem("Enter a name for the search, for example “Parking at NNUH”.")
    if len(name) > 100:
        raise SavedSearchProblem("The name must be 100 characters or fewer.")
    params = {k: str(v) for k, v in params.items() if v and k != "page"}
    with transaction.atomic():
        saved, created = SavedSearch.objects.update_or_create(
            owner=owner, name=name, defaults={"params": params}
        )
        audit_record(
            action=Action.SAVED_SEARCH_SAVED,
            actor=owner,
            subject=saved,
            after={"filters": sorted(params), "replaced": not created},
        )
    return saved


def saved_search_delete(*, owner: Any, saved_search_id: int) -> bool:
    """Delete one of the owner's saved searches; False if there is no such search."""
    with transaction.atomic():
        saved = SavedSearch.objects.filter(owner=owner, pk=saved_search_id).first()
        if saved is None:
            return False
        audit_record(
            action=Action.SAVED_SEARCH_DELETED,
            actor=owner,
            subject=saved,
            before={"filters": sorted(saved.params)},
        )
        saved.delete()
    return True
