"""Reading a CSV of insight from another source (pure, no Django).

Accepts UTF-8 (with or without a byte-order mark) and Windows-1252, the encodings
spreadsheets save in. Refuses, with a message saying what to do, anything that is not a
CSV table: spreadsheets saved as .xlsx, binary files, files without the columns we need.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from heard.core import substance
from heard.people.imports import reader as bounds
from heard.people.postcodes import LOCALITIES, OUTSIDE_AREA

MAX_TEXT = 10_000

# Column names people use, mapped to our fields (compared lower-case, spaces squashed).
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "comment", "comments", "feedback", "what they said", "description", "details"),
    "date": ("date", "date received", "received", "occurred on", "date of feedback"),
    "source": ("source", "type", "feedback type"),
    "locality": ("locality", "place", "area", "district"),
    "service": ("service", "service area", "department", "provider"),
    "channel": ("channel", "how received", "method"),
    "topics": ("topics", "topic"),
    # Themes already coded at the source (an FFT extract's category, a Healthwatch report's
    # theme): kept as the insight's themes, like those analysis codes later.
    "themes": ("themes", "theme", "category", "categories"),
}
REQUIRED = ("text", "date")

SOURCE_WORDS: dict[str, str] = {
    "pals": "pals",
    "patient advice and liaison service": "pals",
    "complaint": "complaint",
    "complaints": "complaint",
    "fft": "fft",
    "friends and family test": "fft",
    "friends and family": "fft",
    "healthwatch": "healthwatch",
    "healthwatch report": "healthwatch",
    "survey": "survey",
    "survey response": "survey",
    "other": "other",
}
CHANNEL_WORDS: dict[str, str] = {
    "online": "online",
    "web": "online",
    "website": "online",
    "paper": "paper",
    "post": "paper",
    "phone": "phone",
    "telephone": "phone",
    "event": "event",
    "email": "email",
    "letter": "email",
    "in person": "in_person",
    "face to face": "in_person",
    "other": "other",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


class UnreadableFile(ValueError):
    """The file cannot be read as a CSV of insight; the message says what to do."""


class RowInvalid(ValueError):
    """One row cannot be imported; the message is the reason shown to staff."""


@dataclass(frozen=True)
class Table:
    encoding: str
    header: list[str]
    columns: dict[str, int]  # our field -> column index
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


@dataclass(frozen=True)
class CleanRow:
    text: str
    occurred_on: date
    source: str
    locality: str
    service: str
    channel: str
    topics: tuple[str, ...]
    themes: tuple[str, ...] = ()


MAX_THEME = 100
MAX_THEMES = 10


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was in."""
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            "This looks like an Excel workbook (.xlsx). Save it as CSV (comma separated) "
            "in your spreadsheet program and upload the CSV."
        )
    if b"\x00" in data[:4096]:
        raise UnreadableFile(
            "This file is not a CSV text file (it contains binary data). Export the "
            "comments as CSV and upload that."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "We could not read the characters in this file. Save it as CSV UTF-8 in your "
            "spreadsheet program and upload it again."
        ) from exc


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower().replace("_", " "))


def map_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    normalised = [_norm(h) for h in header]
    for ours, names in ALIASES.items():
        for index, name in enumerate(normalised):
            if name in names and ours not in columns:
                columns[ours] = index
    return columns


