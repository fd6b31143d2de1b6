"""The product's own "Page not found" even with DEBUG on (the demo runs with it on).

With ``DEBUG`` Django answers a missing page with its technical 404 (URL patterns,
settings hints); a demo shown to the public should look like the product. Added to the
middleware in the development settings unless ``HEARD_DEBUG_TECHNICAL_404`` is set.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from heard.core.views import page_not_found

# Django's technical 404 page says this; our own page never does.
_TECHNICAL = b"DEBUG = True"


class OwnNotFoundPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not getattr(response, "streaming", False)
            and _TECHNICAL in response.content
        ):
            return page_not_found(request)
        return response
