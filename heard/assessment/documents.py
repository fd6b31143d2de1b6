"""Which files may be attached as an EqIA or as assurance evidence.

A PDF, Word (.docx) or OpenDocument (.odt) file, up to 10 MB, whose first bytes match
its name (a PDF starts with ``%PDF-``; .docx and .odt are zip files). Checked by the
forms and again by the services.
"""

from typing import Any

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
}


def problem(upload: Any) -> str:
    """What is wrong with ``upload`` (a Django File), or "" if it may be attached."""
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
    return ""
