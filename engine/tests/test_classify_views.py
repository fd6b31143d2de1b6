"""The two-view fit: separate SVMs on word and character columns, margins averaged."""

from __future__ import annotations

import numpy as np
from heard_analysis.classify import ThemeClassifier, _fit_all, _fit_views, _vectoriser

TEXTS = [
    "the food was cold and tasteless",
    "lovely hot food and a good menu",
    "could not find a parking space",
    "the car park was full again",
    "the nurses were kind and caring",
    "staff were rude at reception",
    "meals arrived late and cold",
    "parking charges are far too high",
    "the doctor listened to me",
    "no spaces left in the car park",
    "breakfast was cold toast",
    "friendly porters and nurses",
] * 3
LABELS = ["Food", "Food", "Parking", "Parking", "Staff", "Staff"] * 6


def _xy() -> tuple[object, np.ndarray, int]:
    union = _vectoriser(len(TEXTS))
    x = union.fit_transform(TEXTS).tocsr()
    themes = sorted(set(LABELS))
    y = np.zeros((len(TEXTS), len(themes)), dtype=bool)
    for r, lab in enumerate(LABELS):
        y[r, themes.index(lab)] = True
    n_word = len(union.transformer_list[0][1].vocabulary_)
    return x, y, n_word


def test_views_margins_are_the_average_of_the_two_models() -> None:
    x, y, n_word = _xy()
    assert 0 < n_word < x.shape[1]
    coef, icpt = _fit_views(x, y, 0.3, 0.5, 1, n_word)
    cw, iw = _fit_all(x[:, :n_word], y, 0.3, 0.5, 1)
    cc, ic = _fit_all(x[:, n_word:], y, 0.3, 0.5, 1)
    expected = 0.5 * ((x[:, :n_word] @ cw.T + iw) + (x[:, n_word:] @ cc.T + ic))
    got = np.asarray(x @ coef.T) + icpt
    assert coef.shape == (y.shape[1], x.shape[1])
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    # and it is not simply the single model on the whole union
    cu, iu = _fit_all(x, y, 0.3, 0.5, 1)
    assert not np.allclose(got, np.asarray(x @ cu.T) + iu, atol=1e-3)


def test_views_fall_back_to_one_model_without_a_split() -> None:
    x, y, _ = _xy()
    c1, i1 = _fit_views(x, y, 0.3, 0.5, 1, 0)
    c2, i2 = _fit_all(x, y, 0.3, 0.5, 1)
    np.testing.assert_allclose(c1, c2, atol=1e-4)
    np.testing.assert_allclose(i1, i2, atol=1e-4)


def test_two_views_option_changes_the_model_and_both_predict() -> None:
    labels = [[lab] for lab in LABELS]
    on = ThemeClassifier(two_views=True).fit(TEXTS, labels)
    off = ThemeClassifier().fit(TEXTS, labels)  # the default: one model on the union
    assert on.two_views and not off.two_views
    assert not np.allclose(on.coef, off.coef)
    for model in (on, off):
        out = model.predict(["cold food again", "the car park is full"])
        assert [a.themes for a in out] == [["Food"], ["Parking"]]
