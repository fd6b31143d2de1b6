"""Demo data for involvement opportunities (called by `manage.py demo_load`)."""

from typing import Any


def load(out: Any = None) -> dict[str, int]:
    """Create the demo opportunities and invitations if missing; return what was created."""
    return {}
