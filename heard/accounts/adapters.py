"""How django-allauth behaves in Heard."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect

from heard.core.ratelimit import address_subject, client_address


class HeardAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts are created by an administrator; the public joins through the
        # membership scheme, not through this sign-up form.
        return False

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        # Passwords are for staff: a member of the public signs in by emailed link, and a
        # password set through a reset would open the staff sign-in to them.
        if not getattr(user, "is_staff_member", False):
            return
        super().send_password_reset_mail(user, email, context)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "too_many_login_attempts":
                from heard.accounts.receivers import sign_in_locked_out
                from heard.accounts.selectors import user_find_by_email

                email = str(credentials.get("email") or "")
                sign_in_locked_out(
                    user=user_find_by_email(email) if email else None, step="password"
                )
            raise

    def get_client_ip(self, request: HttpRequest) -> str:
        # The one function every rate limit uses (HEARD_TRUSTED_PROXY_COUNT), not the
        # proxy's address: behind a proxy, everyone would share one lock-out.
        return client_address(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Failed sign-ins are counted per account *and* address: someone guessing a
        # colleague's password from their own machine locks out only themselves, never
        # the colleague (nor, with the per-address limit, the whole site).
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{address_subject(client_address(request))}"


class HeardMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Two-factor sign-in is mandatory for staff: they may not switch their app off.
        user: Any = authenticator.user
        if authenticator.type == Authenticator.Type.TOTP and getattr(user, "role", ""):
            return False
        return super().can_delete_authenticator(authenticator)


# Claims in which identity providers name the person's email address, most trusted first
# (Microsoft Entra ID puts the NHSmail address in "email" when the scope asks for it, and
# the sign-in name in "preferred_username"; "upn" in older v1 tokens).
EMAIL_CLAIMS = ("email", "preferred_username", "upn")


def claimed_email(claims: dict[str, Any]) -> str:
    for name in EMAIL_CLAIMS:
        value = str(claims.get(name) or "").strip()
        if "@" in value:
            return value
    return ""


class HeardSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Staff single sign-on: the identity provider proves who someone is; Heard decides
    whether they are staff. Only an active staff account with the same email address
    (or one already linked) may sign in; nobody is created by signing in, and Heard's
    own two-factor code is asked for afterwards as for a password sign-in."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        from heard.accounts.services import user_sso_refused

        detail = type(exception).__name__ if exception is not None else str(error or "unknown")
        user_sso_refused(
            user=None,
            provider=getattr(provider, "id", str(provider)),
            reason=f"the identity provider's answer did not verify ({detail})"[:200],
        )

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        from heard.accounts.selectors import user_find_by_email
        from heard.accounts.services import user_sso_link, user_sso_refused

        claims = (sociallogin.account.extra_data or {}).get("id_token") or {}
        if not claims:
            claims = (sociallogin.account.extra_data or {}).get("userinfo") or {}
        email = claimed_email(claims)
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = user_find_by_email(email) if email else None
        if user is None or not user.is_active or not getattr(user, "is_staff_member", False):
            user_sso_refused(
                user=user,
                provider=sociallogin.account.provider,
                reason=(
                    "no email address in the identity provider's answer"
                    if not email and not sociallogin.is_existing
                    else "no active staff account with this email address"
                ),
            )
            messages.error(
                request,
                "You signed in with your organisation's account, but it is not linked to "
                "a Heard staff account. Ask a Heard administrator to invite you, using the "
                "same email address.",
            )
            raise ImmediateHttpResponse(redirect("account_login"))
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
            user_sso_link(user=user, provider=sociallogin.account.provider)
