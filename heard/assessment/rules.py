"""Who may do what in assessment."""

import rules  # noqa: F401
