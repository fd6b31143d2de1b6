"""Writes for exports: ask for one (made now when small, else by a task), make it, record
each download, delete old files.

Who may export is checked here, not only in the views: responses need
``exports.export_responses``, and the unredacted words ``engagement.view_responses_unredacted``
as well (asked for explicitly; redacted is the default); analysis results
``exports.export_analysis``; open data ``exports.export_open_data`` and an approved
publication. The same checks run again when the task makes the file (a role may have
changed while it waited) and at each download.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.engagement.models import Activity, Question
from heard.exports import build, selectors
from heard.exports.models import Export
from heard.servicechange.outcomes.models import Publication

logger = logging.getLogger(__name__)

UNREDACTED_PERM = "engagement.view_responses_unredacted"
PERMS = {
    Export.Kind.RESPONSES: "exports.export_responses",
    Export.Kind.ANALYSIS: "exports.export_analysis",
    Export.Kind.OPEN_DATA: "exports.export_open_data",
}
FORMATS = {
    Export.Kind.RESPONSES: (Export.Format.CSV, Export.Format.XLSX, Export.Format.JSON),
    Export.Kind.ANALYSIS: (Export.Format.CSV, Export.Format.XLSX, Export.Format.JSON),
    Export.Kind.OPEN_DATA: (Export.Format.ZIP,),
}


class ExportRefused(ValueError):
    """An export that cannot be made as asked (a format it does not come in, nothing to
    export); the message says why."""


def inline_rows() -> int:
    """Up to this many rows an export is made while the person waits; above, by a task."""
    return int(getattr(settings, "HEARD_EXPORTS_INLINE_ROWS", 2000))


def keep_hours() -> int:
    return int(getattr(settings, "HEARD_EXPORTS_KEEP_HOURS", 72))


def refusal(export: Export, actor: Any) -> str:
    """Why ``actor`` may not have ``export`` (made or downloaded), or "" if they may."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "Sign in to export."
    if not actor.has_perm(PERMS[Export.Kind(export.kind)]):
        return "Your role does not allow this export."
    if (
        export.kind == Export.Kind.RESPONSES
        and not export.redacted
        and not actor.has_perm(UNREDACTED_PERM)
    ):
        return (
            "Your role sees responses with personal data replaced by placeholders: "
            "export them redacted."
        )
    if export.kind == Export.Kind.OPEN_DATA and (
        export.publication_id is None
        or selectors.approved_publication(export.publication_id) is None
    ):
        return "Only a published 'you said, we did' can be exported as open data."
    return ""


def export_request(
    *,
    kind: str,
    fmt: str,
    actor: Any,
    activity: Activity | None = None,
    question: Question | None = None,
    publication: Publication | None = None,
    unredacted: bool = False,
) -> Export:
    """Ask for an export. Small ones are made at once (the returned export is ready);
    larger ones are queued for a task (the export page shows progress)."""
    kind = Export.Kind(kind)
    if fmt not in FORMATS[kind]:
        raise ExportRefused(
            f"{kind.label} come as {', '.join(f.upper() for f in FORMATS[kind])}, not {fmt!r}."
        )
    export = Export(
        kind=kind,
        format=fmt,
        activity=activity if kind == Export.Kind.RESPONSES else None,
        question=question if kind == Export.Kind.ANALYSIS else None,
        publication=publication if kind == Export.Kind.OPEN_DATA else None,
        redacted=not (kind == Export.Kind.RESPONSES and unredacted),
        requested_by=actor,
    )
    if kind == Export.Kind.RESPONSES and export.activity is None:
        raise ExportRefused("Say which activity's responses to export.")
    if kind == Export.Kind.ANALYSIS and export.question is None:
        raise ExportRefused("Say which question's analysis to export.")
    if kind == Export.Kind.OPEN_DATA and export.publication is None:
        raise ExportRefused("Say which publication to export.")
    why = refusal(export, actor)
    if why:
        raise PermissionDenied(why)
    size = _size(export)
    if kind == Export.Kind.RESPONSES and size == 0:
        raise ExportRefused("There are no responses to export yet.")
    waiting = (
        Export.objects.filter(
            kind=export.kind,
            format=export.format,
            activity=export.activity,
            question=export.question,
            publication=export.publication,
            redacted=export.redacted,
            requested_by=actor,
            status__in=(Export.Status.QUEUED, Export.Status.RUNNING),
        )
        .defer("data")
        .first()
    )
    if waiting is not None:  # asked twice (a double click): the one being made already
        return waiting
    with transaction.atomic():
        export.save()
        audit_record(
            action=Action.EXPORT_REQUESTED,
            actor=actor,
            subject=_subject(export),
            after=_facts(export) | {"rows_expected": size},
        )
        if size > inline_rows():
            transaction.on_commit(lambda: _enqueue(export.pk))
    if size <= inline_rows():
        return export_execute(export_id=export.pk)
    return export


