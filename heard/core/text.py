"""Text a member of the public typed: what Heard refuses to store (pure; no Django).

Control characters (everything below a space except tab, line feed and carriage return,
DEL, and the C1 block) have no place in an answer, a name or an address. A NUL cannot
even be stored in PostgreSQL text or JSON: before this check it passed validation and
then failed every send with a server error, so that person could never respond.
"""

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: object) -> bool:
    """True if ``text`` (a string, or a list of them) holds a character we refuse."""
    if isinstance(text, str):
        return _CONTROL.search(text) is not None
    if isinstance(text, list | tuple):
        return any(has_control_characters(item) for item in text)
    return False


def control_character_message(name: str) -> str:
    """The message for a refused answer, naming the question or field."""
    return (
        f"Your answer to ‘{name}’ contains a hidden control character that we cannot "
        "store (often copied in from another program by accident). Type the answer "
        "again, or copy it without that character"
    )


# Characters that make a spreadsheet read a cell as a formula when they lead it (OWASP's
# list – = + - @ tab and carriage return – with line feed and the full-width forms some
# spreadsheets also accept).
_FORMULA_LEADS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def spreadsheet_safe(value: object) -> str:
    """A cell for a CSV that people open in a spreadsheet: never run as a formula.

    Every cell of every CSV made from what someone else wrote goes through this – the
    header row too, since column names come from the uploaded file.
    """
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_LEADS else text


def email_normalise(value: str) -> str:
    """An email address as Heard keeps it: NFKC (full-width and other compatibility forms
    become their plain letters, so 'ａlex＠example.org' is 'alex@example.org'), trimmed,
    lower case."""
    return unicodedata.normalize("NFKC", value).strip().lower()


_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def email_mixes_scripts(value: str) -> bool:
    """True if one part of the address mixes Latin, Cyrillic or Greek letters.

    Such a mix is how a look-alike address is made ('exаmple.org' with a Cyrillic 'а'),
    never how a real one is written; an address wholly in one alphabet is fine.
    """
    for part in re.split(r"[@.]", value):
        seen: set[str] = set()
        for char in part:
            if char.isalpha():
                name = unicodedata.name(char, "")
                seen.update(s for s in _SCRIPTS if name.startswith(s))
        if len(seen) > 1:
            return True
    return False
