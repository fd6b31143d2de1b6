"""The check every text going public passes: where the analysis engine's redactor
(``heard_analysis.redact.find_pii``, with an email safety net) finds personal data, and the
text with each place replaced by a typed placeholder ([NAME], [ADDRESS], [HEALTH]…).

One implementation for "you said, we did" (heard.servicechange.outcomes.publishing) and a group's
published minutes (heard.groups), shown to the person who publishes as highlighted
segments, never applied silently.
"""

import re
from dataclasses import dataclass

# A safety net after the engine (as in the insight bank): any email address it left.
_EMAIL_LEFT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def placeholder(kind: str) -> str:
    from heard_analysis.redact import PLACEHOLDERS

    return PLACEHOLDERS.get(kind, f"[{kind}]")


def spans(text: str) -> list[tuple[int, int, str]]:
    """Where the redactor would change ``text``: (start, end, type), in order."""
    from heard_analysis.redact import find_pii

    found = [(s.start, s.end, s.type) for s in find_pii(text)]
    for match in _EMAIL_LEFT.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), "EMAIL"))
    return sorted(found)


def apply(text: str, found: list[tuple[int, int, str]]) -> str:
    """``text`` with each span replaced by its placeholder."""
    out, pos = [], 0
    for start, end, kind in found:
        out.append(text[pos:start])
        out.append(placeholder(kind))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def redact(text: str) -> str:
    return apply(text, spans(text)) if text else text


@dataclass(frozen=True)
class Segment:
    text: str
    type: str = ""  # the kind of personal data found here; "" for plain text


def segments(text: str, found: list[tuple[int, int, str]] | None = None) -> list[Segment]:
    """``text`` cut where the redactor changes it, for highlighting."""
    found = spans(text) if found is None else found
    out, pos = [], 0
    for start, end, kind in found:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], kind))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out
