"""Identical and near-identical responses: template campaigns, copy-paste, resubmissions.

Near-linear: texts are normalised and hashed (exact groups); texts of at least
``min_words`` words are then shingled (word 3-grams), summarised with MinHash signatures
computed in vectorised numpy over a sparse matrix, and bucketed by LSH bands. Candidate
pairs sharing a bucket are kept when their estimated Jaccard similarity (default 0.7) reaches
``threshold``; groups are the connected components. Nothing is dropped: every response
keeps its row, and groups report their size and template text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["DuplicateGroup", "DuplicateResult", "find_duplicates", "normalise"]

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_PRIME = (1 << 61) - 1


def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation dropped, whitespace collapsed."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)) if not t.isascii() else t
    t = _PUNCT.sub(" ", t.lower())
    return _SPACE.sub(" ", t).strip()


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    id: int
    size: int
    rows: list[int]
    template: str
    exact: bool  # every member identical after normalisation
    campaign: bool


@dataclass(slots=True)
class DuplicateResult:
    group_of: list[int | None]  # group id per response (None = unique)
    groups: list[DuplicateGroup] = field(default_factory=list)

    @property
    def campaign_rows(self) -> int:
        return sum(g.size for g in self.groups if g.campaign)

    def is_campaign(self, row: int) -> bool:
        gid = self.group_of[row]
        return gid is not None and self.groups[gid].campaign


def _minhash(texts: list[str], n_perm: int, seed: int) -> np.ndarray:
    vec = HashingVectorizer(
        analyzer="word",
        ngram_range=(3, 3),
        n_features=1 << 28,
        alternate_sign=False,
        norm=None,
        binary=True,
        lowercase=False,
        token_pattern=r"\S+",  # noqa: S106 - a regex, not a password
    )
    mat = vec.transform(texts).tocsr()
    mat.sort_indices()
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, size=n_perm, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=n_perm, dtype=np.uint64)
    idx = mat.indices.astype(np.uint64)
    indptr = mat.indptr
    nonempty = np.diff(indptr) > 0
    starts = indptr[:-1][nonempty]
    sig = np.full((mat.shape[0], n_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    if idx.size == 0:
        return sig
    for k in range(n_perm):
        # (a*x + b) with wrap-around multiply: a universal-enough hash for 28-bit keys
        h = idx * a[k] + b[k]
        h ^= h >> np.uint64(29)
        sig[nonempty, k] = (np.minimum.reduceat(h, starts) >> np.uint64(32)).astype(np.uint32)
    return sig


def find_duplicates(
    texts: Sequence[str],
    *,
    threshold: float = 0.7,
    min_words: int = 10,
    campaign_min_size: int = 5,
    campaign_min_words: int = 12,
    n_bands: int = 16,
    rows_per_band: int = 4,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> DuplicateResult:
    """Group identical and near-identical responses.

    A group is a ``campaign`` when it has at least ``campaign_min_size`` members and its
    template has at least ``campaign_min_words`` words (so 300 people answering
    "Nothing" are an identical group, not a campaign).
    """
    n = len(texts)
    if progress:
        progress(0, n)
    norm = [normalise(t) if t else "" for t in texts]
    # 1. exact groups on the normalised text
    key_ids: dict[str, int] = {}
    exact_id = np.empty(n, dtype=np.int64)
    for i, t in enumerate(norm):
        if not t:
            exact_id[i] = -1 - i  # blanks are never duplicates
            continue
        h = hashlib.blake2b(t.encode(), digest_size=12).hexdigest()
        exact_id[i] = key_ids.setdefault(h, len(key_ids))
    n_keys = len(key_ids)
    # one representative per exact key
    rep = np.full(n_keys, -1, dtype=np.int64)
    pos = np.flatnonzero(exact_id >= 0)
    keys = exact_id[pos]
    order = np.argsort(keys, kind="stable")
    first = np.ones(order.size, dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    rep[keys[order][first]] = pos[order][first]
    if progress:
        progress(n // 3, n)
    # 2. near duplicates among representatives with enough words
    edges_a: list[np.ndarray] = []
    edges_b: list[np.ndarray] = []
    long_keys = np.array(
        [k for k in range(n_keys) if norm[rep[k]].count(" ") + 1 >= min_words], dtype=np.int64
    )
    n_perm = n_bands * rows_per_band
    if long_keys.size > 1:
        sig = _minhash([norm[rep[k]] for k in long_keys], n_perm, seed)
        if progress:
            progress(2 * n // 3, n)
        for band in range(n_bands):
            block = sig[:, band * rows_per_band : (band + 1) * rows_per_band]
            bh = block[:, 0].astype(np.uint64)
            for c in range(1, rows_per_band):
                bh = bh * np.uint64(1000003) ^ block[:, c]
            _, inv = np.unique(bh, return_inverse=True)
            o = np.argsort(inv, kind="stable")
            sinv = inv[o]
            same = sinv[1:] == sinv[:-1]
            # link each member to the first member of its bucket
            bucket_first = np.maximum.accumulate(np.where(np.r_[True, ~same], np.arange(o.size), 0))
            a_idx = o[bucket_first[1:][same]]
            b_idx = o[1:][same]
            if a_idx.size:
                agree = (sig[a_idx] == sig[b_idx]).mean(axis=1)
                ok = agree >= threshold
                edges_a.append(long_keys[a_idx[ok]])
                edges_b.append(long_keys[b_idx[ok]])
    if edges_a:
        ea = np.concatenate(edges_a)
        eb = np.concatenate(edges_b)
        graph = coo_matrix((np.ones(ea.size, dtype=np.int8), (ea, eb)), shape=(n_keys, n_keys))
        _, comp = connected_components(graph, directed=False)
    else:
        comp = np.arange(n_keys)
    # 3. assemble groups in order of first appearance
    group_of: list[int | None] = [None] * n
    members: dict[int, list[int]] = {}
    for i in range(n):
        k = exact_id[i]
        if k < 0:
            continue
        members.setdefault(int(comp[k]), []).append(i)
    groups: list[DuplicateGroup] = []
    for rows in members.values():
        if len(rows) < 2:
            continue
        gid = len(groups)
        counts = Counter(norm[r] for r in rows)
        top_norm, _ = counts.most_common(1)[0]
        template_row = next(r for r in rows if norm[r] == top_norm)
        template = texts[template_row].strip()
        words = top_norm.count(" ") + 1
        groups.append(
            DuplicateGroup(
                id=gid,
                size=len(rows),
                rows=rows,
                template=template,
                exact=len(counts) == 1,
                campaign=len(rows) >= campaign_min_size and words >= campaign_min_words,
            )
        )
        for r in rows:
            group_of[r] = gid
    if progress:
        progress(n, n)
    return DuplicateResult(group_of=group_of, groups=groups)
