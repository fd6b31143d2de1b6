"""Theme assignment from a codeframe and a sample coded by people (multi-label).

Model: TF-IDF of word 1-2 grams and character 3-5 grams (sublinear tf), then one linear
SVM per theme (one-vs-rest, C = 0.3), rows weighted by balanced class weights raised to a
power.

Single-label codes (every coded response has exactly one theme): with up to 15 themes a
20% internal hold-out of the coded sample chooses that power (0.5 or 1.0: full balancing
helps a few mid-sized themes); with more themes, many of them tiny, 0.5 is used (choosing
would cost one more fit per candidate). The hold-out also fits the softmax temperature;
the final models are then refitted on the whole sample. (Per-theme offsets tuned for
macro-F1 are available, ``offset_support``, but off by default: they over-fitted.)

Multi-label codes (Dec 2026, issue 16): ``cv_folds``-fold cross-validation on the coded
sample (folds dealt so that every theme's rows are spread over them) gives out-of-fold
margins for every coded response. From them: a Platt sigmoid per theme, pulled towards
the pooled one by a ridge penalty (calibrated confidences, comparable across themes);
a decision cut per theme with at least 5 examples (the F1-best cut on the pooled scale,
in the middle of its best stretch, shrunk towards the pooled cut by support / (support +
10)), carried to the theme's own scale; and two learnt rules for responses that pass no
cut: "no theme" is a column of its own when at least ``min_none`` coded responses had
none (given when its probability reaches a learnt cut), and otherwise the top theme is
given when its probability reaches a learnt ``fallback`` (0 = always, inf = never). The
two rule cuts maximise the mean of micro- and macro-F1 out of fold. Nothing is tuned on
anything but the coded sample. Costs ``cv_folds`` extra fits on (cv_folds - 1) / cv_folds
of the rows each. Two folds since 7 Dec 2026 (three before): a third less fitting
(train + predict on 5,550 + 1,850 short comments, 44 themes: 5.8 s CPU against 9.2 s),
and on five stratified splits of each stand-in (``analysis_quality.py``) macro-F1 +0.004
in 5 of 5 on ``fft_pairs_none`` and +0.004 on Care Opinion, micro-F1 -0.009 and -0.002.

Tried against this (Nov 2026), in a nested check on the development data's training part
only (three random 75/25 splits of it, each fitted with this whole procedure): C = 0.1
scored +0.006 / +0.005 mean macro-F1 on the 9 labels / 44 subcategories, but on the held-out
25% it scored lower (0.615 / 0.393 against 0.630 / 0.405), so 0.3 was kept. Blending in
complement or one-vs-rest multinomial naive Bayes scores, NB-SVM feature scaling, LSA
features and word 1-3 grams moved the nested macro-F1 by -0.04 to +0.007, within the spread
between splits (0.01-0.03); none was adopted. Character n-grams within word boundaries
(char_wb 1-5 instead of char 2-5) gave the same nested macro-F1 for about 22% less fitting
time, but 0.617 / 0.388 on the held-out 25%, so they were not adopted either.

A second attempt (Nov 2026, same nested check, each variant through this whole
procedure or, where marked, with the plain SVM at the shipped power on fixed features):
separate SVMs on the word and the character views with their margins averaged
(``two_views``) scored +0.006 mean macro-F1 on the labels (+0.004 to +0.008 on the three
splits) and +0.006 on the subcategories (-0.007 to +0.016): within the split-to-split
noise, so it is available but off by default. Stacking the two views' 5-fold
out-of-fold margins into a logistic-regression meta-model scored -0.010 to -0.011 (and
-0.064 with balanced weights; labels, plain SVM); per-theme offsets tuned for macro-F1
on 5-fold out-of-fold margins -0.003 (full) and +0.001 (halved), with a -0.016 to +0.009
range (labels, plain SVM). Details: benchmarks/README-analysis.md.

Character 3-5 grams replaced 2-5 grams for speed (Nov 2026: about 20% less CPU for
train + predict): nested check -0.0013 / -0.0011 mean macro-F1 on labels / subcategories
(within the split-to-split noise), held-out 25% 0.635 / 0.405 against 0.630 / 0.405.

Speed (Nov 2026): the character n-grams are counted with NumPy (``charngrams``: the same
matrix as scikit-learn's vectoriser, 0.55 s against 1.53 s on the development data's
7,750 coded texts); the text is vectorised once (the hold-out rows are sliced from the
matrix fitted on the whole coded sample: the vocabulary and IDF see the hold-out texts, no
labels); the SVMs stop at tolerance 1e-3; single-label fits are shared among up to
``n_jobs`` threads (liblinear releases the GIL) when cores are idle, and multi-label
themes are fitted in ``n_jobs`` threads.

* When every coded response has exactly one theme, the engine predicts exactly one
  (the most probable), and the confidences sum to 1 – for a blank response too (see
  ``_learn_blanks``).
* Otherwise each theme is predicted when its probability passes its threshold; when
  every coded response had at least one theme, the top theme is always kept.
* ``needs_review`` marks low-confidence responses for people to check, and
  ``suggest_next`` proposes uncoded responses whose coding would teach the model most
  (uncertainty sampling, skipping repeats).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from heard_analysis.charngrams import CharNgramTfidf

__all__ = ["Assignment", "ThemeClassifier", "train_classifier"]

Progress = Callable[[int, int], None]

# liblinear's stopping tolerance (scikit-learn's default is 1e-4). At 1e-3 a fit needs
# about a fifth fewer passes (subcategory: 62-64 against 80) for 5-10% less CPU, and the
# engine predicts exactly the same themes on the development data's held-out 25% (labels
# and subcategories), with the same hold-out calibration (Nov 2026). Looser still (1e-2,
# or 1e-1 on the hold-out fit only) saved no measurable CPU on the busy machine.
_TOL = 1e-3


@dataclass(frozen=True, slots=True)
class Assignment:
    themes: list[str]
    confidence: dict[str, float]
    needs_review: bool


def _vectoriser(n_docs: int) -> FeatureUnion:
    big = n_docs > 50_000
    return FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=2 if big else 1,
                    strip_accents="unicode",
                    max_features=400_000,
                    dtype=np.float32,
                ),
            ),
            (
                "char",
                CharNgramTfidf(
                    ngram_range=(3, 5),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=300_000,
                    dtype=np.float32,
                ),
            ),
        ]
    )


def _margins(
    union: FeatureUnion, coef: np.ndarray, intercept: np.ndarray, texts: Sequence[str]
) -> np.ndarray:
    x = union.transform(texts)
    return np.asarray(x @ coef.T, dtype=np.float32) + intercept


def _class_weights(y: np.ndarray, power: float, max_weight: float = np.inf) -> np.ndarray:
    n_pos = y.sum(axis=0).astype(np.float64)
    k = max(1, int((n_pos > 0).sum()))
    w = np.where(n_pos > 0, (y.shape[0] / (k * np.maximum(n_pos, 1))) ** power, 1.0)
    return np.asarray(np.minimum(w, max_weight))


def _fit_all(
    x: sparse.csr_matrix,
    y: np.ndarray,
    c: float,
    power: float,
    n_jobs: int,
    max_weight: float = np.inf,
    per_theme: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """One linear SVM per theme. Rows are weighted by the rarity of their themes
    (balanced weights raised to ``power``), in every theme's problem; or, with
    ``per_theme``, each theme's problem is balanced on its own (its positive rows
    weighted by (negatives / positives) ** power)."""
    cw = _class_weights(y, power, max_weight)
    if per_theme and not np.all(y.sum(axis=1) == 1):
        return _fit_per_theme(x, y, c, power, n_jobs)
    if np.all(y.sum(axis=1) == 1) and y.shape[1] > 2 and np.all(y.any(axis=0)):
        return _fit_single_label(x, np.argmax(y, axis=1), cw, c, n_jobs)
    has = y.any(axis=1)
    row_w = np.where(has, (y * cw).sum(axis=1) / np.maximum(y.sum(axis=1), 1), 1.0)
    # liblinear wants float64: convert once, not in each theme's fit (about 10% of a fit)
    x = x.astype(np.float64)

    def fit_one(k: int) -> tuple[np.ndarray, float]:
        col = y[:, k]
        if col.all() or not col.any():
            return np.zeros(x.shape[1], dtype=np.float32), 3.0 if col.any() else -3.0
        svm = LinearSVC(C=c, max_iter=3000, tol=_TOL, random_state=0)
        svm.fit(x, col.astype(np.int8), sample_weight=row_w)
        return svm.coef_.ravel().astype(np.float32), float(svm.intercept_[0])

    results = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(fit_one)(k) for k in range(y.shape[1])
    )
    coef = np.vstack([r[0] for r in results])
    intercept = np.array([r[1] for r in results], dtype=np.float32)
    return coef, intercept


def _fit_per_theme(
    x: sparse.csr_matrix, y: np.ndarray, c: float, power: float, n_jobs: int
) -> tuple[np.ndarray, np.ndarray]:
    x = x.astype(np.float64)
    n = y.shape[0]

    def fit_one(k: int) -> tuple[np.ndarray, float]:
        col = y[:, k]
        n_pos = int(col.sum())
        if n_pos in (0, n):
            return np.zeros(x.shape[1], dtype=np.float32), 3.0 if n_pos else -3.0
        w = np.where(col, ((n - n_pos) / n_pos) ** power, 1.0)
        svm = LinearSVC(C=c, max_iter=3000, tol=_TOL, random_state=0)
        svm.fit(x, col.astype(np.int8), sample_weight=w)
        return svm.coef_.ravel().astype(np.float32), float(svm.intercept_[0])

    results = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(fit_one)(k) for k in range(y.shape[1])
    )
    coef = np.vstack([r[0] for r in results])
    intercept = np.array([r[1] for r in results], dtype=np.float32)
    return coef, intercept


def _cpu_ticks() -> tuple[int, int] | None:
    """(all, idle) CPU ticks since boot from /proc/stat, or None where there is none."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(fields), fields[3] + (fields[4] if len(fields) > 4 else 0)


