"""Who may do what in outcomes."""

import rules  # noqa: F401
