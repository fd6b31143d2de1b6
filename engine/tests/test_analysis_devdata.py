"""Checks on the real development data; skipped when ../shared/data is absent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from heard_analysis import devdata, train_classifier
from sklearn.metrics import accuracy_score


def test_classifier_beats_majority_on_dev_split(dev_data: Path) -> None:
    train, test = devdata.split(devdata.load(dev_data))
    model = train_classifier(train["feedback"].tolist(), [[v] for v in train["label"]])
    pred = [a.themes[0] for a in model.predict(test["feedback"].tolist())]
    acc = accuracy_score(test["label"], pred)
    majority = test["label"].value_counts(normalize=True).iloc[0]
    assert acc > 0.70 > majority


def test_sentiment_on_dev_split(dev_data: Path) -> None:
    from heard_analysis import sentiment

    _, test = devdata.split(devdata.load(dev_data))
    gold = test["criticality"].map(devdata.criticality_to_sentiment)
    keep = gold.notna()
    pred = [s.label for s in sentiment(test.loc[keep, "feedback"].tolist())]
    assert np.mean(np.array(pred) == gold[keep].to_numpy()) > 0.7
