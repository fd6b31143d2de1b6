"""The audit signing key, held outside the database (ADR 10).

``HEARD_AUDIT_SIGNING_KEY_FILE`` names a file holding the Ed25519 private key (PEM), or
``HEARD_AUDIT_SIGNING_KEY`` holds it (PEM or base64 of the 32 raw bytes). Production
refuses to start without one. A developer's machine (``make run``) makes a throwaway
key in the user's data folder, outside the repository, the first time it is needed
(``HEARD_AUDIT_SIGNING_KEY_CREATE``); the test settings make one in memory.

``HEARD_AUDIT_PUBLIC_KEYS`` lists further public keys a verifier accepts: retired keys
after a rotation, or the only key on a copy of the database checked by someone who does
not hold the private key.
"""

import logging
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from heard.audit import signing

logger = logging.getLogger(__name__)


@cache
def signing_key() -> Ed25519PrivateKey | None:
    """The private key checkpoints are signed with, or None where none is configured."""
    inline = str(getattr(settings, "HEARD_AUDIT_SIGNING_KEY", "") or "")
    path = str(getattr(settings, "HEARD_AUDIT_SIGNING_KEY_FILE", "") or "")
    try:
        if inline:
            return signing.load_private_key(inline)
        if not path:
            return None
        file = Path(path).expanduser()
        if not file.exists() and getattr(settings, "HEARD_AUDIT_SIGNING_KEY_CREATE", False):
            _create(file)
        return signing.load_private_key(file.read_text(encoding="ascii"))
    except (OSError, signing.KeyUnreadable) as exc:
        raise ImproperlyConfigured(f"The audit signing key cannot be loaded: {exc}") from exc


def _create(file: Path) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(signing.private_pem(signing.new_private_key()))
    logger.warning("Made a throwaway audit signing key for this machine at %s", file)


def public_key() -> Ed25519PublicKey | None:
    """The public half of the signing key (what is published), or None."""
    key = signing_key()
    return key.public_key() if key else None


@cache
def known_public_keys() -> dict[str, Ed25519PublicKey]:
    """Every public key a checkpoint may be verified with, by key id."""
    keys: dict[str, Ed25519PublicKey] = {}
    own = public_key()
    if own is not None:
        keys[signing.key_id(own)] = own
    for text in getattr(settings, "HEARD_AUDIT_PUBLIC_KEYS", []) or []:
        try:
            key = signing.load_public_key(text)
        except signing.KeyUnreadable as exc:
            raise ImproperlyConfigured(f"HEARD_AUDIT_PUBLIC_KEYS: {exc}") from exc
        keys[signing.key_id(key)] = key
    return keys


def reset() -> None:
    """Forget the loaded keys (tests that change the settings)."""
    signing_key.cache_clear()
    known_public_keys.cache_clear()
