"""The write path's promises to the person sending a response (ADR 11).

A response that was stored is never answered with an error, whatever fails after the
commit; a response the database did not take in time (a lock wait past its bound) is
answered with the same page and a plain message, and sending it again stores it once.
"""

import threading

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from heard.engagement import services_responses
from heard.engagement.models import Response
from heard.engagement.tests.test_respond import _no_min_time, _walk, make_questionnaire  # noqa: F401


def _send(client, url, state, **extra):
    return client.post(
        url, {"state": state, "page": 3, "action": "send", "publish_consent": "yes", **extra}
    )


@pytest.mark.django_db
def test_a_stored_response_is_answered_as_received_when_its_receipt_step_fails(client, monkeypatch):
    """Before, a failure counting or queueing the receipt (a busy database, after the
    response had committed) gave the person a server error for a stored response."""

    def refused(email):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services_responses, "_receipt_mail_allowed", refused)
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    r = _send(client, url, _walk(client, url), receipt_email="pat@example.org")
    assert r.status_code == 302 and "/received/" in r["Location"]
    assert Response.objects.count() == 1


def test_a_response_waiting_past_the_lock_timeout_is_refused_plainly_and_sent_again_once(
    client, transactional_db
):
    """A real lock held by another connection (PostgreSQL's lock_timeout; every wait is
    bounded): the person sees the same page with a message saying to send it again, not
    an error page; sending the same form again stores it once."""
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database has no lock wait to bound")
    import psycopg

    from heard.audit.domain import GENESIS
    from heard.audit.models import ChainHead

    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    ChainHead.objects.get_or_create(id=1, defaults={"sequence": 0, "hash": GENESIS})
    s = connection.settings_dict
    holder = psycopg.connect(
        host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=s["NAME"], autocommit=False
    )
    holder.execute("SELECT 1 FROM audit_chainhead WHERE id = 1 FOR UPDATE")  # a writer
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        r = _send(client, url, state)
        assert r.status_code == 503
        assert "select ‘Send my response’ again" in r.content.decode()
        # the same form, the same submission token (the signature's timestamp may differ)
        assert _unsigned(_state_of(r)) == _unsigned(state)
        assert Response.objects.count() == 0
    finally:
        threading.Timer(0.2, holder.rollback).start()  # the other writer finishes
    r = _send(client, url, state)
    assert r.status_code == 302
    r = _send(client, url, state)  # and again: still once
    assert r.status_code == 302
    assert Response.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")
    holder.close()


def _unsigned(state):
    return services_responses.state_read(state)


def _state_of(r):
    import re

    return re.search(r'name="state" value="([^"]+)"', r.content.decode())[1]
