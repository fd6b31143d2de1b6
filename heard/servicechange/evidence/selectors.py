"""Reads for evidence packs, and the comparison of a pack with the live audit chain."""

from django.db.models import QuerySet

from heard.audit.models import Action, AuditCheckpoint, AuditEvent, ChainHead
from heard.servicechange.evidence.models import EvidencePack
from heard.servicechange.evidence.verify import PackVerification
from heard.servicechange.proposals.models import Proposal


def proposals_for_packs() -> QuerySet[Proposal]:
    return Proposal.objects.order_by("pk")


def packs_of(proposal: Proposal) -> QuerySet[EvidencePack]:
    return (
        EvidencePack.objects.filter(proposal=proposal)
        .defer("data")
        .order_by("-requested_at", "-pk")
    )


def pack(pk: int) -> EvidencePack | None:
    return EvidencePack.objects.filter(pk=pk).select_related("proposal").first()


def live_chain_problems(
    check: PackVerification, *, checkpoints: list[dict[str, object]]
) -> list[str]:
    """Where a pack's audit segment and signed checkpoints differ from this database's
    chain, and whether this database recorded building a pack with this manifest."""
    problems: list[str] = []
    head = ChainHead.objects.filter(id=1).first()
    if check.last_sequence is None:
        return problems
    if head is None or head.sequence < check.last_sequence:
        return [f"the live chain ends before the pack's last audit event ({check.last_sequence})"]
    live = dict(
        AuditEvent.objects.filter(
            sequence__gte=check.first_sequence or 0, sequence__lte=check.last_sequence
        ).values_list("sequence", "hash")
    )
    for sequence, digest in sorted(check.hashes.items()):
        if live.get(sequence) != digest:
            problems.append(f"audit event {sequence}: differs from the live chain")
            break
    for raw in checkpoints:
        number = raw.get("number")
        row = (
            AuditCheckpoint.objects.filter(number=number).first()
            if isinstance(number, int)
            else None
        )
        if (
            row is None
            or row.signature != raw.get("signature")
            or row.head_hash != raw.get("head_hash")
        ):
            problems.append(f"signed checkpoint {number}: differs from the live chain's")
    built = AuditEvent.objects.filter(
        action=Action.EVIDENCE_PACK_BUILT, after__manifest_sha256=check.manifest_sha256
    ).exists()
    if not built:
        problems.append("the live audit trail records no pack built with this manifest")
    return problems
