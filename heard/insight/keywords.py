"""Top keywords and representative quotes for a set of comments (pure, no Django).

Used on "what do we already know" pages when analysis has not yet coded themes: the
most frequent meaningful words, and the comments that best share them.
"""

import re
from collections import Counter

_WORD = re.compile(r"[a-z][a-z']+")
# curly quotes typed as apostrophes ("couldn’t") are straightened first, else the word
# would stop at them ("couldn")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "very",
        "really",
        "much",
        "many",
        "been",
        "dont",
        "didnt",
        "wasnt",
        "cant",
        "couldnt",
        "wont",
        "im",
        "ive",
        "thats",
        "one",
        "two",
        "us",
        "also",
        "well",
        "still",
        "even",
        "back",
        "made",
        "make",
        "told",
        "said",
        "see",
        "seen",
        "going",
        "went",
        "come",
        "came",
        "name",
        "phone",
        "email",
        "postcode",
        "url",
        "dob",
        "nhs_number",
    ]
)


def _words(text: str) -> list[str]:
    words = (w.strip("'") for w in _WORD.findall(text.translate(_APOSTROPHES).lower()))
    # "couldn't" is the stop word "couldnt" however it was typed
    return [w for w in words if len(w) > 2 and w.replace("'", "") not in STOPWORDS]


def top_keywords(texts: list[str], n: int = 10) -> list[tuple[str, int]]:
    """The ``n`` words found in the most comments (each comment counts a word once)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_words(text)))
    return [(word, count) for word, count in counts.most_common(n) if count > 1]


def representative(texts: list[str], n: int = 5, *, min_words: int = 6) -> list[int]:
    """Indexes of ``n`` comments that best share the common words, not repeating each other.

    Each comment is scored by how common its words are across all the comments (per
    word, so long comments do not win by length); picked greedily, skipping any that
    shares most of its words with one already picked.
    """
    bags = [set(_words(t)) for t in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag)
    scored = []
    for i, bag in enumerate(bags):
        if len(bag) < min_words // 2 or len(texts[i].split()) < min_words:
            continue
        scored.append((sum(df[w] for w in bag) / (len(bag) + 5), i))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    chosen: list[int] = []
    for _, i in scored:
        if all(len(bags[i] & bags[j]) < 0.5 * min(len(bags[i]), len(bags[j])) for j in chosen):
            chosen.append(i)
        if len(chosen) == n:
            break
    return chosen
