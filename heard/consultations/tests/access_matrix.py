"""Who may reach each consultations staff URL (see tests/test_permissions.py)."""

from heard.core.testing import Access  # noqa: F401

EXPECTED: dict = {}
