"""Writes for evidence packs: request one (a task builds it), build one, record downloads."""

import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from heard.accounts.actors import Actor
from heard.audit.models import Action
from heard.audit.services import audit_checkpoint, audit_record
from heard.core.actors import person
from heard.servicechange.evidence import pack as packing
from heard.servicechange.evidence.models import EvidencePack
from heard.servicechange.proposals.models import Proposal

logger = logging.getLogger(__name__)


def _check(actor: Actor | None) -> None:
    if actor is None or not actor.has_perm("evidence.build_pack"):
        raise PermissionDenied("Only administrators and programme leads may build evidence packs.")


def evidence_pack_request(*, proposal: Proposal, actor: Actor) -> EvidencePack:
    """Queue a pack to be built in the background (the task runs after the commit)."""
    _check(actor)
    with transaction.atomic():
        pack = EvidencePack.objects.create(proposal=proposal, requested_by=person(actor))
        audit_record(
            action=Action.EVIDENCE_PACK_REQUESTED,
            actor=actor,
            subject=proposal,
            after={"pack": pack.pk},
        )
        transaction.on_commit(lambda: _enqueue(pack.pk))
    return pack


def _enqueue(pack_id: int) -> None:
    from heard.servicechange.evidence.tasks import build_evidence_pack

    build_evidence_pack.enqueue(pack_id)


def evidence_pack_build(*, proposal: Proposal, actor: Actor) -> EvidencePack:
    """Build a pack now (the command line; the task calls ``evidence_pack_execute``)."""
    _check(actor)
    pack = EvidencePack.objects.create(proposal=proposal, requested_by=person(actor))
    return evidence_pack_execute(pack_id=pack.pk)


def _progress(pack_id: int, percent: int, step: str) -> None:
    EvidencePack.objects.filter(pk=pack_id).update(progress=percent, step=step[:200])


def evidence_pack_execute(*, pack_id: int) -> EvidencePack:
    """Sign the audit chain's head, gather the pack, store it, audit who built it."""
    pack = EvidencePack.objects.select_related("proposal", "requested_by").get(pk=pack_id)
    started = EvidencePack.objects.filter(pk=pack_id, status=EvidencePack.Status.QUEUED).update(
        status=EvidencePack.Status.RUNNING
    )
    if not started:  # already built, failed, or being built by another worker
        return pack
    try:
        # The pack's audit segment ends at a signed checkpoint: sign the head now so the
        # events up to this moment are covered.
        audit_checkpoint(reason="evidence pack")
        data, manifest = packing.build(
            pack.proposal, progress=lambda p, s: _progress(pack_id, p, s)
        )
    except Exception as exc:
        logger.exception("Evidence pack %s failed", pack_id)
        EvidencePack.objects.filter(pk=pack_id).update(
            status=EvidencePack.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        pack.refresh_from_db()
        return pack
    manifest_sha = hashlib.sha256(packing.manifest_bytes(manifest)).hexdigest()
    with transaction.atomic():
        pack.data = data
        pack.sha256 = hashlib.sha256(data).hexdigest()
        pack.manifest_sha256 = manifest_sha
        pack.files = len(manifest["files"])
        pack.status = EvidencePack.Status.DONE
        pack.progress = 100
        pack.step = "Ready"
        pack.finished_at = timezone.now()
        pack.save()
        audit_record(
            action=Action.EVIDENCE_PACK_BUILT,
            actor=pack.requested_by,
            subject=pack.proposal,
            after={
                "pack": pack.pk,
                "sha256": pack.sha256,
                "manifest_sha256": manifest_sha,
                "files": pack.files,
            },
        )
    return pack


def evidence_pack_downloaded(*, pack: EvidencePack, actor: Actor) -> None:
    _check(actor)
    with transaction.atomic():
        audit_record(
            action=Action.EVIDENCE_PACK_DOWNLOADED,
            actor=actor,
            subject=pack.proposal,
            after={"pack": pack.pk, "sha256": pack.sha256},
        )


def evidence_pack_build_from_command(*, proposal: Proposal) -> EvidencePack:
    """Build a pack from the command line (``manage.py evidence_pack``): whoever can run
    commands on the server holds everything anyway; the event records it was the command."""
    pack = EvidencePack.objects.create(proposal=proposal, requested_by=None, step="command line")
    return evidence_pack_execute(pack_id=pack.pk)
