"""Which words of a proposal to look for in the insight bank (pure: no Django, no database).

"What do we already know" searches the bank for each key word of the proposal on its
own (the bank's search needs every word of a query to match, so the whole description
would find nothing) and ranks insights by how many of the key words they share, plus
the proposal's topics and places. Key words: the title's words first (they name the
change), then the description's most frequent words, skipping common English words and
words every proposal uses.
"""

import re
from collections import Counter

from heard.insight import keywords

_WORD = re.compile(r"[a-z][a-z'-]+")

# Common English words come from the insight bank's keyword list; on top of them, the
# words every proposal uses, which would match everything.
PROPOSAL_WORDS = frozenset(
    [
        "area",
        "areas",
        "care",
        "change",
        "changes",
        "changing",
        "consider",
        "considering",
        "consultation",
        "engagement",
        "health",
        "healthcare",
        "icb",
        "local",
        "may",
        "might",
        "must",
        "new",
        "nhs",
        "option",
        "options",
        "patient",
        "patients",
        "people",
        "per",
        "plan",
        "planning",
        "plans",
        "proposal",
        "proposals",
        "propose",
        "proposed",
        "service",
        "services",
        "shall",
        "three",
        "via",
    ]
)
STOPWORDS = keywords.STOPWORDS | PROPOSAL_WORDS


def _words(text: str) -> list[str]:
    words = (w.strip("'-") for w in _WORD.findall(text.lower()))
    return [w for w in words if len(w) > 2 and w not in STOPWORDS]


def key_terms(title: str, description: str, *, limit: int = 6) -> list[str]:
    """Up to ``limit`` distinct words: the title's in order, then the description's most
    frequent (ties: first seen first)."""
    terms: list[str] = []
    for word in _words(title):
        if word not in terms:
            terms.append(word)
    counts = Counter(_words(description))
    first_seen = {w: i for i, w in reversed(list(enumerate(_words(description))))}
    for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], first_seen[kv[0]])):
        if word not in terms:
            terms.append(word)
    return terms[:limit]


def score(*, shared_terms: int, same_topic: bool, same_place: bool) -> float:
    """How closely an insight relates to the proposal: shared key words count most, a
    shared topic or place adds to it."""
    return shared_terms + (1.5 if same_topic else 0.0) + (1.0 if same_place else 0.0)
