"""Making an export's file from what the selectors read (no writes)."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.utils import timezone

from heard.exports import selectors, writers
from heard.exports.models import Export
from heard.exports.writers import Table

Progress = Callable[[int, str], None]  # (percent, step)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zip": "application/zip",
}


@dataclass
class Made:
    data: bytes
    filename: str
    rows: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.filename.rsplit(".", 1)[-1]]


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)


def _read(out: IO[bytes]) -> bytes:
    out.seek(0)
    return out.read()


def make(export: Export, progress: Progress | None = None) -> Made:
    report = progress or (lambda percent, step: None)
    if export.kind == Export.Kind.RESPONSES:
        return _responses(export, report)
    if export.kind == Export.Kind.ANALYSIS:
        return _analysis(export, report)
    return _open_data(export, report)


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _responses(export: Export, report: Progress) -> Made:
    assert export.activity is not None
    table = selectors.response_table(export.activity, redacted=export.redacted)

    def step(done: int, total: int) -> None:
        report(min(99, 5 + 90 * done // max(total, 1)), f"{done:,} of {total:,} responses")

    rows = selectors.response_rows(table, progress=step)
    name = f"{export.activity.slug}-responses{'' if export.redacted else '-unredacted'}-{_stamp()}"
    with _spool() as out:
        if export.format == Export.Format.CSV:
            n = writers.write_csv(out, Table(name, table.header, rows))
            filename = f"{name}.csv"
        elif export.format == Export.Format.XLSX:
            n = writers.write_xlsx(out, [Table("Responses", table.header, rows)])
            filename = f"{name}.xlsx"
        else:
            metadata = {
                "activity": export.activity.title,
                "activity_id": export.activity.pk,
                "exported_at": timezone.localtime().isoformat(timespec="seconds"),
                "responses": table.total,
                "questionnaire_versions": table.versions,
                "redacted": table.redacted,
                "redaction": (
                    "Free-text answers have names, phone numbers, NHS numbers, email and "
                    "postal addresses replaced by placeholders such as [NAME]."
                    if table.redacted
                    else "Free-text answers as written (unredacted)."
                ),
                "not_included": (
                    "Equality monitoring answers and contact details are never exported; "
                    "postcode answers are cut to their district."
                ),
                "questions": [
                    {"key": c.key, "text": c.text, "kind": c.kind} for c in table.columns
                ],
            }
            n = writers.write_json(
                out, metadata=metadata, tables=[("responses", Table(name, table.keys, rows))]
            )
            filename = f"{name}.json"
        return Made(_read(out), filename, n)


def _analysis(export: Export, report: Progress) -> Made:
    assert export.question is not None
    report(10, "Reading the themes")
    tables = selectors.analysis_tables(export.question)
    activity = export.question.version.questionnaire.activity
    base = f"{activity.slug if activity else 'feedback'}-{export.question.key}-analysis-{_stamp()}"
    report(40, "Writing the codings")
    with _spool() as out:
        if export.format == Export.Format.XLSX:
            about = Table(
                "About",
                ["About", ""],
                [
                    ["Question", export.question.text],
                    ["Themes from", tables.source],
                    ["Exported", timezone.localtime().isoformat(timespec="seconds")],
                ],
            )
            n = writers.write_xlsx(out, [tables.themes, tables.codings, about])
            filename = f"{base}.xlsx"
        elif export.format == Export.Format.JSON:
            metadata = {
                "question": export.question.text,
                "question_key": export.question.key,
                "activity": activity.title if activity else "",
                "themes_from": tables.source,
                "signed_off_version": tables.signed_off_version,
                "exported_at": timezone.localtime().isoformat(timespec="seconds"),
            }
            n = writers.write_json(
                out,
                metadata=metadata,
                tables=[("themes", tables.themes), ("codings", tables.codings)],
            )
            filename = f"{base}.json"
        else:  # CSV: two tables, so a ZIP of two CSV files
            n = 0
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for table in (tables.themes, tables.codings):
                    buffer = io.BytesIO()
                    n += writers.write_csv(buffer, table)
                    archive.writestr(f"{table.name.lower()}.csv", buffer.getvalue())
                archive.writestr(
                    "README.txt",
                    f"Analysis of: {export.question.text}\nThemes from: {tables.source}\n"
                    "themes.csv: each theme with the number of answers in it.\n"
                    "codings.csv: each theme given to an answer, by whom or what.\n",
                )
            filename = f"{base}.zip"
        return Made(_read(out), filename, n)


LICENCE_TEXT = (
    "This information is licensed under the Open Government Licence v3.0.\n"
    "To view this licence, visit "
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\n"
)


def _open_data(export: Export, report: Progress) -> Made:
    assert export.publication is not None
    report(20, "Reading the publication")
    data = selectors.open_data(export.publication)
    rows = list(data.table.rows)
    base = f"open-data-publication-{export.publication.pk}"
    csv_out = io.BytesIO()
    writers.write_csv(csv_out, Table(data.table.name, data.table.header, rows))
    json_out = io.BytesIO()
    writers.write_json(
        json_out, metadata=data.metadata, tables=[("themes", Table("", data.table.header, rows))]
    )
    readme = (
        f"{data.metadata['title']}\n\n"
        f"Published {data.metadata['published_at']} by {data.metadata['publisher']}.\n"
        "themes.csv and data.json hold what was approved for publication as "
        "'you said, we did'.\n"
        f"{data.metadata['small_numbers']}\n\n{LICENCE_TEXT}"
    )
    with _spool() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("themes.csv", csv_out.getvalue())
            archive.writestr("data.json", json_out.getvalue())
            archive.writestr("README.txt", readme)
            archive.writestr("LICENCE.txt", LICENCE_TEXT)
        json.loads(json_out.getvalue())  # it is well-formed, or the export fails
        return Made(_read(out), f"{base}.zip", len(rows))
