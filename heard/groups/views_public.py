"""Public pages of groups marked public, the members' own page, and papers (checked)."""

from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from heard.groups import domain, selectors, services
from heard.groups.models import MembershipTerm
from heard.people.selectors import member_for_user


def group_index(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/public/index.html", {"groups": selectors.public_groups()})


def group_page(request: HttpRequest, slug: str) -> HttpResponse:
    data = selectors.public_group(slug)
    if data is None:
        raise Http404("No such group")
    return render(request, "groups/public/group.html", {"g": data})


def meeting_minutes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = selectors.public_meeting(slug, pk)
    if found is None:
        raise Http404("No published minutes")
    sg, meeting, minutes = found
    return render(
        request,
        "groups/public/minutes.html",
        # the words as checked and redacted (never the stored text as typed)
        {
            "sg": sg,
            "meeting": meeting,
            "minutes": minutes,
            "shown": selectors.public_minutes(minutes),
        },
    )


def my_groups(request: HttpRequest) -> HttpResponse:
    """A member's own groups: the meetings and their papers (only for their current terms)."""
    member = member_for_user(request.user)
    if member is None:
        return redirect(f"{reverse('members:sign_in')}?{urlencode({'next': request.path})}")
    today = timezone.localdate()
    terms = [
        t
        for t in MembershipTerm.objects.filter(member=member).select_related(
            "standing_group__group"
        )
        if t.covers(today)
    ]
    groups: list[dict[str, Any]] = []
    for term in terms:
        sg = term.standing_group
        meetings = sg.meetings.filter(cancelled_at__isnull=True).prefetch_related("papers")
        groups.append({"sg": sg, "term": term, "meetings": meetings.order_by("-starts_at")[:6]})
    response = render(request, "groups/public/mine.html", {"groups": groups})
    add_never_cache_headers(response)
    return response


def paper_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A paper, to staff who view groups and to the group's current members; else 403/404."""
    paper = selectors.paper(pk)
    if paper is None:
        raise Http404("No such paper")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('members:sign_in')}?{urlencode({'next': request.path})}")
    services.paper_downloaded(actor=request.user, paper=paper)  # PermissionDenied → 403
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The paper's file is missing") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=paper.filename,
        content_type=domain.content_type_for(paper.filename),
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response
