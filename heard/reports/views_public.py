"""The published annual involvement reports on the public site: what is shown is the
version as stored when it was published (HTML, PDF and CSV bytes), never a live query."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from heard.reports import selectors
from heard.reports.models import ReportVersion
from heard.reports.views import version_file


def _published(year: int, number: int | None) -> ReportVersion:
    v = selectors.published_version(year, number)
    if v is None:
        raise Http404
    return v


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/public/index.html", {"versions": selectors.published_reports()})


@require_http_methods(["GET"])
def detail(request: HttpRequest, year: int, number: int | None = None) -> HttpResponse:
    v = _published(year, number)
    return render(
        request,
        "reports/public/detail.html",
        {"v": v, "newer": selectors.newer_version(v)},
    )


@require_http_methods(["GET"])
def pdf(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return version_file(_published(year, number), "pdf")


@require_http_methods(["GET"])
def annex(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return version_file(_published(year, number), "csv")
