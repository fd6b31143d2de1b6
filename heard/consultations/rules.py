"""Who may do what in consultations."""

import rules  # noqa: F401
