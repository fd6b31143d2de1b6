"""The real client address behind 0, 1 and 2 trusted proxies, and the rate limits on it."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import PASSWORD
from heard.core import ratelimit
from heard.core.middleware import ClientAddressMiddleware
from heard.core.models import RateCounter
from heard.core.roles import Role


def _seen(settings, count, *, peer, forwarded=None):
    settings.HEARD_TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)
    seen = {}

    def view(req):
        seen["addr"] = req.META["REMOTE_ADDR"]
        seen["fn"] = ratelimit.client_address(req)
        return HttpResponse()

    ClientAddressMiddleware(view)(request)
    assert seen["addr"] == seen["fn"]  # the middleware and the function agree
    return seen["addr"]


def test_no_proxy_uses_the_connection_and_ignores_a_spoofed_header(settings):
    assert _seen(settings, 0, peer="198.51.100.4") == "198.51.100.4"
    assert _seen(settings, 0, peer="198.51.100.4", forwarded="203.0.113.66") == "198.51.100.4"


def test_behind_one_proxy_the_rightmost_entry_is_the_client(settings):
    # nginx appends the address it saw; anything to its left the client wrote.
    assert _seen(settings, 1, peer="10.0.0.2", forwarded="203.0.113.9") == "203.0.113.9"
    spoofed = _seen(settings, 1, peer="10.0.0.2", forwarded="1.2.3.4, 203.0.113.9")
    assert spoofed == "203.0.113.9"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings):
    forwarded = "6.6.6.6, 203.0.113.9, 10.0.0.1"  # spoof, client, load balancer
    assert _seen(settings, 2, peer="10.0.0.2", forwarded=forwarded) == "203.0.113.9"
    # Only one proxy was passed (fewer entries): still never the peer's shared address.
    assert _seen(settings, 2, peer="10.0.0.2", forwarded="203.0.113.9") == "203.0.113.9"


def test_a_missing_or_garbled_header_falls_back_to_the_connection(settings):
    assert _seen(settings, 1, peer="127.0.0.1") == "127.0.0.1"
    assert _seen(settings, 1, peer="10.0.0.2", forwarded="not-an-address") == "10.0.0.2"
    assert _seen(settings, 1, peer="10.0.0.2", forwarded=" 2001:db8::1 ") == "2001:db8::1"


def test_django_allauth_is_told_the_same_address(settings):
    from allauth.account.adapter import get_adapter
    from django.conf import settings as base

    # allauth's own setting follows ours (for anything of allauth's that reads it).
    assert base.ALLAUTH_TRUSTED_PROXY_COUNT == base.HEARD_TRUSTED_PROXY_COUNT

    settings.HEARD_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9"
    )
    assert get_adapter(request).get_client_ip(request) == "203.0.113.9"


def test_ipv6_addresses_are_limited_by_their_64_prefix():
    assert ratelimit.address_subject("2001:db8:1:2::5") == "2001:db8:1:2::/64"
    assert ratelimit.address_subject("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert ratelimit.address_subject("203.0.113.9") == "203.0.113.9"


@pytest.mark.django_db
def test_a_counter_is_atomic_per_window_and_keeps_no_address():
    now = timezone.now()
    counts = [
        ratelimit.count_add(purpose="t", subject="203.0.113.9", seconds=3600, now=now)
        for _ in range(4)
    ]
    assert counts == [1, 2, 3, 4]
    assert ratelimit.hit(purpose="t", subject="203.0.113.10", limit=1, seconds=3600, now=now)
    assert not ratelimit.hit(purpose="t", subject="203.0.113.10", limit=1, seconds=3600, now=now)
    later = now + timezone.timedelta(hours=1)
    assert ratelimit.hit(purpose="t", subject="203.0.113.10", limit=1, seconds=3600, now=later)
    assert "203.0.113" not in str(list(RateCounter.objects.values_list("bucket", flat=True)))


# --- sign-in lock-outs behind one proxy ---------------------------------------------------


def _sign_in(client, email, password, client_ip):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR="10.0.0.2",  # the proxy, the same for everyone
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.mark.django_db
def test_a_stranger_cannot_lock_an_administrator_out(client, settings, make_staff):
    settings.HEARD_TRUSTED_PROXY_COUNT = 1
    admin = make_staff(Role.ADMINISTRATOR)
    # 25 wrong passwords for the administrator, with made-up addresses to the left.
    bodies = [
        _sign_in(
            client, admin.email, "wrong-password", f"10.9.9.{n}, 203.0.113.66"
        ).content.decode()
        for n in range(25)
    ]
    assert "Too many failed login attempts" in bodies[-1]  # the stranger is stopped
    # The administrator, from their own address behind the same proxy, signs in.
    response = _sign_in(client, admin.email, PASSWORD, "198.51.100.20")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")


@pytest.mark.django_db
def test_one_address_failing_on_many_accounts_does_not_lock_the_site(client, settings, make_staff):
    settings.HEARD_TRUSTED_PROXY_COUNT = 1
    staff = [make_staff(Role.ANALYST) for _ in range(3)]
    for n in range(21):
        _sign_in(client, f"nobody{n}@example.org", "wrong-password", "203.0.113.66")
    for n, user in enumerate(staff):
        response = _sign_in(client, user.email, PASSWORD, f"198.51.100.{30 + n}")
        assert response.status_code == 302, response.content.decode()[:500]
