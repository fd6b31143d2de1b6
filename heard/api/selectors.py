"""Reading personal API tokens."""

from typing import Any

from django.db.models import QuerySet

from heard.api import domain
from heard.api.models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_of(user: Any, pk: int) -> ApiToken | None:
    return tokens_of(user).filter(pk=pk).first()


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is, with its holder; None for anything else."""
    if not domain.well_formed(secret):
        return None
    return (
        ApiToken.objects.select_related("user").filter(token_sha256=domain.digest(secret)).first()
    )
