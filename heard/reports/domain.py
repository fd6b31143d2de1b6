"""Pure rules of the annual involvement report (no Django).

The report covers an ICB's financial year, 1 April to 31 March (domain.md §3: "each
financial year (April to March)"), named by the year it starts in: 2026 is 1 April 2026
to 31 March 2027, shown as "2026/27".
"""

from dataclasses import dataclass
from datetime import date

from heard.core.substance import is_placeholder, squeeze, words

# The narrative sections staff write, in the report's order: (key, heading, hint).
SECTIONS: list[tuple[str, str, str]] = [
    (
        "introduction",
        "Introduction",
        "Who we are, the duty to involve, and how we approached it this year.",
    ),
    (
        "planning",
        "Planning our commissioning arrangements",
        "How people were involved in planning: the figures below come from the records.",
    ),
    (
        "proposals",
        "Developing and considering proposals for change",
        "How people were involved in developing and considering proposals for change.",
    ),
    (
        "decisions",
        "Decisions affecting how services are provided",
        "How what people said was taken into account in decisions.",
    ),
    (
        "reach",
        "Who we heard from",
        "Who we reached, who we did not, and what we are doing about it.",
    ),
    (
        "groups",
        "Our standing groups",
        "What the patient participation groups, forums and reference groups did.",
    ),
    (
        "next_year",
        "Next year",
        "What we will do differently, and how we will know it worked.",
    ),
]
SECTION_KEYS = [key for key, _, _ in SECTIONS]
REQUIRED_SECTIONS = ("introduction", "planning", "proposals", "decisions")
MIN_WORDS = 5


@dataclass(frozen=True)
class Period:
    """A financial year: ``start`` and ``end`` inclusive dates."""

    year: int
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def long_label(self) -> str:
        return f"1 April {self.year} to 31 March {self.year + 1}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def financial_year(year: int) -> Period:
    if not 2000 <= year <= 2100:
        raise ValueError(f"{year} is not a financial year Heard can report on (2000 to 2100).")
    return Period(year, date(year, 4, 1), date(year + 1, 3, 31))


def financial_year_of(day: date) -> int:
    """The financial year (by its first year) a day falls in."""
    return day.year if day.month >= 4 else day.year - 1


def narrative_problems(texts: dict[str, str], *, required: bool) -> dict[str, str]:
    """Per section, why its text is not narrative a reader could follow: a placeholder
    ("x", "-", "n/a"), or too short to say anything. With ``required`` (before the board
    approves it), the sections of the three limbs and the introduction must be written."""
    problems: dict[str, str] = {}
    headings = {key: heading for key, heading, _ in SECTIONS}
    for key in SECTION_KEYS:
        text = squeeze(texts.get(key, ""))
        heading = headings[key]
        if not text:
            if required and key in REQUIRED_SECTIONS:
                problems[key] = (
                    f"Write the section \u201c{heading}\u201d before the board approves the report."
                )
            continue
        if is_placeholder(text):
            problems[key] = (
                f"\u201c{heading}\u201d says \u201c{text[:20]}\u201d: write what happened, "
                "in words, or leave it empty."
            )
        elif len(words(text)) < MIN_WORDS:
            problems[key] = (
                f"\u201c{heading}\u201d is too short to tell a reader anything: write at least "
                f"a sentence ({MIN_WORDS} words)."
            )
    return problems
