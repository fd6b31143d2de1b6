"""The public "You said, we did" pages. They serve approved publications only (the text
approved, rendered and stored at approval), never a live query of the records."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from heard.engagement import selectors as engagement_selectors
from heard.servicechange.outcomes import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outcomes/public/index.html",
        {"publications": selectors.current_publications()[:200]},
    )


def _outcome(request: HttpRequest, slug: str, pk: int | None) -> HttpResponse:
    proposal = selectors.published_by_slug(slug)
    if proposal is None:
        raise Http404
    versions = selectors.approved_outcomes(proposal)
    publication = versions[0] if pk is None else next((v for v in versions if v.pk == pk), None)
    if publication is None:
        raise Http404
    return render(
        request,
        "outcomes/public/detail.html",
        {
            "proposal": proposal,
            "publication": publication,
            "versions": versions,
            "newer": publication.pk != versions[0].pk,
            "decision": selectors.decision_of(proposal),
        },
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _outcome(request, slug, None)


def version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _outcome(request, slug, pk)


def _activity(request: HttpRequest, slug: str, pk: int | None) -> HttpResponse:
    activity = engagement_selectors.public_activity(slug)
    if activity is None:
        raise Http404
    versions = selectors.approved_feedbacks(activity)
    if not versions:
        raise Http404
    publication = versions[0] if pk is None else next((v for v in versions if v.pk == pk), None)
    if publication is None:
        raise Http404
    return render(
        request,
        "outcomes/public/activity.html",
        {
            "activity": activity,
            "publication": publication,
            "versions": versions,
            "newer": publication.pk != versions[0].pk,
        },
    )


def activity(request: HttpRequest, slug: str) -> HttpResponse:
    return _activity(request, slug, None)


def activity_version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _activity(request, slug, pk)
