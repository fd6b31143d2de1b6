"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis,
through the WSGI app – no server, no network): for every operation, generated requests
(valid and invalid) must never give a server error, and every response must match the
schema (status code, content type, body, headers). Run with an administrator's token, so
the staff endpoints answer with data rather than 403s, over a seeded database.
Bounded (``max_examples``) to keep it well under two minutes."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from heard.api.api import api
from heard.api.tests.helpers import bearer, token_for, world
from heard.core.roles import Role

MAX_EXAMPLES = 30


@pytest.fixture
def seeded(db, make_staff, settings):
    settings.HEARD_API_TOKEN_RATE_LIMIT = 100_000
    settings.ALLOWED_HOSTS = ["*"]
    world()
    _token, secret = token_for(make_staff, Role.ADMINISTRATOR)
    # As Django's test client does: the WSGI handler would otherwise close the test's
    # database connection at the end of each request (it is inside the test transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield secret
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The schema as /api/openapi.json serves it (built from the code, so no request is needed
# at collection time); requests go to the WSGI app. (schemathesis.pytest.from_fixture
# reads a private attribute pytest 9 no longer has.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    deadline=None,
)
def test_api_conforms_to_its_schema(case, seeded):
    headers = {"Authorization": bearer(seeded)["HTTP_AUTHORIZATION"]}
    # A negative case whose invalid part is a missing Authorization header is made valid
    # again by the token added here, so "should have been rejected" would be this
    # harness's doing, not the API's (seen once in about twenty runs): for those cases
    # only, every other check still runs.
    excluded = [negative_data_rejection] if _negates_authorization(case) else []
    case.call_and_validate(headers=headers, excluded_checks=excluded)


def _negates_authorization(case) -> bool:
    meta = getattr(case, "meta", None)
    data = getattr(getattr(meta, "phase", None), "data", None)
    return "authorization" in repr(data).lower()
