"""Reading accounts."""

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet

from heard.accounts.models import User


def user_has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_find_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def staff_users() -> QuerySet[User]:
    """Everyone with a staff role, with ``has_totp`` annotated, by name."""
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.exclude(role="")
        .annotate(has_totp=Exists(totp))
        .order_by("-is_active", "full_name", "email")
    )
