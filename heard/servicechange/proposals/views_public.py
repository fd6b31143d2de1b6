"""The public "What we are working on" pages: proposals from early engagement onward
that are not kept private. (A proposal's page is the lifecycle's:
``heard.servicechange.lifecycle.views.public_detail``.)"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heard.servicechange.proposals import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "proposals/public/index.html",
        {"proposals": list(selectors.public_proposals())},
    )
