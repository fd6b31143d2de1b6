"""Pure rules for standing groups: what counts as real text, possible dates, papers.

No Django here: the services call these and turn a problem (a plain-words message, or
"" when all is well) into a refusal.
"""

from dataclasses import dataclass
from datetime import date, datetime

from heard.core import substance

ROLE_CHAIR = "chair"
ROLE_MEMBER = "member"
ROLE_STAFF_LEAD = "staff_lead"
APPROVER_ROLES = frozenset({ROLE_CHAIR, ROLE_STAFF_LEAD})


def text_problem(text: str, what: str, *, min_chars: int = 2) -> str:
    """Why ``text`` cannot stand as ``what`` (e.g. "The decision"), or "" (the placeholder
    rule is heard.core.substance's, shared by every safeguard)."""
    cleaned = substance.squeeze(text)
    if not cleaned:
        return f"{what} cannot be empty"
    if substance.is_placeholder(cleaned) or cleaned.lower() in {
        "tba",
        "placeholder",
        "lorem ipsum",
    }:
        return f"{what} must say something real, not “{cleaned}”"
    if len(cleaned) < min_chars:
        return f"{what} is too short to mean anything"
    return ""


def terms_of_reference_dates_problem(agreed_on: date, review_on: date, today: date) -> str:
    if agreed_on > today:
        return "The date agreed cannot be in the future"
    if review_on <= agreed_on:
        return "The review date must be after the date the terms were agreed"
    return ""


def membership_dates_problem(starts_on: date, ends_on: date | None) -> str:
    if ends_on is not None and ends_on < starts_on:
        return "A membership cannot end before it starts"
    return ""


def meeting_times_problem(starts_at: datetime, ends_at: datetime | None) -> str:
    if ends_at is not None and ends_at <= starts_at:
        return "The meeting must end after it starts"
    return ""


def action_due_problem(due_on: date, meeting_on: date) -> str:
    if due_on < meeting_on:
        return "An action cannot be due before the meeting that agreed it"
    return ""


def approval_problem(approved_at: datetime, meeting_starts_at: datetime) -> str:
    if approved_at < meeting_starts_at:
        return "Minutes cannot be approved before the meeting has taken place"
    return ""


def term_covers(starts_on: date, ends_on: date | None, day: date) -> bool:
    """Whether a membership term from ``starts_on`` to ``ends_on`` includes ``day``."""
    return starts_on <= day and (ends_on is None or day <= ends_on)


@dataclass(frozen=True)
class ActionState:
    key: str  # "done", "overdue", "open"
    label: str


def action_state(due_on: date, done_on: date | None, today: date) -> ActionState:
    if done_on is not None:
        return ActionState("done", "Done")
    if due_on < today:
        return ActionState("overdue", "Overdue")
    return ActionState("open", "Open")


# Papers --------------------------------------------------------------------------------

MAX_PAPER_BYTES = 20 * 1024 * 1024
_ZIP = b"PK\x03\x04"
PAPER_TYPES = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".docx": (
        _ZIP,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".odt": (_ZIP, "application/vnd.oasis.opendocument.text"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
PAPER_ACCEPT = ",".join(PAPER_TYPES)


def paper_extension(name: str) -> str:
    lower = (name or "").lower()
    return next((ext for ext in PAPER_TYPES if lower.endswith(ext)), "")


def paper_problem(name: str, size: int, head: bytes) -> str:
    """Why a file cannot be a meeting paper (type by name and first bytes, size), or ""."""
    if size <= 0:
        return "The file is empty"
    if size > MAX_PAPER_BYTES:
        return "The file must be smaller than 20 MB"
    extension = paper_extension(name)
    if not extension:
        return "The file must be a PDF, Word (.docx), OpenDocument (.odt) or Excel (.xlsx) file"
    signature, _ = PAPER_TYPES[extension]
    if not head.startswith(signature):
        return f"The file is not a real {extension[1:].upper()} file"
    return ""


def content_type_for(name: str) -> str:
    extension = paper_extension(name)
    return PAPER_TYPES[extension][1] if extension else "application/octet-stream"
