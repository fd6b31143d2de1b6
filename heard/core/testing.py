"""Shared test vocabulary (imported by tests only, but kept here so every app can use it)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from heard.core.roles import Role

ALL_STAFF: frozenset[Role] = frozenset(Role)


@dataclass(frozen=True)
class Access:
    """Who may reach one staff URL, for the role-matrix test (tests/test_permissions.py).

    ``roles``: the staff roles allowed; every other signed-in user is forbidden (403) and
    anonymous visitors are sent to sign in. ``kwargs``: a callable run inside the test
    database returning the URL's keyword arguments (e.g. creating the object it shows).
    ``method``/``data``: for POST-only URLs.
    """

    roles: frozenset[Role] | set[Role]
    kwargs: Callable[[], dict[str, Any]] | None = None
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
