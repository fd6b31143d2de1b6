"""Middleware shared by every part of Heard."""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from heard.core.ratelimit import client_address
from heard.core.request_context import new_request_id, reset_request_id, set_request_id

# A proxy may pass its own id; accept it only if it is short and plain.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id, carried into logs, audit events and the response."""

    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(self.header, "")
        request_id = incoming if _SAFE_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response[self.header] = request_id
        return response


class ClientAddressMiddleware:
    """Put the real client address in ``REMOTE_ADDR`` (HEARD_TRUSTED_PROXY_COUNT proxies).

    First in the chain, so logging, django-allauth and every rate limit see the person's
    address, not the proxy's; the peer's own address is kept in ``HEARD_PEER_ADDR``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META["HEARD_PEER_ADDR"] = request.META.get("REMOTE_ADDR", "")
        request.META["REMOTE_ADDR"] = client_address(request)
        return self.get_response(request)


class StageRefusedMiddleware:
    """A change the stage of its proposal does not allow (``heard.servicechange.proposals.guard``),
    refused by the service and not handled by the page that asked: shown as a clear page
    (409 Conflict) with the reason and a way back, never as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not getattr(exception, "stage_refused", False):
            return None
        from django.template.response import TemplateResponse
        from django.utils.http import url_has_allowed_host_and_scheme

        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = ""
        message = getattr(exception, "message", "") or str(exception)
        response = TemplateResponse(
            request, "errors/409.html", {"reason": message, "back": back}, status=409
        )
        return response.render()
