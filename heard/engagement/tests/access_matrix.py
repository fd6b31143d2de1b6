from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access


def _activity():
    from heard.engagement.tests.factories import ActivityFactory

    return {"pk": ActivityFactory().pk}


CHANGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}
EXPECTED = {
    "engagement:list": Access(ALL_STAFF),
    "engagement:detail": Access(ALL_STAFF, kwargs=_activity),
    "engagement:create": Access(CHANGE),
    "engagement:edit": Access(CHANGE, kwargs=_activity),
    "engagement:transition": Access(
        CHANGE, kwargs=_activity, method="post", data={"target": "closed"}
    ),
    "engagement:feedback": Access(
        CHANGE, kwargs=_activity, method="post", data={"feedback": "We did it"}
    ),
}
