"""Writing tables as CSV, XLSX and JSON (pure: no Django).

A table is a header (column names) and rows (lists of cells). Every text cell of a CSV or
a spreadsheet goes through ``cell``: one that a spreadsheet would run as a formula
(leading = + - @, tab, carriage return, line feed or their full-width forms) gets a
leading apostrophe (``heard.core.text.spreadsheet_safe``, the rule the import's rejected-
row files use), the header row included, since question wording is typed by staff and
answers by anyone. openpyxl would otherwise store a text starting with "=" as a formula.
Numbers stay numbers. JSON is data, not a spreadsheet: its text is left as written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from heard.core.text import spreadsheet_safe

# Characters an XLSX file cannot hold at all (openpyxl refuses them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell(value: Any) -> Any:
    """A cell safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return spreadsheet_safe(value)


@dataclass
class Table:
    name: str  # the sheet's name, or the CSV file's name without ".csv"
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def write_csv(out: IO[bytes], table: Table) -> int:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8); returns the rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([cell(h) for h in table.header])
    n = 0
    for row in table.rows:
        writer.writerow([cell(v) for v in row])
        n += 1
    text.flush()
    text.detach()
    return n


def write_xlsx(out: IO[bytes], tables: Sequence[Table]) -> int:
    """One sheet per table (openpyxl's write-only mode: rows are not kept in memory)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    n = 0
    for table in tables:
        sheet = book.create_sheet(title=_sheet_title(table.name))
        sheet.append([_xlsx(cell(h)) for h in table.header])
        for row in table.rows:
            sheet.append([_xlsx(cell(v)) for v in row])
            n += 1
    book.save(out)
    return n


def _xlsx(value: Any) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        # Excel's limit for one cell
        return value if len(value) <= 32767 else value[:32760] + " […]"
    return value


def _sheet_title(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", name).strip() or "Sheet"
    return cleaned[:31]


def write_json(
    out: IO[bytes], *, metadata: dict[str, Any], tables: Sequence[tuple[str, Table]]
) -> int:
    """``{"metadata": …, "<key>": [{column: value, …}, …], …}``, written row by row."""
    n = 0
    out.write(b'{"metadata": ')
    out.write(json.dumps(metadata, ensure_ascii=False, default=str).encode())
    for key, table in tables:
        out.write(b",\n" + json.dumps(key).encode() + b": [")
        header = list(table.header)
        first = True
        for row in table.rows:
            item = dict(zip(header, row, strict=True))
            out.write((b"\n" if first else b",\n") + _dumps(item))
            first = False
            n += 1
        out.write(b"\n]")
    out.write(b"}\n")
    return n


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=str).encode()
