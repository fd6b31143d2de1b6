from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


def dev_data_path() -> Path:
    base = os.environ.get("HEARD_SHARED_DATA")
    root = Path(base) if base else REPO.parent / "shared" / "data"
    return root / "nhs-patient-feedback" / "text_data.csv"


@pytest.fixture
def dev_data() -> Path:
    path = dev_data_path()
    if not path.exists():
        pytest.skip("development data (../shared/data) not present")
    return path
