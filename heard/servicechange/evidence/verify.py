"""Checking an evidence pack offline, free of Django (standard library and ``cryptography``).

A pack is a ZIP whose ``manifest.json`` lists every other file with its SHA-256. Its audit
segment (``audit/events.jsonl``) is a run of consecutive events of the audit chain, each
with its full hashed content and stored hash, ending at an event whose hash a signed
checkpoint (``audit/checkpoints.json``) names; ``audit/public-key.pem`` is the key the
checkpoints are checked with (compare its key id with the one the ICB publishes).

``verify_pack`` checks every file against the manifest, recomputes every event's hash
from its content and follows the links from one event to the next, and checks each
checkpoint's signature and that it names the hash the segment holds. It reports every
problem found, the first first, each naming the file or event.

Usable without Django: ``python -m heard.servicechange.evidence.verify pack.zip``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from heard.audit.domain import EventContent, canonical_json, event_hash
from heard.audit.signing import (
    CheckpointContent,
    KeyUnreadable,
    key_id,
    load_public_key,
    signature_valid,
)

FORMAT = "heard-evidence-pack/1"
MANIFEST = "manifest.json"
EVENTS = "audit/events.jsonl"
CHECKPOINTS = "audit/checkpoints.json"
PUBLIC_KEY = "audit/public-key.pem"
MAX_UNPACKED = 4 * 1024**3  # refuse a ZIP bomb rather than fill the memory
_CONTENT_KEYS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_role",
    "action",
    "subject_type",
    "subject_id",
    "before",
    "after",
    "request_id",
    "prev_hash",
)


@dataclass
class PackVerification:
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    events_checked: int = 0
    checkpoints_checked: int = 0
    key_id: str = ""
    first_sequence: int | None = None
    last_sequence: int | None = None
    last_hash: str = ""
    manifest_sha256: str = ""
    trusted_key_ids: frozenset[str] = frozenset()
    # sequence -> stored hash of every event in the segment (for a live comparison)
    hashes: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> str:
        return self.problems[0] if self.problems else ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def event_content(record: dict[str, Any]) -> EventContent:
    """An event's content from its line in ``audit/events.jsonl`` (raises on a bad line)."""
    missing = [k for k in _CONTENT_KEYS if k not in record]
    if missing:
        raise ValueError(f"it lacks {', '.join(missing)}")
    occurred_at = datetime.fromisoformat(str(record["occurred_at"]))
    if occurred_at.tzinfo is None:
        raise ValueError("its time has no time zone")
    return EventContent(
        sequence=int(record["sequence"]),
        occurred_at=occurred_at,
        actor_id=record["actor_id"],
        actor_role=str(record["actor_role"]),
        action=str(record["action"]),
        subject_type=str(record["subject_type"]),
        subject_id=str(record["subject_id"]),
        before=record["before"],
        after=record["after"],
        request_id=str(record["request_id"]),
        prev_hash=str(record["prev_hash"]),
    )


def verify_pack(
    source: str | Path | IO[bytes], *, trusted_key_ids: Iterable[str] = ()
) -> PackVerification:
    """Check a pack. With ``trusted_key_ids`` (the published key's id, from the ICB or
    from ``manage.py audit_signing_key``), the pack's own public key must be one of them:
    a pack signed with a key of the forger's making then fails."""
    result = PackVerification()
    result.trusted_key_ids = frozenset(trusted_key_ids)
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        result.problems.append(f"the pack is not a readable ZIP file: {exc}")
        return result
    with archive:
        contents: dict[str, bytes] = {}
        declared = sum(info.file_size for info in archive.infolist())
        if declared > MAX_UNPACKED:
            result.problems.append(
                f"the pack would unpack to {declared} bytes, more than the {MAX_UNPACKED} "
                "a verifier reads"
            )
            return result
        for info in archive.infolist():
            if info.is_dir():
                continue
            try:
                contents[info.filename] = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                result.problems.append(f"file {info.filename}: cannot be read ({exc})")
    _check_files(contents, result)
    events = _check_audit(contents, result)
    _check_anchors(contents, events, result)
    return result


