from __future__ import annotations

import pickle

import numpy as np
import pytest
from heard_analysis.charngrams import CharNgramTfidf
from sklearn.feature_extraction.text import TfidfVectorizer

TEXTS = [
    "The nurses were KIND and the food was cold.",
    "the food was cold; the nurses were kind",
    "Parking   is far too expensive\t\tand there are never spaces",
    "Café staff – naïve questions answered 😀 thank you",
    "ok",
    "",
    "Waiting time  \n\n  was 4 hours!!",
    "waiting time was four hours",
    "日本語のテキスト and some English text",
    "Kind nurses, cold food, expensive parking.",
]
NEW = [
    "Cold food and kind nurses",
    "Ünïcödé never seen ☕ before — ok?",
    "",
    "a",
    "Parking\tspaces\t\tnever",
]


def _sklearn(**kw: object) -> TfidfVectorizer:
    return TfidfVectorizer(**{"analyzer": "char", "sublinear_tf": True, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ngram_range", "min_df"), [((3, 5), 1), ((3, 5), 2), ((2, 5), 1), ((1, 3), 2)]
)
def test_same_matrix_as_scikit_learn(ngram_range: tuple[int, int], min_df: int) -> None:
    sk = _sklearn(ngram_range=ngram_range, min_df=min_df)
    ours = CharNgramTfidf(ngram_range=ngram_range, min_df=min_df)
    x_sk, x_ours = sk.fit_transform(TEXTS), ours.fit_transform(TEXTS)
    names = list(ours.get_feature_names_out())
    assert sorted(names) == sorted(sk.vocabulary_)
    order = [sk.vocabulary_[n] for n in names]  # scikit-learn's column for each of ours
    assert abs(x_sk[:, order] - x_ours).max() < 1e-12
    y_sk, y_ours = sk.transform(NEW), ours.transform(NEW)
    assert y_ours.shape == (len(NEW), len(names))
    assert abs(y_sk[:, order] - y_ours).max() < 1e-12
    assert y_ours[2].nnz == 0  # blank text: an empty row


@pytest.mark.parametrize("batch", [["ok"], ["abc"], ["a", "b"], [""], ["abcd"], []])
def test_batches_shorter_than_the_longest_n_gram(batch: list[str]) -> None:
    sk = _sklearn(ngram_range=(3, 5))
    ours = CharNgramTfidf(ngram_range=(3, 5))
    sk.fit(TEXTS)
    ours.fit(TEXTS)
    order = [sk.vocabulary_[n] for n in ours.get_feature_names_out()]
    got = ours.transform(batch)
    assert got.shape == (len(batch), len(order))
    if batch:
        assert abs(sk.transform(batch)[:, order] - got).max() < 1e-12


def test_transform_in_blocks_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from heard_analysis import charngrams

    ours = CharNgramTfidf().fit(TEXTS)
    whole = ours.transform(NEW * 3)
    monkeypatch.setattr(charngrams, "_BLOCK", 4)
    blocks = ours.transform(NEW * 3)
    assert blocks.shape == whole.shape and (blocks != whole).nnz == 0


def test_max_features_keeps_the_most_frequent() -> None:
    ours = CharNgramTfidf(ngram_range=(3, 5), max_features=40).fit(TEXTS)
    names = ours.get_feature_names_out()
    assert len(names) == 40
    counts = _sklearn(ngram_range=(3, 5), use_idf=False, norm=None, sublinear_tf=False)
    tf = np.asarray(counts.fit_transform(TEXTS).sum(axis=0)).ravel()
    kept = {counts.vocabulary_[n] for n in names}
    lowest_kept = min(tf[j] for j in kept)
    assert all(tf[j] <= lowest_kept for j in range(tf.size) if j not in kept)


def test_float32_output_and_pickle_round_trip() -> None:
    ours = CharNgramTfidf(dtype=np.float32).fit(TEXTS)
    again = pickle.loads(pickle.dumps(ours))  # noqa: S301 - as joblib sends it to workers
    a, b = ours.transform(NEW), again.transform(NEW)
    assert a.dtype == np.float32
    assert (a != b).nnz == 0


def test_huge_alphabet_falls_back_to_scikit_learn() -> None:
    # 5,000 distinct characters need 13 bits each: 5-grams would not fit 64 bits
    texts = ["".join(chr(0x4E00 + i + j) for j in range(8)) for i in range(0, 5000, 4)]
    ours = CharNgramTfidf(ngram_range=(3, 5))
    x = ours.fit_transform(texts)
    assert ours.fallback_ is not None
    sk = _sklearn(ngram_range=(3, 5))
    assert abs(sk.fit_transform(texts) - x).max() < 1e-12
    assert abs(sk.transform(texts[:3]) - ours.transform(texts[:3])).max() < 1e-12


def test_too_many_characters_falls_back() -> None:
    ours = CharNgramTfidf(max_chars=50)
    ours.fit(TEXTS)
    assert ours.fallback_ is not None


def test_no_term_left_is_an_error_as_in_scikit_learn() -> None:
    with pytest.raises(ValueError, match="no terms remain"):
        CharNgramTfidf(ngram_range=(3, 5), min_df=2).fit(["abc", "xyz"])