def read_table(data: bytes) -> Table:
    """Parse the whole file with the shared table reader (heard.people.imports.reader: the
    same bounds and encodings as every import); checks the header has the columns we need."""
    if len(data) > bounds.MAX_BYTES:
        raise UnreadableFile(
            f"The file is {len(data) / bounds.MB:.0f} MB: the largest file we take is "
            f"{bounds.MAX_BYTES // bounds.MB} MB. Split it into smaller files and upload each."
        )
    if not data.strip():
        raise UnreadableFile("The file is empty. Choose a CSV file with a header row and comments.")
    text, encoding = decode(data)  # our own refusals first: a workbook, binary data
    # The delimiter is whichever of , ; tab the header line uses most (comments may
    # contain any of them, the header rarely does).
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        table = bounds.read_table(data, "comments.csv", delimiter=delimiter)
        header = table.header
        numbered = [
            (number, row)
            for number, row in enumerate(table.rows, start=table.header_row + 1)
            if any(cell.strip() for cell in row)
        ]
    except bounds.UnreadableFile as exc:
        message = str(exc)
        if "no rows" in message:
            message = "The file is empty. Choose a CSV file with a header row and comments."
        raise UnreadableFile(message) from exc
    columns = map_columns(header)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        wanted = " and ".join(f'"{m}"' for m in missing)
        raise UnreadableFile(
            f"The file has no {wanted} column. The first row must name the columns: text "
            "(or comment), date, and optionally source, locality, service, channel, topics, "
            "themes. "
            f"We found: {', '.join(header) or 'no column names'}."
        )
    if not numbered:
        raise UnreadableFile(
            "The file has column names but no comments in it. Add one comment per row "
            "below the column names and upload it again."
        )
    return Table(encoding=encoding, header=header, columns=columns, rows=numbered)


def parse_date(value: str) -> date:
    value = value.strip()
    # Spreadsheets often export a time too ("2025-03-12 00:00:00", "12/03/2025 14:05").
    if re.fullmatch(r"\S+ \d{1,2}:\d{2}(:\d{2})?", value):
        value = value.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 – a date, no time
        except ValueError:
            continue
    raise RowInvalid(
        f'The date "{value}" is not a date we recognise: use 31/03/2025 or 2025-03-31.'
    )


_LOCALITY_LOOKUP = {name.lower(): name for name in (*LOCALITIES, OUTSIDE_AREA)}


def clean_row(
    cells: list[str], columns: dict[str, int], *, default_source: str, today: date
) -> CleanRow:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    text = cell("text")
    if not text:
        raise RowInvalid("The comment is empty.")
    if len(text) > MAX_TEXT:
        raise RowInvalid(f"The comment is longer than {MAX_TEXT:,} characters; split it.")
    raw_date = cell("date")
    if not raw_date:
        raise RowInvalid("The date is missing.")
    occurred_on = parse_date(raw_date)
    if occurred_on > today:
        raise RowInvalid(f"The date {occurred_on:%d/%m/%Y} is in the future.")
    raw_source = cell("source")
    source = SOURCE_WORDS.get(_norm(raw_source), "") if raw_source else default_source
    if not source:
        raise RowInvalid(
            f'The source "{raw_source}" is not one we know: use PALS, complaint, FFT, '
            "Healthwatch, survey or other."
        )
    raw_locality = cell("locality")
    locality = _LOCALITY_LOOKUP.get(raw_locality.lower(), "") if raw_locality else ""
    if raw_locality and not locality:
        raise RowInvalid(
            f'The locality "{raw_locality}" is not one of ours: use one of '
            f"{', '.join(LOCALITIES)}, or {OUTSIDE_AREA}, or leave it blank."
        )
    raw_channel = cell("channel")
    channel = CHANNEL_WORDS.get(_norm(raw_channel), "other") if raw_channel else ""
    topics = tuple(t.strip() for t in re.split(r"[;|]", cell("topics")) if t.strip())
    # A placeholder ("-", "n/a", "tbc") in a theme cell means no theme, not a theme so named.
    themes = tuple(
        dict.fromkeys(
            " ".join(t.split())
            for t in re.split(r"[;|]", cell("themes"))
            if t.strip() and not substance.is_placeholder(t)
        )
    )
    if any(len(t) > MAX_THEME for t in themes):
        raise RowInvalid(
            f"A theme is longer than {MAX_THEME} characters: give each theme a short name, "
            "separated by ;."
        )
    if len(themes) > MAX_THEMES:
        raise RowInvalid(f"The row has {len(themes)} themes: give at most {MAX_THEMES}.")
    return CleanRow(
        text=text,
        occurred_on=occurred_on,
        source=source,
        locality=locality,
        service=cell("service")[:200],
        channel=channel,
        topics=topics,
        themes=themes,
    )


def iter_chunks(
    rows: list[tuple[int, list[str]]], size: int
) -> Iterator[list[tuple[int, list[str]]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
