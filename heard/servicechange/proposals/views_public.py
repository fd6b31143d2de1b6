"""The public "What we are working on" pages: proposals from early engagement onward
that are not kept private."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from heard.servicechange.proposals import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "proposals/public/index.html",
        {"proposals": list(selectors.public_proposals())},
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = selectors.public_proposal(slug)
    if proposal is None:
        raise Http404("No such proposal on the public site")
    return render(
        request, "proposals/public/detail.html", {"view": selectors.public_view(proposal)}
    )
