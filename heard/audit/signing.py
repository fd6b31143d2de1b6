"""Signed checkpoints of the audit chain's head, free of Django (ADR 10).

A checkpoint says "on this date the chain's event number ``sequence`` had hash
``head_hash``", signed with an Ed25519 key that is held outside the database. Someone who
can write to the database can drop the append-only triggers, alter an event and recompute
every later hash and the chain head: the chain is then consistent with itself, but no
longer with the signed checkpoints, and they cannot sign new ones without the key.

Each checkpoint also carries a digest of the one before it, so a checkpoint removed from
the middle of the series is noticed too.
"""

import base64
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from heard.audit.domain import GENESIS, canonical_json

PURPOSE = "heard-audit-checkpoint/1"


class KeyUnreadable(ValueError):
    """A key that cannot be read (wrong format, not Ed25519)."""


@dataclass(frozen=True)
class CheckpointContent:
    """What a checkpoint says, exactly as it is signed."""

    number: int
    sequence: int
    head_hash: str
    signed_at: datetime
    prev_digest: str
    key_id: str

    def message(self) -> bytes:
        return canonical_json(
            {
                "purpose": PURPOSE,
                "number": self.number,
                "sequence": self.sequence,
                "head_hash": self.head_hash,
                "signed_at": self.signed_at.astimezone(UTC).isoformat(timespec="microseconds"),
                "prev_digest": self.prev_digest,
                "key_id": self.key_id,
            }
        ).encode("utf-8")


def checkpoint_digest(content: CheckpointContent, signature: str) -> str:
    """The digest the next checkpoint links to: its message and its signature."""
    return hashlib.sha256(content.message() + b"." + signature.encode("ascii")).hexdigest()


FIRST_PREV_DIGEST = GENESIS


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    ).decode("ascii")


def public_base64(public_key: Ed25519PublicKey) -> str:
    return base64.b64encode(raw_public(public_key)).decode("ascii")


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(private_key: Ed25519PrivateKey) -> str:
    return private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


def load_private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8) or from base64 of its 32 raw bytes."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise KeyUnreadable("the audit signing key must be an Ed25519 key")
            return key
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except KeyUnreadable:
        raise
    except (ValueError, TypeError) as exc:
        raise KeyUnreadable(f"the audit signing key cannot be read: {exc}") from exc


def load_public_key(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM or from base64 of its 32 raw bytes."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode("ascii"))
            if not isinstance(key, Ed25519PublicKey):
                raise KeyUnreadable("an audit public key must be an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except KeyUnreadable:
        raise
    except (ValueError, TypeError) as exc:
        raise KeyUnreadable(f"an audit public key cannot be read: {exc}") from exc


def sign(private_key: Ed25519PrivateKey, content: CheckpointContent) -> str:
    return base64.b64encode(private_key.sign(content.message())).decode("ascii")


def signature_valid(
    public_key: Ed25519PublicKey, content: CheckpointContent, signature: str
) -> bool:
    try:
        public_key.verify(base64.b64decode(signature, validate=True), content.message())
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class StoredCheckpoint:
    content: CheckpointContent
    signature: str


@dataclass(frozen=True)
class CheckpointVerification:
    ok: bool
    checked: int
    # The newest checkpoint that is valid and that the chain still matches.
    last_good: StoredCheckpoint | None = None
    # Where a rewritten chain stops matching: the first event that may have been changed
    # (just after the last checkpoint that still matches) and the checkpoint it fails.
    from_sequence: int | None = None
    to_sequence: int | None = None
    reason: str = ""


def verify_checkpoints(
    checkpoints: Iterable[StoredCheckpoint],
    hash_at: Mapping[int, str],
    public_keys: Mapping[str, Ed25519PublicKey],
) -> CheckpointVerification:
    """Check every checkpoint, oldest first, against its key and against the chain.

    ``hash_at`` gives the stored hash of the chain's event at each checkpoint's sequence
    (absent if there is no such event). Each checkpoint must be signed by a known key,
    follow the one before it, and still name the hash the chain holds at its sequence.
    """
    prev_digest = FIRST_PREV_DIGEST
    expected_number = 1
    last_good: StoredCheckpoint | None = None
    checked = 0

    def fail(reason: str, checkpoint: StoredCheckpoint) -> CheckpointVerification:
        start = last_good.content.sequence + 1 if last_good else 1
        return CheckpointVerification(
            False, checked, last_good, start, checkpoint.content.sequence, reason
        )

    for checkpoint in checkpoints:
        c = checkpoint.content
        name = f"signed checkpoint {c.number} (event #{c.sequence})"
        if c.number != expected_number:
            return fail(
                f"expected checkpoint {expected_number} but found {c.number}: "
                "a signed checkpoint was removed",
                checkpoint,
            )
        key = public_keys.get(c.key_id)
        if key is None:
            return fail(f"{name} is signed with an unknown key ({c.key_id})", checkpoint)
        if not signature_valid(key, c, checkpoint.signature):
            return fail(f"{name} does not match its signature: it was altered", checkpoint)
        if c.prev_digest != prev_digest:
            return fail(
                f"{name} does not follow the checkpoint before it: one was removed or replaced",
                checkpoint,
            )
        actual = hash_at.get(c.sequence)
        if actual is None:
            return fail(f"event #{c.sequence}, signed by {name}, no longer exists", checkpoint)
        if actual != c.head_hash:
            start = last_good.content.sequence + 1 if last_good else 1
            return fail(
                f"the chain stops matching its signed checkpoints at event #{start}: "
                f"{name}, signed {c.signed_at.astimezone(UTC):%d %b %Y %H:%M:%S} UTC, names "
                f"another hash for event #{c.sequence}. An event from #{start} to "
                f"#{c.sequence} was changed and the hashes after it recomputed",
                checkpoint,
            )
        checked += 1
        last_good = checkpoint
        prev_digest = checkpoint_digest(c, checkpoint.signature)
        expected_number += 1
    return CheckpointVerification(True, checked, last_good)
