"""Settings for a developer's machine and the demo (`make run`)."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is acceptable only here: the demo runs on loopback with fictional data.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-not-secret-heard-demo-key-0123456789")

# Serve static files straight from the finders (node_modules, app static) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The product's own "Page not found", not Django's technical 404, even with DEBUG on
# (the demo is shown to people). HEARD_DEBUG_TECHNICAL_404=1 brings Django's back.
if not env.bool("HEARD_DEBUG_TECHNICAL_404", default=False):
    MIDDLEWARE = [*MIDDLEWARE, "heard.core.errors.OwnNotFoundPageMiddleware"]  # noqa: F405

# A throwaway audit signing key for this machine, made on first use in the user's data
# folder – outside the repository, so it is never committed (ADR 10).
_data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
HEARD_AUDIT_SIGNING_KEY_FILE = env.str(
    "HEARD_AUDIT_SIGNING_KEY_FILE", default=str(_data_home / "heard" / "audit-signing-key-dev.pem")
)
HEARD_AUDIT_SIGNING_KEY_CREATE = True
