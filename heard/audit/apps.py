from typing import Any

from django.apps import AppConfig
from django.core import checks


class AuditConfig(AppConfig):
    name = "heard.audit"
    label = "audit"

    def ready(self) -> None:
        checks.register(signing_key_check)


def signing_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A configured audit signing key that cannot be read stops `check` (and so every
    deployment step that runs it), rather than failing at the first checkpoint."""
    from django.core.exceptions import ImproperlyConfigured

    from heard.audit import keys

    try:
        keys.signing_key()
        keys.known_public_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="audit.E001")]
    return []