def _size(export: Export) -> int:
    if export.kind == Export.Kind.RESPONSES and export.activity is not None:
        return selectors.response_count(export.activity)
    if export.kind == Export.Kind.ANALYSIS and export.question is not None:
        return selectors.coding_count(export.question)
    return 0


def _subject(export: Export) -> Any:
    return export.activity or export.question or export.publication or export


def _facts(export: Export) -> dict[str, Any]:
    return {
        "export": export.pk,
        "kind": export.kind,
        "format": export.format,
        "redacted": export.redacted,
    }


def _enqueue(export_id: int) -> None:
    from heard.exports.tasks import make_export

    make_export.enqueue(export_id)


def _progress(export_id: int, percent: int, step: str) -> None:
    Export.objects.filter(pk=export_id).update(progress=percent, step=step[:200])


def export_execute(*, export_id: int) -> Export:
    """Make the file of a queued export (once), store it, and audit it."""
    export = Export.objects.select_related(
        "activity", "question__version__questionnaire__activity", "publication", "requested_by"
    ).get(pk=export_id)
    started = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING
    )
    if not started:  # made, failed, or being made by another worker
        return export
    why = refusal(export, export.requested_by)
    if why:
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED, error=why, finished_at=timezone.now()
        )
        export.refresh_from_db()
        return export
    try:
        made = build.make(export, progress=lambda p, s: _progress(export_id, p, s))
    except Exception as exc:
        logger.exception("Export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        export.refresh_from_db()
        return export
    with transaction.atomic():
        export.data = made.data
        export.size = len(made.data)
        export.sha256 = hashlib.sha256(made.data).hexdigest()
        export.rows = made.rows
        export.filename = made.filename
        export.status = Export.Status.DONE
        export.progress = 100
        export.step = "Ready"
        export.finished_at = timezone.now()
        export.save()
        audit_record(
            action=Action.EXPORT_MADE,
            actor=export.requested_by,
            subject=_subject(export),
            after=_facts(export)
            | {"rows": export.rows, "sha256": export.sha256, "bytes": export.size},
        )
    return export


def export_downloaded(*, export: Export, actor: Any) -> bytes:
    """The file of a ready export, for someone who may have it; the download is audited."""
    why = refusal(export, actor)
    if why:
        raise PermissionDenied(why)
    if export.status != Export.Status.DONE:
        raise ExportRefused("This export is not ready, or has been deleted.")
    with transaction.atomic():
        audit_record(
            action=Action.EXPORT_DOWNLOADED,
            actor=actor,
            subject=_subject(export),
            after=_facts(export) | {"sha256": export.sha256},
        )
    return bytes(export.data)


def exports_cleanup(*, now: Any = None, hours: int | None = None) -> int:
    """Delete the files of exports made more than ``hours`` ago (the rows stay, as the
    record of who exported what), and give up on ones stuck that long. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=keep_hours() if hours is None else hours)
    with transaction.atomic():
        old = list(
            Export.objects.select_for_update(of=("self",))
            .filter(requested_at__lt=cutoff)
            .exclude(status=Export.Status.EXPIRED)
            .values_list("pk", flat=True)
        )
        if not old:
            return 0
        Export.objects.filter(pk__in=old).update(
            status=Export.Status.EXPIRED, data=b"", step="Deleted", progress=0
        )
        audit_record(
            action=Action.EXPORTS_DELETED,
            actor=None,
            subject=("exports.Export", ""),
            after={"exports": old, "older_than_hours": keep_hours() if hours is None else hours},
        )
    return len(old)
