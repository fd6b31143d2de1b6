"""Background work for evidence packs (django-tasks)."""

from django_tasks import task


@task()
def build_evidence_pack(pack_id: int) -> None:
    """Build one requested pack; progress is written to the EvidencePack as it goes."""
    from heard.servicechange.evidence.services import evidence_pack_execute

    evidence_pack_execute(pack_id=pack_id)