def _check_files(contents: dict[str, bytes], result: PackVerification) -> None:
    raw = contents.get(MANIFEST)
    if raw is None:
        result.problems.append("the pack has no manifest.json")
        return
    result.manifest_sha256 = sha256(raw)
    try:
        manifest = json.loads(raw)
        listed = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
    except (ValueError, KeyError, TypeError) as exc:
        result.problems.append(f"file manifest.json: cannot be read ({exc})")
        return
    if manifest.get("format") != FORMAT:
        result.problems.append(f"file manifest.json: not an evidence pack of format {FORMAT}")
    for path, digest in listed.items():
        data = contents.get(path)
        if data is None:
            result.problems.append(f"file {path}: listed in the manifest but missing")
            continue
        result.files_checked += 1
        if sha256(data) != digest:
            result.problems.append(f"file {path}: SHA-256 does not match the manifest")
    for path in sorted(set(contents) - set(listed) - {MANIFEST}):
        result.problems.append(f"file {path}: in the pack but not in the manifest")


def _check_audit(contents: dict[str, bytes], result: PackVerification) -> list[EventContent]:
    """Check the events' hashes and links and the checkpoints; return the events read."""
    events: list[EventContent] = []
    lines = contents.get(EVENTS)
    if lines is None:
        result.problems.append(f"the pack has no {EVENTS}")
        return events
    previous: tuple[int, str] | None = None
    for number, line in enumerate(lines.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            content = event_content(record)
            stored = str(record["hash"])
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"audit event on line {number}: cannot be read ({exc})")
            return events
        name = f"audit event {content.sequence}"
        if previous is not None:
            if content.sequence != previous[0] + 1:
                result.problems.append(
                    f"{name}: expected event {previous[0] + 1} next: an event is missing "
                    "or out of order"
                )
            elif content.prev_hash != previous[1]:
                result.problems.append(
                    f"{name}: its previous-hash does not match the event before it"
                )
        if event_hash(content) != stored:
            result.problems.append(f"{name}: hash does not match its content")
        if result.first_sequence is None:
            result.first_sequence = content.sequence
        result.last_sequence, result.last_hash = content.sequence, stored
        result.hashes[content.sequence] = stored
        result.events_checked += 1
        previous = (content.sequence, stored)
        events.append(content)
    if previous is None:
        result.problems.append(f"file {EVENTS}: holds no audit events")
        return events
    _check_checkpoints(contents, result)
    return events


