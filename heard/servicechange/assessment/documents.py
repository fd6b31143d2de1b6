"""Which files may be attached as an EqIA or as assurance evidence.

A PDF, Word (.docx) or OpenDocument (.odt) file, up to 10 MB, whose first bytes match
its name (a PDF starts with ``%PDF-``; .docx and .odt are zip files), and that can be
read and has something in it: a PDF with at least one page, a Word or OpenDocument file
with text. An empty file, or a 15-byte "PDF" with no page, is not an assessment. Checked
by the forms and again by the services.
"""

import io
import re
import zipfile
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
}


_TAGS = re.compile(rb"<[^>]*>")
_TEXT_PART = {".docx": "word/document.xml", ".odt": "content.xml"}


def _has_pages(data: bytes) -> bool:
    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return False


def _has_text(data: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(part)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    return bool(_TAGS.sub(b" ", xml).strip())


def problem(upload: Any) -> str:
    """What is wrong with ``upload`` (a Django File), or "" if it may be attached."""
    if not upload.size:
        return "The file is empty: choose the document again"
    if upload.size > MAX_BYTES:
        return "The file must be smaller than 10 MB"
    name = (upload.name or "").lower()
    extension = next((ext for ext in SIGNATURES if name.endswith(ext)), None)
    if extension is None:
        return "The file must be a PDF, Word (.docx) or OpenDocument (.odt) file"
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        return f"The file is not a real {extension[1:].upper()} file"
    data = upload.read()
    upload.seek(0)
    if extension == ".pdf":
        if not _has_pages(data):
            return "The PDF cannot be read or has no pages: attach the document itself"
    elif not _has_text(data, _TEXT_PART[extension]):
        return (
            f"The {extension[1:].upper()} file cannot be read or has no text: "
            "attach the document itself"
        )
    return ""
