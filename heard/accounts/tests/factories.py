import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from heard.accounts.models import User
from heard.core.roles import Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.nhs.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = ""
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.ENGAGEMENT_OFFICER

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """Give staff an authenticator app unless totp=False; the secret is kept on the object."""
        if create and extracted is not False:
            obj.totp_secret = generate_totp_secret()
            TOTP.activate(obj, obj.totp_secret)


def totp_code(user: User) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(auth.data["secret"])
    # A code read in the last seconds of its 30-second window may reach the server in the
    # next one, where it is refused (no tolerance, as in production): wait for a fresh
    # window instead (a sign-in in a browser test timed out on this in CI).
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def staff_member(role: Role | str = Role.ENGAGEMENT_OFFICER) -> User:
    """Someone of ``role`` to act in a test that is not about who acts: services check the
    actor's permission themselves, so helpers act as the role that does the job. One per
    role and test database (no authenticator: services do not ask for one)."""
    role = Role(role)
    user, _ = User.objects.get_or_create(
        email=f"{role.value}@staff.heard.test",
        defaults={"full_name": f"Test {role.label.lower()}", "role": role},
    )
    return user
