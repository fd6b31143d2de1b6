"""The public "You said, we did" pages, generated from the same records as the report."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from heard.outcomes import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "outcomes/public/index.html", {"proposals": list(selectors.published()[:100])}
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = selectors.published_by_slug(slug)
    if proposal is None:
        raise Http404
    return render(
        request,
        "outcomes/public/detail.html",
        {"proposal": proposal, "report": selectors.report_for(proposal, public=True)},
    )
