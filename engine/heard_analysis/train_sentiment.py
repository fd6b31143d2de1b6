"""Rebuild data/sentiment_model.npz from the development data's training split.

    python -m heard_analysis.train_sentiment [path/to/text_data.csv]

Deterministic (lbfgs, fixed data order). Only the 75% training split is used; the
held-out 25% is what benchmarks/analysis_quality.py reports on.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from heard_analysis import devdata
from heard_analysis.sentiment import LABELS, _features


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    sources: Sequence[str] | None = None,
    c: float = 4.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients and intercepts of the sentiment model. With ``sources``, each source
    weighs the same in total and its classes are balanced within it, so that a large
    source does not drown a small one and no source's class mix is learnt as a prior."""
    y = np.array([LABELS.index(v) for v in labels])
    src = np.array(sources if sources is not None else ["one"] * len(y))
    w = np.zeros(len(y))
    names = sorted(set(src))
    for s in names:
        rows = src == s
        present = np.unique(y[rows])
        for c_ in present:
            cell = rows & (y == c_)
            w[cell] = len(y) / (len(names) * len(present) * cell.sum())
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(_features(list(texts)), y, sample_weight=w)
    return clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    train, _ = devdata.split(devdata.load(args[0] if args else None))
    y = train["criticality"].map(devdata.criticality_to_sentiment)
    keep = y.notna()
    texts = train.loc[keep, "feedback"].tolist()
    coef, intercept = fit(texts, y[keep].tolist())
    out = Path(__file__).with_name("data") / "sentiment_model.npz"
    np.savez_compressed(out, coef=coef.astype(np.float16), intercept=intercept.astype(np.float16))
    print(f"trained on {len(texts)} responses; wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
