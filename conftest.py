"""Fixtures shared by every test suite (unit, integration, browser)."""

import pytest
from hypothesis import settings as hypothesis_settings

from heard.core.roles import Role

# Property tests check what is true, never how fast: Hypothesis's default 200 ms deadline
# per example turned a loaded CI machine into failures of correct code.
hypothesis_settings.register_profile("heard", deadline=None)
hypothesis_settings.load_profile("heard")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits, lock-outs and used TOTP codes live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_triggers_and_flush(request):
    """Let Django empty the database after transactional tests despite the audit triggers.

    The triggers refuse DELETE/TRUNCATE on audit events, which is exactly what Django's
    flush does between transactional (e.g. browser) tests. For those tests only, put the
    triggers back at the start and lift them at the end, just before the flush.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from heard.audit import triggers

    triggers.install(connection)
    yield
    triggers.remove(connection)


@pytest.fixture
def make_staff(db):
    from heard.accounts.tests.factories import StaffFactory

    def make(role: Role = Role.ENGAGEMENT_OFFICER, **kwargs):
        return StaffFactory(role=role, **kwargs)

    return make


@pytest.fixture
def make_member(db):
    """A member of the public: a user with no role, linked to an active ``Member``."""
    from django.utils import timezone

    from heard.accounts.tests.factories import UserFactory
    from heard.people.models import Member

    def make(**kwargs):
        user = UserFactory(role="", **kwargs)
        Member.objects.create(
            user=user,
            full_name=user.full_name or "Test Member",
            email=user.email,
            postcode="NR1 3SR",
            postcode_district="NR1",
            locality="Norwich",
            status=Member.Status.ACTIVE,
            email_verified_at=timezone.now(),
        )
        return user

    return make


@pytest.fixture
def staff_client(client, make_staff):
    """A test client signed in (with two-factor already passed) as a staff member of a role."""

    def sign_in(role: Role = Role.ENGAGEMENT_OFFICER):
        user = make_staff(role)
        client.force_login(user)
        return client, user

    return sign_in


class _Inbox:
    """Messages received by the local SMTP server, parsed."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(msg)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends mail to it over a real SMTP exchange."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
