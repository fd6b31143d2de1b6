"""Staff pages for evidence packs: build one (a background task), follow it, download it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from heard.core.permissions import permission_required
from heard.servicechange.evidence import selectors, services
from heard.servicechange.evidence.models import EvidencePack
from heard.servicechange.proposals.models import Proposal


def _proposal(pk: int) -> Proposal:
    proposal = selectors.proposals_for_packs().filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


@permission_required("evidence.build_pack")
@require_http_methods(["GET"])
def proposal_packs(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    packs = list(selectors.packs_of(proposal)[:20])
    active = any(
        p.status in (EvidencePack.Status.QUEUED, EvidencePack.Status.RUNNING) for p in packs
    )
    template = (
        "evidence/staff/_packs.html"
        if request.headers.get("HX-Request")
        else "evidence/staff/packs.html"
    )
    return render(request, template, {"proposal": proposal, "packs": packs, "active": active})


@permission_required("evidence.build_pack")
@require_POST
def build(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    services.evidence_pack_request(proposal=proposal, actor=request.user)
    messages.success(request, "The evidence pack is being built. This page shows its progress.")
    return redirect("evidence:proposal", pk=proposal.pk)


@permission_required("evidence.build_pack")
@require_http_methods(["GET"])
def download(request: HttpRequest, pk: int) -> HttpResponse:
    pack = selectors.pack(pk)
    if pack is None or pack.status != EvidencePack.Status.DONE:
        raise Http404
    services.evidence_pack_downloaded(pack=pack, actor=request.user)
    response = HttpResponse(bytes(pack.data), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
    return response
