"""Reading an uploaded table (CSV or XLSX) into a header and rows of strings. No Django.

CSV files are read as UTF-8 (with or without a byte-order mark), else Windows-1252 (what
Excel on Windows saves as "CSV"), else whatever charset-normalizer finds; binary
garbage, empty files and files without a header row are refused with a message that says
what is wrong and how to fix it.
"""

import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

EXTENSIONS = (".csv", ".xlsx")

# Bounds, so that no upload can tie up a server: checked before the file is parsed.
MB = 1024 * 1024
MAX_BYTES = 50 * MB  # the file as uploaded
MAX_COLUMNS = 200  # a table of people or responses has tens of columns, not thousands
MAX_XLSX_UNCOMPRESSED = 250 * MB  # what the workbook's parts expand to
MAX_XLSX_RATIO = 100  # a part that expands more than this is a "zip bomb", not a sheet
MAX_CELL = 100_000  # characters in one CSV field


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message is for the person who uploaded it."""


@dataclass
class Table:
    header: list[str]
    encoding: str
    rows: Iterator[list[str]] = field(repr=False)
    # The record number of the header (1 unless blank rows come first); data rows follow.
    header_row: int = 1


def file_kind(filename: str) -> str:
    """'members.CSV' -> 'csv'; raises UnreadableFile for any other extension."""
    lower = filename.lower().strip()
    for ext in EXTENSIONS:
        if lower.endswith(ext):
            return ext[1:]
    raise UnreadableFile(
        "The file must be a CSV (.csv) or Excel workbook (.xlsx). "
        "Save it in one of those formats and upload it again."
    )


def detect_encoding(data: bytes) -> str:
    """The text encoding of a CSV file's bytes: 'utf-8-sig', 'utf-8', 'cp1252' or another."""
    if data.startswith(b"\xef\xbb\xbf"):
        data_no_bom = data[3:]
        try:
            data_no_bom.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(_garbled()) from exc
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_garbled())
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise UnreadableFile(_garbled())
    return str(best.encoding)


def _garbled() -> str:
    return (
        "The file does not look like a table of text: it may be damaged or not a CSV "
        "file. Open it in a spreadsheet, save it as CSV (UTF-8) or Excel (.xlsx), and "
        "upload it again."
    )


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls / len(sample) > 0.01


def _clean_row(row: list[Any]) -> list[str]:
    return [_cell(value) for value in row]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def _header_and_rows(rows: Iterator[list[str]], encoding: str) -> Table:
    for number, raw in enumerate(rows, start=1):
        header = [cell.strip() for cell in raw]
        while header and not header[-1]:
            header.pop()
        if not header:
            continue
        return Table(header=_unique(header), encoding=encoding, rows=rows, header_row=number)
    raise UnreadableFile(
        "The file has no rows. Put the column names in the first row and one person "
        "per row below, then upload it again."
    )


def _unique(header: list[str]) -> list[str]:
    """Blank names become 'Column 3'; repeated names get ' (2)' so every column is distinct."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for index, name in enumerate(header, start=1):
        name = name or f"Column {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def read_table(
    data: bytes, filename: str, *, max_rows: int | None = None, delimiter: str | None = None
) -> Table:
    """The header and an iterator over the data rows (lists of stripped strings).

    Rows may be shorter or longer than the header; callers pad or ignore extra cells.
    Refused with a message (UnreadableFile), before any parsing where it can be: more
    than ``MAX_BYTES``; a workbook whose parts would expand past ``MAX_XLSX_UNCOMPRESSED``
    or by more than ``MAX_XLSX_RATIO`` times; a header of more than ``MAX_COLUMNS``
    columns; more than ``max_rows`` data rows (raised while iterating). A CSV's
    ``delimiter`` is sniffed unless given.
    """
    kind = file_kind(filename)
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"The file is {len(data) / MB:.0f} MB: the largest file we take is "
            f"{MAX_BYTES // MB} MB. Split it into smaller files and upload each."
        )
    if not data.strip():
        raise UnreadableFile("The file is empty. Choose the file with your list of people.")
    table = _read_xlsx(data) if kind == "xlsx" else _read_csv(data, delimiter)
    if len(table.header) > MAX_COLUMNS:
        raise UnreadableFile(
            f"The file has {len(table.header):,} columns: we take at most {MAX_COLUMNS}. "
            "Remove the columns you do not need and upload it again."
        )
    if max_rows is not None:
        table.rows = _at_most(table.rows, max_rows)
    return table


def _at_most(rows: Iterator[list[str]], limit: int) -> Iterator[list[str]]:
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise UnreadableFile(
                f"The file has more than {limit:,} rows. Split it into files of at most "
                f"{limit:,} rows and upload each."
            )
        yield row


def _check_workbook_size(data: bytes) -> None:
    """Refuse a workbook that would expand too far, from its directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(_not_a_workbook()) from exc
    total = 0
    for part in parts:
        total += part.file_size
        if part.compress_size and part.file_size / part.compress_size > MAX_XLSX_RATIO:
            raise UnreadableFile(
                "The workbook expands to far more than its size: it is damaged or not a "
                "real spreadsheet. Save it from Excel as .xlsx or CSV and upload it again."
            )
    if total > MAX_XLSX_UNCOMPRESSED:
        raise UnreadableFile(
            f"The workbook holds {total / MB:.0f} MB of data: we take at most "
            f"{MAX_XLSX_UNCOMPRESSED // MB} MB. Save it as CSV, or split it, and upload again."
        )


def _not_a_workbook() -> str:
    return (
        "The file cannot be opened as an Excel workbook: it may be damaged or in an "
        "older format (.xls). Save it from Excel as .xlsx or CSV and upload it again."
    )


def _read_csv(data: bytes, delimiter: str | None = None) -> Table:
    if data[:4] == b"PK\x03\x04":
        raise UnreadableFile(
            "This looks like an Excel workbook saved with a .csv name. Rename it to .xlsx, "
            "or save it from Excel as CSV, and upload it again."
        )
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    if _looks_binary(text):
        raise UnreadableFile(_garbled())
    sample = text[:8192]
    dialect: Any = csv.excel
    if delimiter is None:
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    else:
        dialect = type("Given", (csv.excel,), {"delimiter": delimiter})
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)

    def rows() -> Iterator[list[str]]:
        try:
            for row in reader:
                yield _clean_row(row)
        except csv.Error as exc:
            raise UnreadableFile(
                f"Line {reader.line_num} of the file cannot be read as CSV ({exc}). "
                "Check that quotes are paired, then upload it again."
            ) from exc

    return _header_and_rows(rows(), encoding)


def _read_xlsx(data: bytes) -> Table:
    _check_workbook_size(data)  # before openpyxl is even imported (seconds, on first use)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise UnreadableFile(_not_a_workbook()) from exc
    if sheet is None:
        raise UnreadableFile("The workbook has no sheets.")

    def rows() -> Iterator[list[str]]:
        try:
            for row in sheet.iter_rows(values_only=True):
                if len(row) > MAX_COLUMNS * 5:
                    raise UnreadableFile(
                        f"A row of the workbook has {len(row):,} cells: we take at most "
                        f"{MAX_COLUMNS} columns. Remove the columns you do not need."
                    )
                yield _clean_row(list(row))
        except UnreadableFile:
            raise
        except Exception as exc:  # damaged XML inside the workbook, met while reading
            raise UnreadableFile(_not_a_workbook()) from exc
        finally:
            workbook.close()

    return _header_and_rows(rows(), "xlsx")
