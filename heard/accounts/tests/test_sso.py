"""Staff single sign-on with OpenID Connect, against a real identity provider speaking the
protocol over HTTP on this machine (discovery, authorisation with PKCE, token endpoint
with the client secret, signed ID tokens): only an active staff account with the same
email address may sign in, Heard's own two-factor code is still asked for, and every
refusal is audited."""

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings
from django.urls import reverse

from heard.accounts.tests.factories import totp_code
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role

pytestmark = pytest.mark.django_db

CLIENT_ID = "heard-staff"
CLIENT_SECRET = "a-secret-only-the-test-knows"


class IdentityProvider:
    """A small OpenID Connect provider (the part of Entra ID's protocol Heard uses)."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict[str, Any] = {}
        self.audience = CLIENT_ID
        self.pending: dict[str, dict[str, str]] = {}  # code -> the authorisation request
        self.token_requests = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, data: dict[str, Any]) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, provider.configuration())
                elif url.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json(200, {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
                elif url.path == "/authorize":
                    query = dict(urllib.parse.parse_qsl(url.query))
                    code = secrets.token_urlsafe(16)
                    provider.pending[code] = query
                    back = (
                        query["redirect_uri"]
                        + "?"
                        + urllib.parse.urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.end_headers()
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                provider.token_requests += 1
                self._json(*provider.token(form, self.headers.get("Authorization", "")))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        request = self.pending.pop(form.get("code", ""), None)
        if request is None:
            return 400, {"error": "invalid_grant"}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if challenge.rstrip(b"=").decode() != request.get("code_challenge"):
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            **({"nonce": request["nonce"]} if "nonce" in request else {}),
            **self.claims,
        }
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})
        return 200, {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def idp():
    provider = IdentityProvider()
    providers = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "NHSmail",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider.url, "fetch_userinfo": False},
                }
            ],
        }
    }
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers):
        yield provider
    provider.close()


def _sso(client, idp: IdentityProvider, **claims: Any):
    """Press "Sign in with NHSmail", pass the identity provider, come back to Heard."""
    idp.claims = {"sub": "entra-object-id-1", **claims}
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "sso"}))
    assert start.status_code == 302 and start["Location"].startswith(f"{idp.url}/authorize")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(start["Location"])
        raise AssertionError("the identity provider should redirect back")
    except urllib.error.HTTPError as back:
        location = back.headers["Location"]
    url = urllib.parse.urlsplit(location)
    return client.get(f"{url.path}?{url.query}")


def _signed_in_as(client) -> int | None:
    uid = client.session.get("_auth_user_id")
    return int(uid) if uid else None


def test_staff_sign_in_with_sso_then_heards_own_code(client, make_staff, idp):
    user = make_staff(Role.ANALYST, email="Ann.Analyst@nhs.net")
    back = _sso(client, idp, email="ann.analyst@nhs.net")
    # The identity provider's word alone opens nothing: Heard's code is asked for.
    assert back.status_code == 302 and back["Location"] == reverse("mfa_authenticate")
    assert _signed_in_as(client) is None
    assert client.get(reverse("staff:dashboard")).status_code == 302
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert done.status_code == 302 and done["Location"] == reverse("staff:dashboard")
    assert _signed_in_as(client) == user.pk
    assert client.get(reverse("staff:dashboard")).status_code == 200
    account = SocialAccount.objects.get(user=user)
    assert account.uid == "entra-object-id-1"
    linked = AuditEvent.objects.get(action=Action.USER_SSO_LINKED)
    assert linked.actor_id == user.pk and linked.subject_id == str(user.pk)
    assert idp.token_requests == 1

    # Next time the link is used (even if the address changed at the provider).
    client.logout()
    again = _sso(client, idp, email="a.analyst@nhs.net")
    assert again["Location"] == reverse("mfa_authenticate")  # the linked account, asked again
    assert "a.analyst@nhs.net" not in client.get(again["Location"]).content.decode()
    # (The code just used is not accepted twice: allauth refuses a replayed code.)
    replay = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert replay.status_code == 200 and _signed_in_as(client) is None
    assert AuditEvent.objects.filter(action=Action.USER_SSO_LINKED).count() == 1


def test_preferred_username_is_used_when_there_is_no_email_claim(client, make_staff, idp):
    make_staff(Role.ENGAGEMENT_OFFICER, email="officer@nhs.net")
    back = _sso(client, idp, preferred_username="officer@nhs.net")
    assert back["Location"] == reverse("mfa_authenticate")


@pytest.mark.parametrize(
    "who",
    ["nobody", "member of the public", "switched off", "no email claim"],
)
def test_sso_refuses_anyone_without_an_active_staff_account(client, make_staff, idp, who):
    from heard.accounts.tests.factories import UserFactory

    email = "someone@nhs.net"
    if who == "member of the public":
        UserFactory(email=email)  # an account with no staff role
    elif who == "switched off":
        staff = make_staff(Role.ADMINISTRATOR, email=email)
        staff.is_active = False
        staff.save()
    claims = {} if who == "no email claim" else {"email": email}
    back = _sso(client, idp, **claims)
    assert back.status_code == 302 and back["Location"] == reverse("account_login")
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    page = client.get(back["Location"])
    assert "not linked to a Heard staff account" in page.content.decode()
    refused = AuditEvent.objects.get(action=Action.USER_SIGN_IN_FAILED)
    assert refused.after["reason"].startswith("single sign-on refused")
    assert email not in json.dumps(refused.after)


def test_an_id_token_for_another_application_is_refused(client, make_staff, idp):
    make_staff(Role.ANALYST, email="ann@nhs.net")
    idp.audience = "some-other-app"
    back = _sso(client, idp, email="ann@nhs.net")
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert back.status_code == 401
    assert "did not confirm who you are" in back.content.decode()
    refused = AuditEvent.objects.get(action=Action.USER_SIGN_IN_FAILED)
    assert "did not verify" in refused.after["reason"]


def test_without_configuration_there_is_no_sso(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with" not in page.replace("Sign in to the staff area", "")
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "sso"}))
    assert response.status_code == 404


def test_the_sign_in_page_offers_sso_when_configured(client, idp):
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with NHSmail" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": "sso"}) in page
