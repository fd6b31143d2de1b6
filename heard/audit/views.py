"""Staff pages for the audit trail: a filtered list and a JSON-lines export."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from heard.audit import keys, signing
from heard.audit.forms import EventFilterForm
from heard.audit.models import Action
from heard.audit.selectors import (
    actor_names,
    audit_chain_status,
    audit_events,
    audit_export_lines,
)
from heard.audit.services import audit_record
from heard.core.permissions import permission_required


@permission_required("audit.view_events")
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = form.to_filter() if request.GET else None
    page = Paginator(audit_events(filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    events = list(page.object_list)
    names = actor_names({e.actor_id for e in events if e.actor_id})
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "events": [
                (e, names.get(e.actor_id) if e.actor_id else None, _role_label(e.actor_role))
                for e in events
            ],
            "query": query.urlencode(),
            "total": page.paginator.count,
            "status": audit_chain_status(),
        },
    )


def _role_label(role: str) -> str:
    from heard.core.roles import Role

    return str(Role(role).label) if role in Role.values else role


def public_key(request: HttpRequest) -> HttpResponse:
    """The public key the audit chain's checkpoints are signed with, for anyone to keep
    and to verify a copy of the chain with (ADR 10)."""
    key = keys.public_key()
    if key is None:
        raise Http404("No audit signing key is configured.")
    response = HttpResponse(signing.public_pem(key), content_type="application/x-pem-file")
    response["Content-Disposition"] = (
        f'inline; filename="heard-audit-key-{signing.key_id(key)}.pem"'
    )
    return response


@permission_required("audit.export_events")
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = form.to_filter() if request.GET else None
    with transaction.atomic():
        audit_record(
            action=Action.AUDIT_EXPORTED,
            actor=request.user,
            after={"filters": {k: v for k, v in request.GET.items() if v}},
        )
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(
        audit_export_lines(filters), content_type="application/x-ndjson; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.jsonl"'
    return response
