"""Search text typed by staff, made safe for the full-text engines (pure, no Django).

People type words and "quoted phrases". We keep only word characters, so nothing a
user types can reach FTS5 or tsquery syntax (no NEAR, no column filters, no stray
quotes or operators): every word or phrase is quoted and all must match.
"""

import html
import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')
MAX_TERMS = 12


@dataclass(frozen=True)
class ParsedQuery:
    """Groups of words: each group is a phrase (one word or several, in order)."""

    groups: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def words(self) -> list[str]:
        return [w for group in self.groups for w in group]


def parse_query(text: str) -> ParsedQuery:
    groups: list[tuple[str, ...]] = []
    rest = text or ""
    for phrase in _PHRASE.findall(rest):
        words = tuple(w.lower() for w in _WORD.findall(phrase))
        if words:
            groups.append(words)
    rest = _PHRASE.sub(" ", rest).replace('"', " ")
    for word in _WORD.findall(rest):
        groups.append((word.lower(),))
    # Drop repeats, keep order, cap the length of what we send.
    unique = list(dict.fromkeys(groups))
    return ParsedQuery(tuple(unique[:MAX_TERMS]))


def fts5_expression(query: ParsedQuery, *, column: str = "") -> str:
    """SQLite FTS5 MATCH text: every group a quoted string, implicitly ANDed; each
    limited to ``column`` if given."""
    prefix = f"{column} : " if column else ""
    return " ".join(prefix + '"' + " ".join(group) + '"' for group in query.groups)


def websearch_expression(query: ParsedQuery) -> str:
    """PostgreSQL ``websearch_to_tsquery`` text with the same meaning.

    Every group is quoted, single words too, so a typed "or" is a word, not the operator.
    """
    return " ".join('"' + " ".join(group) + '"' for group in query.groups)


_SUFFIXES = ("ing", "ed", "es", "s", "ly")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _highlight_pattern(words: list[str]) -> re.Pattern[str] | None:
    stems = sorted({_stem(w) for w in words if w}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def snippet(text: str, words: list[str], *, size: int = 240) -> str:
    """An HTML-escaped extract of ``text`` around the first match, matches in <mark>.

    The result is safe to put in a page as HTML: every piece of the text is escaped
    here, and the only markup added is <mark>.
    """
    pattern = _highlight_pattern(words)
    start = 0
    if pattern is not None:
        first = pattern.search(text)
        if first is not None and first.start() > size // 3:
            start = text.rfind(" ", 0, first.start() - size // 3) + 1
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    extract = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    if pattern is None:
        return prefix + html.escape(extract) + suffix
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(extract):
        out.append(html.escape(extract[pos : match.start()]))
        out.append("<mark>" + html.escape(match.group(0)) + "</mark>")
        pos = match.end()
    out.append(html.escape(extract[pos:]))
    return prefix + "".join(out) + suffix
