"""Helpers for the membership scheme tests: join through the form, read links from mail."""

import re

from django.core import mail
from django.urls import reverse

from heard.people.models import Member, Topic


def default_topics() -> list[Topic]:
    """A few topics (transactional tests flush the ones the data migration adds)."""
    return [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in (
            ("mental-health", "Mental health"),
            ("maternity", "Maternity"),
            ("gp-and-primary-care", "GP and primary care"),
        )
    ]


def join_data(**overrides):
    topic = Topic.objects.filter(active=True).order_by("name").first()
    data = {
        "full_name": "Alex Example",
        "email": "alex@example.org",
        "postcode": "nr1 3sr",
        "phone": "",
        "interests": [topic.pk] if topic else [],
        "contact_methods": ["email"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def links_in(message_body: str) -> list[str]:
    return re.findall(r"https?://\S+", message_body)


def link_to(body: str, url_prefix: str) -> str:
    """The path of the first link in ``body`` under ``url_prefix`` (e.g. '/join/confirm/')."""
    for link in links_in(body):
        path = re.sub(r"^https?://[^/]+", "", link)
        if path.startswith(url_prefix):
            return path
    raise AssertionError(f"no link to {url_prefix} in: {body}")


def last_mail_body() -> str:
    return str(mail.outbox[-1].body)


def join_and_verify(client, **overrides) -> Member:
    """Join through the form and open the confirmation link; the client is signed in."""
    response = client.post(reverse("members:join"), join_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    path = link_to(last_mail_body(), "/join/confirm/")
    response = client.post(path)
    assert response.status_code == 302
    return Member.objects.get(email=(overrides.get("email") or "alex@example.org"))
