"""Reading accounts."""

from allauth.mfa.models import Authenticator

from heard.accounts.models import User


def user_has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_find_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
