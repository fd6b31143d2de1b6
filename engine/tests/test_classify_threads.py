"""Single-label fits shared among threads give the same model as one liblinear call."""

from __future__ import annotations

import numpy as np
import pytest
from heard_analysis.classify import _class_weights, _fit_single_label, _vectoriser

WORDS = {
    "Food": ["food", "meal", "menu", "breakfast", "cold", "tasty"],
    "Parking": ["parking", "car", "space", "charges", "park", "barrier"],
    "Staff": ["nurse", "doctor", "kind", "rude", "caring", "porter"],
    "Waiting": ["wait", "queue", "hours", "delay", "late", "slow"],
    "Cleanliness": ["clean", "dirty", "toilet", "floor", "smell", "bins"],
    "Noise": ["noise", "loud", "night", "sleep", "snoring", "alarms"],
    "Signs": ["signs", "lost", "map", "directions", "corridor", "lift"],
}


def _data(seed: int = 0) -> tuple[object, np.ndarray]:
    rng = np.random.default_rng(seed)
    themes = sorted(WORDS)
    texts, target = [], []
    for i in range(210):
        k = i % len(themes) if i < 140 else int(rng.integers(0, 3))  # unequal sizes
        words = [*rng.choice(WORDS[themes[k]], 4), "the", "was", "and"]
        rng.shuffle(words)
        texts.append(" ".join(words))
        target.append(k)
    x = _vectoriser(len(texts)).fit_transform(texts).tocsr()
    return x, np.array(target)


@pytest.mark.parametrize("n_jobs", [2, 3])
def test_threads_match_one_call(n_jobs: int) -> None:
    x, target = _data()
    y = np.eye(target.max() + 1, dtype=bool)[target]
    cw = _class_weights(y, 0.5)
    one_coef, one_icpt = _fit_single_label(x, target, cw, 0.3, 1)
    coef, icpt = _fit_single_label(x, target, cw, 0.3, n_jobs)
    assert coef.shape == one_coef.shape == (7, x.shape[1])
    # the same optimisation problems, solved to liblinear's tolerance
    assert np.allclose(coef, one_coef, atol=2e-3)
    assert np.allclose(icpt, one_icpt, atol=2e-3)
    assert np.array_equal(
        np.argmax(x @ coef.T + icpt, axis=1), np.argmax(x @ one_coef.T + one_icpt, axis=1)
    )
    # every theme got its own classifier (none left at zero)
    assert np.all(np.abs(coef).max(axis=1) > 0)


def test_few_themes_use_one_call() -> None:
    x, target = _data()
    target = np.minimum(target, 2)  # 3 themes: fewer than 2 per thread
    y = np.eye(3, dtype=bool)[target]
    cw = _class_weights(y, 1.0)
    a = _fit_single_label(x, target, cw, 0.3, 1)
    b = _fit_single_label(x, target, cw, 0.3, 2)
    assert np.allclose(a[0], b[0], atol=2e-3)
