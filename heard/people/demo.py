"""Demo data for people and communities (called by `manage.py demo_load`)."""

from typing import Any


def load(out: Any = None) -> dict[str, int]:
    """Create the demo members and groups if missing; return what was created."""
    return {}