def _json_file(contents: dict[str, bytes], path: str) -> dict[str, Any] | None:
    try:
        value = json.loads(contents[path])
    except (KeyError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _check_anchors(
    contents: dict[str, bytes], events: list[EventContent], result: PackVerification
) -> None:
    """Files whose SHA-256 the audit chain itself recorded when they were made: the
    outcome report as issued (always) and the consultation document's versions (where
    published through Heard's document service). A tamperer who rewrites such a file and
    the manifest together is still caught, since the signed chain names the original."""
    issued: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    published: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    for e in events:
        if not isinstance(e.after, dict) or not isinstance(e.after.get("version"), int):
            continue
        key = (e.subject_id, e.after["version"])
        if e.action == "outcome.report_issued" and e.subject_type == "outcomes.outcome":
            issued[key] = (e.sequence, e.after)
        elif (
            e.action == "consultation.document_published"
            and e.subject_type == "consultations.consultation"
        ):
            published[key] = (e.sequence, e.after)
    for path in sorted(contents):
        if path.startswith("outcomes/report-v") and path.endswith(".json"):
            meta = _json_file(contents, path)
            if meta is None:
                result.problems.append(f"file {path}: cannot be read")
                continue
            stem = path[: -len(".json")]
            found = issued.get((str(meta.get("outcome_id")), meta.get("version")))  # type: ignore[arg-type]
            if found is None:
                result.problems.append(
                    f"file {stem}.html: no audit event in the pack records issuing it"
                )
                continue
            sequence, after = found
            for suffix, field_name in ((".html", "html_sha256"), (".pdf", "pdf_sha256")):
                data = contents.get(stem + suffix)
                if data is None or sha256(data) != after.get(field_name):
                    result.problems.append(
                        f"file {stem}{suffix}: SHA-256 differs from the one audit event "
                        f"{sequence} recorded when the report was issued"
                    )
        elif path.startswith("consultation/document-v") and path.endswith(".json"):
            meta = _json_file(contents, path)
            sections = meta.get("sections") if meta else None
            if meta is None or not isinstance(sections, dict):
                result.problems.append(f"file {path}: cannot be read")
                continue
            digest = sha256(canonical_json({"sections": sections}).encode("utf-8"))
            if digest != meta.get("content_hash"):
                result.problems.append(f"file {path}: its text does not match its content hash")
                continue
            found = published.get((str(meta.get("consultation_id")), meta.get("number")))  # type: ignore[arg-type]
            if found is not None and found[1].get("content_hash") != digest:
                result.problems.append(
                    f"file {path}: its text differs from what audit event {found[0]} recorded "
                    "when it was published"
                )


def _check_checkpoints(contents: dict[str, bytes], result: PackVerification) -> None:
    try:
        public = load_public_key(contents.get(PUBLIC_KEY, b"").decode("ascii", errors="replace"))
    except KeyUnreadable as exc:
        result.problems.append(f"file {PUBLIC_KEY}: {exc}")
        return
    result.key_id = key_id(public)
    if result.trusted_key_ids and result.key_id not in result.trusted_key_ids:
        result.problems.append(
            f"file {PUBLIC_KEY}: key {result.key_id} is not a published key "
            f"({', '.join(sorted(result.trusted_key_ids))})"
        )
        return
    try:
        checkpoints = json.loads(contents.get(CHECKPOINTS, b"[]"))
        assert isinstance(checkpoints, list)
    except (ValueError, AssertionError):
        result.problems.append(f"file {CHECKPOINTS}: cannot be read")
        return
    covers_end = False
    for raw in checkpoints:
        try:
            content = CheckpointContent(
                number=int(raw["number"]),
                sequence=int(raw["sequence"]),
                head_hash=str(raw["head_hash"]),
                signed_at=datetime.fromisoformat(str(raw["signed_at"])),
                prev_digest=str(raw["prev_digest"]),
                key_id=str(raw["key_id"]),
            )
            signature = str(raw["signature"])
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"file {CHECKPOINTS}: a checkpoint cannot be read ({exc})")
            continue
        name = f"signed checkpoint {content.number} (event {content.sequence})"
        if content.key_id != result.key_id:
            result.problems.append(f"{name}: signed with another key ({content.key_id})")
            continue
        if not signature_valid(public, content, signature):
            result.problems.append(f"{name}: does not match its signature")
            continue
        held = result.hashes.get(content.sequence)
        if held is None:
            result.problems.append(f"{name}: its event is not in the pack")
            continue
        if held != content.head_hash:
            result.problems.append(
                f"{name}: names another hash than audit event {content.sequence}"
            )
            continue
        result.checkpoints_checked += 1
        covers_end = covers_end or content.sequence == result.last_sequence
    if not covers_end:
        result.problems.append(
            f"no valid signed checkpoint covers the last audit event ({result.last_sequence})"
        )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    trusted: list[str] = []
    while len(args) > 1 and args[0] == "--key-id":
        trusted.append(args[1])
        args = args[2:]
    if len(args) != 1:
        print(
            "usage: python -m heard.servicechange.evidence.verify [--key-id ID]... PACK.zip",
            file=sys.stderr,
        )
        return 2
    check = verify_pack(args[0], trusted_key_ids=trusted)
    for problem in check.problems:
        print(f"FAIL {problem}")
    if check.ok:
        print(
            f"OK {check.files_checked} files, {check.events_checked} audit events "
            f"({check.first_sequence}-{check.last_sequence}), {check.checkpoints_checked} "
            f"signed checkpoint(s), key {check.key_id}"
        )
    return 0 if check.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
