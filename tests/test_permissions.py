"""The role matrix: every staff URL × every role, plus anonymous and a member of the public.

Each cell expects exactly one of: allowed (200), forbidden (403) or redirect to sign-in.
A staff URL missing from EXPECTED fails the test, so new pages must declare who may see them.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from heard.core.roles import Role

ALLOW, FORBID, SIGN_IN = "allowed", "forbidden", "sign-in"
ALL_STAFF = set(Role)

# url name -> roles allowed (everyone else signed in is forbidden; anonymous must sign in)
EXPECTED: dict[str, set[Role]] = {
    "staff:dashboard": ALL_STAFF,
    "audit:events": {Role.ADMINISTRATOR, Role.SCRUTINY_READER, Role.DECISION_MAKER},
    "audit:export": {Role.ADMINISTRATOR, Role.SCRUTINY_READER},
}

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


def _expected(url_name: str, actor: Role | str) -> str:
    if actor == "anonymous":
        return SIGN_IN
    if actor == "public":
        return FORBID
    return ALLOW if actor in EXPECTED[url_name] else FORBID


def _outcome(response) -> str:
    if response.status_code == 200:
        return ALLOW
    if response.status_code == 403:
        return FORBID
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return SIGN_IN
    return f"unexpected {response.status_code} {response.get('Location', '')}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(EXPECTED))
@pytest.mark.parametrize("actor", ACTORS, ids=str)
def test_role_matrix(client, make_staff, make_member, url_name, actor):
    if actor == "public":
        client.force_login(make_member())
    elif actor != "anonymous":
        client.force_login(make_staff(actor))
    response = client.get(reverse(url_name))
    assert _outcome(response) == _expected(url_name, actor)


@pytest.mark.django_db
def test_forbidden_page_says_why_in_plain_words(client, make_member):
    client.force_login(make_member())
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()
