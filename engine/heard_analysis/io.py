"""Reading and writing response tables (CSV or XLSX) without reformatting anything.

Every cell is read as a string: "007" stays "007" and blank cells stay blank.
CSV encodings: UTF-8, UTF-8 with BOM and Windows-1252 are detected from the bytes.
"""

from __future__ import annotations

import codecs
import csv
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "InputError",
    "detect_encoding",
    "iter_csv_chunks",
    "read_table",
    "require_column",
    "write_table",
]

_PROBE_BYTES = 1 << 20


class InputError(Exception):
    """A problem with the user's file, reported as one line without a traceback."""


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in {".xlsx", ".xlsm"}


def detect_encoding(path: Path) -> str:
    """Return 'utf-8-sig', 'utf-8' or 'cp1252' for a CSV file, or raise InputError."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            if head.startswith(codecs.BOM_UTF8):
                encoding = "utf-8-sig"
            elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            else:
                encoding = "utf-8"
            fh.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8-sig")()
            try:
                while True:
                    block = fh.read(_PROBE_BYTES)
                    if not block:
                        decoder.decode(b"", final=True)
                        return encoding
                    decoder.decode(block)
            except UnicodeDecodeError:
                if encoding == "utf-8-sig":
                    raise InputError(
                        f"{path.name}: starts with a UTF-8 byte order mark but is not valid UTF-8"
                    ) from None
            # Not UTF-8: accept Windows-1252 if every byte is defined there.
            fh.seek(0)
            cp_decoder = codecs.getincrementaldecoder("cp1252")()
            try:
                while True:
                    block = fh.read(_PROBE_BYTES)
                    if not block:
                        cp_decoder.decode(b"", final=True)
                        return "cp1252"
                    text = cp_decoder.decode(block)
                    if "\x00" in text:
                        raise UnicodeDecodeError("cp1252", b"\x00", 0, 1, "NUL byte")
            except UnicodeDecodeError:
                raise InputError(
                    f"{path.name}: unrecognised text encoding (expected UTF-8 or Windows-1252)"
                ) from None
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if size == 0:
        raise InputError(f"{path.name}: the file is empty")


_CSV_OPTS: dict[str, Any] = {
    "dtype": str,
    "keep_default_na": False,
    "na_filter": False,
    # Lines with nothing on them are not rows (as in pandas and spreadsheet imports); an
    # empty cell in a one-column file is written as "" by CSV writers and is kept.
    "skip_blank_lines": True,
}


def _finish(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    if df.shape[1] == 0:
        raise InputError(f"{path.name}: the file is empty (no header row)")
    df.columns = [str(c) for c in df.columns]
    return df.fillna("").astype(object)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX file; every cell becomes a string (blank -> "")."""
    path = Path(path)
    _check_readable(path)
    if _is_xlsx(path):
        try:
            df = pd.read_excel(path, dtype=str, keep_default_na=False, na_filter=False)
        except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
            raise InputError(f"{path.name}: not a readable Excel (.xlsx) file ({exc})") from None
        return _finish(df, path)
    encoding = detect_encoding(path)
    try:
        df = pd.read_csv(path, encoding=encoding, **_CSV_OPTS)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path.name}: the file is empty") from None
    except (pd.errors.ParserError, csv.Error) as exc:
        msg = str(exc).strip().splitlines()[-1] if str(exc).strip() else "parse error"
        raise InputError(f"{path.name}: not a readable CSV file ({msg})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: unrecognised text encoding") from None
    return _finish(df, path)


def iter_csv_chunks(path: str | Path, chunksize: int = 50_000) -> Iterator[pd.DataFrame]:
    """Stream a CSV in chunks of string cells (same rules as read_table)."""
    path = Path(path)
    _check_readable(path)
    encoding = detect_encoding(path)
    try:
        reader = pd.read_csv(path, encoding=encoding, chunksize=chunksize, **_CSV_OPTS)
        for chunk in reader:
            yield _finish(chunk, path)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path.name}: the file is empty") from None
    except (pd.errors.ParserError, csv.Error) as exc:
        msg = str(exc).strip().splitlines()[-1] if str(exc).strip() else "parse error"
        raise InputError(f"{path.name}: not a readable CSV file ({msg})") from None


def require_column(df: pd.DataFrame, column: str, path: str | Path) -> None:
    if column not in df.columns:
        existing = ", ".join(repr(c) for c in df.columns)
        raise InputError(f"{Path(path).name}: no column {column!r}; the columns are: {existing}")


def _check_out(path: Path) -> None:
    if path.suffix.lower() not in {".csv", ".xlsx"}:
        raise InputError(f"{path}: output must end in .csv or .xlsx")
    if not path.parent.exists():
        raise InputError(f"{path.parent}: output folder does not exist")


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write CSV (UTF-8, no index) or XLSX according to the extension."""
    path = Path(path)
    _check_out(path)
    try:
        if path.suffix.lower() == ".xlsx":
            df.to_excel(path, index=False, engine="openpyxl")
        else:
            df.to_csv(path, index=False, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None


class CsvChunkWriter:
    """Append DataFrame chunks to one CSV file (header written once)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        _check_out(self.path)
        self._first = True

    def write(self, df: pd.DataFrame) -> None:
        try:
            df.to_csv(
                self.path,
                index=False,
                encoding="utf-8",
                mode="w" if self._first else "a",
                header=self._first,
            )
        except OSError as exc:
            raise InputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None
        self._first = False


def stderr_progress(total: int, desc: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A (callback, close) pair drawing a tqdm bar on stderr, only when stderr is a TTY."""
    if not sys.stderr.isatty():
        return (lambda done, tot: None), (lambda: None)
    from tqdm import tqdm  # type: ignore[import-untyped]

    bar = tqdm(total=total, desc=desc, file=sys.stderr, unit="row", leave=False)

    def update(done: int, tot: int) -> None:
        if tot != bar.total:
            bar.total = tot
        bar.n = done
        bar.refresh()

    return update, bar.close
