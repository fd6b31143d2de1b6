"""Production settings: refuse to start without a secret, and pass `check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is missing or shorter than 50 characters. Set it in the "
        "environment to a long random value, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# The audit chain is anchored by checkpoints signed with a key held outside the database
# (ADR 10): without one, a rewritten chain would verify as intact.
if not (
    env.str("HEARD_AUDIT_SIGNING_KEY", default="")
    or env.str("HEARD_AUDIT_SIGNING_KEY_FILE", default="")
):
    raise ImproperlyConfigured(
        "HEARD_AUDIT_SIGNING_KEY_FILE is not set. Make an Ed25519 key outside the "
        "repository and the database (`python manage.py audit_signing_key --new FILE`) and "
        "point HEARD_AUDIT_SIGNING_KEY_FILE at it (see docs/adr/0010-signed-audit-checkpoints.md)."
    )

# Behind a TLS-terminating proxy (see docs/runbook.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("HEARD_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("HEARD_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
