"""Responses typed up into a spreadsheet and imported by an officer, as the import page
does it: the file stored as an upload, its columns matched the way the page suggests,
and the import run the way its background task runs it (synchronously here)."""

import csv
import io
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from heard.engagement import selectors_responses
from heard.engagement import services_response_imports as response_imports
from heard.engagement.forms_responses import guess_target, mapping_choices
from heard.engagement.models import Activity, QuestionnaireVersion, ResponseImport


def import_responses(
    *,
    activity: Activity,
    version: QuestionnaireVersion,
    view: selectors_responses.VersionView,
    lines: list[list[str]],
    filename: str,
    officer: Any,
) -> int:
    """Import ``lines`` (the header, then a row a response); the demo stops with an error
    unless every column is matched and every row imported. Returns the rows imported."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    header = lines[0]
    stored = default_storage.save(
        f"{response_imports.IMPORT_DIR}/{uuid.uuid4().hex}.csv",
        ContentFile(buffer.getvalue().encode("utf-8")),
    )
    choices = mapping_choices(view.specs)
    mapping = {index: guess_target(title, choices) for index, title in enumerate(header)}
    batch = response_imports.response_import_start(
        activity=activity,
        version=version,
        filename=filename,
        stored_name=stored,
        header=header,
        mapping=mapping,
        actor=officer,
    )
    batch = response_imports.response_import_run(batch_id=batch.pk)
    if (
        batch.status != ResponseImport.Status.DONE
        or batch.rejected_rows
        or batch.imported_rows != len(lines) - 1
        or not all(mapping.values())
    ):
        raise RuntimeError(f"The demo import {filename} did not complete: {batch.error}")
    return batch.imported_rows
