"""UK postcodes, free of Django: validate, normalise, and find the district and locality.

Validation follows the format rules of the UK postcode (outward code + inward code),
including GIR 0AA; it does not prove a postcode exists.
"""

import re

_POSTCODE = re.compile(
    r"^(GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


class InvalidPostcode(ValueError):
    """Not a UK postcode; the message says so in words a member of the public understands."""


def normalise_postcode(raw: str) -> str:
    """'nr1  3sr' -> 'NR1 3SR'. Raises InvalidPostcode for anything else."""
    compact = re.sub(r"\s+", "", (raw or "")).upper()
    if len(compact) < 5 or len(compact) > 7 or not _POSTCODE.match(compact):
        raise InvalidPostcode("Enter a real postcode, like NR1 3SR")
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(raw: str) -> bool:
    try:
        normalise_postcode(raw)
    except InvalidPostcode:
        return False
    return True


def postcode_district(postcode: str) -> str:
    """The outward code: 'NR1 3SR' -> 'NR1'."""
    return normalise_postcode(postcode).split(" ")[0]


# Norfolk and Waveney localities by postcode district (approximate, for the demo ICB).
# A real deployment loads its own table; unknown districts map to "Outside the area".
LOCALITY_BY_DISTRICT: dict[str, str] = {
    **{f"NR{n}": "Norwich" for n in (1, 2, 3, 4, 5, 6, 7, 8, 13, 14)},
    **{f"NR{n}": "Broadland" for n in (10, 12)},
    **{f"NR{n}": "North Norfolk" for n in (11, 21, 22, 23, 24, 25, 26, 27, 28)},
    **{f"NR{n}": "South Norfolk" for n in (9, 15, 16, 18)},
    **{f"NR{n}": "Great Yarmouth" for n in (29, 30, 31)},
    **{f"NR{n}": "Waveney" for n in (32, 33, 34, 35)},
    **{f"IP{n}": "South Norfolk" for n in (20, 21, 22)},
    **{f"IP{n}": "Breckland" for n in (24, 25, 26)},
    **{f"NR{n}": "Breckland" for n in (17, 19, 20)},
    **{f"PE{n}": "King's Lynn and West Norfolk" for n in (30, 31, 32, 33, 34, 35, 36, 37, 38)},
}
LOCALITIES: tuple[str, ...] = (
    "Norwich",
    "Broadland",
    "North Norfolk",
    "South Norfolk",
    "Breckland",
    "Great Yarmouth",
    "King's Lynn and West Norfolk",
    "Waveney",
)
OUTSIDE_AREA = "Outside the area"


def locality_for(postcode: str) -> str:
    try:
        district = postcode_district(postcode)
    except InvalidPostcode:
        return ""
    return LOCALITY_BY_DISTRICT.get(district, OUTSIDE_AREA)
