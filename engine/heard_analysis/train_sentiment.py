"""Rebuild data/sentiment_model.npz from the development data's training split.

    python -m heard_analysis.train_sentiment [path/to/text_data.csv]

Deterministic (lbfgs, fixed data order). Only the 75% training split is used; the
held-out 25% is what benchmarks/analysis_quality.py reports on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from heard_analysis import devdata
from heard_analysis.sentiment import LABELS, _features


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    train, _ = devdata.split(devdata.load(args[0] if args else None))
    y = train["criticality"].map(devdata.criticality_to_sentiment)
    keep = y.notna()
    texts = train.loc[keep, "feedback"].tolist()
    labels = np.array([LABELS.index(v) for v in y[keep]])
    clf = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    clf.fit(_features(texts), labels)
    out = Path(__file__).with_name("data") / "sentiment_model.npz"
    np.savez_compressed(
        out, coef=clf.coef_.astype(np.float16), intercept=clf.intercept_.astype(np.float16)
    )
    print(f"trained on {len(texts)} responses; wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
