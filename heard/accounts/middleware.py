"""Two-factor sign-in is mandatory for staff.

allauth asks for the TOTP code at sign-in whenever the account has an authenticator app.
This middleware closes the remaining gap: a staff member who has not yet set one up is
sent to set it up before any staff page (or the staff API) will open.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

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


# django-allauth's own pages (password, email addresses, two-factor, reauthentication)
# are for staff accounts. Members of the public sign in by emailed link and manage their
# details in the member area; these stay open to them (signing out).
ACCOUNT_PREFIX = "/account/"
OPEN_TO_EVERYONE = ("/account/logout/",)


class MembersAreNotStaffMiddleware:
    """Members of the public (signed in, no staff role) never reach allauth's pages.

    Before this, a member could set a password there, sign in on the staff sign-in page
    (where no second factor is asked of a non-staff account) and attach other email
    addresses to their account. They are taken to their member area instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(ACCOUNT_PREFIX)
            and not request.path.startswith(OPEN_TO_EVERYONE)
            and user.is_authenticated
            and isinstance(user, User)
            and not user.is_staff_member
        ):
            if hasattr(user, "member"):
                messages.info(request, "You can change your details in your member account.")
                return redirect(reverse("members:account"))
            raise Http404("Staff accounts only")
        return self.get_response(request)


STAFF_PREFIXES = ("/staff/", ACCOUNT_PREFIX)


class StaffNoStoreMiddleware:
    """No staff page, or sign-in page, is kept by a browser or any cache on the way.

    ``Cache-Control: no-store`` (with Django's other never-cache headers): the back button
    on a shared computer after signing out, or a proxy, must never show personal data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(STAFF_PREFIXES):
            add_never_cache_headers(response)
        return response
