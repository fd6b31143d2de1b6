from heard.accounts.models import User
from heard.core.roles import Role
from heard.core.testing import Access


def _someone() -> dict[str, int]:
    user = User.objects.create_user(email="target@example.nhs.uk", role=Role.ANALYST)
    return {"pk": user.pk}


ADMIN = {Role.ADMINISTRATOR}
EXPECTED = {
    "users:list": Access(ADMIN),
    "users:invite": Access(ADMIN),
    "users:detail": Access(ADMIN, kwargs=_someone),
    "users:toggle_active": Access(ADMIN, kwargs=_someone, method="post"),
    "users:reset_two_factor": Access(ADMIN, kwargs=_someone, method="post"),
}
