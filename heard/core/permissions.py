"""Guarding staff views: one mixin, one decorator, the same three answers everywhere.

- not signed in → redirect to the sign-in page (then back);
- signed in without the permission → 403 "You do not have permission";
- otherwise the view runs.

Two-factor enforcement for staff is done by ``heard.accounts.middleware`` before this.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def _check(request: HttpRequest, permission: str, obj: Any = None) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)
    return None


def permission_required(permission: str) -> Callable[..., Any]:
    """Decorate a function view so that only users with ``permission`` reach it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            denied = _check(request, permission)
            if denied is not None:
                return denied
            return view(request, *args, **kwargs)

        wrapped.permission_required = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator
