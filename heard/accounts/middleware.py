"""Two-factor sign-in is mandatory for staff.

allauth asks for the TOTP code at sign-in whenever the account has an authenticator app.
This middleware closes the remaining gap: a staff member who has not yet set one up is
sent to set it up before any staff page (or the staff API) will open.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from heard.accounts.models import User
from heard.accounts.selectors import user_has_totp

PROTECTED_PREFIXES: tuple[str, ...] = tuple(
    getattr(settings, "HEARD_TWO_FACTOR_PATHS", ("/staff/", "/api/staff/"))
)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(PROTECTED_PREFIXES)
            and isinstance(user, User)
            and user.is_staff_member
            and not user_has_totp(user)
        ):
            messages.info(
                request,
                "Staff accounts must use two-factor authentication. Set up an "
                "authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