def _free_cores(n_jobs: int, window: float = 0.05) -> int:
    """How many threads (up to ``n_jobs``) a fit should use: the number of cores that
    were idle over a short ``window`` (this process sleeps meanwhile), at least 1. On a
    busy machine extra threads only compete for the same cores and each runs slower
    (measured: the same wall time for 30-40% more CPU), so the fit stays on one there."""
    if n_jobs <= 1:
        return 1
    before = _cpu_ticks()
    if before is None:  # not Linux: no measure, use what was asked
        return n_jobs
    time.sleep(window)
    after = _cpu_ticks()
    if after is None or after[0] <= before[0]:
        return n_jobs
    idle = (after[1] - before[1]) / (after[0] - before[0]) * (os.cpu_count() or 1)
    return max(1, min(n_jobs, int(idle + 0.5)))


def _fit_single_label(
    x: sparse.csr_matrix, target: np.ndarray, cw: np.ndarray, c: float, n_jobs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Single-label codes: liblinear's own one-vs-rest (one data conversion per call).

    With ``n_jobs`` > 1 the themes are shared among that many threads (liblinear releases
    the GIL). Each thread fits its share of themes with every other theme merged into one
    extra class: liblinear's one-vs-rest gives each theme ``C * weight`` on its own rows
    and plain ``C`` on all other rows, so a theme's problem is the same whichever group it
    is in (the merged class's own classifier, one extra per thread, is discarded)."""
    k = int(target.max()) + 1
    n_groups = max(1, min(_free_cores(n_jobs), k // 2))
    if n_groups == 1:
        svm = LinearSVC(
            C=c, class_weight=dict(enumerate(cw)), max_iter=3000, tol=_TOL, random_state=0
        )
        svm.fit(x, target)
        return svm.coef_.astype(np.float32), svm.intercept_.astype(np.float32)
    # deal the themes out largest first, so that the groups have similar work
    order = np.argsort(-np.bincount(target, minlength=k), kind="stable")
    groups = [np.sort(order[g::n_groups]) for g in range(n_groups)]
    coef = np.zeros((k, x.shape[1]), dtype=np.float32)
    intercept = np.zeros(k, dtype=np.float32)

    def fit_group(group: np.ndarray) -> None:
        merged = np.where(np.isin(target, group), target, -1)
        weights = {int(j): float(cw[j]) for j in group}
        weights[-1] = 1.0
        svm = LinearSVC(C=c, class_weight=weights, max_iter=3000, tol=_TOL, random_state=0)
        svm.fit(x, merged)
        rows = np.searchsorted(svm.classes_, group)  # classes_ is sorted; -1 comes first
        coef[group] = svm.coef_[rows]
        intercept[group] = svm.intercept_[rows]

    with ThreadPoolExecutor(max_workers=n_groups) as pool:
        list(pool.map(fit_group, groups))
    return coef, intercept


def _fit_views(
    x: sparse.csr_matrix,
    y: np.ndarray,
    c: float,
    power: float,
    n_jobs: int,
    n_word: int,
    per_theme: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Separate linear SVMs on the word columns (``:n_word``) and on the character
    columns, their margins averaged. The average is linear, so it is returned as one
    coefficient matrix over the whole feature union (prediction is unchanged)."""
    if n_word <= 0 or n_word >= x.shape[1]:
        return _fit_all(x, y, c, power, n_jobs, per_theme=per_theme)
    coef_w, icpt_w = _fit_all(x[:, :n_word], y, c, power, n_jobs, per_theme=per_theme)
    coef_c, icpt_c = _fit_all(x[:, n_word:], y, c, power, n_jobs, per_theme=per_theme)
    coef = 0.5 * np.hstack([coef_w, coef_c])
    return coef.astype(np.float32), (0.5 * (icpt_w + icpt_c)).astype(np.float32)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _fit_temperature(margins: np.ndarray, y: np.ndarray) -> float:
    """Single-label calibration: the T minimising the log loss of softmax(T * margins)."""
    best_t, best_loss = 1.0, np.inf
    rows = np.arange(y.size)
    for t in np.geomspace(0.1, 50, 60):
        p = _softmax(t * margins.astype(np.float64))
        loss = -np.mean(np.log(np.maximum(p[rows, y], 1e-12)))
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


def _platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a*m + b) on pooled (margin, label) pairs by Newton's method."""
    m = margins.ravel().astype(np.float64)
    t = y.ravel().astype(np.float64)
    n_pos = t.sum()
    n_neg = t.size - n_pos
    # Platt's smoothed targets
    t = np.where(t > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0
    for _ in range(50):
        p = _sigmoid(a * m + b)
        g = np.array([np.sum((p - t) * m), np.sum(p - t)])
        w = p * (1 - p) + 1e-9
        h = np.array([[np.sum(w * m * m), np.sum(w * m)], [np.sum(w * m), np.sum(w)]])
        h += np.eye(2) * 1e-6
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-6:
            break
    return float(a), float(b)


def _macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    tp = np.bincount(y[y == pred], minlength=k).astype(np.float64)
    support = np.bincount(y, minlength=k)
    predicted = np.bincount(pred, minlength=k)
    denom = support + predicted
    present = (support > 0) | (predicted > 0)  # as sklearn's macro average
    return float(np.mean(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)[present]))


def _tune_offsets(
    margins: np.ndarray, y: np.ndarray, shrink: float = 0.5, min_support: int = 10
) -> np.ndarray:
    """Per-theme additive offsets on the margins that raise macro-F1 on held-out data
    (greedy coordinate search, then shrunk towards 0 against over-fitting)."""
    k = margins.shape[1]
    off = np.zeros(k)
    best = _macro_f1(y, np.argmax(margins, axis=1), k)
    support = np.bincount(y, minlength=k)
    for _ in range(2):
        for c in range(k):
            if support[c] < min_support:
                continue
            base = off[c]
            for d in np.linspace(-0.6, 0.6, 13):
                off[c] = base + d
                f = _macro_f1(y, np.argmax(margins + off, axis=1), k)
                if f > best + 1e-4:
                    best, base = f, off[c]
            off[c] = base
    return off * shrink


# -- multi-label codes: thresholds, calibration and the no-theme rule by cross-validation --


def _cv_folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold number per row, spreading every theme's rows over the folds: rows are dealt
    round-robin in the order of their rarest theme (rarest first, ties shuffled), so a
    theme with 5 examples has two or three in each of 2 folds."""
    rng = np.random.default_rng(seed)
    freq = y.sum(axis=0).astype(np.float64)
    rarest = np.where(y, freq, np.inf).min(axis=1)
    order = np.lexsort((rng.random(y.shape[0]), rarest))
    folds = np.empty(y.shape[0], dtype=np.int64)
    folds[order] = np.arange(y.shape[0]) % k
    return folds


def _platt_towards(
    m: np.ndarray, t: np.ndarray, prior: tuple[float, float], strength: float
) -> tuple[float, float]:
    """Platt's sigmoid for one theme, pulled towards the pooled fit ``prior`` by a ridge
    penalty ``strength * ((a - a0)^2 + (b - b0)^2)`` (a rare theme keeps about the pooled
    calibration; a common one gets its own)."""
    m = m.astype(np.float64)
    n_pos = float(t.sum())
    n_neg = t.size - n_pos
    tt = np.where(t, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a0, b0 = prior
    a, b = a0, b0
    for _ in range(30):
        p = _sigmoid(a * m + b)
        g = np.array(
            [
                np.sum((p - tt) * m) + 2 * strength * (a - a0),
                np.sum(p - tt) + 2 * strength * (b - b0),
            ]
        )
        w = p * (1 - p) + 1e-9
        h = np.array([[np.sum(w * m * m), np.sum(w * m)], [np.sum(w * m), np.sum(w)]])
        h += np.eye(2) * (2 * strength + 1e-6)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-6:
            break
    return float(a), float(b)


_GRID = np.linspace(0.02, 0.9, 45)


def _f1_by_threshold(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """F1 of ``p >= t`` against ``y`` for every t in ``_GRID`` (one theme)."""
    pred = p[None, :] >= _GRID[:, None]
    tp = (pred & y[None, :]).sum(axis=1)
    denom = pred.sum(axis=1) + y.sum()
    return np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)


def _plateau_best(f1: np.ndarray) -> float:
    """The cut in the middle of the best stretch of ``_GRID`` (F1 is often flat at its
    top, on easy themes most of all: the middle keeps a margin on both sides)."""
    top = np.flatnonzero(f1 >= f1.max() - 1e-9)
    return float(_GRID[top[len(top) // 2]])


def _micro_f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & y).sum())
    denom = float(pred.sum() + y.sum())
    return 2 * tp / denom if denom else 0.0


class ThemeClassifier:
    """Assigns themes with a confidence per theme. Build with ``train_classifier``."""

    def __init__(
        self,
        c: float = 0.3,
        power: float = 0.5,
        review_threshold: float = 0.5,
        n_jobs: int = 2,
        calibrate: bool = True,
        seed: int = 0,
        offset_support: int = 0,
        powers: Sequence[float] = (0.5, 1.0),
        select_power_up_to: int = 15,
        two_views: bool = False,
        cv_folds: int = 2,
        min_none: int = 5,
        per_theme_weights: bool = False,
    ) -> None:
        self.c = c
        self.power = power
        self.review_threshold = review_threshold
        self.n_jobs = n_jobs
        self.calibrate = calibrate
        self.seed = seed
        self.offset_support = offset_support
        self.powers = tuple(powers)
        self.select_power_up_to = select_power_up_to
        self.two_views = two_views
        self.cv_folds = cv_folds
        self.min_none = min_none
        self.per_theme_weights = per_theme_weights
        # multi-label codes: per-column Platt parameters (themes, then "no theme" when it
        # is learnt), the fallback rule and the no-theme rule (see _fit_multilabel)
        self.platt_ab = np.zeros((0, 2))
        self.none_model = False
        self.none_threshold = np.inf
        self.fallback = np.inf
        self.holdout_macro_f1 = float("nan")
        self.themes: list[str] = []
        self.single_label = False
        self.at_least_one = False
        self.platt = (2.0, -1.0)
        self.temperature = 3.0
        self.thresholds = np.zeros(0)
        self.offsets = np.zeros(0)
        self.blank_shares: dict[str, float] = {}
        self.blank_from_prior = False

    # -- training -------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        progress: Progress | None = None,
    ) -> ThemeClassifier:
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        every = [
            (t, [s.strip() for s in ls if s and s.strip()])
            for t, ls in zip(texts, labels, strict=True)
        ]
        pairs = [(t, ls) for t, ls in every if t and t.strip()]
        coded = [(t, ls) for t, ls in pairs if ls] or pairs
        self.themes = sorted({s for _, ls in coded for s in ls})
        if not self.themes:
            raise ValueError("the coded sample has no themes")
        index = {s: i for i, s in enumerate(self.themes)}
        docs = [t for t, _ in pairs]
        y = np.zeros((len(pairs), len(self.themes)), dtype=bool)
        for r, (_, ls) in enumerate(pairs):
            for s in ls:
                y[r, index[s]] = True
        counts = y.sum(axis=1)
        self.single_label = bool(np.all(counts == 1))
        self.at_least_one = bool(np.all(counts >= 1))
        self._learn_blanks(
            [ls for t, ls in every if not (t and t.strip())], [ls for _, ls in coded]
        )
        total_steps = 4
        if progress:
            progress(0, total_steps)
        self.vectoriser = _vectoriser(len(docs))
        x = self.vectoriser.fit_transform(docs).tocsr()
        n_word = len(self.vectoriser.transformer_list[0][1].vocabulary_) if self.two_views else 0
        if progress:
            progress(1, total_steps)
        self.thresholds = np.full(len(self.themes), 0.5)
        self.offsets = np.zeros(len(self.themes))
        if not self.single_label:
            self._fit_multilabel(x, y, n_word, progress)
            return self
        if self.calibrate and len(docs) >= 40:
            idx = np.arange(len(docs))
            a, b = train_test_split(idx, test_size=0.2, random_state=self.seed)
            # Choosing the power costs one extra fit per candidate: done when there are
            # few themes (cheap); with many themes, many are tiny and 0.5 is used.
            if len(self.themes) <= self.select_power_up_to:
                candidates = tuple(self.powers) or (self.power,)
            else:
                candidates = (self.power,)
            best_score = -np.inf
            for pw in candidates:
                coef, icpt = _fit_views(x[a], y[a], self.c, pw, self.n_jobs, n_word)
                margins = np.asarray(x[b] @ coef.T) + icpt
                state = self._calibrate(margins, y[b])
                # ties go to the first candidate (the default power)
                if state["score"] > best_score + 1e-3:
                    best_score = float(state["score"])
                    self.power = pw
                    self._apply(state)
            self.holdout_macro_f1 = best_score
        if progress:
            progress(2, total_steps)
        self.coef, self.intercept = _fit_views(x, y, self.c, self.power, self.n_jobs, n_word)
        if progress:
            progress(total_steps, total_steps)
        return self

    def _fit_multilabel(
        self, x: sparse.csr_matrix, y: np.ndarray, n_word: int, progress: Progress | None
    ) -> None:
        """Multi-label codes. Out-of-fold margins from ``cv_folds``-fold cross-validation
        on the coded sample give, per theme, a Platt sigmoid (pulled towards the pooled
        one, so a rare theme is calibrated like the rest) and a decision threshold (the
        F1-best cut, shrunk towards the pooled cut in proportion to the theme's support);
        then two learnt rules for a response that passes no threshold or should get none:
        "no theme" is modelled as a column of its own when at least ``min_none`` coded
        responses had none, and the top theme is given anyway when its probability reaches
        ``fallback``. Both cuts are chosen for the mean of micro- and macro-F1 on the
        out-of-fold predictions. The models are then refitted on the whole sample."""
        k = len(self.themes)
        none = ~y.any(axis=1)
        self.none_model = bool(none.sum() >= self.min_none and not none.all())
        y_ext = np.column_stack([y, none]) if self.none_model else y
        n_cols = y_ext.shape[1]
        self.platt_ab = np.tile([2.0, -1.0], (n_cols, 1))
        self.thresholds = np.full(k, 0.5)
        self.none_threshold = np.inf
        self.fallback = 0.0 if self.at_least_one else np.inf
        folds = min(self.cv_folds, int(y_ext.sum(axis=0)[y_ext.any(axis=0)].max()))
        if self.calibrate and x.shape[0] >= 40 and folds >= 2:
            fold_of = _cv_folds(y_ext, folds, self.seed)
            oof = np.zeros(y_ext.shape, dtype=np.float64)
            for f in range(folds):
                tr, te = fold_of != f, fold_of == f
                coef, icpt = _fit_views(
                    x[tr],
                    y_ext[tr],
                    self.c,
                    self.power,
                    self.n_jobs,
                    n_word,
                    self.per_theme_weights,
                )
                oof[te] = np.asarray(x[te] @ coef.T) + icpt
                if progress:
                    progress(f + 2, folds + 3)
            self._calibrate_multilabel(oof, y_ext, y)
        self.coef, self.intercept = _fit_views(
            x, y_ext, self.c, self.power, self.n_jobs, n_word, self.per_theme_weights
        )
        if progress:
            progress(folds + 3, folds + 3)

    def _calibrate_multilabel(self, oof: np.ndarray, y_ext: np.ndarray, y: np.ndarray) -> None:
        k = len(self.themes)
        pooled = _platt(oof[:, :k], y)
        for j in range(y_ext.shape[1]):
            self.platt_ab[j] = _platt_towards(oof[:, j], y_ext[:, j], pooled, strength=10.0)
        # cuts are chosen on the pooled scale (a rare theme's own calibration is honestly
        # low and would never pass a shared cut), then carried to each theme's own scale
        q = _sigmoid(pooled[0] * oof[:, :k] + pooled[1])
        support = y.sum(axis=0)
        glob = _plateau_best(_f1_by_threshold(q.ravel(), y.ravel()))
        cut = np.full(k, glob)
        for t in np.flatnonzero(support >= 5):
            f1 = _f1_by_threshold(q[:, t], y[:, t])
            best = _plateau_best(np.convolve(f1, np.ones(3) / 3, mode="same"))
            w = support[t] / (support[t] + 10.0)
            cut[t] = w * best + (1 - w) * glob
        margin_cut = (np.log(cut / (1 - cut)) - pooled[1]) / pooled[0]
        self.thresholds = _sigmoid(self.platt_ab[:k, 0] * margin_cut + self.platt_ab[:k, 1])
        p = _sigmoid(self.platt_ab[:, 0] * oof + self.platt_ab[:, 1])
        pt = p[:, :k]
        base = pt >= self.thresholds
        top = np.argmax(pt, axis=1)
        p_top = pt[np.arange(len(pt)), top]
        empty = ~base.any(axis=1)
        nones = [np.inf] if not self.none_model else [np.inf, *_GRID[::3]]
        best_score = -1.0
        for tn in nones:
            said_none = p[:, k] >= tn if self.none_model else np.zeros(len(p), dtype=bool)
            # ties go to the first: "never" or, when every coded answer had a theme, "always"
            grid = [np.inf, *_GRID[::-3], 0.0]
            for fb in grid[::-1] if self.at_least_one else grid:
                pred = base.copy()
                give = empty & (p_top >= fb)
                pred[np.flatnonzero(give), top[give]] = True
                pred[said_none] = False
                tp = (pred & y).sum(axis=0)
                denom = pred.sum(axis=0) + support
                macro = float(np.mean(2 * tp[denom > 0] / denom[denom > 0]))
                score = 0.5 * (macro + _micro_f1(pred, y))
                if score > best_score + 1e-6:
                    best_score, self.none_threshold, self.fallback = score, float(tn), float(fb)
        self.holdout_macro_f1 = best_score

    def _learn_blanks(self, blank_labels: list[list[str]], coded: list[list[str]]) -> None:
        """What to say of a blank response. People sometimes code blank answers (a sheet
        where "None" or "N/A" was lost on export, or a rule such as "no comment"): then a
        blank response gets the themes that more than half of the coded blank answers were
        given (with single-label codes, the commonest one), each theme's confidence being
        its share of them. Otherwise, with single-label codes, it gets the commonest theme
        of the coded sample, with each theme's share as its confidence (exactly one theme,
        as for any response), and is sent to review; with multi-label codes it gets none.
        The text model is not asked: it has nothing to read."""
        coded_blanks = [ls for ls in blank_labels if ls]
        counts: dict[str, int] = dict.fromkeys(self.themes, 0)
        self.blank_from_prior = not coded_blanks and self.single_label
        source = coded_blanks or (coded if self.single_label else [])
        for ls in source:
            for s in set(ls):
                counts[s] = counts.get(s, 0) + 1
        total = sum(counts.values()) if self.single_label else len(source)
        self.blank_shares = {s: n / total for s, n in counts.items()} if source else {}

    def _assign_blank(self) -> Assignment:
        shares = self.blank_shares
        if not shares:
            return Assignment([], {}, needs_review=False)
        order = sorted(shares, key=lambda s: (-shares[s], s))
        top = order[0]
        if self.single_label:
            chosen = [top]
        else:
            chosen = [s for s in order if shares[s] > 0.5] or ([top] if self.at_least_one else [])
        unsure = self.blank_from_prior or shares[top] < self.review_threshold
        return Assignment(chosen, {s: round(shares[s], 4) for s in order}, unsure)

    def _calibrate(self, margins: np.ndarray, y: np.ndarray) -> dict[str, Any]:
        """Single-label codes: offsets and the softmax temperature from held-out margins,
        and the held-out macro-F1 they give (multi-label codes: ``_fit_multilabel``)."""
        k = len(self.themes)
        offsets = np.zeros(k)
        target = np.argmax(y, axis=1)
        if self.offset_support > 0:
            offsets = _tune_offsets(margins, target, min_support=self.offset_support)
        m = margins + offsets
        return {
            "offsets": offsets,
            "thresholds": np.full(k, 0.5),
            "temperature": _fit_temperature(m, target),
            "platt": _platt(m, y),
            "score": _macro_f1(target, np.argmax(m, axis=1), k),
        }

    def _apply(self, state: dict[str, Any]) -> None:
        self.offsets = state["offsets"]
        self.thresholds = state["thresholds"]
        self.temperature = state["temperature"]
        self.platt = state["platt"]

    # -- prediction -----------------------------------------------------------------
    def _proba(self, texts: Sequence[str], chunk_size: int = 10_000) -> np.ndarray:
        """Probabilities of every column (the themes, then "no theme" when it is
        modelled); rows sum to 1 in single-label mode.

        Identical texts are scored once; large batches are split over ``n_jobs``
        processes (the n-gram analysis is pure Python and holds the GIL)."""
        index: dict[str, int] = {}
        inverse = np.fromiter(
            (index.setdefault(t or "", len(index)) for t in texts), dtype=np.int64, count=len(texts)
        )
        unique = list(index)
        chunks = [unique[i : i + chunk_size] for i in range(0, len(unique), chunk_size)]
        if self.n_jobs > 1 and len(chunks) > 1:
            parts = Parallel(n_jobs=self.n_jobs, backend="loky")(
                delayed(_margins)(self.vectoriser, self.coef, self.intercept, c) for c in chunks
            )
        else:
            parts = [_margins(self.vectoriser, self.coef, self.intercept, c) for c in chunks]
        k = len(self.themes)
        margins = np.vstack(parts) if parts else np.zeros((0, k), dtype=np.float32)
        if self.single_label:
            m = margins.astype(np.float64) + self.offsets
            p = _softmax(self.temperature * m)
        else:
            ab = self.platt_ab
            p = _sigmoid(ab[:, 0] * margins.astype(np.float64) + ab[:, 1])
        return np.asarray(p[inverse])

    def predict_proba(self, texts: Sequence[str], chunk_size: int = 10_000) -> np.ndarray:
        """Probabilities (n, n_themes): rows sum to 1 with single-label codes; with
        multi-label codes each is the calibrated chance that the theme applies."""
        return self._proba(texts, chunk_size)[:, : len(self.themes)]

    def _decide(self, p: np.ndarray, p_none: float = 0.0) -> tuple[list[int], bool]:
        top = int(np.argmax(p))
        if self.single_label:
            return [top], bool(p[top] < self.review_threshold)
        if p_none >= self.none_threshold:
            unsure = p_none - self.none_threshold < 0.1 or bool(p.max() >= self.thresholds.min())
            return [], bool(unsure)
        chosen = [int(k) for k in np.flatnonzero(p >= self.thresholds)]
        fell_back = False
        if not chosen and p[top] >= self.fallback:
            chosen, fell_back = [top], True
        chosen.sort(key=lambda k: -p[k])
        close = np.abs(p - self.thresholds) < 0.1
        unsure = bool(close.any()) or (fell_back and p[top] < self.review_threshold)
        return chosen, unsure

    def predict(
        self, texts: Sequence[str], progress: Progress | None = None, batch_size: int = 50_000
    ) -> list[Assignment]:
        out: list[Assignment] = []
        n = len(texts)
        for start in range(0, n, batch_size):
            batch = list(texts[start : start + batch_size])
            full = self._proba(batch)
            k = len(self.themes)
            proba = full[:, :k]
            p_none = full[:, k] if full.shape[1] > k else np.zeros(len(batch))
            for t, p, pn in zip(batch, proba, p_none, strict=True):
                if not t or not t.strip():
                    out.append(self._assign_blank())
                    continue
                chosen, unsure = self._decide(p, float(pn))
                conf = {self.themes[k]: round(float(p[k]), 4) for k in np.argsort(-p)}
                out.append(Assignment([self.themes[k] for k in chosen], conf, unsure))
            if progress:
                progress(min(n, start + batch_size), n)
        return out

    def uncertainty(self, texts: Sequence[str]) -> np.ndarray:
        """Higher = more uncertain: 1 - (top - second) in single-label mode; in multi-label
        mode the chance that the predicted set is wrong (or that the forced top theme is)."""
        p = self.predict_proba(texts)
        if p.shape[1] == 1:
            return np.asarray(1 - np.abs(p[:, 0] - 0.5) * 2)
        if self.single_label:
            part = np.sort(p, axis=1)
            return np.asarray(1 - (part[:, -1] - part[:, -2]))
        # multi-label: chance that the decided set is wrong, treating themes as independent
        u = 1 - np.prod(np.maximum(p, 1 - p), axis=1)
        if self.at_least_one:
            u = np.maximum(u, 1 - p.max(axis=1))
        return np.asarray(u)

    def suggest_next(self, texts: Sequence[str], k: int = 20) -> list[int]:
        """Indices of the ``k`` responses most worth coding next (uncertainty sampling,
        skipping blanks and repeats of a text already chosen)."""
        u = self.uncertainty(texts)
        order = np.argsort(-u, kind="stable")
        chosen: list[int] = []
        seen: set[str] = set()
        for i in order:
            t = texts[int(i)]
            key = " ".join(t.lower().split()) if t else ""
            if not key or key in seen:
                continue
            seen.add(key)
            chosen.append(int(i))
            if len(chosen) >= k:
                break
        return chosen


def train_classifier(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    progress: Progress | None = None,
    **options: float,
) -> ThemeClassifier:
    """Train on coded responses; ``labels[i]`` lists the themes of ``texts[i]``."""
    return ThemeClassifier(**options).fit(texts, labels, progress=progress)  # type: ignore[arg-type]
