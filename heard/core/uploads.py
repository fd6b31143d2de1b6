"""What an uploaded file really is, read from its first bytes – never from the name or
the type the browser claims. Pure: no Django.

A document people will open (a consultation paper, an Easy Read version, a BSL video)
must be what it says: a renamed executable or an HTML page called "easy-read.pdf" is
refused, and so is an empty file.
"""

import zipfile
from dataclasses import dataclass
from typing import IO

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str  # what people call it
    extensions: tuple[str, ...]
    content_type: str
    max_bytes: int


PDF = Kind("PDF", (".pdf",), "application/pdf", 20 * MB)
DOCX = Kind(
    "Word document",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    20 * MB,
)
ODT = Kind("OpenDocument text", (".odt",), "application/vnd.oasis.opendocument.text", 20 * MB)
MP4 = Kind("MP4 video", (".mp4", ".m4v"), "video/mp4", 200 * MB)
MP3 = Kind("MP3 audio", (".mp3",), "audio/mpeg", 50 * MB)

DOCUMENT_KINDS = (PDF, DOCX, ODT, MP4, MP3)


class UploadRefused(ValueError):
    """The file is not one Heard accepts; the message says what is wanted."""


def _zip_entries(stream: IO[bytes]) -> set[str]:
    try:
        with zipfile.ZipFile(stream) as archive:
            return set(archive.namelist()[:200])
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def sniff(stream: IO[bytes]) -> Kind | None:
    """The kind of file in ``stream`` (read from its content), or None."""
    stream.seek(0)
    head = stream.read(64)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    if head.startswith(b"PK\x03\x04"):
        entries = _zip_entries(stream)
        stream.seek(0)
        if "word/document.xml" in entries:
            return DOCX
        if "mimetype" in entries and "content.xml" in entries:
            return ODT
    return None


def check_document(stream: IO[bytes], *, name: str, size: int) -> Kind:
    """The kind of a document people will open, or UploadRefused saying why."""
    allowed = ", ".join(k.name for k in DOCUMENT_KINDS)
    if size <= 0:
        raise UploadRefused("The file is empty. Choose the document again.")
    kind = sniff(stream)
    if kind is None:
        raise UploadRefused(f"The file must be a {allowed}. This file is none of these.")
    if not name.lower().endswith(kind.extensions):
        raise UploadRefused(
            f"The file is a {kind.name} but its name ends differently: rename it to end "
            f"{' or '.join(kind.extensions)}."
        )
    if size > kind.max_bytes:
        raise UploadRefused(
            f"The file is {size / MB:.0f} MB: a {kind.name} must be "
            f"{kind.max_bytes // MB} MB or smaller."
        )
    return kind
