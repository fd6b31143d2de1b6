"""Single-label fits shared among threads give the same model as one liblinear call."""

from __future__ import annotations

import numpy as np
import pytest
from heard_analysis import classify
from heard_analysis.classify import _class_weights, _fit_single_label, _free_cores, _vectoriser

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
def test_threads_match_one_call(n_jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classify, "_free_cores", lambda n: n)  # as on an idle machine
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


def _ticks(monkeypatch: pytest.MonkeyPatch, *readings: tuple[int, int] | None) -> None:
    it = iter(readings)
    monkeypatch.setattr(classify, "_cpu_ticks", lambda: next(it))
    monkeypatch.setattr(classify.os, "cpu_count", lambda: 2)


@pytest.mark.parametrize(
    ("idle_share", "expected"), [(1.0, 2), (0.8, 2), (0.5, 1), (0.3, 1), (0.0, 1)]
)
def test_threads_only_on_idle_cores(
    idle_share: float, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (all ticks, idle ticks): 100 ticks pass, idle_share of them idle, on 2 cores
    _ticks(monkeypatch, (1000, 500), (1100, 500 + int(100 * idle_share)))
    assert _free_cores(2, window=0) == expected


def test_free_cores_without_a_measure(monkeypatch: pytest.MonkeyPatch) -> None:
    _ticks(monkeypatch, None)
    assert _free_cores(2, window=0) == 2
    assert _free_cores(1, window=0) == 1  # one thread asked: no measuring
