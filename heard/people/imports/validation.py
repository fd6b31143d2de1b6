"""Column mapping and per-row checks for member imports. No database access.

A row needs a name and at least one way to reach the person (an email address or a
postcode); what is given must be valid. Rows are matched – within the file and against
members already held – by email address, or, without one, by name and postcode, so
importing the same file twice adds nobody twice.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from heard.people.postcodes import InvalidPostcode, normalise_postcode

# Import fields, in the order the mapping form shows them.
FIELDS: dict[str, str] = {
    "full_name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email address",
    "postcode": "Postcode",
    "phone": "Phone number",
    "interests": "Interests (separated by ; or ,)",
    "role": "Role in the group",
}
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "full_name": ("fullname", "name", "membername", "contactname", "person", "patientname"),
    "first_name": ("firstname", "forename", "forenames", "givenname", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "email": ("email", "emailaddress", "mail", "emailaddr"),
    "postcode": ("postcode", "postalcode", "zip", "zipcode", "pcode"),
    "phone": (
        "phone",
        "telephone",
        "tel",
        "mobile",
        "phonenumber",
        "telephonenumber",
        "contactnumber",
    ),
    "interests": ("interests", "interest", "topics", "topicsofinterest"),
    "role": ("role", "grouprole", "position", "roleinthegroup"),
}
ROLES: dict[str, str] = {
    "member": "member",
    "chair": "chair",
    "chairperson": "chair",
    "chairman": "chair",
    "chairwoman": "chair",
    "secretary": "secretary",
    "contact": "contact",
    "maincontact": "contact",
    "leadcontact": "contact",
}
MAX_NAME = 200
MAX_PHONE = 32


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def auto_map(header: list[str]) -> dict[str, str]:
    """Guess which column holds each field from the header names ('E-mail' -> email)."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    squashed = {column: _squash(column) for column in header}
    for field_name, names in _SYNONYMS.items():
        for column in header:
            if column not in used and squashed[column] in names:
                mapping[field_name] = column
                used.add(column)
                break
    if "full_name" in mapping and ("first_name" in mapping or "last_name" in mapping):
        mapping.pop("first_name", None)
        mapping.pop("last_name", None)
    return mapping


def mapping_problems(mapping: dict[str, str], header: list[str]) -> list[str]:
    """What is wrong with a column mapping, in words; empty when it can be used."""
    problems = []
    unknown = [column for column in mapping.values() if column and column not in header]
    if unknown:
        problems.append("Choose columns that are in the file.")
    if not mapping.get("full_name") and not (mapping.get("first_name") or mapping.get("last_name")):
        problems.append("Choose the column with the full name, or the first and last name columns.")
    if not mapping.get("email") and not mapping.get("postcode"):
        problems.append("Choose the email address column or the postcode column (or both).")
    chosen = [column for column in mapping.values() if column]
    if len(chosen) != len(set(chosen)):
        problems.append("Each column can be used for one field only.")
    return problems


def is_valid_email(text: str) -> bool:
    try:
        validate_email(text.strip())
    except ValidationError:
        return False
    return True


class RowInvalid(ValueError):
    """A row that cannot be imported; the message is the reason kept with the row."""


@dataclass(frozen=True)
class CleanRow:
    full_name: str
    email: str
    postcode: str
    phone: str
    interests: tuple[str, ...]
    role: str

    @property
    def key(self) -> str:
        """What makes two rows the same person: the email, else name and postcode."""
        if self.email:
            return self.email
        return name_postcode_key(self.full_name, self.postcode)


def name_postcode_key(full_name: str, postcode: str) -> str:
    return f"{' '.join(full_name.lower().split())}|{postcode}"


def _value(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def clean_row(row: list[str], columns: dict[str, int], width: int | None = None) -> CleanRow:
    """Check one row, given each field's column index (and the header's ``width``, to
    catch a row that does not fit the columns). Raises RowInvalid with every reason."""
    get = lambda name: _value(row, columns.get(name))  # noqa: E731
    problems: list[str] = []
    if width is not None and any(cell.strip() for cell in row[width:]):
        used = max(i for i, cell in enumerate(row) if cell.strip()) + 1
        problems.append(
            f"The row has {used} values but the file has {width} columns (a comma inside a "
            "value needs quotes around the value), so its values may be in the wrong columns"
        )
    if any("\n" in get(name) or "\r" in get(name) for name in ("full_name", "email", "postcode")):
        problems.append(
            'A value runs over more than one line: a quote mark (") in the file may not have '
            "been closed, which joins the rows after it into this one"
        )
    full_name = " ".join(get("full_name").split())
    if not full_name:
        full_name = " ".join(f"{get('first_name')} {get('last_name')}".split())
    email = get("email").lower()
    raw_postcode = get("postcode")
    phone = get("phone")
    if not full_name:
        problems.append("The name is missing")
    elif len(full_name) > MAX_NAME:
        problems.append(f"The name is longer than {MAX_NAME} characters")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append("The email address is not valid (it should look like name@example.com)")
    postcode = ""
    if raw_postcode:
        try:
            postcode = normalise_postcode(raw_postcode)
        except InvalidPostcode:
            problems.append("The postcode is not a UK postcode (it should look like NR1 3SR)")
    if not email and not raw_postcode:
        problems.append("There is no email address or postcode, so we could not contact them")
    if len(phone) > MAX_PHONE:
        problems.append(f"The phone number is longer than {MAX_PHONE} characters")
    if problems:
        raise RowInvalid("; ".join(problems) + ".")
    interests = tuple(part.strip() for part in re.split(r"[;,]", get("interests")) if part.strip())
    role = ROLES.get(_squash(get("role")), "member")
    return CleanRow(full_name, email, postcode, phone, interests, role)


class DuplicateTracker:
    """Remembers the first row each person appeared on, to reject later repeats."""

    def __init__(self) -> None:
        self._first: dict[str, int] = {}

    def first_row(self, key: str, row_number: int) -> int | None:
        """The row where ``key`` was first seen, or None (and remember this row)."""
        first = self._first.get(key)
        if first is None:
            self._first[key] = row_number
        return first


def duplicate_reason(first_row: int, by_email: bool) -> str:
    what = "email address" if by_email else "name and postcode"
    return f"Same {what} as row {first_row} of this file, so this row was not imported."
