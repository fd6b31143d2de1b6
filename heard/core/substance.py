"""What people type to get past a required box is not content. One place for the rule
every safeguard uses: a reason, a justification, a name or a title must say something.

Pure: no Django. A hurried officer types "x", "-", ".", "n/a", "tbc" or "see above";
a hostile caller sends the same through a service. Both are refused with a message that
says what is needed.
"""

import re

# Lower-case, white space squeezed; punctuation-only entries are caught by the "no word"
# rule below as well.
PLACEHOLDERS = frozenset(
    {
        "x",
        "xx",
        "xxx",
        "-",
        "--",
        "\u2013",
        ".",
        "..",
        "...",
        "?",
        "n/a",
        "na",
        "n.a.",
        "none",
        "nil",
        "null",
        "no",
        "yes",
        "ok",
        "okay",
        "noted",
        "tbc",
        "tbd",
        "tba",
        "placeholder",
        "lorem ipsum",
        "todo",
        "test",
        "testing",
        "asdf",
        "reason",
        "no reason",
        "see above",
        "as above",
        "other",
        "misc",
        "fix",
        "update",
        "change",
        "unknown",
    }
)

_RUN = re.compile(r"[^\W\d_]+", re.UNICODE)


def squeeze(text: str) -> str:
    return " ".join((text or "").split())


def is_placeholder(text: str) -> bool:
    """Empty, a known placeholder, or no word of two letters or more."""
    cleaned = squeeze(text).lower()
    if not cleaned or cleaned in PLACEHOLDERS or cleaned.strip(" .!?") in PLACEHOLDERS:
        return True
    return not words(cleaned)


def words(text: str) -> list[str]:
    """Runs of two or more letters ("²" and other number signs are not letters)."""
    return [run for run in _RUN.findall(squeeze(text)) if sum(ch.isalpha() for ch in run) >= 2]


def reason_problems(text: str, *, what: str, min_words: int = 2) -> list[str]:
    """Why ``text`` is not a reason a reader could follow; empty when it is. ``what``
    completes "Give the reason …" (e.g. "for closing early")."""
    cleaned = squeeze(text)
    if not cleaned:
        return [f"Give the reason {what}."]
    if is_placeholder(cleaned):
        return [f"Give the reason {what} in words: \u201c{cleaned}\u201d is not a reason."]
    if len(words(cleaned)) < min_words:
        return [f"Give the reason {what} in a sentence a reader could follow."]
    return []


def name_is_placeholder(text: str) -> bool:
    """A "name" that is not one: fewer than two letters, one letter repeated ("xxxx"),
    or a known placeholder ("n/a", "none", "anonymous")."""
    letters = re.sub(r"[\W\d_]+", "", text or "", flags=re.UNICODE).lower()
    return (
        len(letters) < 2
        or len(set(letters)) == 1
        or letters in {p.replace("/", "").replace(".", "") for p in PLACEHOLDERS}
        or letters in {"anon", "anonymous", "nobody", "someone"}
    )


# What is written to close a box without saying anything: an acknowledgement is not a
# response, and "I have read it" is not regard had to it. Compared lower-case, white
# space squeezed, without the final full stop or exclamation mark.
ACKNOWLEDGEMENTS = frozenset(
    {
        "noted",
        "noted.",
        "noted with thanks",
        "comments noted",
        "comment noted",
        "all noted",
        "thank you",
        "thanks",
        "thank you for your comments",
        "thank you for your feedback",
        "thanks for your feedback",
        "we have noted this",
        "this has been noted",
        "noted and considered",
        "considered",
        "duly considered",
        "read",
        "i have read it",
        "i have read the eqia",
        "i have read the equality impact assessment",
        "read and understood",
        "read and noted",
        "agreed",
        "agree",
        "accepted",
        "no change",
        "no comment",
        "no comments",
        "see report",
        "see the report",
        "see eqia",
        "see attached",
        "as per report",
    }
)


def is_acknowledgement(text: str) -> bool:
    """A stock acknowledgement ("Noted.", "Thank you for your comments") or a placeholder."""
    cleaned = squeeze(text).lower().rstrip(" .!")
    return is_placeholder(text) or cleaned in ACKNOWLEDGEMENTS


def statement_problems(text: str, *, what: str, min_words: int = 10) -> list[str]:
    """Why ``text`` does not say what was considered and why – a response to what people
    said, or a decision maker's record of the regard they had – empty when it does.
    ``what`` completes "Say …" (e.g. "what was considered and why"). Refuses a
    placeholder, a stock acknowledgement ("Noted.") and anything shorter than a sentence
    or two (``min_words`` real words)."""
    cleaned = squeeze(text)
    if not cleaned:
        return [f"Say {what}."]
    if is_acknowledgement(cleaned):
        return [
            f"Say {what} in your own words: \u201c{cleaned}\u201d acknowledges it but "
            "does not say what was considered or why."
        ]
    if len(words(cleaned)) < min_words:
        return [
            f"Say {what} in a sentence or two (at least {min_words} words): what was "
            "considered, and why it led where it did."
        ]
    return []
