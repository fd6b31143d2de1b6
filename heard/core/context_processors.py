"""Template context available on every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.HEARD_SITE_NAME,
        "organisation_name": settings.HEARD_ORGANISATION_NAME,
        "contact_email": settings.HEARD_CONTACT_EMAIL,
    }
