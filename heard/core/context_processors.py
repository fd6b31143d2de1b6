"""Template context available on every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.HEARD_SITE_NAME,
        "organisation_name": settings.HEARD_ORGANISATION_NAME,
        "contact_email": settings.HEARD_CONTACT_EMAIL,
        # Fonts from the NHS's CDN only where a deployment allows that origin.
        "fonts_from_cdn": bool(settings.HEARD_FONT_ORIGINS),
        "contact_phone": settings.HEARD_CONTACT_PHONE,
        "contact_phone_hours": settings.HEARD_CONTACT_PHONE_HOURS,
        "contact_text_relay": settings.HEARD_CONTACT_TEXT_RELAY,
        "contact_address": [line for line in settings.HEARD_CONTACT_ADDRESS if line.strip()],
        "sso_name": _sso_name(),
    }


def _sso_name() -> str:
    """The name of the staff single sign-on, where one is configured (else "")."""
    providers: dict[str, dict[str, Any]] = settings.SOCIALACCOUNT_PROVIDERS
    apps: list[dict[str, Any]] = providers.get("openid_connect", {}).get("APPS", [])
    return next((str(a["name"]) for a in apps if a.get("provider_id") == "sso"), "")
