"""Bearer-token authentication for the staff API, with refusals audited and a rate limit
per token.

- no token, or one that is not a token of ours → 401 (nothing is recorded: anyone can
  send rubbish, and the audit chain is not theirs to fill);
- a token of ours that is revoked, expired, or whose holder's role changed or who is no
  longer staff → 401, and the refusal is an audit event;
- over the rate limit → 429 with Retry-After; the first refusal in each window is audited.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from heard.api import domain, selectors, services
from heard.api.models import ApiToken
from heard.core import ratelimit
from heard.core.roles import role_of

WINDOW_SECONDS = 60


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many requests with this token.")
        self.retry_after = retry_after


def limit_per_minute() -> int:
    return int(getattr(settings, "HEARD_API_TOKEN_RATE_LIMIT", 120))


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = selectors.token_for_secret(token.strip())
        if found is None:
            return None
        facts = domain.TokenFacts(
            revoked_at=found.revoked_at,
            expires_at=found.expires_at,
            role_when_made=found.role,
            role_now=role_of(found.user),
        )
        reason = domain.refusal(facts, timezone.now())
        if reason:
            services.api_token_refused(token=found, reason=reason, path=request.path)
            return None
        count = ratelimit.count_add(
            purpose="api-token", subject=str(found.pk), seconds=WINDOW_SECONDS
        )
        if count > limit_per_minute():
            if count == limit_per_minute() + 1:
                services.api_token_refused(token=found, reason="rate limit", path=request.path)
            raise RateLimited(WINDOW_SECONDS - int(timezone.now().timestamp()) % WINDOW_SECONDS)
        services.api_token_used(token=found)
        return found


def require(request: HttpRequest, permission: str) -> Any:
    """The token's holder, if their role has ``permission``; else 403, audited."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    user = token.user
    if not user.has_perm(permission):
        services.api_token_refused(
            token=token, reason=f"no permission {permission}", path=request.path
        )
        raise HttpError(403, f"Your role does not allow this ({permission}).")
    return user
