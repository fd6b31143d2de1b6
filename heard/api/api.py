"""Heard's HTTP API (django-ninja): the schema at /api/openapi.json, its documentation at
/api/docs (Swagger UI served from our own static files – no outside host; its script is
a file of ours, so the content security policy allows it without exception)."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from heard.api import public, staff
from heard.api.auth import RateLimited

api = NinjaAPI(
    title="Heard API",
    version="1",
    description=(
        "Public, read-only: activities, consultations with every published version of "
        "their documents, approved 'you said, we did' and groups' public pages – no key "
        "needed. Staff: a personal token made in the staff area (API tokens), sent as "
        "`Authorization: Bearer heard_…`; it can do what its holder's role can do."
    ),
    urls_namespace="api",
    # validatorUrl: Swagger UI would otherwise fetch a badge from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
api.add_router("/public/", public.router)
api.add_router("/staff/", staff.router)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Too many requests with this token. Try again in a minute."}, status=429
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Send a valid API token: Authorization: Bearer heard_…"},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="heard"'
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)
