"""Plain English for the public consultation document. Pure: no Django.

Abbreviations are explained the first time they appear in the document ("overview and
scrutiny committee (OSC)"), as the NHS content style guide asks; the stored version is
not changed, only how it is read.
"""

import re
from collections.abc import Sequence

ABBREVIATIONS = {
    "JOSC": "joint overview and scrutiny committee",
    "OSC": "overview and scrutiny committee",
    "ICB": "integrated care board",
    "EqIA": "equality impact assessment",
    "PALS": "Patient Advice and Liaison Service",
    "VCSE": "voluntary, community and social enterprise",
    "PPG": "patient participation group",
    "MIU": "minor injuries unit",
    "UTC": "urgent treatment centre",
    "A&E": "accident and emergency",
    "FFT": "Friends and Family Test",
}
_PATTERN = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])"
)

Section = tuple[str, str, str]  # key, heading, text


def explain_first_use(sections: Sequence[Section]) -> list[Section]:
    """The sections with each known abbreviation spelt out where the text first uses it
    (unless the words are already there just before it)."""
    explained: set[str] = set()
    out: list[Section] = []
    for key, heading, text in sections:

        def expand(match: re.Match[str], text: str = text) -> str:
            abbreviation = match.group(1)
            if abbreviation in explained:
                return abbreviation
            explained.add(abbreviation)
            words = ABBREVIATIONS[abbreviation]
            before = text[max(0, match.start() - len(words) - 3) : match.start()]
            if words.lower() in before.lower():
                return abbreviation
            return f"{words} ({abbreviation})"

        out.append((key, heading, _PATTERN.sub(expand, text)))
    return out
