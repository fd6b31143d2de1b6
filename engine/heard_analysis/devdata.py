"""The development data (NHS Friends and Family Test comments) and its fixed split.

Split: rows with non-blank ``feedback``, then
``train_test_split(random_state=42, test_size=0.25)`` (not stratified).
Sentiment mapping from ``criticality``: <= -1 negative, 0 neutral, >= 1 positive; values
that are not integers in -5..5 (e.g. "-o", "SS", "-9") are left out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

__all__ = ["criticality_to_sentiment", "default_path", "load", "split"]


def default_path() -> Path:
    base = os.environ.get("HEARD_SHARED_DATA")
    root = Path(base) if base else Path(__file__).resolve().parents[3] / "shared" / "data"
    return root / "nhs-patient-feedback" / "text_data.csv"


def load(path: str | Path | None = None) -> pd.DataFrame:
    df = pd.read_csv(path or default_path(), dtype=str, keep_default_na=False)
    df = df[df["feedback"].str.strip() != ""].reset_index(drop=True)
    return df


def split(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    train, test = train_test_split(df, random_state=42, test_size=0.25)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def criticality_to_sentiment(value: str) -> str | None:
    try:
        v = int(value.strip())
    except ValueError:
        return None
    if not -5 <= v <= 5:
        return None
    return "negative" if v <= -1 else "neutral" if v == 0 else "positive"
