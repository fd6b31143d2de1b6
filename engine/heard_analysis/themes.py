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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

__all__ = ["Codeframe", "Theme", "choose_n_themes", "discover_themes"]

Progress = Callable[[int, int], None]

_KEEP = {"no", "not", "nothing", "none", "never", "nor", "more", "less", "too", "very"}
_STOP = sorted((ENGLISH_STOP_WORDS - _KEEP) | {"nhs", "hospital", "thank", "thanks", "really"})
_TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z']+\b"  # noqa: S105 - a regex


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

    def to_dict(self) -> dict[str, Any]:
        themes = []
        for t in self.themes:
            d = asdict(t)
            if d["parent"] is None:
                del d["parent"]
            themes.append(d)
        return {
            "themes": themes,
            "assignments": [{"row": i, "themes": a} for i, a in enumerate(self.assignments)],
            "n_themes": self.n_themes,
            "seed": self.seed,
        }


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
    ]
)


def _name(words: list[str]) -> str:
    """A short name from the top keywords, skipping intensifiers such as "very"."""
    strong = [w for w in words if w not in _WEAK] or words
    if not strong:
        return "Other"
    name = ", ".join(strong[:2])
    return name[:1].upper() + name[1:]


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
    if len(docs) < 2:
        few: list[Theme] = []
        few_rows: list[list[str]] = [[] for _ in all_texts]
        if docs:
            few = [Theme("T1", "All responses", "Only one response.", [], 1, docs[:1])]
            few_rows[int(idx[0])] = ["T1"]
        return Codeframe(few, few_rows, len(few), seed, [-1] * len(all_texts))
    vec = TfidfVectorizer(
        ngram_range=(1, 2),
        stop_words=_STOP,
        token_pattern=_TOKEN,
        sublinear_tf=True,
        min_df=2 if len(docs) >= 50 else 1,
        max_df=0.5,
        max_features=100_000,
        strip_accents="unicode",
    )
    try:
        tfidf = vec.fit_transform(docs)
    except ValueError:  # empty vocabulary
        vec.set_params(min_df=1, max_df=1.0, stop_words=None)
        tfidf = vec.fit_transform(docs)
    vocab = vec.get_feature_names_out()
    n_comp = int(max(2, min(40, tfidf.shape[1] - 1, len(docs) - 1)))
    svd = TruncatedSVD(n_components=n_comp, random_state=seed)
    x = normalize(svd.fit_transform(tfidf))
    # responses with no vocabulary at all (e.g. "No.") sit together at the origin
    if progress:
        progress(1, steps)
    k = n_themes if n_themes else choose_n_themes(len(docs))
    k = max(1, min(k, len(docs)))
    if progress:
        progress(2, steps)
    labels, centres = _cluster(x, k, seed)
    # order themes by size (largest first) so ids are stable and readable
    sizes = np.bincount(labels, minlength=k)
    order = np.argsort(-sizes, kind="stable")
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    labels = remap[labels]
    centres = centres[order]
    sizes = sizes[order]
    counts = (tfidf > 0).astype(np.float32)
    kws = _keywords(counts, labels, k, vocab, 8)
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
                _name(words),
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
            for j, s in enumerate(sub_order):
                srows = rows[sub_labels == s]
                sid = f"{tid}.{j + 1}"
                swords = [w for w in sub_kws[s] if w not in words[:2]] or sub_kws[s]
                themes.append(
                    Theme(
                        sid,
                        _name(swords),
                        f"{srows.size} responses within '{_name(words)}' mostly about "
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
    return Codeframe(themes, assignments, k, seed, top)
