"""The role matrix: every staff URL x every role, plus anonymous and a member of the public.

Each app declares who may reach each of its staff URLs in ``heard/<app>/tests/access_matrix.py``
(independently of its ``rules.py``). Each cell expects exactly one of: allowed, forbidden
(403) or redirect to sign-in. A staff URL that no matrix declares fails the test, so new
pages must say who may see them.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from heard.core.roles import Role
from heard.core.testing import Access

ALLOW, FORBID, SIGN_IN = "allowed", "forbidden", "sign-in"


def _collect() -> dict[str, Access]:
    expected: dict[str, Access] = {}
    import heard.servicechange

    packages = [
        *(f"heard.{app.name}" for app in pkgutil.iter_modules(heard.__path__)),
        *(
            f"heard.servicechange.{app.name}"
            for app in pkgutil.iter_modules(heard.servicechange.__path__)
        ),
    ]
    for package in packages:
        try:
            module = importlib.import_module(f"{package}.tests.access_matrix")
        except ModuleNotFoundError:
            continue
        expected.update(module.EXPECTED)
    return expected


EXPECTED = _collect()
ACTORS = [*Role, "anonymous", "public"]


def _staff_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif (
                isinstance(p, URLPattern)
                and p.name
                and (prefix + str(p.pattern)).startswith("staff/")
            ):
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "", "")
    return names


def test_every_staff_url_declares_who_may_see_it():
    assert _staff_url_names() == set(EXPECTED)


def _expected(access: Access, actor: Role | str) -> str:
    if actor == "anonymous":
        return SIGN_IN
    if actor == "public":
        return FORBID
    return ALLOW if actor in access.roles else FORBID


def _outcome(response) -> str:
    if response.status_code == 403:
        return FORBID
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return SIGN_IN
    if response.status_code < 400 or response.status_code in (400, 409, 422):
        return ALLOW
    return f"unexpected {response.status_code} {response.get('Location', '')}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(EXPECTED))
@pytest.mark.parametrize("actor", ACTORS, ids=str)
def test_role_matrix(client, make_staff, make_member, url_name, actor):
    access = EXPECTED[url_name]
    if actor == "public":
        client.force_login(make_member())
    elif actor != "anonymous":
        client.force_login(make_staff(actor))
    url = reverse(url_name, kwargs=access.kwargs() if access.kwargs else None)
    response = client.post(url, access.data) if access.method == "post" else client.get(url)
    assert _outcome(response) == _expected(access, actor)


@pytest.mark.django_db
def test_forbidden_page_says_why_in_plain_words(client, make_member):
    client.force_login(make_member())
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()
