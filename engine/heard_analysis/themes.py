"""Theme discovery (no codes yet): propose a codeframe from the answers to one question.

Method: TF-IDF of word 1-2 grams (English stop words removed, but negations kept), reduced
by truncated SVD (LSA) and L2-normalised, then k-means. The number of themes, when not
given, grows slowly with the number of responses (``choose_n_themes``: 8 for 1,000,
10 for 10,000; silhouette scores were tried and rise monotonically with k on this kind of
text, so they do not help). Each theme is described by class-based TF-IDF keywords,
named after its top keywords, and illustrated by the responses nearest its centre.
Large themes (over 20% of responses) are split into 2-4 sub-themes with a ``parent``.
Deterministic for a given seed.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from heard_analysis.sentiment import NEGATIVE, POSITIVE

__all__ = ["Codeframe", "Theme", "choose_n_themes", "discover_themes"]

Progress = Callable[[int, int], None]

_KEEP = {"no", "not", "nothing", "none", "never", "nor", "more", "less", "too", "very"}
_STOP = sorted((ENGLISH_STOP_WORDS - _KEEP) | {"nhs", "hospital", "thank", "thanks", "really"})
_TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z']+\b"  # noqa: S105 - a regex
_ANY_WORD = r"(?u)\b\w+\b"
# curly quotes typed as apostrophes ("couldn’t", "don‘t") are straightened before words are
# cut, else a keyword or name would stop at them ("couldn")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _straighten(text: str) -> str:
    return text.translate(_APOSTROPHES)


@dataclass(slots=True)
class Theme:
    id: str
    name: str
    description: str
    keywords: list[str]
    size: int
    quotes: list[str]
    parent: str | None = None


@dataclass(slots=True)
class Codeframe:
    themes: list[Theme]
    assignments: list[list[str]]  # per input row: theme ids (top-level first)
    n_themes: int
    seed: int
    labels: list[int] = field(default_factory=list)  # top-level index per row, -1 blank
    note: str = ""  # why the codeframe is empty or has a single theme, when it is

    def to_dict(self) -> dict[str, Any]:
        themes = []
        for t in self.themes:
            d = asdict(t)
            if d["parent"] is None:
                del d["parent"]
            themes.append(d)
        out: dict[str, Any] = {
            "themes": themes,
            "assignments": [{"row": i, "themes": a} for i, a in enumerate(self.assignments)],
            "n_themes": self.n_themes,
            "seed": self.seed,
        }
        if self.note:
            out["note"] = self.note
        return out


def _cluster(x: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if x.shape[0] > 20_000:
        km: KMeans | MiniBatchKMeans = MiniBatchKMeans(
            n_clusters=k, random_state=seed, n_init=3, batch_size=4096
        )
    else:
        km = KMeans(n_clusters=k, random_state=seed, n_init=4)
    labels = km.fit_predict(x)
    return labels, normalize(km.cluster_centers_)


def choose_n_themes(n_responses: int) -> int:
    """A readable codeframe size that grows slowly with the number of responses:
    round(2*log10(n) + 2), kept within 4..14 (100 -> 6, 1,000 -> 8, 10,000 -> 10)."""
    if n_responses < 20:
        return max(1, min(3, n_responses // 4 or 1))
    return int(np.clip(round(2 * np.log10(n_responses) + 2), 4, 14))


def _keywords(
    counts: Any, labels: np.ndarray, k: int, vocab: np.ndarray, top: int
) -> list[list[str]]:
    """Class-based TF-IDF: term weight in a cluster relative to its frequency overall."""
    total = np.asarray(counts.sum(axis=0)).ravel() + 1.0
    avg = counts.shape[0] / max(1, k)
    out: list[list[str]] = []
    for c in range(k):
        rows = labels == c
        tf = np.asarray(counts[rows].sum(axis=0)).ravel()
        score = tf / (tf.sum() + 1e-9) * np.log1p(avg / total)
        order = np.argsort(-score)
        words: list[str] = []
        for j in order:
            if tf[j] <= 0 or len(words) >= top:
                break
            w = str(vocab[j])
            if re.fullmatch(r"(x+|[a-z])( x+)?", w):  # anonymisation marks such as "xxxx"
                continue
            # skip a unigram already inside a chosen bigram and vice versa
            if any(w in ww.split() or ww in w.split() for ww in words):
                continue
            words.append(w)
        out.append(words)
    return out


def _quotes(
    texts: list[str], x: np.ndarray, rows: np.ndarray, centre: np.ndarray, n: int
) -> list[str]:
    """Typical responses: nearest the theme centre, preferring readable lengths."""
    sims = x[rows] @ centre
    lengths = np.array([len(texts[int(i)]) for i in rows])
    readable = (lengths >= 15) & (lengths <= 300)
    order = rows[np.lexsort((-sims, ~readable))]
    chosen: list[str] = []
    seen: set[str] = set()
    for i in order:
        t = texts[int(i)].strip()
        key = re.sub(r"\W+", " ", t.lower()).strip()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(t if len(t) <= 500 else t[:497] + "...")
        if len(chosen) >= n:
            break
    return chosen


# Words that carry little of what a theme is about: intensifiers, and the verbs and
# fillers of everyday speech ("I think", "don't feel", "better"). A name skips them
# (keywords keep them: they are evidence of how people put it).
_WEAK = frozenset(
    [
        "very",
        "more",
        "less",
        "too",
        "not",
        "really",
        "did",
        "does",
        "just",
        "got",
        "get",
        "bit",
        "lot",
        "think",
        "thought",
        "don",
        "doesn",
        "didn",
        "like",
        "feel",
        "felt",
        "make",
        "made",
        "thing",
        "things",
        "need",
        "needed",
        "needs",
        "want",
        "wanted",
        "know",
        "knew",
        "say",
        "said",
        "ask",
        "asked",
        "tell",
        "told",
        "would",
        "could",
        "should",
        "go",
        "going",
        "went",
        "come",
        "came",
        "take",
        "took",
        "see",
        "saw",
        "seen",
        "use",
        "used",
        "way",
        "also",
        "always",
        "still",
        "well",
        "much",
        "many",
        "quite",
        "able",
        "better",
        "best",
        "no",
        "yes",
        "ok",
        "okay",
        "thank",
        "thanks",
        "overall",
        "whatsoever",
        "absolutely",
        "definitely",
    ]
)


def _name(words: list[str]) -> str:
    """The fallback name when no phrase of the theme's responses will do: its top keyword
    that is not weak (a bigram is weak when both its words are), for example "Staff"
    rather than "Think" - one keyword, never a list of them."""
    strong = [w for w in words if not all(part in _WEAK for part in w.split())] or words
    if not strong:
        return "Other"
    name = strong[0]
    return name[:1].upper() + name[1:]


def _names(docs: list[str], labels: np.ndarray, k: int, keywords: list[list[str]]) -> list[str]:
    phrases = _phrase_names(docs, labels, k, keywords)
    out = []
    for ph, kw in zip(phrases, keywords, strict=True):
        if not ph:  # a keyword that is a noun-like word, else the old rule
            ph = next((w for w in kw if all(_edge_ok(p) for p in w.split())), None)
        out.append(_phrase_title(ph) if ph else _name(kw))
    return out


# -- names a person would write ------------------------------------------------------------
#
# A theme is named after a short noun phrase that its own responses use ("waiting times
# for appointments", "car parking at the hospital"), not after bare keywords. Candidates
# are runs of 1-4 words inside one clause that begin and end with a content word and
# may hold one linking word ("for", "of", "at the"). A phrase scores by how many of the
# theme's responses use it, how much more often than the other responses do (class-based
# TF-IDF, as the keywords), and a bonus for a second or third word; it must contain one
# of the theme's top keywords. Judgement words at the front ("good food", "rude staff")
# are dropped, so the name says what the theme is about, not what people thought of it.

_LINKS = frozenset(["for", "of", "at", "to", "in", "on", "with", "from", "the", "and", "between"])
_JUDGEMENT = frozenset(
    [
        "good", "great", "excellent", "brilliant", "fantastic", "amazing", "wonderful",
        "lovely", "kind", "nice", "friendly", "helpful", "caring", "polite", "bad", "poor",
        "terrible", "awful", "rude", "horrible", "dreadful", "appalling", "unhelpful",
        "lack", "lots", "lot", "long", "longer", "excellent", "superb", "fab", "happy",
        "pleased", "disappointed", "hard", "difficult", "easy", "quick", "slow", "extra",
        "big", "little", "small", "new", "old", "different", "same", "first", "last",
        "right", "whole", "general", "main", "certain", "proper", "real", "usual",
        "professional", "efficient", "clean", "dirty", "cold", "hot", "busy",
    ]
)  # fmt: skip
_PHRASE_TOKEN = re.compile(r"[a-z][a-z']*|[^\sa-z]")


# verbs that the -ed rule below does not catch
_VERBS = frozenset(
    [
        "comes", "come", "goes", "gave", "give", "given", "gets", "keep", "kept", "makes",
        "feels", "seems", "looks", "treat", "treats", "help", "helps", "mind", "passed",
        "explain", "explains", "listen", "listens", "understand", "improve", "provide",
        "happen", "happens", "seemed", "left", "find", "found", "tried", "try", "put",
        "everything", "anything", "something", "nothing", "everyone", "people", "person",
        "thing", "lot", "lots", "sure", "having",
        "doing", "getting", "coming", "going", "feeling", "let", "talk", "moment",
    ]
)  # fmt: skip
# words that name nothing on their own (they do inside a phrase: "waiting times")
_VAGUE = frozenset(["time", "times", "day", "days", "service", "care", "hospital"])
_EVALUATIVE = (POSITIVE | NEGATIVE) - {
    "waiting", "wait", "delay", "delays", "noise", "pain", "smell", "dignity", "closure",
    "cuts", "complaint", "parking", "stress",
}  # fmt: skip


def _edge_ok(word: str) -> bool:
    return (
        len(word) > 2
        and word not in _VERBS
        and word not in _EVALUATIVE
        and not (word.endswith("ed") and len(word) > 4)
        and "'" not in word
        and word not in ENGLISH_STOP_WORDS
        and word not in _WEAK
        and word not in _JUDGEMENT
        and word not in _LINKS
        and not word.endswith("ly")
        and not re.fullmatch(r"x+", word)
    )


def _phrases(text: str, max_len: int = 4) -> set[str]:
    """Candidate noun phrases in one response (lower case, within a clause)."""
    out: set[str] = set()
    clause: list[str] = []
    for tok in [*_PHRASE_TOKEN.findall(_straighten(text).lower()), "."]:
        if tok[0].isalpha():
            clause.append(tok)
            continue
        for i, first in enumerate(clause):
            if not _edge_ok(first):
                continue
            links = 0
            for j in range(i, min(len(clause), i + max_len + 2)):  # + up to 2 links
                w = clause[j]
                if j > i and w in _LINKS:
                    links += 1
                    if links > 2 or (w == "and"):
                        break
                    continue
                if j > i and not (_edge_ok(w) or w in {"hospital", "nhs"}):
                    break
                out.add(" ".join(clause[i : j + 1]))
        clause = []
    return out


def _phrase_names(
    docs: list[str], labels: np.ndarray, k: int, keywords: list[list[str]]
) -> list[str | None]:
    """The best noun phrase for each theme (None when no phrase is common enough)."""
    per_doc = [_phrases(t) for t in docs]
    total: dict[str, int] = {}
    for ps in per_doc:
        for ph in ps:
            total[ph] = total.get(ph, 0) + 1
    n = len(docs)
    out: list[str | None] = []
    used: set[str] = set()
    for c in range(k):
        rows = np.flatnonzero(labels == c)
        inside: dict[str, int] = {}
        for r in rows:
            for ph in per_doc[int(r)]:
                inside[ph] = inside.get(ph, 0) + 1
        key_words = {w for kw in keywords[c][:6] for w in kw.split()}
        best, best_score = None, 0.0
        need = max(2, int(0.02 * rows.size))
        for ph, df_in in inside.items():
            words = ph.split()
            if df_in < need or ph in used or not key_words.intersection(words) or ph in _VAGUE:
                continue
            lift = (df_in / rows.size) / (total[ph] / n)
            if lift <= 1.2:
                continue
            content = sum(1 for w in words if w not in _LINKS)
            score = df_in / rows.size * np.log1p(lift) * (1.0 + 0.35 * (content - 1))
            score *= 1.0 + 0.1 * (len(words) - content)  # "of the" reads as a person writes
            if score > best_score:
                best, best_score = ph, score
        if best is not None and " " not in best:
            # a longer phrase around the word, when a good share of its users say it
            # ("mental health" for "health", "waiting times for appointments")
            head_df = inside[best]
            longer = [
                (df_in, len(ph), ph)
                for ph, df_in in inside.items()
                if ph not in used
                and best in ph.split()
                and " " in ph
                and df_in >= max(2, 0.2 * head_df)
                and (df_in / rows.size) / (total[ph] / n) > 1.2
            ]
            if longer:
                best = max(longer)[2]
        if best is not None:
            used.add(best)
        out.append(best)
    return out


def _phrase_title(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def discover_themes(
    texts: Sequence[str],
    n_themes: int | None = None,
    seed: int = 0,
    *,
    subthemes: bool = True,
    n_quotes: int = 3,
    progress: Progress | None = None,
) -> Codeframe:
    """Propose a codeframe for ``texts`` (the answers to one question)."""
    all_texts = [t if isinstance(t, str) else "" for t in texts]
    idx = np.array([i for i, t in enumerate(all_texts) if t.strip()], dtype=np.int64)
    docs = [all_texts[i] for i in idx]
    steps = 5
    if progress:
        progress(0, steps)
    if not docs:
        # nothing to group: an empty codeframe, saying why
        return Codeframe([], [[] for _ in all_texts], 0, seed, [-1] * len(all_texts), NO_TEXT)
    if len(docs) < 2:
        only = Theme("T1", "All responses", "Only one response.", [], 1, docs[:1])
        one_row: list[list[str]] = [[] for _ in all_texts]
        one_row[int(idx[0])] = ["T1"]
        top1 = [-1] * len(all_texts)
        top1[int(idx[0])] = 0
        return Codeframe([only], one_row, 1, seed, top1, "Only one response: one theme.")
    tiny = len(docs) < 20
    straight = [_straighten(d) for d in docs]  # the quotes keep the answers as written
    vec = TfidfVectorizer(
        ngram_range=(1, 2),
        stop_words=_STOP,
        token_pattern=_TOKEN,
        sublinear_tf=True,
        min_df=2 if len(docs) >= 50 else 1,
        # with a handful of answers a word in half of them is still what they are about
        max_df=1.0 if tiny else 0.5,
        max_features=100_000,
        strip_accents="unicode",
    )
    try:
        tfidf = vec.fit_transform(straight)
    except ValueError:  # empty vocabulary: keep stop words and one-letter words
        vec.set_params(min_df=1, max_df=1.0, stop_words=None, token_pattern=_ANY_WORD)
        try:
            tfidf = vec.fit_transform(straight)
        except ValueError:  # no words at all ("?", "!!!")
            return _one_theme(all_texts, idx, docs, seed, "no words to group")
    vocab = vec.get_feature_names_out()
    if tfidf.shape[1] <= 2 or len(docs) <= 2:
        # too few words or answers for a reduction: cluster the (tiny) TF-IDF rows directly
        x = normalize(tfidf).toarray()
    else:
        n_comp = int(min(40, tfidf.shape[1] - 1, len(docs) - 1))
        svd = TruncatedSVD(n_components=n_comp, random_state=seed)
        with warnings.catch_warnings():
            # identical answers have no variance to explain (a 0/0 in a diagnostic only)
            warnings.simplefilter("ignore", RuntimeWarning)
            x = normalize(svd.fit_transform(tfidf))
    # responses with no vocabulary at all (e.g. "No.") sit together at the origin
    if progress:
        progress(1, steps)
    k = n_themes if n_themes else choose_n_themes(len(docs))
    # no more themes than distinct answers (identical answers cannot be split)
    distinct = len(np.unique(np.round(x, 6), axis=0))
    k = max(1, min(k, len(docs), distinct))
    note = ""
    if n_themes and k < n_themes:
        note = f"{n_themes} themes were asked for; the answers only allow {k}."
    if progress:
        progress(2, steps)
    labels, centres = _cluster(x, k, seed)
    # order themes by size (largest first) so ids are stable and readable; drop any
    # cluster left empty
    sizes = np.bincount(labels, minlength=k)
    order = np.argsort(-sizes, kind="stable")
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    labels = remap[labels]
    centres = centres[order]
    sizes = sizes[order]
    k = int((sizes > 0).sum())
    centres, sizes = centres[:k], sizes[:k]
    if k == 1 and not note:
        note = "The answers are too alike to split: one theme."
    counts = (tfidf > 0).astype(np.float32)
    kws = _keywords(counts, labels, k, vocab, 8)
    names = _names(docs, labels, k, kws)
    if progress:
        progress(3, steps)
    themes: list[Theme] = []
    row_themes: list[list[str]] = [[] for _ in docs]
    n = len(docs)
    for c in range(k):
        rows = np.flatnonzero(labels == c)
        tid = f"T{c + 1}"
        words = kws[c]
        share = 100.0 * rows.size / n
        desc = (
            f"{rows.size} responses ({share:.0f}%) mostly about "
            + (", ".join(words[:5]) if words else "short answers with no distinctive words")
            + "."
        )
        themes.append(
            Theme(
                tid,
                names[c],
                desc,
                words,
                int(rows.size),
                _quotes(docs, x, rows, centres[c], n_quotes),
            )
        )
        for r in rows:
            row_themes[int(r)].append(tid)
        if subthemes and rows.size >= max(100, 0.2 * n):
            sub_k = int(min(4, max(2, round(rows.size / (0.1 * n)))))
            sub_labels, sub_centres = _cluster(x[rows], sub_k, seed)
            sub_sizes = np.bincount(sub_labels, minlength=sub_k)
            sub_order = np.argsort(-sub_sizes, kind="stable")
            sub_kws = _keywords(counts[rows], sub_labels, sub_k, vocab, 6)
            sub_names = _names([docs[int(r)] for r in rows], sub_labels, sub_k, sub_kws)
            for j, s in enumerate(sub_order):
                srows = rows[sub_labels == s]
                sid = f"{tid}.{j + 1}"
                swords = [w for w in sub_kws[s] if w not in words[:2]] or sub_kws[s]
                themes.append(
                    Theme(
                        sid,
                        sub_names[s] if sub_names[s] != names[c] else _name(swords),
                        f"{srows.size} responses within '{names[c]}' mostly about "
                        + (", ".join(swords[:4]) or "short answers")
                        + ".",
                        swords,
                        int(srows.size),
                        _quotes(docs, x, srows, sub_centres[s], n_quotes),
                        parent=tid,
                    )
                )
                for r in srows:
                    row_themes[int(r)].append(sid)
    if progress:
        progress(4, steps)
    assignments: list[list[str]] = [[] for _ in all_texts]
    top = [-1] * len(all_texts)
    for j, i in enumerate(idx):
        assignments[int(i)] = row_themes[j]
        top[int(i)] = int(labels[j])
    if progress:
        progress(steps, steps)
    return Codeframe(themes, assignments, k, seed, top, note)


NO_TEXT = "No responses with text: nothing to group."


def _one_theme(
    all_texts: list[str], idx: np.ndarray, docs: list[str], seed: int, why: str
) -> Codeframe:
    """Every answer in one theme, when they cannot be told apart."""
    theme = Theme(
        "T1",
        "All responses",
        f"{len(docs)} responses with {why}.",
        [],
        len(docs),
        list(dict.fromkeys(t.strip() for t in docs))[:3],
    )
    rows: list[list[str]] = [[] for _ in all_texts]
    top = [-1] * len(all_texts)
    for i in idx:
        rows[int(i)] = ["T1"]
        top[int(i)] = 0
    return Codeframe([theme], rows, 1, seed, top, f"All responses in one theme: {why}.")
