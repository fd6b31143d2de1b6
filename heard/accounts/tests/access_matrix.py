from heard.accounts.models import User
from heard.core.roles import Role
from heard.core.testing import Access


def _someone() -> dict[str, int]:
    user = User.objects.create_user(email="target@example.nhs.uk", role=Role.ANALYST)
    return {"pk": user.pk}


def _period() -> dict[str, int]:
    from datetime import date

    from heard.accounts.models import PreElectionPeriod

    period = PreElectionPeriod.objects.create(
        name="By-election", starts_on=date(2027, 1, 4), ends_on=date(2027, 2, 5)
    )
    return {"pk": period.pk}


ADMIN = {Role.ADMINISTRATOR}
EXPECTED = {
    "users:list": Access(ADMIN),
    "users:invite": Access(ADMIN),
    "users:detail": Access(ADMIN, kwargs=_someone),
    "users:toggle_active": Access(ADMIN, kwargs=_someone, method="post"),
    "users:reset_two_factor": Access(ADMIN, kwargs=_someone, method="post"),
    "rules:page": Access(ADMIN),
    "rules:period_add": Access(ADMIN, method="post"),
    "rules:period_remove": Access(ADMIN, kwargs=_period),
}
